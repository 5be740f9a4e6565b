/**
 * One run as a task: the spec in, an outcome out. Only plain data comes back,
 * so failures are an outcome with a message rather than a thrown error
 * (custom error classes lose their type when cloned to another thread); a
 * failure on bad input says so. Used by the worker threads and, for a lone
 * run, on the calling thread (pool.ts).
 */
import { UsageError } from '../core/errors.js';
import { InputError } from '../model/yaml-input.js';
import { loadPlugin } from './plugins.js';
import { runOne } from './run-one.js';
import type { RunOutcome, RunSpec } from './run-protocol.js';

export async function runTask(spec: RunSpec): Promise<RunOutcome> {
  try {
    if (spec.plugin !== undefined) await loadPlugin(spec.plugin.file);
    return { ok: true, result: runOne(spec) };
  } catch (e) {
    const badInput = e instanceof InputError || e instanceof UsageError;
    return { ok: false, error: e instanceof Error ? e.message : String(e), ...(badInput ? { badInput } : {}) };
  }
}
