/**
 * PodTopologySpread (plugins/podtopologyspread/{common,filtering,scoring}.go, v1.34).
 *
 * A constraint counts the pods its selector matches in the incoming pod's
 * namespace, per topology domain (value of the node label `topologyKey`).
 *
 * Filter (DoNotSchedule constraints). PreFilter counts over every node that
 * has all the constraints' keys and passes the constraint's inclusion
 * policies (nodeAffinityPolicy, default Honor: the pod's nodeSelector and
 * required node affinity; nodeTaintsPolicy, default Ignore). A node passes
 *   count(its domain) + [pod matches the selector] − min ≤ maxSkew
 * where min is the smallest count over the domains seen, or 0 while fewer than
 * minDomains domains are seen. A node without the key is
 * UnschedulableAndUnresolvable; too much skew is Unschedulable.
 *
 * Score (ScheduleAnyway constraints), over the feasible nodes:
 *   raw = round(Σ over constraints whose key the node has: count · ln(size + 2) + maxSkew − 1)
 *   normalized = ⌊100 · (max + min − raw) / max⌋, 100 for all when max = 0
 * For the hostname key, count is the node's own matching pods and size the
 * number of feasible nodes not ignored; for other keys, count is the domain's
 * matching pods over all nodes and size the number of domains among the
 * feasible nodes. With the pod's own constraints (or List defaulting),
 * feasible nodes lacking a key are ignored: raw 0, normalized 0.
 *
 * A pod without constraints of its own gets the default constraints, with its
 * DefaultSelector as selector, unless that selector is empty. The System
 * defaults are hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway, so
 * they only score; pluginConfig `defaultingType: List` with
 * `defaultConstraints` replaces them.
 *
 * Counting: the cluster keeps bound pods per (namespace, labels) group and
 * node, and per group and domain for the keys constraints use; a constraint
 * remembers which groups its selector matches. A domain's count is then a sum
 * over those groups, and PreFilter/PreScore walk the nodes only for a
 * DoNotSchedule hostname constraint, or when an inclusion policy or a node
 * lacking another constraint's key excludes some (upstream walks every node
 * every cycle). Terminating pods are not counted (countPodsMatchSelector
 * bypasses a pod with a deletionTimestamp): their groups are never matched.
 */
import { z } from 'zod';
import type { NodeIndex } from '../../../core/ids.js';
import { matchesRequiredAffinity } from '../../../model/affinity.js';
import { isEmptySelector, selectorFromSet, selectorMatches, selectorOf, withLabels } from '../../../model/label-selector.js';
import type { Selector, TopologySpreadConstraint } from '../../../model/label-selector.js';
import { matchesSelector, toleratesAll } from '../../../model/labels.js';
import type { Labels, Taint } from '../../../model/labels.js';
import { spreadConstraintFields, withSpreadRules } from '../../../model/pod-schema.js';
import { EVENT_NODE_ADD, EVENT_NODE_TAINT, EVENT_POD_ADD, EVENT_POD_DELETE } from '../../types.js';
import type { KubeCluster, TopologyDomains, TrackedDomains } from '../cluster.js';
import { MAX_NODE_SCORE, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';
import type { KubePod } from '../pod.js';

export const NAME = 'PodTopologySpread';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** Filter codes: the node lacks a constraint's key (UnschedulableAndUnresolvable); the skew is too large (Unschedulable). */
const MISSING_LABEL = 1;
const TOO_MUCH_SKEW = 2;

/** The taint a cordoned node carries (the node lifecycle controller adds it for spec.unschedulable). */
const CORDONED: readonly Taint[] = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }];

const defaultConstraint = withSpreadRules(z.strictObject(spreadConstraintFields));

/**
 * PodTopologySpreadArgs (ValidatePodTopologySpreadArgs): default constraints
 * take no labelSelector (it is the pod's DefaultSelector), and System
 * defaulting takes no list.
 */
export const argsSchema = z
  .strictObject({
    defaultConstraints: z.array(defaultConstraint).default([]),
    defaultingType: z.enum(['System', 'List']).default('System'),
  })
  .refine((a) => a.defaultingType === 'List' || a.defaultConstraints.length === 0, {
    message: 'defaultConstraints must be empty when defaultingType is System',
    path: ['defaultConstraints'],
  })
  .refine((a) => new Set(a.defaultConstraints.map((c) => `${c.topologyKey}\u0000${c.whenUnsatisfiable}`)).size === a.defaultConstraints.length, {
    message: 'two default constraints with the same topologyKey and whenUnsatisfiable',
    path: ['defaultConstraints'],
  });

/** systemDefaultConstraints (plugin.go). */
const SYSTEM_DEFAULTS: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway' },
];

/** One constraint as applied to one pod (upstream's topologySpreadConstraint), and the pod groups its selector matches. */
interface Spread {
  readonly hostname: boolean;
  readonly domains: TopologyDomains;
  /** The same domains with pods counted per domain by the cluster (all keys but the hostname, whose domains are nodes). */
  readonly tracked: TrackedDomains | null;
  /** Whether every node with this constraint's key has the keys of all the constraints it is applied with. */
  aligned: boolean;
  readonly maxSkew: number;
  readonly minDomains: number;
  readonly honorAffinity: boolean;
  readonly honorTaints: boolean;
  readonly selector: Selector;
  /** Whether the selector matches the incoming pod itself. */
  readonly selfMatch: number;
  /** An empty selector counts no pods (countPodsMatchSelector), though it matches the pod itself. */
  readonly countsNothing: boolean;
  /** The groups matched so far, and how many of the cluster's groups have been checked. */
  matched: Int32Array;
  matchedCount: number;
  checked: number;
}

/** A pod's constraints, kept per pod template (they depend only on what the template fixes). */
interface Compiled {
  readonly namespace: string;
  readonly labels: Labels;
  readonly hard: readonly Spread[];
  readonly soft: readonly Spread[];
  /** Whether these are the pod's own constraints rather than defaults. */
  readonly own: boolean;
}

/** Per-cycle counts of one constraint, per domain. */
interface Counts {
  counts: Float64Array;
  seen: Uint8Array;
  min: number;
}

const NONE: Compiled = { namespace: '', labels: {}, hard: [], soft: [], own: false };

export const podTopologySpread: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const args = argsSchema.parse(rawArgs ?? {});
  const systemDefaulted = args.defaultingType === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULTS : args.defaultConstraints;
  const nodes = cluster.view.nodes;
  const n = cluster.view.nodeCount;
  const groups = cluster.podsByGroup;
  const anyHardTaint = nodes.some((node) => node.unschedulable || node.taints.some((t) => t.effect !== 'PreferNoSchedule'));

  const byConstraints = new WeakMap<object, Compiled>();
  const byDefaultSelector = new WeakMap<object, Compiled>();

  // Inclusion masks (node passes the pod's required node affinity / tolerates its taints), kept while the pod's selectors are the same objects.
  const affinityMask = new Uint8Array(n);
  const taintMask = new Uint8Array(n);
  let useAffinityMask = false;
  let useTaintMask = false;
  let maskSelector: object | undefined;
  let maskAffinity: object | undefined;
  let maskTolerations: object | undefined;

  // Cycle state: the hard constraints and their counts (PreFilter → Filter); the soft ones, their counts and weights, and the ignored nodes (PreScore → Score → NormalizeScore).
  let hard: readonly Spread[] = [];
  let soft: readonly Spread[] = [];
  const hardCounts: Counts[] = [];
  const softCounts: Counts[] = [];
  let weights = new Float64Array(2);
  const ignoredIn = new Int32Array(n);
  let cycle = 0;

  function spreadOf(c: TopologySpreadConstraint, selector: Selector, podLabels: Labels): Spread {
    const hostname = c.topologyKey === HOSTNAME;
    const tracked = hostname ? null : cluster.trackDomains(c.topologyKey);
    return {
      hostname,
      domains: tracked ?? cluster.domains(c.topologyKey),
      tracked,
      aligned: false,
      maxSkew: c.maxSkew,
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      selector,
      selfMatch: selectorMatches(selector, podLabels) ? 1 : 0,
      countsNothing: selector.requirements === null || isEmptySelector(selector),
      matched: new Int32Array(4),
      matchedCount: 0,
      checked: 0,
    };
  }

  /** filterTopologySpreadConstraints: matchLabelKeys add the pod's values of those keys to the selector. */
  function ownSelector(c: TopologySpreadConstraint, podLabels: Labels): Selector {
    const selector = selectorOf(c.labelSelector);
    if (c.matchLabelKeys === undefined || c.matchLabelKeys.length === 0) return selector;
    const set: Record<string, string> = {};
    let any = false;
    for (const key of c.matchLabelKeys) {
      if (Object.hasOwn(podLabels, key)) {
        set[key] = podLabels[key]!;
        any = true;
      }
    }
    return any ? withLabels(selector, set) : selector;
  }

  function compile(pod: KubePod, constraints: readonly TopologySpreadConstraint[], selectorFor: (c: TopologySpreadConstraint) => Selector, own: boolean): Compiled {
    const hard: Spread[] = [];
    const soft: Spread[] = [];
    for (const c of constraints) (c.whenUnsatisfiable === 'DoNotSchedule' ? hard : soft).push(spreadOf(c, selectorFor(c), pod.labels));
    for (const set of [hard, soft]) {
      for (const s of set) {
        s.aligned = true;
        for (let node = 0; node < n && s.aligned; node++) if (s.domains.of[node]! >= 0 && !hasAllKeys(set, node)) s.aligned = false;
      }
    }
    return { namespace: pod.namespace, labels: pod.labels, hard, soft, own };
  }

  function compiled(pod: KubePod): Compiled {
    const own = pod.topologySpreadConstraints;
    if (own.length > 0) {
      const hit = byConstraints.get(own);
      if (hit !== undefined && hit.labels === pod.labels && hit.namespace === pod.namespace) return hit;
      const result = compile(pod, own, (c) => ownSelector(c, pod.labels), true);
      byConstraints.set(own, result);
      return result;
    }
    // buildDefaultConstraints: no defaults for a pod nothing selects.
    if (defaults.length === 0) return NONE;
    let empty = true;
    for (const _ in pod.defaultSelector) {
      empty = false;
      break;
    }
    if (empty) return NONE;
    const hit = byDefaultSelector.get(pod.defaultSelector);
    if (hit !== undefined && hit.labels === pod.labels && hit.namespace === pod.namespace) return hit;
    const selector = selectorFromSet(pod.defaultSelector);
    const result = compile(pod, defaults, () => selector, false);
    byDefaultSelector.set(pod.defaultSelector, result);
    return result;
  }

  /** Brings a constraint's matched groups up to date with the groups the cluster has seen (groups are only ever added). */
  function refreshGroups(s: Spread, namespace: string): void {
    const total = cluster.groupCount;
    if (s.countsNothing) {
      s.checked = total;
      return;
    }
    while (s.checked < total) {
      const g = s.checked++;
      if (cluster.groupTerminating[g] === true || cluster.groupNamespace[g] !== namespace || !selectorMatches(s.selector, cluster.groupLabels[g]!)) continue;
      if (s.matchedCount === s.matched.length) {
        const grown = new Int32Array(s.matched.length * 2);
        grown.set(s.matched);
        s.matched = grown;
      }
      s.matched[s.matchedCount++] = g;
    }
  }

  /** countPodsMatchSelector on one node. */
  function podsOn(s: Spread, node: number): number {
    let sum = 0;
    for (let k = 0; k < s.matchedCount; k++) sum += groups[s.matched[k]!]![node]!;
    return sum;
  }

  /** Readies the groups and inclusion masks the constraints need for this pod. */
  function prepare(pod: KubePod, spreads: readonly Spread[]): void {
    let honorAffinity = false;
    let honorTaints = false;
    for (const s of spreads) {
      refreshGroups(s, pod.namespace);
      if (s.honorAffinity) honorAffinity = true;
      if (s.honorTaints) honorTaints = true;
    }
    let hasSelector = false;
    for (const _ in pod.nodeSelector) {
      hasSelector = true;
      break;
    }
    useAffinityMask = honorAffinity && (hasSelector || pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined);
    if (useAffinityMask && (maskSelector !== pod.nodeSelector || maskAffinity !== pod.affinity)) {
      for (let i = 0; i < n; i++) {
        const labels = nodes[i]!.labels;
        affinityMask[i] = matchesSelector(pod.nodeSelector, labels) && matchesRequiredAffinity(pod.affinity, labels) ? 1 : 0;
      }
      maskSelector = pod.nodeSelector;
      maskAffinity = pod.affinity;
    }
    useTaintMask = honorTaints && anyHardTaint;
    if (useTaintMask && maskTolerations !== pod.tolerations) {
      for (let i = 0; i < n; i++) {
        const node = nodes[i]!;
        taintMask[i] = toleratesAll(pod.tolerations, node.taints) && (!node.unschedulable || toleratesAll(pod.tolerations, CORDONED)) ? 1 : 0;
      }
      maskTolerations = pod.tolerations;
    }
  }

  /** matchNodeInclusionPolicies. */
  function included(s: Spread, node: number): boolean {
    if (s.honorAffinity && useAffinityMask && affinityMask[node] === 0) return false;
    if (s.honorTaints && useTaintMask && taintMask[node] === 0) return false;
    return true;
  }

  /**
   * Whether a constraint's domain counts are the cluster's per-domain sums:
   * it has them (not the hostname), no inclusion policy excludes a node this
   * cycle, and no node with its key is left out for lacking another key.
   */
  function fromDomainSums(s: Spread, keysMatter: boolean): boolean {
    if (s.tracked === null || (keysMatter && !s.aligned)) return false;
    return !((s.honorAffinity && useAffinityMask) || (s.honorTaints && useTaintMask));
  }

  /** Σ over the matched groups of their pods in domain slot d. */
  function podsIn(s: Spread, d: number): number {
    const perGroup = s.tracked!.podsByGroup;
    let sum = 0;
    for (let k = 0; k < s.matchedCount; k++) sum += perGroup[s.matched[k]!]![d]!;
    return sum;
  }

  /** nodeLabelsMatchSpreadConstraints: the node has every constraint's key. */
  function hasAllKeys(spreads: readonly Spread[], node: number): boolean {
    for (let i = 0; i < spreads.length; i++) if (spreads[i]!.domains.of[node]! < 0) return false;
    return true;
  }

  /** Zeroed per-domain counts for the i-th constraint of a cycle. */
  function countsFor(pool: Counts[], i: number, domains: number): Counts {
    let c = pool[i];
    if (c === undefined || c.counts.length < domains) {
      c = { counts: new Float64Array(domains), seen: new Uint8Array(domains), min: 0 };
      pool[i] = c;
    } else {
      c.counts.fill(0, 0, domains);
      c.seen.fill(0, 0, domains);
    }
    return c;
  }

  return {
    name: NAME,
    preFilterNeverRejects: true,

    // calPreFilterState: counts per domain over all nodes, and the smallest count per constraint.
    preFilter(pod) {
      hard = compiled(pod).hard;
      if (hard.length === 0) return SKIP;
      prepare(pod, hard);
      let walk = false;
      for (let i = 0; i < hard.length; i++) {
        const s = hard[i]!;
        const domains = s.domains.values.length;
        const c = countsFor(hardCounts, i, domains);
        if (fromDomainSums(s, true)) {
          // Every node with the key counts: a domain is seen when some node has its value.
          for (let d = 0; d < domains; d++) {
            if (s.domains.nodes[d] === 0) continue;
            c.seen[d] = 1;
            c.counts[d] = podsIn(s, d);
          }
        } else {
          walk = true;
        }
      }
      for (let node = 0; walk && node < n; node++) {
        if (!hasAllKeys(hard, node)) continue;
        for (let i = 0; i < hard.length; i++) {
          const s = hard[i]!;
          if (fromDomainSums(s, true) || !included(s, node)) continue;
          const d = s.domains.of[node]!;
          const c = hardCounts[i]!;
          c.seen[d] = 1;
          c.counts[d]! += podsOn(s, node);
        }
      }
      for (let i = 0; i < hard.length; i++) {
        const s = hard[i]!;
        const c = hardCounts[i]!;
        let min = Infinity;
        let seen = 0;
        for (let d = 0; d < s.domains.values.length; d++) {
          if (c.seen[d] === 0) continue;
          seen++;
          if (c.counts[d]! < min) min = c.counts[d]!;
        }
        // minMatchNum: with fewer domains than minDomains, the global minimum counts as 0.
        c.min = seen < s.minDomains ? 0 : min;
      }
      return SUCCESS;
    },

    filter(_pod, node) {
      for (let i = 0; i < hard.length; i++) {
        const s = hard[i]!;
        const d = s.domains.of[node]!;
        if (d < 0) return MISSING_LABEL;
        const c = hardCounts[i]!;
        if (c.counts[d]! + s.selfMatch - c.min > s.maxSkew) return TOO_MUCH_SKEW;
      }
      return SUCCESS;
    },

    unresolvable: (code) => code === MISSING_LABEL,

    // EventsToRegister: Pod/Add, Delete (and label or toleration updates, which do not happen here), and
    // Node/Add, Delete, UpdateNodeLabel, UpdateNodeTaint. The hints read the pod's DoNotSchedule constraints
    // (getConstraints): isSchedulableAfterPodChange queues for an assigned pod of the same namespace that some
    // constraint's selector matches; isSchedulableAfterNodeChange for a node added with every constraint's key,
    // or such a node whose taints changed.
    events: { queue: 0, hint: EVENT_POD_ADD | EVENT_POD_DELETE | EVENT_NODE_ADD | EVENT_NODE_TAINT },
    queueingHint(pod, event) {
      const constraints = compiled(pod).hard;
      const other = event.pod;
      if (event.kind === EVENT_POD_ADD || event.kind === EVENT_POD_DELETE) {
        if (other === undefined) return true;
        if (other.tenant !== pod.namespace) return false;
        for (const s of constraints) if (selectorMatches(s.selector, other.labels)) return true;
        return false;
      }
      return hasAllKeys(constraints, event.node);
    },
    reason: (code) =>
      code === MISSING_LABEL ? "node(s) didn't match pod topology spread constraints (missing required label)" : "node(s) didn't match pod topology spread constraints",

    // initPreScoreState and the count over all nodes.
    preScore(pod, feasible, count) {
      const c = compiled(pod);
      soft = c.soft;
      if (count === 0 || soft.length === 0) return SKIP;
      cycle++;
      // Only the system defaults let nodes without a key in: they spread by hostname even where no zone label is set.
      const requireAll = c.own || !systemDefaulted;
      prepare(pod, soft);
      if (weights.length < soft.length) weights = new Float64Array(soft.length);
      // Hostname counts are each node's own, taken in Score.
      for (let i = 0; i < soft.length; i++) countsFor(softCounts, i, soft[i]!.hostname ? 0 : soft[i]!.domains.values.length);
      let ignored = 0;
      for (let k = 0; k < count; k++) {
        const node = feasible[k]!;
        if (requireAll && !hasAllKeys(soft, node)) {
          ignoredIn[node] = cycle;
          ignored++;
          continue;
        }
        for (let i = 0; i < soft.length; i++) {
          const s = soft[i]!;
          if (s.hostname) continue;
          // A node without the label is in the domain "" (possible only with the system defaults).
          const d = Math.max(s.domains.of[node]!, 0);
          softCounts[i]!.seen[d] = 1;
        }
      }
      for (let i = 0; i < soft.length; i++) {
        const s = soft[i]!;
        let size = 0;
        if (s.hostname) size = count - ignored;
        else for (let d = 0; d < s.domains.values.length; d++) size += softCounts[i]!.seen[d]!;
        weights[i] = Math.log(size + 2);
      }
      let walk = false;
      for (let i = 0; i < soft.length; i++) {
        const s = soft[i]!;
        if (s.hostname) continue;
        if (!fromDomainSums(s, requireAll)) {
          walk = true;
          continue;
        }
        const sc = softCounts[i]!;
        const domains = s.domains.values.length;
        for (let d = 0; d < domains; d++) if (sc.seen[d] === 1) sc.counts[d] = podsIn(s, d);
        // Without requireAll, nodes lacking the label count in the domain "".
        if (!requireAll && sc.seen[0] === 1) sc.counts[0]! += podsIn(s, domains);
      }
      for (let node = 0; walk && node < n; node++) {
        if (requireAll && !hasAllKeys(soft, node)) continue;
        for (let i = 0; i < soft.length; i++) {
          const s = soft[i]!;
          if (s.hostname || fromDomainSums(s, requireAll) || !included(s, node)) continue;
          const d = Math.max(s.domains.of[node]!, 0);
          const sc = softCounts[i]!;
          if (sc.seen[d] === 1) sc.counts[d]! += podsOn(s, node);
        }
      }
      return SUCCESS;
    },

    score(_pod, node: NodeIndex) {
      if (ignoredIn[node] === cycle) return 0;
      let score = 0;
      for (let i = 0; i < soft.length; i++) {
        const s = soft[i]!;
        const d = s.domains.of[node]!;
        if (d < 0) continue;
        const count = s.hostname ? podsOn(s, node) : softCounts[i]!.counts[d]!;
        score += count * weights[i]! + (s.maxSkew - 1);
      }
      // math.Round: halves away from zero.
      return Math.sign(score) * Math.round(Math.abs(score));
    },

    normalizeScore(_pod, scores, feasible, count) {
      let min = Infinity;
      let max = 0;
      for (let k = 0; k < count; k++) {
        if (ignoredIn[feasible[k]!] === cycle) continue;
        const s = scores[k]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      for (let k = 0; k < count; k++) {
        if (ignoredIn[feasible[k]!] === cycle) scores[k] = 0;
        else if (max === 0) scores[k] = MAX_NODE_SCORE;
        else scores[k] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[k]!)) / max);
      }
    },
  };
};
