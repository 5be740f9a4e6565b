/** Builds the discipline a queue policy names. */
import type { QueuePolicy } from '../../schedulers/types.js';
import type { World } from '../world.js';
import { BackfillQueue } from './backfill.js';
import { KubeSchedulingQueue } from './kube.js';
import type { SchedulingCost } from './kube.js';
import type { KubeQueueSettings } from './kube-queue.js';
import { PassQueue } from './pass.js';
import type { QueuePort, SchedulingQueue } from './queue.js';
import { TetrisQueue } from './tetris.js';

export interface KubeQueueOptions {
  readonly schedulingCost?: SchedulingCost | undefined;
  readonly kubeQueue?: KubeQueueSettings | undefined;
}

/** `jobCount` tells how many Jobs exist so far (Tetris's remaining work is per Job). */
export function buildQueue(world: World, policy: QueuePolicy, port: QueuePort, kube: KubeQueueOptions, jobCount: () => number): SchedulingQueue {
  switch (policy.mode ?? 'pass') {
    case 'kube-scheduler':
      return new KubeSchedulingQueue(world, port, kube.schedulingCost, kube.kubeQueue);
    case 'tetris':
      return new TetrisQueue(world, policy, port, jobCount);
    case 'easy-backfill':
    case 'conservative-backfill':
      return new BackfillQueue(world, policy, port);
    case 'pass':
    case 'drf':
      return new PassQueue(world, policy, port);
  }
}
