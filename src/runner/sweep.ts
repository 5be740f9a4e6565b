/**
 * Running a sweep (or one shard of it) into a results directory: resume what
 * is already done, run the rest on the worker pool, record each run as it
 * finishes, and write the tables once every run has been attempted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RecordTable } from '../metrics/run-record.js';
import type { PoolOptions } from './pool.js';
import { runOnPool } from './pool.js';
import type { StoredRun } from './result-store.js';
import { MANIFEST, readManifest, readStoredRuns, removeTables, RunLog, writeManifest, writeTables } from './result-store.js';
import { PendingWrites, saveRunRecords, saveRunRecordsParquet } from './records.js';
import type { RunResult } from './run-protocol.js';
import type { Shard } from './shard.js';
import { selectShard } from './shard.js';
import type { PlannedRun } from './plan.js';
import type { SweepPlan } from './sweep-file.js';

export interface SweepProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Runs found finished in the directory when the sweep started. */
  readonly resumed: number;
  /** The run that just finished, if any. */
  readonly last?: StoredRun | undefined;
}

export interface SweepOptions extends PoolOptions {
  readonly out: string;
  readonly shard?: Shard | undefined;
  /** Re-run every run, even those the directory already holds. */
  readonly force?: boolean | undefined;
  readonly onProgress?: ((p: SweepProgress) => void) | undefined;
  /** Opt-in per-run tables (records/<key>/, combined at the end). Not part of a run's key. */
  readonly record?: readonly RecordTable[] | undefined;
  /** The directory gets Parquet (pod records written as pods.parquet, not pods.csv). Default: true. */
  readonly parquet?: boolean | undefined;
}

export interface SweepReport {
  readonly total: number;
  readonly resumed: number;
  readonly ran: number;
  /** The successful runs, when the sweep was not interrupted. */
  readonly results: readonly RunResult[];
  readonly failed: readonly StoredRun[];
  /** Every run of this directory (resumed ones too) in plan order, when the sweep was not interrupted. */
  readonly runs: readonly StoredRun[];
  readonly interrupted: boolean;
}

export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepReport> {
  const runs = selectShard(plan.runs, options.shard);
  if (!options.force && existsSync(join(options.out, MANIFEST))) {
    const previous = readManifest(options.out);
    if (previous.name !== plan.name) {
      throw new UsageError(
        `${options.out} holds results of sweep "${previous.name}", not "${plan.name}": choose another --out, or --force to replace them`,
      );
    }
  }
  const stored = options.force ? new Map<string, StoredRun>() : readStoredRuns(options.out);
  removeTables(options.out);
  const manifest = {
    format: 'rackbench-sweep/1',
    name: plan.name,
    sweep: plan.id,
    shard: options.shard ?? null,
    total: plan.runs.length,
    runs: runs.map((r) => ({ key: r.key, label: r.label })),
  } as const;
  writeManifest(options.out, { ...manifest, complete: false });

  // Finished runs are kept; failed ones are tried again.
  const todo: PlannedRun[] = runs
    .filter((r) => stored.get(r.key)?.ok !== true)
    .map((r) => (options.record === undefined ? r : { ...r, spec: { ...r.spec, record: options.record } }));
  const resumed = runs.length - todo.length;
  let done = resumed;
  let failed = 0;
  options.onProgress?.({ total: runs.length, done, failed, resumed });

  const log = new RunLog(options.out, options.force === true);
  // Pod records bound for Parquet are written as each run finishes; the run is logged once they are on disk.
  const saving = new PendingWrites();
  let interrupted: boolean;
  try {
    ({ interrupted } = await runOnPool(todo, options, (run, outcome) => {
      const finished = (record: StoredRun): void => {
        log.append(record);
        stored.set(run.key, record);
        done++;
        if (!record.ok) failed++;
        options.onProgress?.({ total: runs.length, done, failed, resumed, last: record });
      };
      if (!outcome.ok) finished({ key: run.key, label: run.label, ok: false, error: outcome.error, ...(outcome.badInput === true ? { badInput: true } : {}) });
      else if (options.parquet === false) finished({ key: run.key, label: run.label, ok: true, result: saveRunRecords(options.out, run.key, outcome.result) });
      else saving.add(saveRunRecordsParquet(options.out, run.key, outcome.result).then((result) => finished({ key: run.key, label: run.label, ok: true, result })));
    }));
  } finally {
    await saving.settle().finally(() => log.close());
  }
  const report = { total: runs.length, resumed, ran: done - resumed, interrupted };
  if (interrupted) return { ...report, results: [], failed: [], runs: [] };
  const all = runs.map((r) => stored.get(r.key)!);
  const { results, failed: failures } = writeTables(options.out, all);
  // Last: a merge waiting for this directory may read it from here on.
  writeManifest(options.out, { ...manifest, complete: true });
  return { ...report, results, failed: failures, runs: all };
}
