/**
 * The worker thread's task: one run of a spec whose scenario is already
 * resolved. Only plain data crosses the thread boundary, so failures come
 * back as an outcome with a message rather than as thrown errors (custom
 * error classes lose their type when cloned); a failure on bad input says so.
 */
import { workerData } from 'piscina';
import { UsageError } from '../core/errors.js';
import { setArrayBudget } from '../core/memory-budget.js';
import { InputError } from '../model/yaml-input.js';
import { loadPlugin } from './plugins.js';
import { runOne } from './run-one.js';
import type { RunOutcome, RunSpec } from './run-protocol.js';
import type { WorkerSettings } from './pool.js';

setArrayBudget((workerData as WorkerSettings | undefined)?.arrayBudget ?? Infinity);

export default async function runTask(spec: RunSpec): Promise<RunOutcome> {
  try {
    if (spec.plugin !== undefined) await loadPlugin(spec.plugin.file);
    return { ok: true, result: runOne(spec) };
  } catch (e) {
    const badInput = e instanceof InputError || e instanceof UsageError;
    return { ok: false, error: e instanceof Error ? e.message : String(e), ...(badInput ? { badInput } : {}) };
  }
}
