/**
 * Runs specs on a piscina pool of worker threads, kept alive for the whole
 * batch. At most one task per thread is in flight, so a run's timeout counts
 * from when it starts, not from when it was queued.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { RunOutcome, RunSpec } from './run-protocol.js';

export interface PoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly workers?: number | undefined;
  /** Wall-clock limit per run in ms; a run over it is terminated and recorded as failed. */
  readonly runTimeoutMs?: number | undefined;
  /** V8 old-generation limit per worker in MiB; a run over it is recorded as failed. */
  readonly workerMemoryMb?: number | undefined;
  /** Aborting stops dispatching and terminates the runs in flight (they are not reported). */
  readonly signal?: AbortSignal | undefined;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** The worker module: the built .js next to this file, or the .ts source through tsx under a TS loader (tests). */
function workerEntry(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { filename: new URL('./sweep-worker.ts', here).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./sweep-worker.js', here).href, execArgv: [] };
}

/**
 * Runs every spec and calls `onOutcome` as each finishes (in completion
 * order). Resolves with whether the batch was interrupted by `signal`.
 */
export async function runOnPool<T extends { readonly spec: RunSpec }>(
  items: readonly T[],
  options: PoolOptions,
  onOutcome: (item: T, outcome: RunOutcome) => void,
): Promise<{ interrupted: boolean }> {
  if (items.length === 0) return { interrupted: false };
  const threads = Math.max(1, Math.min(options.workers ?? defaultWorkers(), items.length));
  const entry = workerEntry();
  const pool = new Piscina({
    filename: entry.filename,
    execArgv: entry.execArgv,
    // An idle thread would otherwise exit and be paid for again on the next run.
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    ...(options.workerMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: options.workerMemoryMb } } : {}),
  });
  let next = 0;
  let interrupted = false;
  const inFlight = new Set<AbortController>();
  const onAbort = (): void => {
    interrupted = true;
    for (const c of inFlight) c.abort();
  };
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) interrupted = true;

  const lane = async (): Promise<void> => {
    while (!interrupted && next < items.length) {
      const item = items[next++]!;
      const controller = new AbortController();
      inFlight.add(controller);
      let timedOut = false;
      const timer =
        options.runTimeoutMs !== undefined
          ? setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, options.runTimeoutMs)
          : undefined;
      try {
        const outcome = (await pool.run(item.spec, { signal: controller.signal })) as RunOutcome;
        onOutcome(item, outcome);
      } catch (e) {
        if (timedOut) onOutcome(item, { ok: false, error: `exceeded the run timeout (${options.runTimeoutMs} ms wall clock)` });
        else if (!interrupted) onOutcome(item, { ok: false, error: describeWorkerFailure(e, options.workerMemoryMb) });
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        inFlight.delete(controller);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  return { interrupted };
}

function describeWorkerFailure(e: unknown, memoryMb: number | undefined): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `ran out of memory in its worker thread${memoryMb !== undefined ? ` (limit ${memoryMb} MiB)` : ''}`;
  }
  return `worker thread failed: ${e instanceof Error ? e.message : String(e)}`;
}
