/**
 * The pod as the kube plugins see it: effective requests computed as
 * kube-scheduler computes them, plus the "non-zero" CPU and memory used for
 * scoring (component-helpers/resource PodRequests; scheduler util
 * GetNonzeroRequests).
 */
import type { Affinity } from '../../model/affinity.js';
import type { HostPort } from '../../model/container.js';
import type { Labels, Toleration } from '../../model/labels.js';
import type { TopologySpreadConstraint } from '../../model/label-selector.js';
import { CPU, MEMORY } from '../../model/resources.js';
import type { ResourceSpace } from '../../model/resources.js';
import type { PodTemplate } from '../../workload/pod.js';

/** DefaultMilliCPURequest: a container without a CPU request counts as 100m when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** DefaultMemoryRequest: a container without a memory request counts as 200Mi when scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface KubePod {
  /** Effective requests, no defaults (what Filter and BalancedAllocation use). */
  requests: Float64Array;
  /** CPU and memory with the per-container defaults for missing requests (what NodeResourcesFit scoring uses). */
  nonZeroCpu: number;
  nonZeroMemory: number;
  priority: number;
  labels: Labels;
  nodeSelector: Labels;
  tolerations: readonly Toleration[];
  /** spec.affinity: node affinity, pod affinity and pod anti-affinity. */
  affinity: Affinity | undefined;
  /** spec.nodeName, or '' when unset. */
  nodeName: string;
  /** metadata.namespace: rackbench uses the pod's tenant. */
  namespace: string;
  /** spec.topologySpreadConstraints (empty when none). */
  topologySpreadConstraints: readonly TopologySpreadConstraint[];
  /**
   * helper.DefaultSelector: the labels by which the pod's owner (and any
   * Service) selects it, which default topology spread constraints count
   * pods with. Empty when nothing selects the pod. See defaultSelectorOf.
   */
  defaultSelector: Labels;
  /** The host ports its containers want (empty when none). */
  hostPorts: readonly HostPort[];
  /** Its containers' images, one per container (empty when none is named). */
  images: readonly string[];
  /** spec.preemptionPolicy. */
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  /** The simulator's handle of the pod (see PodView.slot), −1 when it has none: it keys the pod's nomination. */
  slot: number;
  /** Its claim set in the cluster's LocalVolumes (see PodView.volumeSet), −1 when it claims no volume. */
  volumeSet: number;
  /** Its container's limits per dimension (Infinity: none), or undefined for none at all. */
  limits: Float64Array | undefined;
}

/** A KubePod with no requests, labels or constraints, then `fields` on top: the one place that lists every default. */
export function makeKubePod(fields: Partial<KubePod> = {}): KubePod {
  return {
    requests: new Float64Array(0),
    nonZeroCpu: 0,
    nonZeroMemory: 0,
    priority: 0,
    labels: {},
    nodeSelector: {},
    tolerations: [],
    affinity: undefined,
    nodeName: '',
    namespace: 'default',
    topologySpreadConstraints: [],
    defaultSelector: {},
    hostPorts: [],
    images: [],
    preemptionPolicy: 'PreemptLowerPriority',
    slot: -1,
    volumeSet: -1,
    limits: undefined,
    ...fields,
  };
}

const NO_LABELS: Labels = Object.freeze({});

/**
 * The DefaultSelector of a simulator pod. Upstream merges the selectors of
 * the Services, ReplicationControllers, ReplicaSets and StatefulSets that
 * select the pod. rackbench models a service's replicas as the pods of one
 * Deployment/ReplicaSet whose selector is the template's labels; job, stream
 * and trace pods have no such owner (a Job's selector is not among those
 * upstream consults) and no Service, so their selector is empty and default
 * spreading does not apply to them.
 */
export function defaultSelectorOf(kind: PodTemplate['kind'], labels: Labels): Labels {
  return kind === 'service' ? labels : NO_LABELS;
}

/**
 * Whether pods of templates `a` and `b` fill the same KubePod but for their
 * requests, slot and claims: every template field a KubePod is made from is
 * the same (the same objects; a trace makes one template per owner with
 * shared labels and constraints). False when in doubt.
 */
export function sameKubeSpec(a: PodTemplate, b: PodTemplate): boolean {
  return (
    a === b ||
    (a.priority === b.priority &&
      a.labels === b.labels &&
      a.nodeSelector === b.nodeSelector &&
      a.tolerations === b.tolerations &&
      a.affinity === b.affinity &&
      a.tenant === b.tenant &&
      a.topologySpreadConstraints === b.topologySpreadConstraints &&
      a.kind === b.kind &&
      a.hostPorts === b.hostPorts &&
      a.images === b.images &&
      a.preemptionPolicy === b.preemptionPolicy &&
      a.limits === b.limits &&
      a.missingRequests === b.missingRequests)
  );
}

/**
 * The template fields sameKubeSpec compares, as a list: templates whose lists
 * hold the same values (objects by identity) are the same spec. Keep the two
 * in step.
 */
export function kubeSpecFields(t: PodTemplate): readonly unknown[] {
  return [t.priority, t.labels, t.nodeSelector, t.tolerations, t.affinity, t.tenant, t.topologySpreadConstraints, t.kind, t.hostPorts, t.images, t.preemptionPolicy, t.limits, t.missingRequests];
}

/** A container's requests by resource name; an absent name is a missing request, 0 an explicit zero. */
export interface ContainerSpec {
  readonly requests?: Readonly<Record<string, number>> | undefined;
  /** `Always` marks a restartable init container (a sidecar). */
  readonly restartPolicy?: 'Always' | undefined;
}

export interface PodResources {
  readonly requests: Float64Array;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
}

function add(into: Float64Array, space: ResourceSpace, requests: Readonly<Record<string, number>> | undefined, nonZero: boolean): void {
  for (const [name, v] of Object.entries(requests ?? {})) {
    const d = space.indexOf(name);
    if (d !== undefined) into[d]! += v;
  }
  if (nonZero) {
    if (requests?.cpu === undefined) into[CPU]! += DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.memory === undefined) into[MEMORY]! += DEFAULT_MEMORY_REQUEST;
  }
}

/**
 * PodRequests: Σ regular containers and sidecars, raised per resource to the
 * largest init-container need (an init container runs alongside the sidecars
 * started before it), plus overhead. With `nonZero`, missing CPU and memory
 * requests count as the defaults, per container.
 */
function aggregate(space: ResourceSpace, containers: readonly ContainerSpec[], init: readonly ContainerSpec[], overhead: Readonly<Record<string, number>> | undefined, nonZero: boolean): Float64Array {
  const sum = space.zeros();
  for (const c of containers) add(sum, space, c.requests, nonZero);
  const sidecars = space.zeros();
  const initMax = space.zeros();
  for (const c of init) {
    const effective = space.zeros();
    add(effective, space, c.requests, nonZero);
    if (c.restartPolicy === 'Always') {
      for (let d = 0; d < sum.length; d++) sum[d]! += effective[d]!;
      for (let d = 0; d < sum.length; d++) sidecars[d]! += effective[d]!;
      effective.set(sidecars);
    } else {
      for (let d = 0; d < sum.length; d++) effective[d]! += sidecars[d]!;
    }
    for (let d = 0; d < sum.length; d++) initMax[d] = Math.max(initMax[d]!, effective[d]!);
  }
  for (let d = 0; d < sum.length; d++) sum[d] = Math.max(sum[d]!, initMax[d]!);
  add(sum, space, overhead, false);
  return sum;
}

export function podResources(
  space: ResourceSpace,
  containers: readonly ContainerSpec[],
  init: readonly ContainerSpec[] = [],
  overhead?: Readonly<Record<string, number>>,
): PodResources {
  const requests = aggregate(space, containers, init, overhead, false);
  const nonZero = aggregate(space, containers, init, overhead, true);
  return { requests, nonZeroCpu: nonZero[CPU]!, nonZeroMemory: nonZero[MEMORY]! };
}
