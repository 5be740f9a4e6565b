/**
 * Labels, taints and tolerations with Kubernetes semantics
 * (k8s.io/api/core/v1 Taint and Toleration; ToleratesTaint in
 * k8s.io/component-helpers/scheduling/corev1).
 */
export type Labels = Readonly<Record<string, string>>;

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  readonly key: string;
  readonly value?: string | undefined;
  readonly effect: TaintEffect;
}

export interface Toleration {
  readonly key?: string | undefined;
  /** Absent or "" is Equal. */
  readonly operator?: 'Equal' | 'Exists' | '' | undefined;
  readonly value?: string | undefined;
  /** Absent or "" matches every effect. */
  readonly effect?: TaintEffect | '' | undefined;
}

/** Whether one toleration tolerates one taint (Toleration.ToleratesTaint: an empty effect matches every effect). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
  const operator = t.operator || 'Equal';
  // An empty key with Exists matches every taint.
  if (t.key === undefined || t.key === '') return operator === 'Exists';
  if (t.key !== taint.key) return false;
  return operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/**
 * Whether a pod with these tolerations may be placed on a node with these
 * taints: every NoSchedule or NoExecute taint must be tolerated
 * (PreferNoSchedule only affects scoring).
 */
export function toleratesAll(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return false;
  }
  return true;
}

/** Whether node labels satisfy a pod's nodeSelector (every pair equal). */
export function matchesSelector(selector: Labels, labels: Labels): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}
