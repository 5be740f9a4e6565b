/** `sweep`: a sweep file's runs into a results directory, resumable, the library behind `rackbench sweep`. */
import { join } from 'node:path';
import type { RecordTable } from '../metrics/run-record.js';
import { RECORD_TABLES } from '../metrics/run-record.js';
import { checkPlugins } from '../runner/plugins.js';
import type { PoolOptions } from '../runner/pool.js';
import { checkOutputPaths, FAILURES_CSV } from '../runner/result-store.js';
import { lockResults } from '../runner/lock.js';
import { checkRunsMemory, memoryLimit } from '../runner/memory-check.js';
import { checkRunTraces } from '../runner/trace-run.js';
import type { Shard } from '../runner/shard.js';
import { parseShard } from '../runner/shard.js';
import type { SweepProgress } from '../runner/sweep.js';
import { runSweep } from '../runner/sweep.js';
import { loadSweep } from '../runner/sweep-file.js';
import { writeParquet } from '../runner/parquet.js';
import { preloadDuckDb } from '../runner/duckdb.js';
import type { RunOutcome, RunSet } from './outcomes.js';
import { outcomeOf, splitOutcomes } from './outcomes.js';
import type { RunStream } from './run-stream.js';
import { runStream } from './run-stream.js';

/** Where `sweep` writes when no `out` is given: the same default as `rackbench sweep`. */
export const DEFAULT_SWEEP_OUT = 'results/sweep';

export interface SweepOptions extends PoolOptions {
  /** The results directory; runs already in it are kept (resume). Default: results/sweep. */
  readonly out?: string | undefined;
  /** Run only shard i of n: `{ index: 1, count: 4 }` or '1/4'. */
  readonly shard?: Shard | string | undefined;
  /** Re-run every run, even those already in `out`. */
  readonly force?: boolean | undefined;
  /** Per-run tables to record: timeseries, nodes, pods, or 'all'. */
  readonly record?: readonly RecordTable[] | 'all' | undefined;
  /** Also write the tables as Parquet (docs/query.md) into `out`. Default: true. */
  readonly parquet?: boolean | undefined;
  /** Refuse, before any run, scenarios estimated to need more memory than this many bytes. Default: the free memory. */
  readonly maxMemory?: number | undefined;
  /**
   * Called once the sweep is read and planned, before any run starts: its
   * name, run count (the whole sweep's, before sharding) and id (sweep.json's
   * `sweep`). Throwing here stops the sweep before anything is written.
   */
  readonly onPlanned?: ((plan: { readonly name: string; readonly runs: number; readonly id: string }) => void) | undefined;
  /** Called at the start and after each run: totals for a progress bar. */
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
}

export interface SweepResults extends RunSet {
  readonly name: string;
  readonly out: string;
  /** Runs in this directory (this shard's, when sharded). */
  readonly total: number;
  /** Runs found finished in `out` when the sweep started (they are in `results`, but not iterated). */
  readonly resumed: number;
  /** Runs run now. */
  readonly ran: number;
}

/**
 * Runs a sweep file (scenarios × parameters × schedulers × seeds) into a
 * results directory. Returns a Promise of the finished set that is also an
 * async iterator of each run run now, as it finishes.
 */
export function sweep(sweepFile: string, options: SweepOptions = {}): RunStream<SweepResults, RunOutcome> {
  return runStream<SweepResults, RunOutcome>(async (emit) => {
    const plan = loadSweep(sweepFile);
    // Refused before anything runs: a scenario too large for the memory at hand, a trace file without rows.
    checkRunsMemory(plan.runs.map((r) => ({ scenario: r.spec.scenario, file: r.spec.source, variant: r.spec.variant })), memoryLimit(options.maxMemory));
    checkRunTraces(plan.runs.map((r) => r.spec));
    await checkPlugins(plan.runs.map((r) => r.spec));
    options.onPlanned?.({ name: plan.name, runs: plan.runs.length, id: plan.id });
    const out = options.out ?? DEFAULT_SWEEP_OUT;
    const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard;
    // A second writer of the same `out` stops here: the lock holds until the sweep ends.
    checkOutputPaths(out);
    const lock = lockResults(out);
    // DuckDB loads while the runs are on the worker threads, not after them.
    if (options.parquet !== false) preloadDuckDb();
    let report;
    try {
      report = await runSweep(plan, {
        workers: options.workers,
        runTimeoutMs: options.runTimeoutMs,
        workerMemoryMb: options.workerMemoryMb,
        signal: options.signal,
        out,
        shard,
        force: options.force,
        record: options.record === 'all' ? [...RECORD_TABLES] : options.record,
        parquet: options.parquet !== false,
        onProgress: (p) => {
          options.onProgress?.(p);
          if (p.last !== undefined) emit(outcomeOf(p.last));
        },
      });
    } finally {
      lock.release();
    }
    const { results, failed } = splitOutcomes(report.runs.map(outcomeOf));
    const files = report.interrupted ? [] : ['runs.csv', 'timings.csv', failed.length > 0 ? FAILURES_CSV : 'summary.json'].map((f) => join(out, f));
    if (!report.interrupted && options.parquet !== false) files.push(...(await writeParquet(out, results)));
    return { name: plan.name, out, total: report.total, resumed: report.resumed, ran: report.ran, interrupted: report.interrupted, results, failed, files };
  });
}
