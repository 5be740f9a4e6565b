/**
 * Label selectors with Kubernetes semantics (metav1.LabelSelector, turned
 * into a labels.Selector by LabelSelectorAsSelector in k8s.io/apimachinery):
 * matchLabels and matchExpressions are ANDed; an absent (nil) selector
 * matches nothing, an empty one `{}` matches everything. Also the shape of a
 * pod's topologySpreadConstraints, whose selectors these are.
 */
import type { Labels } from './labels.js';

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  /** In/NotIn: one or more values; Exists/DoesNotExist: none. */
  readonly values?: readonly string[] | undefined;
}

export interface LabelSelector {
  readonly matchLabels?: Labels | undefined;
  readonly matchExpressions?: readonly LabelSelectorRequirement[] | undefined;
}

export type UnsatisfiableConstraintAction = 'DoNotSchedule' | 'ScheduleAnyway';
export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** core/v1 TopologySpreadConstraint. */
export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: UnsatisfiableConstraintAction;
  /** Absent: matches no pod (not even the pod itself). */
  readonly labelSelector?: LabelSelector | undefined;
  /** Absent means 1. */
  readonly minDomains?: number | undefined;
  /** Absent means Honor: only nodes matching the pod's nodeSelector and required node affinity count. */
  readonly nodeAffinityPolicy?: NodeInclusionPolicy | undefined;
  /** Absent means Ignore: tainted nodes count too. */
  readonly nodeTaintsPolicy?: NodeInclusionPolicy | undefined;
  /** Keys whose values on the incoming pod are added to the selector (key = the pod's value). */
  readonly matchLabelKeys?: readonly string[] | undefined;
}

/** A parsed selector: requirements ANDed, or `null` for one that matches nothing. */
export interface Selector {
  readonly requirements: readonly LabelSelectorRequirement[] | null;
}

/** labels.Nothing(): what an absent LabelSelector becomes. */
export const NOTHING: Selector = { requirements: null };

/** LabelSelectorAsSelector: matchLabels become `key In [value]` requirements, followed by matchExpressions. */
export function selectorOf(selector: LabelSelector | undefined): Selector {
  if (selector === undefined) return NOTHING;
  const requirements: LabelSelectorRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push({ key, operator: 'In', values: [value] });
  for (const r of selector.matchExpressions ?? []) requirements.push(r);
  return { requirements };
}

/** labels.SelectorFromSet: every pair must be present with that value; an empty set matches everything. */
export function selectorFromSet(set: Labels): Selector {
  return selectorOf({ matchLabels: set });
}

/** Adds `key In [value]` for each pair of `set` (mergeLabelSetWithSelector); a selector that matches nothing stays so. */
export function withLabels(selector: Selector, set: Labels): Selector {
  if (selector.requirements === null) return selector;
  return { requirements: [...selectorFromSet(set).requirements!, ...selector.requirements] };
}

/** labels.Selector.Empty(): no requirements at all (matches everything). */
export function isEmptySelector(selector: Selector): boolean {
  return selector.requirements !== null && selector.requirements.length === 0;
}

function matchesRequirement(r: LabelSelectorRequirement, labels: Labels): boolean {
  // Own keys only, so a key such as "constructor" is not found on Object.prototype.
  const value = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
      return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Whether a set of labels satisfies every requirement. */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  if (selector.requirements === null) return false;
  for (const r of selector.requirements) if (!matchesRequirement(r, labels)) return false;
  return true;
}
