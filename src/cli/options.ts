/** Parsing the numeric and duration flags shared by run and sweep. */
import { UsageError } from '../core/errors.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { quote } from '../core/text.js';
import { parseDuration, parseQuantity, QuantityError } from '../model/quantity.js';
import type { PoolOptions } from '../runner/pool.js';

export interface PoolFlags {
  readonly workers?: string;
  readonly runTimeout?: string;
  readonly workerMemory?: string;
}

export function positiveInteger(flag: string, text: string): number {
  if (!/^\d{1,16}$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} ${quote(text)}: expected a positive integer`);
  }
  return Number(text);
}

export function parseSeed(text: string): number {
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed ${quote(text)}: expected a non-negative integer`);
  }
  return Number(text);
}

/**
 * `--max-memory`: a whole number of MiB (as --worker-memory), or a byte
 * quantity such as 8Gi or 512Mi. Bytes; undefined when not given.
 */
export function parseMaxMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const fail = (): never => {
    throw new UsageError(`--max-memory ${quote(text)}: expected MiB (e.g. 8192) or a byte quantity such as 8Gi or 512Mi`);
  };
  let bytes: number;
  try {
    bytes = /^\d+$/.test(text) ? positiveInteger('--max-memory', text) * 2 ** 20 : parseQuantity(text, 'bytes');
  } catch (e) {
    if (e instanceof QuantityError || e instanceof UsageError) return fail();
    throw e;
  }
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) return fail();
  return bytes;
}

/** A positive duration flag (90s, 10m, 2h) in milliseconds. */
export function parseDurationMs(flag: string, text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text) / (MICROS_PER_SECOND / 1000);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
  if (!(ms > 0)) throw new UsageError(`${flag} ${quote(text)}: expected a positive duration such as 90s, 10m or 2h`);
  return ms;
}

export function poolOptions(flags: PoolFlags, signal?: AbortSignal): PoolOptions {
  let runTimeoutMs: number | undefined;
  if (flags.runTimeout !== undefined) {
    try {
      runTimeoutMs = parseDuration(flags.runTimeout) / (MICROS_PER_SECOND / 1000);
    } catch (e) {
      throw new UsageError(`--run-timeout: ${(e as Error).message}`);
    }
    if (runTimeoutMs <= 0) throw new UsageError(`--run-timeout ${quote(flags.runTimeout)}: expected a positive duration such as 90s or 10m`);
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
