/** Built-in policies by name. */
import { bestFit } from './best-fit.js';
import { firstFit } from './first-fit.js';
import { kubePolicy } from './kube/policy.js';
import { l2Norm } from './l2-norm.js';
import { measuredFit } from './measured-fit.js';
import { drf, fifo, kube, priority } from './queues.js';
import { randomFit } from './random-fit.js';
import { sjf, sjfEstimate } from './sjf.js';
import { tetris } from './tetris.js';
import type { PolicyFactory, QueuePolicy } from './types.js';
import { worstFit } from './worst-fit.js';

const placements = new Map<string, PolicyFactory>([
  ['first-fit', firstFit],
  ['best-fit', bestFit],
  ['worst-fit', worstFit('worst-fit')],
  ['spread', worstFit('spread')],
  ['random', randomFit],
  ['kube-default', kubePolicy('kube-default')],
  ['best-fit-l1', measuredFit('best', 'l1')],
  ['best-fit-l2', measuredFit('best', 'l2')],
  ['best-fit-linf', measuredFit('best', 'linf')],
  ['worst-fit-l1', measuredFit('worst', 'l1')],
  ['worst-fit-l2', measuredFit('worst', 'l2')],
  ['worst-fit-linf', measuredFit('worst', 'linf')],
  ['tetris', tetris],
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
]);

export const DEFAULT_QUEUE = 'priority';

export function placementNames(): string[] {
  return [...placements.keys()];
}

export function queueNames(): string[] {
  return [...queues.keys()];
}

export function findPlacement(name: string): PolicyFactory | undefined {
  return placements.get(name);
}

/** A kube-scheduler policy running the given KubeSchedulerConfiguration, under `name`. */
export function configuredKubePolicy(name: string): PolicyFactory {
  return kubePolicy(name);
}

export function findQueue(name: string): QueuePolicy | undefined {
  return queues.get(name);
}
