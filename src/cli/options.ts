/** Parsing the numeric and duration flags shared by run and sweep. */
import { UsageError } from '../core/errors.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { parseDuration } from '../model/quantity.js';
import type { PoolOptions } from '../runner/pool.js';

export interface PoolFlags {
  readonly workers?: string;
  readonly runTimeout?: string;
  readonly workerMemory?: string;
}

function positiveInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} ${text}: expected a positive integer`);
  }
  return Number(text);
}

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed ${text}: expected a non-negative integer`);
  }
  return Number(text);
}

export function poolOptions(flags: PoolFlags, signal?: AbortSignal): PoolOptions {
  let runTimeoutMs: number | undefined;
  if (flags.runTimeout !== undefined) {
    try {
      runTimeoutMs = parseDuration(flags.runTimeout) / (MICROS_PER_SECOND / 1000);
    } catch (e) {
      throw new UsageError(`--run-timeout ${flags.runTimeout}: ${(e as Error).message}`);
    }
    if (runTimeoutMs <= 0) throw new UsageError(`--run-timeout ${flags.runTimeout}: expected a positive duration such as 90s or 10m`);
  }
  return {
    workers: flags.workers === undefined ? undefined : positiveInteger('--workers', flags.workers),
    runTimeoutMs,
    workerMemoryMb: flags.workerMemory === undefined ? undefined : positiveInteger('--worker-memory', flags.workerMemory),
    signal,
  };
}

/** An AbortSignal that fires on the first Ctrl-C (SIGINT) or SIGTERM; a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping: finished runs are saved; run the same command again to resume\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
