/**
 * One pod spec (a Pod's, or a controller's pod template) as the fields of a
 * scenario service or job: effective requests, priority, labels, selectors,
 * tolerations, affinity, spread constraints, host ports and images. Fields the
 * scenario cannot express are dropped and counted in `Notes`.
 */
import type { Affinity, NodeSelectorTerm, PodAffinity, PodAffinityTerm } from '../model/affinity.js';
import type { LabelSelector, TopologySpreadConstraint } from '../model/label-selector.js';
import type { HostPort } from '../model/container.js';
import type { Toleration } from '../model/labels.js';
import { arrAt, DumpIssue, intAt, isObj, objAt, resourceListAt, strAt, stringMapAt } from './dump.js';
import type { Obj, Path } from './dump.js';

/** What was approximated, counted per kind of approximation (in first-seen order): "what: count". */
export class Notes {
  private readonly counts = new Map<string, number>();
  add(message: string, n = 1): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + n);
  }
  list(): string[] {
    return [...this.counts].map(([m, n]) => `${m}: ${n.toLocaleString('en-US')}`);
  }
}

/** Labels the API server or controllers set to a different value on each pod; a group of replicas drops them. */
export const PER_POD_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index'];

export interface PodShape {
  /** Effective requests in rackbench names and integer units (pods = 1 is implied). */
  readonly requests: ReadonlyMap<string, number>;
  readonly priority: number;
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never' | undefined;
  readonly terminationGracePeriodSeconds?: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly affinity?: Affinity | undefined;
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[] | undefined;
  readonly hostPorts?: readonly HostPort[] | undefined;
  readonly images?: readonly string[] | undefined;
  /** The node a DaemonSet pod is meant for (its nodeAffinity matchFields metadata.name), when it names one. */
  readonly daemonNode?: string | undefined;
}

const add = (into: Map<string, number>, from: ReadonlyMap<string, number>): void => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
};
const max = (into: Map<string, number>, from: ReadonlyMap<string, number>): void => {
  for (const [k, v] of from) into.set(k, Math.max(into.get(k) ?? 0, v));
};

/**
 * A container's requests, with a limit standing for a missing request of the
 * same resource as the API server defaults it (SetDefaults_Pod: requests
 * default to limits), so hand-written manifests read like stored objects.
 */
function containerRequests(c: Obj, path: Path, notes: Notes): Map<string, number> {
  const resources = objAt(c, 'resources', path);
  if (resources === undefined) return new Map();
  const rp = [...path, 'resources'];
  const requests = resourceListAt(resources, 'requests', rp);
  const limits = resourceListAt(resources, 'limits', rp);
  let defaulted = false;
  for (const [k, v] of limits) {
    if (!requests.has(k)) {
      requests.set(k, v);
      defaulted = true;
    }
  }
  if (defaulted) notes.add('containers with a limit but no request of a resource (the request was taken from the limit, as the API server defaults it)');
  return requests;
}

/**
 * The pod's effective requests, as the scheduler and kubelet compute them
 * (k8s.io/component-helpers/resource PodRequests and
 * AggregateContainerRequests; KEP-753 for sidecars):
 *
 *   max( Σ containers + Σ sidecars,  max over init containers i of (init_i + Σ sidecars before i) ) + overhead
 *
 * per resource, where sidecars are init containers with restartPolicy Always;
 * pod-level `spec.resources.requests` (cpu, memory, hugepages) replace the
 * container sum when set. A resource no container names stays absent (the
 * model's "missing request"), not 0.
 */
export function effectiveRequests(spec: Obj, path: Path, notes: Notes): Map<string, number> {
  const result = new Map<string, number>();
  arrAt(spec, 'containers', path).forEach((c, i) => {
    const cp = [...path, 'containers', i];
    if (!isObj(c)) throw new DumpIssue(cp, 'expected a container object');
    add(result, containerRequests(c, cp, notes));
  });
  const sidecars = new Map<string, number>();
  const init = new Map<string, number>();
  arrAt(spec, 'initContainers', path).forEach((c, i) => {
    const cp = [...path, 'initContainers', i];
    if (!isObj(c)) throw new DumpIssue(cp, 'expected a container object');
    const own = containerRequests(c, cp, notes);
    if (strAt(c, 'restartPolicy', cp) === 'Always') {
      add(result, own);
      add(sidecars, own);
      max(init, sidecars);
    } else {
      const combined = new Map(own);
      add(combined, sidecars);
      max(init, combined);
    }
  });
  max(result, init);
  const podLevel = objAt(spec, 'resources', path);
  if (podLevel !== undefined) {
    for (const [k, v] of resourceListAt(podLevel, 'requests', [...path, 'resources'])) {
      if (k === 'cpu' || k === 'memory' || k.startsWith('hugepages-')) result.set(k, v);
    }
  }
  add(result, resourceListAt(spec, 'overhead', path));
  return result;
}

// ---- scheduling constraints ----------------------------------------------

function tolerationsOf(spec: Obj, path: Path, notes: Notes): Toleration[] {
  return arrAt(spec, 'tolerations', path).map((t, i) => {
    const tp = [...path, 'tolerations', i];
    if (!isObj(t)) throw new DumpIssue(tp, 'expected a toleration object');
    const operator = strAt(t, 'operator', tp);
    if (operator !== undefined && operator !== 'Equal' && operator !== 'Exists') throw new DumpIssue([...tp, 'operator'], `expected Equal or Exists, got "${operator}"`);
    const effect = strAt(t, 'effect', tp);
    if (effect !== undefined && effect !== '' && effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') {
      throw new DumpIssue([...tp, 'effect'], `expected NoSchedule, PreferNoSchedule or NoExecute, got "${effect}"`);
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) notes.add('tolerations without their tolerationSeconds (not modelled per pod; simulation.nodeLifecycle.tolerationSeconds applies)');
    const key = strAt(t, 'key', tp);
    const value = strAt(t, 'value', tp);
    return {
      ...(key !== undefined && key !== '' ? { key } : {}),
      ...(operator !== undefined ? { operator } : {}),
      ...(value !== undefined && value !== '' ? { value } : {}),
      ...(effect !== undefined && effect !== '' ? { effect } : {}),
    } as Toleration;
  });
}

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function stringList(v: unknown, path: Path): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new DumpIssue(path, 'expected a list of strings');
  return v as string[];
}

function expressions(o: Obj, key: string, path: Path, operators: readonly string[]): { key: string; operator: string; values?: string[] }[] | undefined {
  const list = arrAt(o, key, path);
  if (list.length === 0) return undefined;
  return list.map((r, i) => {
    const rp = [...path, key, i];
    if (!isObj(r)) throw new DumpIssue(rp, 'expected a requirement object');
    const k = strAt(r, 'key', rp);
    const operator = strAt(r, 'operator', rp);
    if (k === undefined || k === '') throw new DumpIssue([...rp, 'key'], 'expected a key');
    if (operator === undefined || !operators.includes(operator)) throw new DumpIssue([...rp, 'operator'], `expected one of ${operators.join(', ')}`);
    const values = stringList(r.values, [...rp, 'values']);
    return { key: k, operator, ...(values !== undefined && values.length > 0 ? { values } : {}) };
  });
}

/**
 * A node selector term; matchFields (by node name) is not modelled, except
 * that `metadata.name In [one node]` — how the DaemonSet controller pins its
 * pods — is reported as `node`.
 */
function nodeTerm(t: unknown, path: Path, notes: Notes): { term: NodeSelectorTerm; node?: string | undefined } {
  if (!isObj(t)) throw new DumpIssue(path, 'expected a node selector term');
  let node: string | undefined;
  for (const f of arrAt(t, 'matchFields', path)) {
    if (isObj(f) && f.key === 'metadata.name' && f.operator === 'In' && Array.isArray(f.values) && f.values.length === 1 && typeof f.values[0] === 'string') {
      node = f.values[0];
    } else {
      notes.add('node affinity matchFields dropped (not modelled, apart from a DaemonSet pod\'s own node)');
    }
  }
  const matchExpressions = expressions(t, 'matchExpressions', path, NODE_OPERATORS) as NodeSelectorTerm['matchExpressions'];
  return { term: matchExpressions === undefined ? {} : { matchExpressions }, node };
}

function labelSelector(v: unknown, path: Path): LabelSelector | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new DumpIssue(path, 'expected a label selector');
  const matchLabels = stringMapAt(v, 'matchLabels', path);
  const matchExpressions = expressions(v, 'matchExpressions', path, LABEL_OPERATORS) as LabelSelector['matchExpressions'];
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions !== undefined ? { matchExpressions } : {}),
  };
}

function podTerm(t: unknown, path: Path, notes: Notes): PodAffinityTerm {
  if (!isObj(t)) throw new DumpIssue(path, 'expected a pod affinity term');
  const topologyKey = strAt(t, 'topologyKey', path);
  if (topologyKey === undefined || topologyKey === '') throw new DumpIssue([...path, 'topologyKey'], 'expected a topologyKey');
  const namespaces = stringList(t.namespaces, [...path, 'namespaces']);
  if (t.namespaceSelector !== undefined && t.namespaceSelector !== null) notes.add('pod affinity terms without their namespaceSelector (not modelled; the namespaces list, or the pod\'s own namespace, applies)');
  if (t.matchLabelKeys !== undefined || t.mismatchLabelKeys !== undefined) notes.add('pod affinity terms without matchLabelKeys/mismatchLabelKeys (not modelled)');
  const selector = labelSelector(t.labelSelector, [...path, 'labelSelector']);
  return {
    ...(selector !== undefined ? { labelSelector: selector } : {}),
    topologyKey,
    ...(namespaces !== undefined && namespaces.length > 0 ? { namespaces } : {}),
  };
}

function podAffinity(o: Obj | undefined, path: Path, notes: Notes): PodAffinity | undefined {
  if (o === undefined) return undefined;
  const required = arrAt(o, 'requiredDuringSchedulingIgnoredDuringExecution', path).map((t, i) =>
    podTerm(t, [...path, 'requiredDuringSchedulingIgnoredDuringExecution', i], notes),
  );
  const preferred = arrAt(o, 'preferredDuringSchedulingIgnoredDuringExecution', path).map((w, i) => {
    const wp = [...path, 'preferredDuringSchedulingIgnoredDuringExecution', i];
    if (!isObj(w)) throw new DumpIssue(wp, 'expected a weighted pod affinity term');
    const weight = intAt(w, 'weight', wp) ?? 1;
    return { weight, podAffinityTerm: podTerm(w.podAffinityTerm, [...wp, 'podAffinityTerm'], notes) };
  });
  if (required.length === 0 && preferred.length === 0) return undefined;
  return {
    ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

function affinityOf(spec: Obj, path: Path, notes: Notes): { affinity?: Affinity | undefined; daemonNode?: string | undefined } {
  const a = objAt(spec, 'affinity', path);
  if (a === undefined) return {};
  const ap = [...path, 'affinity'];
  let daemonNode: string | undefined;
  let nodeAffinity: Affinity['nodeAffinity'];
  const na = objAt(a, 'nodeAffinity', ap);
  if (na !== undefined) {
    const np = [...ap, 'nodeAffinity'];
    const req = objAt(na, 'requiredDuringSchedulingIgnoredDuringExecution', np);
    let terms: NodeSelectorTerm[] = [];
    if (req !== undefined) {
      const rp = [...np, 'requiredDuringSchedulingIgnoredDuringExecution'];
      terms = arrAt(req, 'nodeSelectorTerms', rp).map((t, i) => {
        const { term, node } = nodeTerm(t, [...rp, 'nodeSelectorTerms', i], notes);
        daemonNode ??= node;
        return term;
      });
      // A term left empty by dropping matchFields would match no node; drop it instead.
      terms = terms.filter((t) => t.matchExpressions !== undefined);
    }
    const preferred = arrAt(na, 'preferredDuringSchedulingIgnoredDuringExecution', np).map((w, i) => {
      const wp = [...np, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      if (!isObj(w)) throw new DumpIssue(wp, 'expected a preferred scheduling term');
      return { weight: intAt(w, 'weight', wp) ?? 1, preference: nodeTerm(w.preference, [...wp, 'preference'], notes).term };
    });
    if (terms.length > 0 || preferred.length > 0) {
      nodeAffinity = {
        ...(terms.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } : {}),
        ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
      };
    }
  }
  const pa = podAffinity(objAt(a, 'podAffinity', ap), [...ap, 'podAffinity'], notes);
  const paa = podAffinity(objAt(a, 'podAntiAffinity', ap), [...ap, 'podAntiAffinity'], notes);
  if (nodeAffinity === undefined && pa === undefined && paa === undefined) return { daemonNode };
  return {
    affinity: {
      ...(nodeAffinity !== undefined ? { nodeAffinity } : {}),
      ...(pa !== undefined ? { podAffinity: pa } : {}),
      ...(paa !== undefined ? { podAntiAffinity: paa } : {}),
    },
    daemonNode,
  };
}

function spreadOf(spec: Obj, path: Path): TopologySpreadConstraint[] | undefined {
  const list = arrAt(spec, 'topologySpreadConstraints', path);
  if (list.length === 0) return undefined;
  return list.map((c, i) => {
    const cp = [...path, 'topologySpreadConstraints', i];
    if (!isObj(c)) throw new DumpIssue(cp, 'expected a topology spread constraint');
    const maxSkew = intAt(c, 'maxSkew', cp);
    const topologyKey = strAt(c, 'topologyKey', cp);
    const when = strAt(c, 'whenUnsatisfiable', cp);
    if (maxSkew === undefined || topologyKey === undefined || (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway')) {
      throw new DumpIssue(cp, 'expected maxSkew, topologyKey and whenUnsatisfiable (DoNotSchedule or ScheduleAnyway)');
    }
    const minDomains = intAt(c, 'minDomains', cp);
    const nodeAffinityPolicy = strAt(c, 'nodeAffinityPolicy', cp);
    const nodeTaintsPolicy = strAt(c, 'nodeTaintsPolicy', cp);
    const matchLabelKeys = stringList(c.matchLabelKeys, [...cp, 'matchLabelKeys']);
    const selector = labelSelector(c.labelSelector, [...cp, 'labelSelector']);
    return {
      maxSkew,
      topologyKey,
      whenUnsatisfiable: when,
      ...(selector !== undefined ? { labelSelector: selector } : {}),
      ...(minDomains !== undefined ? { minDomains } : {}),
      ...(nodeAffinityPolicy === 'Honor' || nodeAffinityPolicy === 'Ignore' ? { nodeAffinityPolicy } : {}),
      ...(nodeTaintsPolicy === 'Honor' || nodeTaintsPolicy === 'Ignore' ? { nodeTaintsPolicy } : {}),
      ...(matchLabelKeys !== undefined && matchLabelKeys.length > 0 ? { matchLabelKeys } : {}),
    };
  });
}

function containersOf(spec: Obj, path: Path): { images: string[]; hostPorts: HostPort[] } {
  const images: string[] = [];
  const hostPorts: HostPort[] = [];
  arrAt(spec, 'containers', path).forEach((c, i) => {
    const cp = [...path, 'containers', i];
    if (!isObj(c)) return;
    const image = strAt(c, 'image', cp);
    if (image !== undefined && image !== '') images.push(image);
    arrAt(c, 'ports', cp).forEach((p, k) => {
      const pp = [...cp, 'ports', k];
      if (!isObj(p)) return;
      const port = intAt(p, 'hostPort', pp);
      if (port === undefined || port === 0) return;
      const protocol = strAt(p, 'protocol', pp) ?? 'TCP';
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new DumpIssue([...pp, 'protocol'], `expected TCP, UDP or SCTP, got "${protocol}"`);
      const hostIP = strAt(p, 'hostIP', pp);
      hostPorts.push({ port, protocol, hostIP: hostIP === undefined || hostIP === '' ? '0.0.0.0' : hostIP });
    });
  });
  return { images, hostPorts };
}

/** Converts a pod spec and its labels. Throws DumpIssue (with a path under `path`) on malformed input. */
export function podShape(metadata: Obj, spec: Obj, path: Path, notes: Notes): PodShape {
  const specPath = [...path, 'spec'];
  const labels = stringMapAt(metadata, 'labels', [...path, 'metadata']);
  for (const key of PER_POD_LABELS) delete labels[key];
  const priority = intAt(spec, 'priority', specPath) ?? 0;
  if (spec.priority === undefined && typeof spec.priorityClassName === 'string' && spec.priorityClassName !== '') {
    notes.add('pods with a priorityClassName but no resolved spec.priority (given priority 0)');
  }
  const policy = strAt(spec, 'preemptionPolicy', specPath);
  if (policy !== undefined && policy !== 'PreemptLowerPriority' && policy !== 'Never') {
    throw new DumpIssue([...specPath, 'preemptionPolicy'], `expected PreemptLowerPriority or Never, got "${policy}"`);
  }
  const grace = intAt(spec, 'terminationGracePeriodSeconds', specPath);
  const { affinity, daemonNode } = affinityOf(spec, specPath, notes);
  const { images, hostPorts } = containersOf(spec, specPath);
  if (arrAt(spec, 'volumes', specPath).some((v) => isObj(v) && (v.persistentVolumeClaim !== undefined || v.ephemeral !== undefined))) {
    notes.add('pods mounting PersistentVolumeClaims (volumes not imported: volume binding does not constrain them here)');
  }
  return {
    requests: effectiveRequests(spec, specPath, notes),
    priority,
    preemptionPolicy: policy,
    terminationGracePeriodSeconds: grace !== undefined && grace >= 0 ? grace : undefined,
    labels,
    nodeSelector: stringMapAt(spec, 'nodeSelector', specPath),
    tolerations: tolerationsOf(spec, specPath, notes),
    affinity,
    topologySpreadConstraints: spreadOf(spec, specPath),
    hostPorts: hostPorts.length > 0 ? hostPorts : undefined,
    images: images.length > 0 ? images : undefined,
    daemonNode,
  };
}
