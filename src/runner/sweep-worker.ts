/** The worker thread's task (run-task.ts): one run of a spec whose scenario is already resolved, its arrays moved back (transfer.ts). */
import { workerData } from 'piscina';
import { setArrayBudget } from '../core/memory-budget.js';
import type { RunSpec } from './run-protocol.js';
import { runTask } from './run-task.js';
import { movable } from './transfer.js';
import type { WorkerSettings } from './pool.js';

setArrayBudget((workerData as WorkerSettings | undefined)?.arrayBudget ?? Infinity);

export default async function task(spec: RunSpec): Promise<unknown> {
  return movable(await runTask(spec));
}
