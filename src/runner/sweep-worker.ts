/**
 * The worker thread's task (run-task.ts): one run of a scenario already
 * resolved, received once with the thread's settings and named by index in
 * each task, its arrays moved back (transfer.ts).
 */
import { workerData } from 'piscina';
import { setArrayBudget } from '../core/memory-budget.js';
import { runTask } from './run-task.js';
import { movable } from './transfer.js';
import type { WorkerSettings, WorkerTask } from './pool.js';

const settings = workerData as WorkerSettings;
setArrayBudget(settings.arrayBudget);

export default async function task({ scenarioIndex, ...spec }: WorkerTask): Promise<unknown> {
  return movable(await runTask({ ...spec, scenario: settings.scenarios[scenarioIndex]! }));
}
