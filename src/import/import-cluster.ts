/**
 * `rackbench import`: kubectl dumps of nodes and pods (and, optionally, their
 * controllers) → a scenario file that `rackbench validate` accepts and
 * `rackbench run` runs.
 *
 * - Nodes become pools (identical nodes share one): capacity = the node's
 *   allocatable, reserved empty, so capacity − reserved is the real
 *   allocatable; labels, taints, cordon, zone, rack and images are kept.
 * - Pods bound to a node (Running, or Pending with spec.nodeName) are the
 *   initial state: each is a service of one replica (a job of one completion
 *   when a Job owns it) `boundAtStart` on its node, so it is there from time
 *   0 without scheduling, even where the node's pods exceed its allocatable;
 *   a replacement is pinned by nodeSelector kubernetes.io/hostname = its node
 *   and tolerations of that node's taints, since a kubelet-admitted pod is
 *   there whatever the scheduler's filters would say.
 * - Pods without a node are the workload, arriving at `pendingAt`: the pods of
 *   one controller with one spec form one service (replicas = their count) or
 *   one job; a bare pod is a service of one.
 * - Controller objects in the dump (Deployment, ReplicaSet, StatefulSet, Job)
 *   add the replicas they want beyond the pods the dump shows.
 * See docs/import.md.
 */
import { basename, extname } from 'node:path';
import { Document, isMap, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { writeFileAtomic } from '../core/atomic-file.js';
import type { Affinity } from '../model/affinity.js';
import type { Toleration } from '../model/labels.js';
import { toleratesTaint } from '../model/labels.js';
import { formatDuration } from '../model/quantity.js';
import { isBuiltin } from '../model/resources.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { parseScenario } from '../model/scenario-file.js';
import { InputError } from '../model/yaml-input.js';
import { describeObject, DumpIssue, formatResource, intAt, issueError, objAt, readDumps, strAt } from './dump.js';
import type { K8sObject, Obj } from './dump.js';
import { commonImages, dnsName, HOSTNAME, poolsOf, readNode, UniqueNames } from './nodes.js';
import type { ImportedNode, ImportedPool } from './nodes.js';
import { Notes, podShape } from './pod-spec.js';
import type { PodShape } from './pod-spec.js';

export interface ImportOptions {
  /** The scenario's name; default: from `out`'s file name, else "imported-cluster". */
  readonly name?: string | undefined;
  /** Where the scenario will be written (names it; not written here). */
  readonly out?: string | undefined;
  /** Give identical nodes one pool (default true); false: one pool per node. */
  readonly group?: boolean | undefined;
  /** When pending and controller-created pods arrive, µs (default 60 s, after the pinned pods have settled). */
  readonly pendingAt?: number | undefined;
  /** simulation.until, µs (default 1 h): services run forever, so the run needs an end. */
  readonly until?: number | undefined;
  /** How long each imported Job pod runs, µs (default 10 min): a dump does not say. */
  readonly jobDuration?: number | undefined;
  /** Bound pods of Deployments, ReplicaSets, StatefulSets and Jobs join their controller's workload instead of staying pinned. */
  readonly reschedule?: boolean | undefined;
  /** Skip objects of other kinds (Services, ConfigMaps, …) instead of failing. */
  readonly ignoreUnknown?: boolean | undefined;
}

export interface ImportSummary {
  readonly nodes: number;
  readonly pools: number;
  /** Pods in the dumps, by what became of them. */
  readonly pods: { readonly total: number; readonly pinned: number; readonly pending: number; readonly skipped: number };
  /** Pods added for controllers whose desired replicas exceed the pods in the dump. */
  readonly fromControllers: number;
  readonly services: number;
  readonly jobs: number;
  /** Every pod the scenario creates (pinned + pending + fromControllers). */
  readonly scenarioPods: number;
}

export interface ImportResult {
  /** The scenario file's text (YAML with a header comment). */
  readonly text: string;
  /** The same, validated as `rackbench validate` does. */
  readonly scenario: ResolvedScenario;
  readonly summary: ImportSummary;
  /** Quirks of the input worth a line each (allocatable above capacity, pods on unknown nodes, …). */
  readonly warnings: readonly string[];
  /** What was approximated, with counts. */
  readonly notes: readonly string[];
}

const DEFAULT_PENDING_AT = 60_000_000;
const DEFAULT_UNTIL = 3_600_000_000;
const DEFAULT_JOB_DURATION = 600_000_000;
const CORDONED = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

/** Runs `fn` on one object, turning a DumpIssue into an InputError that names the object's file, path and line. */
function inObject<T>(o: K8sObject, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DumpIssue) throw issueError(o, e);
    throw e;
  }
}

interface PodMeta {
  readonly name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly nodeName?: string | undefined;
  readonly owner?: { readonly kind: string; readonly name: string } | undefined;
  readonly podTemplateHash?: string | undefined;
}

function podMeta(o: K8sObject, index: number, notes: Notes): PodMeta {
  const metadata = objAt(o.data, 'metadata', []) ?? {};
  const spec = objAt(o.data, 'spec', []) ?? {};
  const status = objAt(o.data, 'status', []) ?? {};
  let name = strAt(metadata, 'name', ['metadata']);
  if (name === undefined || name === '') {
    name = `${strAt(metadata, 'generateName', ['metadata']) ?? 'pod-'}${index + 1}`;
    notes.add('pods without metadata.name (named after their generateName and position)');
  }
  const refs = Array.isArray(metadata.ownerReferences) ? (metadata.ownerReferences as unknown[]) : [];
  const objs = refs.filter((r): r is Obj => r !== null && typeof r === 'object');
  const ref = objs.find((r) => r.controller === true) ?? objs[0];
  const owner = ref !== undefined && typeof ref.kind === 'string' && typeof ref.name === 'string' ? { kind: ref.kind, name: ref.name } : undefined;
  const labels = metadata.labels as Obj | undefined;
  const hash = labels !== undefined && typeof labels['pod-template-hash'] === 'string' ? labels['pod-template-hash'] : undefined;
  const nodeName = strAt(spec, 'nodeName', ['spec']);
  return {
    name,
    namespace: strAt(metadata, 'namespace', ['metadata']) ?? 'default',
    phase: strAt(status, 'phase', ['status']) ?? (nodeName ? 'Running' : 'Pending'),
    nodeName: nodeName === '' ? undefined : nodeName,
    owner,
    podTemplateHash: hash,
  };
}

/** The workload owner a controller reference stands for: a ReplicaSet of a Deployment stands for the Deployment. */
class Owners {
  /** namespace/ReplicaSet name → Deployment name, from ReplicaSet objects in the dump. */
  private readonly replicaSets = new Map<string, string>();

  noteReplicaSet(namespace: string, name: string, deployment: string): void {
    this.replicaSets.set(`${namespace}/${name}`, deployment);
  }

  /** `Kind/name`, or undefined for a bare pod. */
  key(namespace: string, owner: PodMeta['owner'], hash: string | undefined): string | undefined {
    if (owner === undefined) return undefined;
    if (owner.kind === 'ReplicaSet') {
      const deployment = this.replicaSets.get(`${namespace}/${owner.name}`);
      if (deployment !== undefined) return `Deployment/${deployment}`;
      // A Deployment names its ReplicaSets <deployment>-<pod-template-hash>.
      if (hash !== undefined && owner.name.endsWith(`-${hash}`)) return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
    }
    return `${owner.kind}/${owner.name}`;
  }
}

interface PinnedPod {
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  readonly shape: PodShape;
  readonly node: ImportedNode;
  readonly isJob: boolean;
}

interface WorkloadGroup {
  readonly namespace: string;
  /** `Kind/name` of the controller, or undefined for a bare pod. */
  readonly owner: string | undefined;
  /** The pod's name for a bare pod. */
  readonly podName: string;
  readonly shape: PodShape;
  count: number;
  /** How many came from controller objects rather than pods in the dump. */
  fromController: number;
}

function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

function shapeKey(s: PodShape): string {
  return sortedJson({ ...s, requests: [...s.requests].sort(), daemonNode: undefined });
}

/** Reads dumps and builds the scenario. Throws InputError on bad input. Pure apart from reading the files. */
export function importCluster(files: readonly string[], options: ImportOptions = {}): ImportResult {
  const pendingAt = options.pendingAt ?? DEFAULT_PENDING_AT;
  const jobDuration = options.jobDuration ?? DEFAULT_JOB_DURATION;
  const notes = new Notes();
  const warnings: string[] = [];
  const { objects, skippedKinds } = readDumps(files, { ignoreUnknown: options.ignoreUnknown });
  for (const [kind, n] of skippedKinds) notes.add(`${kind} objects skipped (--ignore-unknown)`, n);

  // ---- nodes
  const nodeObjects = objects.filter((o) => o.kind === 'Node');
  if (nodeObjects.length === 0) {
    throw new InputError(files.join(', '), [{ path: '', message: 'no Node objects in the input; add the output of kubectl get nodes -o json' }]);
  }
  const nodes: ImportedNode[] = [];
  const byName = new Map<string, ImportedNode>();
  nodeObjects.forEach((o, i) => {
    const n = inObject(o, () => readNode(o, i, notes, (w) => warnings.push(w)));
    if (byName.has(n.name)) throw issueError(o, new DumpIssue(['metadata', 'name'], `a second node named "${n.name}"`));
    byName.set(n.name, n);
    nodes.push(n);
  });
  const pools = poolsOf(nodes, options.group ?? true);
  const simName = new Map<ImportedNode, string>();
  for (const p of pools) p.nodes.forEach((n, i) => simName.set(n, `${p.name}-${i + 1}`));
  const hostnames = new Map([...byName].map(([name, n]) => [name, simName.get(n)!]));

  // ---- controllers: ReplicaSet → Deployment links first, so pods resolve their owner
  const owners = new Owners();
  for (const o of objects) {
    if (o.kind !== 'ReplicaSet') continue;
    const meta = objAt(o.data, 'metadata', []) ?? {};
    const refs = Array.isArray(meta.ownerReferences) ? (meta.ownerReferences as unknown[]) : [];
    const dep = refs.find((r): r is Obj => r !== null && typeof r === 'object' && (r as Obj).kind === 'Deployment');
    if (dep !== undefined && typeof dep.name === 'string' && typeof meta.name === 'string') {
      owners.noteReplicaSet(typeof meta.namespace === 'string' ? meta.namespace : 'default', meta.name, dep.name);
    }
  }

  // ---- pods
  const pinned: PinnedPod[] = [];
  const groups = new Map<string, WorkloadGroup>();
  const podsPerOwner = new Map<string, number>();
  let total = 0;
  let skipped = 0;
  const addToGroup = (namespace: string, owner: string | undefined, podName: string, shape: PodShape, n: number, fromController: boolean): void => {
    const key = `${namespace}\u0000${owner ?? `Pod/${podName}`}\u0000${shapeKey(shape)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { namespace, owner, podName, shape, count: n, fromController: fromController ? n : 0 });
    else {
      g.count += n;
      if (fromController) g.fromController += n;
    }
  };
  objects
    .filter((o) => o.kind === 'Pod')
    .forEach((o, i) => {
      total++;
      const meta = inObject(o, () => podMeta(o, i, notes));
      if (meta.phase === 'Succeeded' || meta.phase === 'Failed') {
        skipped++;
        notes.add('finished pods (Succeeded or Failed) skipped');
        return;
      }
      const spec = objAt(o.data, 'spec', []) ?? {};
      const shape = inObject(o, () => podShape(objAt(o.data, 'metadata', []) ?? {}, spec, [], notes));
      const owner = owners.key(meta.namespace, meta.owner, meta.podTemplateHash);
      if (owner !== undefined) podsPerOwner.set(`${meta.namespace}/${owner}`, (podsPerOwner.get(`${meta.namespace}/${owner}`) ?? 0) + 1);
      const ref = `${meta.namespace}/${meta.name}`;
      const kind = meta.owner?.kind;
      if (kind === 'DaemonSet' || kind === 'Node') {
        // DaemonSet pods and static (mirror) pods belong to one node: kept pinned there.
        const target = meta.nodeName ?? shape.daemonNode;
        const node = target === undefined ? undefined : byName.get(target);
        if (node === undefined) {
          skipped++;
          warnings.push(`${describeObject(o)}: ${kind === 'Node' ? 'a static pod' : 'a DaemonSet pod'} for node "${target ?? '?'}", which is not in the dumps; skipped`);
          return;
        }
        pinned.push({ ref, namespace: meta.namespace, name: meta.name, phase: meta.phase, shape, node, isJob: false });
        return;
      }
      const node = meta.nodeName === undefined ? undefined : byName.get(meta.nodeName);
      if (meta.nodeName !== undefined && node === undefined) {
        warnings.push(`${describeObject(o)}: bound to node "${meta.nodeName}", which is not in the dumps; imported as pending`);
      }
      const reschedule = options.reschedule === true && owner !== undefined;
      if (node !== undefined && !reschedule) {
        pinned.push({ ref, namespace: meta.namespace, name: meta.name, phase: meta.phase, shape, node, isJob: kind === 'Job' });
        return;
      }
      addToGroup(meta.namespace, owner, meta.name, shape, 1, false);
    });

  // ---- controller objects: replicas beyond the pods the dump shows
  let fromControllers = 0;
  for (const o of objects) {
    if (o.kind === 'Node' || o.kind === 'Pod') continue;
    if (o.kind === 'DaemonSet') {
      notes.add('DaemonSet objects not expanded (their pods in the dump are kept, pinned to their nodes)');
      continue;
    }
    inObject(o, () => {
      const meta = objAt(o.data, 'metadata', []) ?? {};
      const spec = objAt(o.data, 'spec', []) ?? {};
      const status = objAt(o.data, 'status', []) ?? {};
      const name = strAt(meta, 'name', ['metadata']);
      if (name === undefined) throw new DumpIssue(['metadata', 'name'], 'a controller needs a name');
      const namespace = strAt(meta, 'namespace', ['metadata']) ?? 'default';
      let key = `${o.kind}/${name}`;
      if (o.kind === 'ReplicaSet') {
        const resolved = owners.key(namespace, { kind: 'ReplicaSet', name }, undefined);
        // A Deployment's ReplicaSet counts only when the Deployment itself is not in the dump.
        const isOwner = (d: K8sObject): boolean => {
          const m = d.data.metadata as Obj | undefined;
          return d.kind === 'Deployment' && m?.name === resolved!.slice('Deployment/'.length) && (m?.namespace ?? 'default') === namespace;
        };
        if (resolved !== key && objects.some(isOwner)) return;
        key = resolved!;
      }
      const template = objAt(spec, 'template', ['spec']);
      if (template === undefined) throw new DumpIssue(['spec', 'template'], 'a controller needs a pod template');
      const isJob = o.kind === 'Job';
      const desired = isJob ? (intAt(spec, 'completions', ['spec']) ?? intAt(spec, 'parallelism', ['spec']) ?? 1) - (intAt(status, 'succeeded', ['status']) ?? 0) : (intAt(spec, 'replicas', ['spec']) ?? 1);
      const extra = desired - (podsPerOwner.get(`${namespace}/${key}`) ?? 0);
      if (extra <= 0) return;
      const templateMeta = objAt(template, 'metadata', ['spec', 'template']) ?? {};
      const shape = podShape(templateMeta, objAt(template, 'spec', ['spec', 'template']) ?? {}, ['spec', 'template'], notes);
      addToGroup(namespace, key, name, shape, extra, true);
      fromControllers += extra;
    });
  }

  // ---- resources: what pools declare, what pods request
  const requested = new Map<string, number>();
  const noteRequests = (s: PodShape): void => {
    for (const [r, v] of s.requests) requested.set(r, Math.max(requested.get(r) ?? 0, v));
  };
  pinned.forEach((p) => noteRequests(p.shape));
  groups.forEach((g) => noteRequests(g.shape));
  const declared = new Set<string>();
  for (const n of nodes) for (const [r, v] of n.allocatable) if (v > 0 || isBuiltin(r) || (requested.get(r) ?? 0) > 0) declared.add(r);
  const missing = [...requested].filter(([r, v]) => v > 0 && !declared.has(r) && !isBuiltin(r)).map(([r]) => r);
  for (const r of missing) {
    warnings.push(`pods request "${r}", which no node has: they can never be placed (added to every pool with capacity 0)`);
    declared.add(r);
  }
  const capacityOf = (n: ImportedNode): Record<string, number | string> => {
    const out: Record<string, number | string> = {};
    for (const [r, v] of n.allocatable) if (declared.has(r)) out[r] = formatResource(r, v);
    for (const r of missing) out[r] = 0;
    return out;
  };
  const requestsOf = (s: PodShape): Record<string, number | string> => {
    const out: Record<string, number | string> = {};
    for (const [r, v] of s.requests) {
      if (r === 'pods') continue;
      if (!declared.has(r) && !isBuiltin(r)) continue; // a 0 request of a resource no node has
      out[r] = formatResource(r, v);
    }
    return out;
  };

  // ---- selectors name nodes by kubernetes.io/hostname, which rackbench renames
  const rehost = (shape: PodShape): { nodeSelector: Record<string, string>; affinity: Affinity | undefined } => {
    const nodeSelector = { ...shape.nodeSelector };
    const h = nodeSelector[HOSTNAME];
    if (h !== undefined) nodeSelector[HOSTNAME] = hostnames.get(h) ?? h;
    const required = shape.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (shape.affinity === undefined || required === undefined) return { nodeSelector, affinity: shape.affinity };
    const terms = required.nodeSelectorTerms.map((t) => ({
      matchExpressions: t.matchExpressions?.map((e) => (e.key === HOSTNAME && e.values ? { ...e, values: e.values.map((v) => hostnames.get(v) ?? v) } : e)),
    }));
    return {
      nodeSelector,
      affinity: { ...shape.affinity, nodeAffinity: { ...shape.affinity.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
    };
  };

  const names = new UniqueNames();
  const services: Record<string, unknown>[] = [];
  const jobs: Record<string, unknown>[] = [];
  const comments = new Map<Record<string, unknown>, string>();
  const common = (s: PodShape, namespace: string) => ({
    requests: requestsOf(s),
    ...(s.priority !== 0 ? { priority: s.priority } : {}),
    ...(s.preemptionPolicy !== undefined ? { preemptionPolicy: s.preemptionPolicy } : {}),
    ...(s.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: s.terminationGracePeriodSeconds } : {}),
    tenant: namespace,
    ...(Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
  });
  const optional = (s: PodShape, affinity: Affinity | undefined, spread: boolean) => ({
    ...(affinity !== undefined ? { affinity } : {}),
    ...(spread && s.topologySpreadConstraints !== undefined ? { topologySpreadConstraints: s.topologySpreadConstraints } : {}),
    ...(s.hostPorts !== undefined ? { hostPorts: s.hostPorts } : {}),
    ...(s.images !== undefined ? { images: s.images } : {}),
  });

  for (const p of pinned) {
    // The hostname alone pins it: the pod's own selectors held when it was placed, and may name labels rackbench drops.
    const nodeSelector = { [HOSTNAME]: simName.get(p.node)! };
    // A bound pod is on its node whatever its tolerations: tolerate the node's taints (and cordon) so re-placing it there succeeds.
    const tolerations: Toleration[] = [...p.shape.tolerations];
    for (const taint of [...p.node.taints, ...(p.node.unschedulable ? [CORDONED] : [])]) {
      if (taint.effect === 'PreferNoSchedule' || tolerations.some((t) => toleratesTaint(t, taint))) continue;
      tolerations.push({ key: taint.key, operator: 'Exists', effect: taint.effect });
    }
    // Node affinity is moot once pinned; spread constraints bind only the pod itself, which is already placed.
    const { nodeAffinity: _moot, ...podAffinities } = p.shape.affinity ?? {};
    const affinity = Object.keys(podAffinities).length > 0 ? podAffinities : undefined;
    const name = names.take(dnsName(`${p.namespace}.${p.name}`, 'pod'));
    const fields = {
      ...common(p.shape, p.namespace),
      boundAtStart: simName.get(p.node)!,
      nodeSelector,
      ...(tolerations.length > 0 ? { tolerations } : {}),
      ...optional(p.shape, affinity, false),
    };
    const entry = p.isJob
      ? { name, completions: 1, parallelism: 1, duration: formatDuration(jobDuration), ...fields }
      : { name, replicas: 1, ...fields };
    comments.set(entry, ` pod ${p.ref} (${p.phase}) on node ${p.node.name}`);
    (p.isJob ? jobs : services).push(entry);
  }
  const at = formatDuration(pendingAt);
  for (const g of groups.values()) {
    const { nodeSelector, affinity } = rehost(g.shape);
    const base = g.owner === undefined ? g.podName : g.owner.slice(g.owner.indexOf('/') + 1);
    const name = names.take(dnsName(`${g.namespace}.${base}`, 'workload'));
    const isJob = g.owner?.startsWith('Job/') === true;
    const fields = {
      at,
      ...common(g.shape, g.namespace),
      ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      ...(g.shape.tolerations.length > 0 ? { tolerations: g.shape.tolerations } : {}),
      ...optional(g.shape, affinity, true),
    };
    const entry = isJob
      ? { name, completions: g.count, parallelism: g.count, duration: formatDuration(jobDuration), ...fields }
      : { name, replicas: g.count, ...fields };
    const who = g.owner === undefined ? `pod ${g.namespace}/${g.podName}` : `${g.owner.replace('/', ' ')} in ${g.namespace}`;
    const extra = g.fromController > 0 ? `, ${g.fromController} of them from the controller's replicas beyond the dump's pods` : '';
    comments.set(entry, ` ${who}: ${g.count} pending pod${g.count === 1 ? '' : 's'}${extra}`);
    (isJob ? jobs : services).push(entry);
  }

  // ---- the scenario
  const poolEntries = pools.map((p) => poolEntry(p, capacityOf(p.nodes[0]!)));
  const platform = nodes.some((n) => n.k3s) ? 'k3s' : 'kubernetes';
  const scenarioName = options.name ?? (options.out !== undefined ? dnsName(basename(options.out, extname(options.out)), 'imported-cluster') : 'imported-cluster');
  const data = {
    name: scenarioName,
    description: `Imported by rackbench import from ${files.map((f) => basename(f)).join(', ')}`,
    platform,
    cluster: { pools: poolEntries },
    workload: { services, jobs },
    simulation: { until: formatDuration(options.until ?? DEFAULT_UNTIL) },
    defaults: { seeds: [1], schedulers: ['kube-default'], runByDefault: false },
  };
  const pinnedCount = pinned.length;
  const pendingCount = [...groups.values()].reduce((n, g) => n + g.count - g.fromController, 0);
  const summary: ImportSummary = {
    nodes: nodes.length,
    pools: pools.length,
    pods: { total, pinned: pinnedCount, pending: pendingCount, skipped },
    fromControllers,
    services: services.length,
    jobs: jobs.length,
    scenarioPods: pinnedCount + pendingCount + fromControllers,
  };
  const doc = new Document(data);
  doc.commentBefore = header(files, summary, pendingAt, platform, warnings, notes.list());
  styleDocument(doc, pools, comments, services, jobs);
  const text = doc.toString({ lineWidth: 0 });
  let scenario: ResolvedScenario;
  try {
    scenario = parseScenario(text, options.out ?? scenarioName);
  } catch (e) {
    if (e instanceof InputError) throw new Error(`the imported scenario does not validate (a bug in rackbench import):\n${e.message}`);
    throw e;
  }
  return { text, scenario, summary, warnings, notes: notes.list() };
}

function poolEntry(p: ImportedPool, capacity: Record<string, number | string>): Record<string, unknown> {
  const first = p.nodes[0]!;
  const zones = p.nodes.map((n) => n.zone).filter((z): z is string => z !== undefined && z !== '');
  const racks = p.nodes.map((n) => n.rack).filter((r): r is string => r !== undefined && r !== '');
  const same = (xs: string[]): string[] => (xs.every((x) => x === xs[0]) ? xs.slice(0, 1) : xs);
  const images = commonImages(p);
  return {
    name: p.name,
    count: p.nodes.length,
    ...(first.role === 'server' ? { role: 'server' } : {}),
    capacity,
    reserved: {},
    ...(Object.keys(first.labels).length > 0 ? { labels: first.labels } : {}),
    ...(first.taints.length > 0 ? { taints: first.taints } : {}),
    ...(first.unschedulable ? { unschedulable: true } : {}),
    ...(zones.length === p.nodes.length ? { zones: same(zones) } : {}),
    ...(racks.length === p.nodes.length ? { racks: same(racks) } : {}),
    ...(images.length > 0 ? { images: images.map((i) => ({ names: i.names, sizeBytes: i.sizeBytes })) } : {}),
  };
}

function header(files: readonly string[], s: ImportSummary, pendingAt: number, platform: string, warnings: readonly string[], notes: readonly string[]): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    ` Imported by \`rackbench import\` from ${files.join(', ')}.`,
    ` ${plural(s.nodes, 'node')} in ${plural(s.pools, 'pool')}; ${plural(s.pods.total, 'pod')} in the dumps: ${s.pods.pinned} bound to a node (pinned there at 0s),`,
    ` ${s.pods.pending} pending (arriving at ${formatDuration(pendingAt)}), ${s.pods.skipped} skipped; ${s.fromControllers} more for controllers' missing replicas.`,
    ` The scenario creates ${plural(s.scenarioPods, 'pod')} in ${plural(s.services, 'service')} and ${plural(s.jobs, 'job')}.`,
    '',
    ' capacity is each node\'s status.allocatable and reserved is empty, so capacity − reserved',
    ' equals the cluster\'s allocatable. No `stack`: the platform\'s own pods (DaemonSet and',
    ` static pods) are among the imported pods, pinned to their nodes. platform: ${platform} picks the kube queue.`,
    ' Nodes are renamed <pool>-<n> (kubernetes.io/hostname too); each pool lists the original names.',
    ' A bound pod is a service of one replica (a job of one completion if a Job owns it) with',
    ' nodeSelector kubernetes.io/hostname = its node and tolerations of that node\'s taints.',
    ' Pending pods of one controller and one spec form one service (or job); a bare pod is its own.',
    ' Requests are the effective pod requests: max(Σ containers + sidecars, max init) + overhead.',
  ];
  if (notes.length > 0 || warnings.length > 0) {
    lines.push('', ' Approximated or worth knowing:');
    for (const n of [...warnings, ...notes]) lines.push(`   - ${n}`);
  }
  return lines.join('\n');
}

const FLOW_KEYS = ['capacity', 'reserved', 'labels', 'requests', 'nodeSelector', 'zones', 'racks', 'images'];

/** Short maps and lists on one line; the pools' original node names and each workload entry's origin as comments. */
function styleDocument(doc: Document, pools: readonly ImportedPool[], comments: Map<Record<string, unknown>, string>, services: readonly object[], jobs: readonly object[]): void {
  const flow = (node: unknown): void => {
    if (isMap(node) || isSeq(node)) node.flow = true;
  };
  const styleItem = (item: unknown): void => {
    if (!isMap(item)) return;
    for (const key of FLOW_KEYS) {
      const v = item.get(key, true);
      if (key === 'images' && isSeq(v) && v.items.some((x) => isMap(x))) v.items.forEach(flow);
      else flow(v);
    }
    for (const key of ['taints', 'tolerations', 'hostPorts']) {
      const v = item.get(key, true);
      if (isSeq(v)) v.items.forEach(flow);
    }
  };
  pools.forEach((p, i) => {
    const node = doc.getIn(['cluster', 'pools', i], true) as YamlNode | undefined;
    styleItem(node);
    if (node) {
      const shown = p.nodes.slice(0, 50).map((n) => n.name);
      node.commentBefore = ` nodes: ${shown.join(', ')}${p.nodes.length > shown.length ? `, … (${p.nodes.length} in all)` : ''}`;
    }
  });
  const section = (name: string, entries: readonly object[]) =>
    entries.forEach((e, i) => {
      const node = doc.getIn(['workload', name, i], true) as YamlNode | undefined;
      styleItem(node);
      const c = comments.get(e as Record<string, unknown>);
      if (node && c !== undefined) node.commentBefore = c;
    });
  section('services', services);
  section('jobs', jobs);
}

/** Writes the scenario atomically (readers never see half a file). */
export function writeImportedScenario(out: string, result: ImportResult): void {
  writeFileAtomic(out, result.text);
}
