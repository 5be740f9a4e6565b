/**
 * Which controller owns a pod: a Job's pods are the Job controller's, pinned
 * platform pods the DaemonSet's (or static), a service replica with local
 * volumes a StatefulSet's, any other service replica a ReplicaSet's; stream
 * and trace pods are bare.
 */
import type { PodSlot } from '../../core/ids.js';
import type { World } from '../world.js';
import { DAEMON_SET } from './daemonset.js';
import type { JobController } from './job.js';
import { BARE_POD } from './owner.js';
import type { OwnerController } from './owner.js';
import { replicaSetController } from './replicaset.js';
import type { CreateReplica } from './replicaset.js';
import { statefulSetController } from './statefulset.js';

export class Owners {
  private readonly job: OwnerController;
  private readonly replicaSet: OwnerController;
  private readonly statefulSet: OwnerController;

  constructor(
    private readonly world: World,
    jobs: JobController,
    create: CreateReplica,
  ) {
    const p = world.pods;
    this.job = {
      preempted: (slot) => void jobs.replace(slot, p.job[slot]!),
      evictable: () => true,
      evicted: (slot) => jobs.replace(slot, p.job[slot]!),
    };
    this.replicaSet = replicaSetController(world, create);
    this.statefulSet = statefulSetController(world, create);
  }

  /** The controller that owns the pod in `slot`. */
  of(slot: PodSlot): OwnerController {
    const p = this.world.pods;
    if (p.pinned[slot] === 1) return DAEMON_SET;
    if (p.job[slot]! >= 0) return this.job;
    if (p.template[slot]!.kind !== 'service') return BARE_POD;
    return p.volumes[slot]! >= 0 ? this.statefulSet : this.replicaSet;
  }
}
