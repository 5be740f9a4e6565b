/** Built-in policies by name. */
import { backfill, DEFAULT_BACKFILL_ESTIMATES } from './backfill.js';
import { bestFit } from './best-fit.js';
import { firstFit } from './first-fit.js';
import type { KubeConfigReading } from './kube/config.js';
import { LOAD_AWARE_CONFIGURATION } from './kube/load-aware-profile.js';
import { kubePolicy } from './kube/policy.js';
import { l2Norm } from './l2-norm.js';
import { measuredFit } from './measured-fit.js';
import { drf, fifo, kube, priority, slotFair, tetrisPackingQueue, tetrisQueue } from './queues.js';
import { PREEMPT_SUFFIX, withPreemption } from './preemption.js';
import { randomFit } from './random-fit.js';
import { sjf, sjfEstimate } from './sjf.js';
import { tetris } from './tetris.js';
import { tetrisUsage } from './tetris-usage.js';
import type { PolicyFactory, QueuePolicy } from './types.js';
import { worstFit } from './worst-fit.js';

const placements = new Map<string, PolicyFactory>([
  ['first-fit', firstFit],
  ['best-fit', bestFit],
  ['worst-fit', worstFit('worst-fit')],
  ['spread', worstFit('spread')],
  ['random', randomFit],
  ['kube-default', kubePolicy('kube-default')],
  ['kube-load-aware', kubePolicy('kube-load-aware', LOAD_AWARE_CONFIGURATION)],
  ['best-fit-l1', measuredFit('best', 'l1')],
  ['best-fit-l2', measuredFit('best', 'l2')],
  ['best-fit-linf', measuredFit('best', 'linf')],
  ['worst-fit-l1', measuredFit('worst', 'l1')],
  ['worst-fit-l2', measuredFit('worst', 'l2')],
  ['worst-fit-linf', measuredFit('worst', 'linf')],
  ['tetris', tetris],
  ['tetris-usage', tetrisUsage],
  ['l2-norm', l2Norm],
]);

/** The policies `rackbench run` compares when none is named (spread is worst-fit under another name). */
export const DEFAULT_POLICIES: readonly string[] = ['first-fit', 'best-fit', 'worst-fit', 'random', 'kube-default'];

const queues = new Map<string, QueuePolicy>([
  ['fifo', fifo],
  ['priority', priority],
  ['kube', kube],
  ['sjf', sjf],
  ['sjf-estimate', sjfEstimate()],
  ['drf', drf],
  ['slot-fair', slotFair],
  ['easy-backfill', backfill('easy')],
  ['easy-backfill-estimate', backfill('easy', DEFAULT_BACKFILL_ESTIMATES)],
  ['conservative-backfill', backfill('conservative')],
  ['conservative-backfill-estimate', backfill('conservative', DEFAULT_BACKFILL_ESTIMATES)],
  ['tetris', tetrisQueue],
  ['tetris-packing', tetrisPackingQueue],
]);

export const DEFAULT_QUEUE = 'priority';

export function placementNames(): string[] {
  return [...placements.keys()];
}

export function queueNames(): string[] {
  return [...queues.keys()];
}

/** A built-in policy by name; `NAME+preempt` adds priority preemption to it (src/schedulers/preemption.ts). */
export function findPlacement(name: string): PolicyFactory | undefined {
  if (name.endsWith(PREEMPT_SUFFIX)) {
    const base = placements.get(name.slice(0, -PREEMPT_SUFFIX.length));
    return base === undefined ? undefined : withPreemption(base, name);
  }
  return placements.get(name);
}

/** A kube-scheduler policy running a scenario's KubeSchedulerConfiguration, under `name`. */
export function configuredKubePolicy(name: string, kubeConfig: KubeConfigReading): PolicyFactory {
  return kubePolicy(name, kubeConfig);
}

export function findQueue(name: string): QueuePolicy | undefined {
  return queues.get(name);
}
