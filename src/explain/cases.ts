/**
 * `rackbench explain --cases FILE`: runs one kube plugin's Score on table-
 * driven cases, in the format of upstream-derived score vectors: nodes with
 * allocatable and labels, pods already bound to them, an incoming pod made of
 * containers, and the plugin's args. Prints each node's raw Score output
 * (before NormalizeScore and weights), as the upstream tests assert it.
 * `candidates` names the nodes that passed filtering (PreScore's input; all
 * nodes by default): only they are scored, while the others still hold pods.
 * filterCase runs the plugin's PreFilter and Filter on every node instead.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { asNode } from '../core/ids.js';
import type { NodeSpec } from '../model/cluster.js';
import { ClusterState } from '../model/cluster-state.js';
import { InputError, parseYaml, validateWith } from '../model/yaml-input.js';
import { DEFAULT_MAX_PODS, PODS, ResourceSpace } from '../model/resources.js';
import { parseQuantity } from '../model/quantity.js';
import { hostPortSchema, podAffinitySchema, topologySpreadConstraintsSchema } from '../model/pod-schema.js';
import { KubeCluster } from '../schedulers/kube/cluster.js';
import { SKIP, SUCCESS } from '../schedulers/kube/framework.js';
import type { KubePlugin } from '../schedulers/kube/framework.js';
import type { Affinity } from '../model/affinity.js';
import { makeKubePod, podResources } from '../schedulers/kube/pod.js';
import type { ContainerSpec, KubePod } from '../schedulers/kube/pod.js';
import { KUBE_PLUGINS } from '../schedulers/kube/registry.js';

const amounts = z.record(z.string(), z.number().nonnegative());
const container = z.looseObject({ requests: amounts.optional(), restartPolicy: z.literal('Always').optional() });
const taint = z.strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) });
/** Validated as in a scenario file (the schema of a service's topologySpreadConstraints). */
const topologySpreadConstraints = topologySpreadConstraintsSchema.optional();
/** Pod (anti-)affinity as in a scenario file, except that a term may leave topologyKey out (upstream's unit tests do; no node has the key ""). */
const casePodAffinity = podAffinitySchema(z.string().default('')).optional();
const podSpec = {
  containers: z.array(container).default([]),
  initContainers: z.array(container).default([]),
  overhead: amounts.optional(),
  labels: z.record(z.string(), z.string()).default({}),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(z.looseObject({})).default([]),
  affinity: z.looseObject({ podAffinity: casePodAffinity, podAntiAffinity: casePodAffinity }).optional(),
  nodeName: z.string().default(''),
  priority: z.number().int().default(0),
  namespace: z.string().default('default'),
  topologySpreadConstraints: topologySpreadConstraints.default([]),
  /** Host ports, as in a scenario file. */
  hostPorts: z.array(hostPortSchema).default([]),
  /** Container images, one per container (init containers' included), as pod.spec names them. */
  images: z.array(z.string().min(1)).default([]),
};
/** A byte count, or a quantity such as "40Mi". */
const bytes = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  try {
    return parseQuantity(v, 'bytes');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e), input: v });
    return z.NEVER;
  }
});

const caseSchema = z.looseObject({
  id: z.string().min(1),
  plugin: z.string().min(1),
  args: z.unknown().optional(),
  nodes: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        allocatable: amounts.default({}),
        labels: z.record(z.string(), z.string()).default({}),
        /** Whether the node also gets kubernetes.io/hostname = its name, as the kubelet sets it (upstream unit tests' nodes have only the labels they set). */
        hostnameLabel: z.boolean().default(true),
        taints: z.array(taint).default([]),
        unschedulable: z.boolean().default(false),
        /** node.status.images: each image under all its names, with its size. */
        images: z.array(z.strictObject({ names: z.array(z.string().min(1)).min(1), sizeBytes: bytes })).default([]),
      }),
    )
    .min(1),
  existing_pods: z
    .array(
      z.looseObject({
        node: z.string().min(1),
        ...podSpec,
        /** Being deleted (deletionTimestamp set): it still holds its requests and ports and InterPodAffinity counts it, but PodTopologySpread does not. */
        terminating: z.boolean().default(false),
      }),
    )
    .default([]),
  incoming_pod: z.looseObject({
    ...podSpec,
    /** helper.DefaultSelector: the labels by which the pod's owner or a Service selects it. */
    defaultSelector: z.record(z.string(), z.string()).default({}),
  }),
  /** The nodes that passed filtering, in the order PreScore gets them; all nodes when absent. */
  candidates: z.array(z.string().min(1)).min(1).optional(),
});

const fileSchema = z.looseObject({ cases: z.array(caseSchema) });

type Case = z.output<typeof caseSchema>;

export interface CaseScores {
  readonly id: string;
  /** Raw Score output per node. */
  readonly scores: Record<string, number>;
  /** After the plugin's NormalizeScore (the raw scores when it has none). */
  readonly normalized: Record<string, number>;
}

/** The case format names CPU in millicores and memory in bytes; ephemeral-storage is the model's `nvme`; other resources keep their names. */
function resourceName(key: string): string {
  return key === 'cpu_milli' ? 'cpu' : key === 'memory_bytes' ? 'memory' : key === 'ephemeral-storage' ? 'nvme' : key;
}

const renamed = (m: Readonly<Record<string, number>> | undefined): Record<string, number> | undefined =>
  m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [resourceName(k), v]));

const containers = (list: readonly { requests?: Record<string, number> | undefined; restartPolicy?: 'Always' | undefined }[]): ContainerSpec[] =>
  list.map((c) => ({ requests: renamed(c.requests), restartPolicy: c.restartPolicy }));

/** The cluster, incoming pod and plugin instance a case describes. */
interface CaseSetup {
  readonly names: readonly string[];
  readonly plugin: KubePlugin;
  readonly pod: KubePod;
  readonly nodeIndex: (name: string, path: string) => number;
}

function setUp(c: Case, file: string): CaseSetup {
  const factory = KUBE_PLUGINS.get(c.plugin)?.factory;
  if (factory === undefined) {
    throw new InputError(file, [{ path: `cases[${c.id}].plugin`, message: `"${c.plugin}" is not a plugin rackbench models; known: ${[...KUBE_PLUGINS.keys()].join(', ')}` }]);
  }
  const names = new Set<string>();
  for (const n of c.nodes) for (const k of Object.keys(n.allocatable)) names.add(resourceName(k));
  const space = new ResourceSpace([...names]);
  const nodes: NodeSpec[] = c.nodes.map((n, i) => {
    const allocatable = space.zeros();
    for (const [k, v] of Object.entries(n.allocatable)) allocatable[space.indexOf(resourceName(k))!] = v;
    // Nodes built without a pod count (upstream's makeNode) are not limited by it when scoring.
    if (n.allocatable.pods === undefined) allocatable[PODS] = DEFAULT_MAX_PODS;
    return {
      index: asNode(i),
      name: n.name,
      pool: 'case',
      zone: '',
      rack: '',
      labels: n.hostnameLabel ? { ...n.labels, 'kubernetes.io/hostname': n.name } : n.labels,
      taints: n.taints,
      unschedulable: n.unschedulable,
      capacity: allocatable,
      allocatable,
      images: n.images,
    };
  });
  const nodeIndex = (name: string, path: string): number => {
    const node = nodes.findIndex((n) => n.name === name);
    if (node < 0) throw new InputError(file, [{ path: `cases[${c.id}].${path}`, message: `no node named "${name}"` }]);
    return node;
  };
  const state = new ClusterState(space, nodes);
  const kube = new KubeCluster(state);
  for (const p of c.existing_pods) {
    const node = nodeIndex(p.node, 'existing_pods');
    const r = podResources(space, containers(p.containers), containers(p.initContainers), renamed(p.overhead));
    r.requests[PODS] = 1;
    // Bound already: they stay even where they exceed the node's allocatable, as in a real cluster.
    state.admitRunning(asNode(node), r.requests);
    kube.bind(asNode(node), r.nonZeroCpu, r.nonZeroMemory, kube.group(p.namespace, p.labels, p.affinity as Affinity | undefined, p.terminating));
    kube.bindPorts(asNode(node), p.hostPorts);
  }
  const incoming = c.incoming_pod;
  const r = podResources(space, containers(incoming.containers), containers(incoming.initContainers), renamed(incoming.overhead));
  r.requests[PODS] = 1;
  const pod = makeKubePod({
    requests: r.requests,
    nonZeroCpu: r.nonZeroCpu,
    nonZeroMemory: r.nonZeroMemory,
    priority: incoming.priority,
    labels: incoming.labels,
    nodeSelector: incoming.nodeSelector,
    tolerations: incoming.tolerations as KubePod['tolerations'],
    affinity: incoming.affinity as KubePod['affinity'],
    nodeName: incoming.nodeName,
    namespace: incoming.namespace,
    topologySpreadConstraints: incoming.topologySpreadConstraints,
    defaultSelector: incoming.defaultSelector,
    hostPorts: incoming.hostPorts,
    images: incoming.images,
  });
  return { names: nodes.map((n) => n.name), plugin: factory(c.args, kube), pod, nodeIndex };
}

export function scoreCase(c: Case, file: string): CaseScores {
  const { names, plugin, pod, nodeIndex } = setUp(c, file);
  const candidates = c.candidates === undefined ? Int32Array.from(names, (_, i) => i) : Int32Array.from(c.candidates, (name) => nodeIndex(name, 'candidates'));
  const count = candidates.length;
  const skipped = plugin.preScore?.(pod, candidates, count) === SKIP;
  const raw = new Float64Array(count);
  for (let k = 0; k < count; k++) raw[k] = skipped || plugin.score === undefined ? 0 : plugin.score(pod, asNode(candidates[k]!));
  const scores = Object.fromEntries(Array.from(candidates, (node, k) => [names[node]!, raw[k]!]));
  if (!skipped) plugin.normalizeScore?.(pod, raw, candidates, count);
  const normalized = Object.fromEntries(Array.from(candidates, (node, k) => [names[node]!, raw[k]!]));
  return { id: c.id, scores, normalized };
}

/** A Filter outcome, as upstream's status codes name it. */
export type FilterStatus = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface NodeFilterResult {
  /** SUCCESS (0) or the plugin's rejection code. */
  readonly code: number;
  readonly unresolvable: boolean;
  readonly status: FilterStatus;
}

export interface CaseFilterResults {
  readonly id: string;
  readonly nodes: Record<string, NodeFilterResult>;
}

/** Runs the plugin's PreFilter, then its Filter on every node (a PreFilter rejection rejects them all; Skip passes them all). */
export function filterCase(c: Case, file: string): CaseFilterResults {
  const { names, plugin, pod } = setUp(c, file);
  const pre = plugin.preFilter?.(pod) ?? SUCCESS;
  const results: Record<string, NodeFilterResult> = {};
  names.forEach((name, node) => {
    const code = pre === SKIP ? SUCCESS : pre !== SUCCESS ? pre : (plugin.filter?.(pod, asNode(node)) ?? SUCCESS);
    const unresolvable = code !== SUCCESS && plugin.unresolvable?.(code) === true;
    results[name] = { code, unresolvable, status: code === SUCCESS ? 'Success' : unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable' };
  });
  return { id: c.id, nodes: results };
}

/** Validates and filters one case given as plain data. */
export function filterCaseData(data: unknown, source = 'case'): CaseFilterResults {
  return filterCase(validateWith(caseSchema, data, source), source);
}

/** Validates and scores one case given as plain data. */
export function scoreCaseData(data: unknown, source = 'case'): CaseScores {
  return scoreCase(validateWith(caseSchema, data, source), source);
}

function readCases(file: string): Case[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, [{ path: '', message: 'cannot read the file' }]);
  }
  const parsed = parseYaml(text, file);
  return validateWith(fileSchema, parsed.data, file, parsed).cases;
}

/** Reads a cases file (JSON or YAML) and scores every case. Throws InputError on bad input. */
export function explainCases(file: string): { cases: CaseScores[] } {
  return { cases: readCases(file).map((c) => scoreCase(c, file)) };
}

/** Reads a cases file (JSON or YAML) and runs every case's PreFilter and Filter. Throws InputError on bad input. */
export function filterCases(file: string): { cases: CaseFilterResults[] } {
  return { cases: readCases(file).map((c) => filterCase(c, file)) };
}
