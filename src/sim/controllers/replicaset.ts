/**
 * The ReplicaSet controller (behind a Deployment): keeps a service's replica
 * count, so a replica deleted by preemption or evicted from a failed node is
 * replaced at once by a new pending pod.
 */
import type { Micros, PodSlot } from '../../core/ids.js';
import { LONG_RUNNING } from '../../workload/pod.js';
import type { PodTemplate, PodUsage } from '../../workload/pod.js';
import type { World } from '../world.js';
import type { OwnerController } from './owner.js';

/** Creates a pod using `usage`; `claims` an existing volume claim set to keep, or −1 for a new one. */
export type CreateReplica = (template: PodTemplate, requests: Float64Array, duration: Micros, job: number, usage: PodUsage | undefined, claims?: number) => PodSlot | -1;

export function replicaSetController(world: World, create: CreateReplica): OwnerController {
  const replace = (slot: PodSlot): PodSlot | -1 => create(world.pods.template[slot]!, world.pods.requests[slot]!, LONG_RUNNING, -1, world.pods.usage[slot]);
  return {
    preempted: (slot) => void replace(slot),
    evictable: () => true,
    evicted: replace,
  };
}
