/**
 * Node affinity with Kubernetes semantics (k8s.io/api/core/v1 NodeAffinity;
 * matching as in k8s.io/component-helpers/scheduling/corev1/nodeaffinity):
 * required terms are ORed, the expressions inside a term are ANDed, an empty
 * term matches nothing; Gt and Lt compare integers.
 */
import type { Labels } from './labels.js';
import type { LabelSelector } from './label-selector.js';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values?: readonly string[] | undefined;
}

export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[] | undefined;
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] } | undefined;
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly PreferredSchedulingTerm[] | undefined;
}

/**
 * core/v1 PodAffinityTerm: the pods its selector matches in its namespaces,
 * per value of the node label `topologyKey`. No namespaces (absent or empty)
 * means the namespace of the pod the term belongs to; namespaceSelector is
 * not modelled.
 */
export interface PodAffinityTerm {
  /** Absent: matches no pod. */
  readonly labelSelector?: LabelSelector | undefined;
  readonly topologyKey: string;
  readonly namespaces?: readonly string[] | undefined;
}

export interface WeightedPodAffinityTerm {
  /** 1–100. */
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

/** core/v1 PodAffinity and PodAntiAffinity have this same shape. */
export interface PodAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[] | undefined;
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTerm[] | undefined;
}

export interface Affinity {
  readonly nodeAffinity?: NodeAffinity | undefined;
  readonly podAffinity?: PodAffinity | undefined;
  readonly podAntiAffinity?: PodAffinity | undefined;
}

/** Whether the affinity has any pod affinity or anti-affinity term. */
export function hasPodAffinityTerms(affinity: Affinity | undefined): boolean {
  if (affinity === undefined) return false;
  for (const a of [affinity.podAffinity, affinity.podAntiAffinity]) {
    if ((a?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0) return true;
    if ((a?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0) return true;
  }
  return false;
}

function matchesRequirement(r: NodeSelectorRequirement, labels: Labels): boolean {
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // One integer value on each side; anything else does not match.
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      const have = Number(value);
      const want = Number(values[0]);
      return r.operator === 'Gt' ? have > want : have < want;
    }
  }
}

/** Whether a term matches: every expression matches; a term without expressions matches nothing. */
export function matchesTerm(term: NodeSelectorTerm, labels: Labels): boolean {
  const exprs = term.matchExpressions ?? [];
  if (exprs.length === 0) return false;
  return exprs.every((r) => matchesRequirement(r, labels));
}

/** Whether the node's labels satisfy the pod's required node affinity (true when there is none). */
export function matchesRequiredAffinity(affinity: Affinity | undefined, labels: Labels): boolean {
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  return required.nodeSelectorTerms.some((t) => matchesTerm(t, labels));
}
