/**
 * A pod's QoS class, as Kubernetes computes it (ComputePodQOS in
 * pkg/apis/core/helper/qos/qos.go, v1.34) from its containers' CPU and
 * memory requests and limits (other resources do not count; zero counts as
 * unset). Requests here are after API defaulting: a container with a limit
 * and no request requests its limit.
 *
 * - BestEffort: no container has a CPU or memory request or limit.
 * - Guaranteed: every container has CPU and memory limits, and the pod's
 *   summed requests equal its summed limits for each of them.
 * - Burstable: anything else.
 */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** One container's CPU and memory (millicores, bytes); undefined or 0: unset. */
export interface ContainerQosResources {
  readonly requests: { readonly cpu?: number | undefined; readonly memory?: number | undefined };
  readonly limits: { readonly cpu?: number | undefined; readonly memory?: number | undefined };
}

/** The QoS class of a pod whose containers and init containers are `containers`. */
export function podQos(containers: readonly ContainerQosResources[]): QosClass {
  const requests = { cpu: 0, memory: 0 };
  const limits = { cpu: 0, memory: 0 };
  let guaranteed = true;
  for (const c of containers) {
    requests.cpu += positive(c.requests.cpu);
    requests.memory += positive(c.requests.memory);
    limits.cpu += positive(c.limits.cpu);
    limits.memory += positive(c.limits.memory);
    if (positive(c.limits.cpu) === 0 || positive(c.limits.memory) === 0) guaranteed = false;
  }
  if (requests.cpu === 0 && requests.memory === 0 && limits.cpu === 0 && limits.memory === 0) return 'BestEffort';
  // Every container limits both; each requested resource's summed request equals its summed limit, and
  // as many resources are requested as limited (both), as ComputePodQOS checks.
  if (guaranteed && requests.cpu === limits.cpu && requests.memory === limits.memory && requests.cpu > 0 && requests.memory > 0) return 'Guaranteed';
  return 'Burstable';
}

const positive = (x: number | undefined): number => (x !== undefined && x > 0 ? x : 0);
