/**
 * The StatefulSet controller, for a service replica with local persistent
 * volumes: its PVCs outlive it. A replica deleted by preemption is replaced
 * at once by one that keeps its claims, so it goes back to its PVs' node. A
 * replica on a failed node is not evicted: its replacement would need the
 * same PVs, which are on that node, so it waits for the node to come back.
 */
import type { PodSlot } from '../../core/ids.js';
import { LONG_RUNNING } from '../../workload/pod.js';
import type { World } from '../world.js';
import type { OwnerController } from './owner.js';
import type { CreateReplica } from './replicaset.js';

export function statefulSetController(world: World, create: CreateReplica): OwnerController {
  const p = world.pods;
  return {
    preempted(slot: PodSlot): void {
      const claims = p.volumes[slot]!;
      p.volumes[slot] = -1;
      create(p.template[slot]!, p.requests[slot]!, LONG_RUNNING, -1, p.usage[slot], claims);
    },
    evictable: () => false,
    evicted: () => -1,
  };
}
