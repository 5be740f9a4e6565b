/**
 * Runs specs on a piscina pool of worker threads, kept alive for the whole
 * batch. At most one task per thread is in flight, so a run's timeout counts
 * from when it starts, not from when it was queued. A lone run without a
 * timeout or memory bound runs on the calling thread instead: a worker would
 * only add its start-up and a second load of the simulator's modules.
 */
import { availableParallelism } from 'node:os';
import type { ResolvedScenario } from '../model/scenario.js';
import type { RunOutcome, RunSpec } from './run-protocol.js';
import { runTask } from './run-task.js';

export interface PoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly workers?: number | undefined;
  /** Wall-clock limit per run in ms; a run over it is terminated and recorded as failed. */
  readonly runTimeoutMs?: number | undefined;
  /**
   * Memory per worker thread in MiB, split by workerMemoryLimits into V8's
   * heap limits and a typed-array budget; a run over either is recorded as failed.
   */
  readonly workerMemoryMb?: number | undefined;
  /** Aborting stops dispatching and terminates the runs in flight (they are not reported). */
  readonly signal?: AbortSignal | undefined;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/** How a worker's memory bound is split: V8's young and old generation limits and the typed-array budget, MiB. */
export interface WorkerMemoryLimits {
  readonly youngMb: number;
  readonly oldMb: number;
  readonly arraysMb: number;
}

/**
 * The split of `--worker-memory` W MiB: half for the old generation, a
 * sixteenth (2 to 16 MiB) for the young one, which V8 triples in use
 * (two semi-spaces and the new large-object space), and a quarter for typed
 * arrays, which live outside V8's heap; the rest covers the thread's code,
 * stacks and native buffers. Measured, the process then peaks within 1.25 W
 * (README, Limits).
 */
export function workerMemoryLimits(mb: number): WorkerMemoryLimits {
  return { youngMb: Math.min(16, Math.max(2, Math.floor(mb / 16))), oldMb: Math.max(16, Math.floor(mb / 2)), arraysMb: Math.max(8, Math.floor(mb / 4)) };
}

/** What a worker thread is told when it starts (piscina's workerData). */
export interface WorkerSettings {
  /** Bytes of typed arrays the process's runs may hold together: each thread's share × threads (Infinity: no bound). */
  readonly arrayBudget: number;
  /** The batch's distinct resolved scenarios: each thread receives them once, and a task names its scenario by index. */
  readonly scenarios: readonly ResolvedScenario[];
}

/** A run as a worker thread receives it: the spec with its scenario replaced by its index in WorkerSettings.scenarios. */
export type WorkerTask = Omit<RunSpec, 'scenario'> & { readonly scenarioIndex: number };

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
  if (items.length === 1 && options.runTimeoutMs === undefined && options.workerMemoryMb === undefined) return runHere(items[0]!, options, onOutcome);
  const { Piscina } = await import('piscina');
  const threads = Math.max(1, Math.min(options.workers ?? defaultWorkers(), items.length));
  const entry = workerEntry();
  const limits = options.workerMemoryMb === undefined ? undefined : workerMemoryLimits(options.workerMemoryMb);
  // The budget is checked against the process's ArrayBuffer total (memory-budget.ts), which every thread's arrays share.
  // The runs of a sweep share a few scenarios (one per variant): sent once per thread, not cloned with every run.
  const scenarioIndex = new Map<ResolvedScenario, number>();
  for (const item of items) if (!scenarioIndex.has(item.spec.scenario)) scenarioIndex.set(item.spec.scenario, scenarioIndex.size);
  const settings: WorkerSettings = {
    arrayBudget: limits === undefined ? Infinity : limits.arraysMb * 2 ** 20 * threads,
    scenarios: [...scenarioIndex.keys()],
  };
  const pool = new Piscina({
    filename: entry.filename,
    execArgv: entry.execArgv,
    // An idle thread would otherwise exit and be paid for again on the next run.
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: settings,
    ...(limits !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: limits.oldMb, maxYoungGenerationSizeMb: limits.youngMb } } : {}),
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
        const { scenario, ...rest } = item.spec;
        const task: WorkerTask = { ...rest, scenarioIndex: scenarioIndex.get(scenario)! };
        const outcome = (await pool.run(task, { signal: controller.signal })) as RunOutcome;
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

/**
 * The lone run on this thread. While it runs no signal listener could run
 * before it ends, so SIGINT and SIGTERM get their default action back
 * meanwhile: the process stops at once, with nothing written, as an
 * interrupted lone run would end anyway.
 */
async function runHere<T extends { readonly spec: RunSpec }>(
  item: T,
  options: PoolOptions,
  onOutcome: (item: T, outcome: RunOutcome) => void,
): Promise<{ interrupted: boolean }> {
  if (options.signal?.aborted) return { interrupted: true };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const listeners = options.signal === undefined ? [] : signals.map((s) => [s, process.listeners(s)] as const);
  for (const [s] of listeners) process.removeAllListeners(s);
  let outcome: RunOutcome;
  try {
    outcome = await runTask(item.spec);
  } finally {
    for (const [s, fns] of listeners) for (const fn of fns) process.on(s, fn);
  }
  onOutcome(item, outcome);
  return { interrupted: false };
}

function describeWorkerFailure(e: unknown, memoryMb: number | undefined): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `ran out of memory in its worker thread${memoryMb !== undefined ? ` (--worker-memory ${memoryMb} MiB: its heap share is ${workerMemoryLimits(memoryMb).oldMb} MiB)` : ''}`;
  }
  return `worker thread failed: ${e instanceof Error ? e.message : String(e)}`;
}
