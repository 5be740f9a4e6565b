/**
 * A sweep's results directory. Each finished run is appended to runs.ndjson
 * and flushed to disk as it completes, so a crash loses at most the runs in
 * flight; sweep.json says which sweep (and shard) the directory holds. The
 * tables (runs.csv, summary.json, timings.csv, failures.csv) are written from
 * it at the end.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import type { RunResult } from './run-protocol.js';
import { runsCsv, timingsCsv } from '../report/runs-csv.js';
import { combineRecords, removeCombinedRecords } from './records.js';
import { writeResults, writeSketches } from './results.js';
import type { Shard } from './shard.js';

export const RUNS_NDJSON = 'runs.ndjson';
export const MANIFEST = 'sweep.json';
export const FAILURES_CSV = 'failures.csv';
/** The Kubernetes vs k3s comparison of a run whose scenarios ran on several platforms (platform-compare.ts). */
export const PLATFORMS_CSV = 'platforms.csv';
export const PLATFORMS_MD = 'platforms.md';

export interface SweepManifest {
  readonly format: 'rackbench-sweep/1';
  readonly name: string;
  /** Hash of the whole sweep's run keys. */
  readonly sweep: string;
  readonly shard: Shard | null;
  /** Runs in the whole sweep. */
  readonly total: number;
  /** This directory's runs, in key order. */
  readonly runs: readonly { readonly key: string; readonly label: string }[];
}

export type StoredRun =
  | { readonly key: string; readonly label: string; readonly ok: true; readonly result: RunResult }
  | { readonly key: string; readonly label: string; readonly ok: false; readonly error: string };

export function writeManifest(dir: string, manifest: SweepManifest): void {
  writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(dir: string): SweepManifest {
  const file = join(dir, MANIFEST);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'not a sweep results directory (no sweep.json)' : `cannot read: ${(e as Error).message}`}`);
  }
  const m = data as Partial<SweepManifest>;
  if (m.format !== 'rackbench-sweep/1' || typeof m.sweep !== 'string' || !Array.isArray(m.runs) || typeof m.total !== 'number') {
    throw new UsageError(`${file}: not a rackbench sweep manifest (expected format rackbench-sweep/1)`);
  }
  return m as SweepManifest;
}

/**
 * Every run recorded in the directory, the latest line per key. A line cut
 * short by a crash is dropped (and cut from the file, so appends stay whole).
 */
export function readStoredRuns(dir: string): Map<string, StoredRun> {
  const file = join(dir, RUNS_NDJSON);
  const runs = new Map<string, StoredRun>();
  if (!existsSync(file)) return runs;
  const text = readFileSync(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, complete)));
  text
    .slice(0, complete)
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      let run: StoredRun;
      try {
        run = JSON.parse(line) as StoredRun;
      } catch {
        throw new UsageError(`${file}:${i + 1}: not a JSON line; the file is damaged (re-run with --force to start over)`);
      }
      runs.set(run.key, run);
    });
  return runs;
}

/** Appends runs durably: each line is written whole and flushed before the next run is reported done. */
export class RunLog {
  private readonly fd: number;

  constructor(dir: string, fresh: boolean) {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, RUNS_NDJSON);
    if (fresh) rmSync(file, { force: true });
    this.fd = openSync(file, 'a');
  }

  append(run: StoredRun): void {
    writeSync(this.fd, `${JSON.stringify(run)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The tables of a finished set: runs.csv and timings.csv of the successful
 * runs; then summary.json when every run succeeded, or failures.csv when some
 * failed — summary.json's presence means the set is complete.
 */
export function writeTables(dir: string, runs: readonly StoredRun[]): { results: RunResult[]; failed: StoredRun[] } {
  const results: RunResult[] = [];
  const failed: StoredRun[] = [];
  const keyed: { key: string; result: RunResult }[] = [];
  for (const r of runs) {
    if (r.ok) {
      results.push(r.result);
      keyed.push({ key: r.key, result: r.result });
    } else failed.push(r);
  }
  failed.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  removeTables(dir);
  combineRecords(dir, keyed);
  if (failed.length === 0) {
    writeResults(dir, results);
    return { results, failed };
  }
  writeFileAtomic(join(dir, 'runs.csv'), runsCsv(results));
  writeFileAtomic(join(dir, 'timings.csv'), timingsCsv(results));
  writeSketches(dir, results);
  const rows = failed.map((r) => [r.key, r.label, r.ok ? '' : r.error]);
  writeFileAtomic(join(dir, FAILURES_CSV), stringify([['key', 'run', 'error'], ...rows], { escape_formulas: true, record_delimiter: 'unix' }));
  return { results, failed };
}

/** Removes the tables, so an old summary.json cannot vouch for a set that is being re-run. */
export function removeTables(dir: string): void {
  for (const f of ['summary.json', 'runs.csv', 'timings.csv', 'sketches.json', FAILURES_CSV, PLATFORMS_CSV, PLATFORMS_MD]) rmSync(join(dir, f), { force: true });
  removeCombinedRecords(dir);
}
