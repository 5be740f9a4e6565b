/**
 * InterPodAffinity (plugins/interpodaffinity/{filtering,scoring,plugin}.go, v1.34).
 *
 * A pod affinity term matches the pods its label selector matches in its
 * namespaces (by default, the namespace of the pod the term belongs to), and
 * applies per topology domain: the value of the node label `topologyKey`.
 *
 * Filter (required terms), in this order:
 *   1. every required affinity term's key is on the node (else
 *      UnschedulableAndUnresolvable), and its domain holds a pod matching
 *      all the terms; when no such pod is anywhere in a domain of the
 *      terms' keys and the pod matches all its own terms, it may go anywhere
 *      those keys exist (the first pod of a group);
 *   2. no required anti-affinity term finds a matching pod in the node's domain;
 *   3. no existing pod's required anti-affinity term that matches the
 *      incoming pod has that pod in the node's domain (symmetry).
 * Rejections 2 and 3 are Unschedulable.
 *
 * Score: per (key, value), Σ over existing pods of
 *   + w for each preferred affinity term of the incoming pod the pod matches,
 *   − w for each preferred anti-affinity term of the incoming pod it matches,
 *   + hardPodAffinityWeight for each of its required affinity terms the incoming pod matches,
 *   + w / − w for each of its preferred affinity / anti-affinity terms the incoming pod matches,
 * counted at its node's value of the term's key. A node's raw score is the
 * sum of the values of its labels; NormalizeScore maps [min, max] onto
 * [0, 100] (all 0 when min = max). Nothing counted: PreScore skips.
 *
 * Counting: the cluster keeps bound pods per group (namespace, labels and pod
 * affinity terms) and per domain of every key a term uses, so no cycle walks
 * the nodes: a term remembers which groups it matches, and an existing
 * group's terms are matched once against each kind of incoming pod.
 * namespaceSelector is not modelled (the scenario schema rejects it).
 */
import { z } from 'zod';
import type { NodeIndex } from '../../../core/ids.js';
import type { PodAffinity, PodAffinityTerm } from '../../../model/affinity.js';
import { selectorMatches, selectorOf } from '../../../model/label-selector.js';
import type { Selector } from '../../../model/label-selector.js';
import type { Labels } from '../../../model/labels.js';
import { EVENT_NODE_ADD, EVENT_POD_ADD, EVENT_POD_DELETE } from '../../types.js';
import type { KubeCluster, TrackedDomains } from '../cluster.js';
import { MAX_NODE_SCORE, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';
import type { KubePod } from '../pod.js';

export const NAME = 'InterPodAffinity';

/** Filter codes, one per upstream reason. */
const AFFINITY_NOT_MATCH = 1;
const ANTI_AFFINITY_NOT_MATCH = 2;
const EXISTING_ANTI_AFFINITY_NOT_MATCH = 3;

/** InterPodAffinityArgs (ValidateInterPodAffinityArgs: hardPodAffinityWeight in 0..100). */
export const argsSchema = z.strictObject({
  hardPodAffinityWeight: z.number().int().min(0).max(100).default(1),
  ignorePreferredTermsOfExistingPods: z.boolean().default(false),
});

/** One affinity term (upstream's AffinityTerm) with its weight, and the pods counted per value of its key. */
interface Term {
  readonly domains: TrackedDomains;
  readonly selector: Selector;
  readonly namespaces: readonly string[];
  readonly weight: number;
}

/** The terms of a pod, by kind. */
interface Terms {
  readonly requiredAffinity: readonly Term[];
  readonly requiredAnti: readonly Term[];
  readonly preferredAffinity: readonly Term[];
  readonly preferredAnti: readonly Term[];
}

/** An existing group's term that matches an incoming pod, with what it adds to a score (signed). */
interface GroupTerm {
  readonly group: number;
  readonly term: Term;
  readonly weight: number;
}

/** What one kind of incoming pod (affinity, labels, namespace) needs, kept up to date as groups appear. */
interface Incoming extends Terms {
  readonly namespace: string;
  readonly labels: Labels;
  /** Whether the pod matches all its own required affinity terms. */
  readonly selfMatchesAll: boolean;
  /** Groups matching every required affinity term (none when there are no such terms). */
  readonly allAffinity: number[];
  /** Per required anti-affinity / preferred term: the groups it matches. */
  readonly antiMatched: number[][];
  readonly preferredAffinityMatched: number[][];
  readonly preferredAntiMatched: number[][];
  /** How many of the cluster's groups, and of its affinity groups, have been checked. */
  checked: number;
  affinityChecked: number;
  /** Existing groups' required anti-affinity terms that match this pod. */
  readonly existingAnti: GroupTerm[];
  /** Existing groups' scored terms that match this pod: required affinity (hard weight), preferred (±w). */
  readonly existingScore: GroupTerm[];
}

/** One key's accumulated score per domain, for the current cycle. */
interface KeyScore {
  readonly domains: TrackedDomains;
  scores: Float64Array;
  cycle: number;
}

const NO_AFFINITY = {};

function termMatches(t: Term, namespace: string, labels: Labels): boolean {
  return t.namespaces.includes(namespace) && selectorMatches(t.selector, labels);
}

function matchesAll(terms: readonly Term[], namespace: string, labels: Labels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, namespace, labels)) return false;
  return true;
}

export const interPodAffinity: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const args = argsSchema.parse(rawArgs ?? {});
  const hardWeight = args.hardPodAffinityWeight;

  const byAffinity = new WeakMap<object, WeakMap<Labels, Map<string, Incoming>>>();
  /** Per group id: its terms (only for affinity groups, built on first use). */
  const groupTerms: (Terms | undefined)[] = [];
  const keyScores = new Map<TrackedDomains, KeyScore>();
  /** The keys scored this cycle. */
  const active: KeyScore[] = [];

  // Cycle state.
  let cur: Incoming | null = null;
  let affinityEmpty = true;
  let cycle = 0;
  let accumulated = false;

  function termOf(t: PodAffinityTerm, ownNamespace: string, weight: number): Term {
    const namespaces = t.namespaces !== undefined && t.namespaces.length > 0 ? t.namespaces : [ownNamespace];
    return { domains: cluster.trackDomains(t.topologyKey), selector: selectorOf(t.labelSelector), namespaces, weight };
  }

  function termsOf(affinity: PodAffinity | undefined, anti: PodAffinity | undefined, namespace: string): Terms {
    return {
      requiredAffinity: (affinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => termOf(t, namespace, 1)),
      requiredAnti: (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => termOf(t, namespace, 1)),
      preferredAffinity: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => termOf(w.podAffinityTerm, namespace, w.weight)),
      preferredAnti: (anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => termOf(w.podAffinityTerm, namespace, w.weight)),
    };
  }

  function incoming(pod: KubePod): Incoming {
    const key = pod.affinity ?? NO_AFFINITY;
    let byLabels = byAffinity.get(key);
    if (byLabels === undefined) {
      byLabels = new WeakMap();
      byAffinity.set(key, byLabels);
    }
    let byNamespace = byLabels.get(pod.labels);
    if (byNamespace === undefined) {
      byNamespace = new Map();
      byLabels.set(pod.labels, byNamespace);
    }
    let c = byNamespace.get(pod.namespace);
    if (c === undefined) {
      const terms = termsOf(pod.affinity?.podAffinity, pod.affinity?.podAntiAffinity, pod.namespace);
      c = {
        ...terms,
        namespace: pod.namespace,
        labels: pod.labels,
        selfMatchesAll: matchesAll(terms.requiredAffinity, pod.namespace, pod.labels),
        allAffinity: [],
        antiMatched: terms.requiredAnti.map(() => []),
        preferredAffinityMatched: terms.preferredAffinity.map(() => []),
        preferredAntiMatched: terms.preferredAnti.map(() => []),
        checked: 0,
        affinityChecked: 0,
        existingAnti: [],
        existingScore: [],
      };
      byNamespace.set(pod.namespace, c);
    }
    return c;
  }

  function termsOfGroup(g: number): Terms {
    let t = groupTerms[g];
    if (t === undefined) {
      const affinity = cluster.groupAffinity[g];
      t = termsOf(affinity?.podAffinity, affinity?.podAntiAffinity, cluster.groupNamespace[g]!);
      groupTerms[g] = t;
    }
    return t;
  }

  /** Brings an incoming pod's matches up to date with the groups the cluster has seen (groups are only ever added). */
  function refresh(c: Incoming): void {
    const total = cluster.groupCount;
    while (c.checked < total) {
      const g = c.checked++;
      const ns = cluster.groupNamespace[g]!;
      const labels = cluster.groupLabels[g]!;
      if (matchesAll(c.requiredAffinity, ns, labels)) c.allAffinity.push(g);
      for (let i = 0; i < c.requiredAnti.length; i++) if (termMatches(c.requiredAnti[i]!, ns, labels)) c.antiMatched[i]!.push(g);
      for (let i = 0; i < c.preferredAffinity.length; i++) if (termMatches(c.preferredAffinity[i]!, ns, labels)) c.preferredAffinityMatched[i]!.push(g);
      for (let i = 0; i < c.preferredAnti.length; i++) if (termMatches(c.preferredAnti[i]!, ns, labels)) c.preferredAntiMatched[i]!.push(g);
    }
    const groups = cluster.affinityGroups;
    while (c.affinityChecked < groups.length) {
      const g = groups[c.affinityChecked++]!;
      const terms = termsOfGroup(g);
      for (const term of terms.requiredAnti) if (termMatches(term, c.namespace, c.labels)) c.existingAnti.push({ group: g, term, weight: 0 });
      if (hardWeight > 0) {
        for (const term of terms.requiredAffinity) if (termMatches(term, c.namespace, c.labels)) c.existingScore.push({ group: g, term, weight: hardWeight });
      }
      for (const term of terms.preferredAffinity) if (termMatches(term, c.namespace, c.labels)) c.existingScore.push({ group: g, term, weight: term.weight });
      for (const term of terms.preferredAnti) if (termMatches(term, c.namespace, c.labels)) c.existingScore.push({ group: g, term, weight: -term.weight });
    }
  }

  /** Whether some pod of group g is bound to a node that has the key of `domains`. */
  function anyWithKey(domains: TrackedDomains, g: number): boolean {
    return cluster.groupPods[g]! - domains.podsByGroup[g]![domains.values.length]! > 0;
  }

  /** The pods of `groups` in domain d. */
  function podsIn(domains: TrackedDomains, groups: readonly number[], d: number): number {
    let sum = 0;
    for (let k = 0; k < groups.length; k++) sum += domains.podsByGroup[groups[k]!]![d]!;
    return sum;
  }

  /** The score table of a key for this cycle, zeroed when first used in it. */
  function scoreTable(domains: TrackedDomains): Float64Array {
    let ks = keyScores.get(domains);
    if (ks === undefined) {
      ks = { domains, scores: new Float64Array(domains.values.length), cycle: -1 };
      keyScores.set(domains, ks);
    }
    if (ks.cycle !== cycle) {
      ks.cycle = cycle;
      ks.scores.fill(0);
      active.push(ks);
    }
    return ks.scores;
  }

  /** Adds weight × (pods of group g) at each domain of `domains` that holds some (processTerm over the group's pods). */
  function accumulate(domains: TrackedDomains, g: number, weight: number): void {
    if (!anyWithKey(domains, g)) return;
    const counts = domains.podsByGroup[g]!;
    const scores = scoreTable(domains);
    for (let d = 0; d < domains.values.length; d++) {
      const c = counts[d]!;
      if (c > 0) scores[d]! += weight * c;
    }
    accumulated = true;
  }

  /**
   * Neither the pod nor any pod the cluster has seen carries a pod
   * (anti-)affinity term: nothing can be filtered or scored, so PreFilter and
   * PreScore skip (upstream's PreFilter and PreScore return Skip then too).
   */
  const nothingToDo = (pod: KubePod): boolean =>
    cluster.affinityGroups.length === 0 && pod.affinity?.podAffinity === undefined && pod.affinity?.podAntiAffinity === undefined;

  return {
    name: NAME,
    preFilterNeverRejects: true,

    preFilter(pod) {
      if (nothingToDo(pod)) return SKIP;
      const c = incoming(pod);
      refresh(c);
      cur = c;
      if (c.requiredAffinity.length === 0 && c.requiredAnti.length === 0 && c.existingAnti.length === 0) return SKIP;
      // affinityCounts is empty when no pod matching all the terms is on a node with any of the terms' keys.
      affinityEmpty = true;
      for (const t of c.requiredAffinity) {
        for (const g of c.allAffinity) {
          if (anyWithKey(t.domains, g)) {
            affinityEmpty = false;
            break;
          }
        }
        if (!affinityEmpty) break;
      }
      return SUCCESS;
    },

    filter(_pod, node) {
      const c = cur!;
      // satisfyPodAffinity
      let podsExist = true;
      for (const t of c.requiredAffinity) {
        const d = t.domains.of[node]!;
        if (d < 0) return AFFINITY_NOT_MATCH;
        if (podsExist && podsIn(t.domains, c.allAffinity, d) <= 0) podsExist = false;
      }
      if (!podsExist && !(affinityEmpty && c.selfMatchesAll)) return AFFINITY_NOT_MATCH;
      // satisfyPodAntiAffinity
      for (let i = 0; i < c.requiredAnti.length; i++) {
        const t = c.requiredAnti[i]!;
        const d = t.domains.of[node]!;
        if (d >= 0 && podsIn(t.domains, c.antiMatched[i]!, d) > 0) return ANTI_AFFINITY_NOT_MATCH;
      }
      // satisfyExistingPodsAntiAffinity
      for (const { group, term } of c.existingAnti) {
        const d = term.domains.of[node]!;
        if (d >= 0 && term.domains.podsByGroup[group]![d]! > 0) return EXISTING_ANTI_AFFINITY_NOT_MATCH;
      }
      return SUCCESS;
    },

    unresolvable: (code) => code === AFFINITY_NOT_MATCH,

    // EventsToRegister: Pod/Add, Delete (and label updates, which do not happen here) and Node/Add |
    // UpdateNodeLabel. isSchedulableAfterPodChange queues for an added pod that matches all the pod's
    // required affinity terms, or a deleted one that matches all its required anti-affinity terms (the
    // existing pods' anti-affinity is not consulted); isSchedulableAfterNodeChange for an added node with
    // the key of a required affinity term, or any added node when the pod has required anti-affinity.
    events: { queue: 0, hint: EVENT_POD_ADD | EVENT_POD_DELETE | EVENT_NODE_ADD },
    queueingHint(pod, event) {
      const c = incoming(pod);
      const other = event.pod;
      if (event.kind === EVENT_POD_ADD) return other === undefined || matchesAll(c.requiredAffinity, other.tenant, other.labels);
      if (event.kind === EVENT_POD_DELETE) return other === undefined || matchesAll(c.requiredAnti, other.tenant, other.labels);
      for (const t of c.requiredAffinity) if (t.domains.of[event.node]! >= 0) return true;
      return c.requiredAnti.length > 0;
    },
    reason: (code) =>
      code === AFFINITY_NOT_MATCH
        ? "node(s) didn't match pod affinity rules"
        : code === ANTI_AFFINITY_NOT_MATCH
          ? "node(s) didn't match pod anti-affinity rules"
          : "node(s) didn't satisfy existing pods anti-affinity rules",

    preScore(pod) {
      if (nothingToDo(pod)) return SKIP;
      const c = incoming(pod);
      refresh(c);
      cur = c;
      const hasPreferred = c.preferredAffinity.length > 0 || c.preferredAnti.length > 0;
      if (args.ignorePreferredTermsOfExistingPods && !hasPreferred) return SKIP;
      cycle++;
      active.length = 0;
      accumulated = false;
      for (let i = 0; i < c.preferredAffinity.length; i++) {
        const t = c.preferredAffinity[i]!;
        for (const g of c.preferredAffinityMatched[i]!) accumulate(t.domains, g, t.weight);
      }
      for (let i = 0; i < c.preferredAnti.length; i++) {
        const t = c.preferredAnti[i]!;
        for (const g of c.preferredAntiMatched[i]!) accumulate(t.domains, g, -t.weight);
      }
      for (const { group, term, weight } of c.existingScore) accumulate(term.domains, group, weight);
      return accumulated ? SUCCESS : SKIP;
    },

    score(_pod, node: NodeIndex) {
      let score = 0;
      for (let k = 0; k < active.length; k++) {
        const ks = active[k]!;
        const d = ks.domains.of[node]!;
        if (d >= 0) score += ks.scores[d]!;
      }
      return score;
    },

    normalizeScore(_pod, scores, _nodes, count) {
      let min = Infinity;
      let max = -Infinity;
      for (let k = 0; k < count; k++) {
        const s = scores[k]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      const diff = max - min;
      for (let k = 0; k < count; k++) scores[k] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[k]! - min) / diff)) : 0;
    },
  };
};
