/**
 * A sweep's results directory. Each finished run is appended to runs.ndjson
 * and flushed to disk as it completes, so a crash loses at most the runs in
 * flight; sweep.json says which sweep (and shard) the directory holds. The
 * tables (runs.csv, summary.json, timings.csv, failures.csv) are written from
 * it at the end.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import { formatPath } from '../model/yaml-input.js';
import { RUN_KEY_PATTERN } from './run-key.js';
import type { RunResult } from './run-protocol.js';
import { runsCsv, timingsCsv } from '../report/runs-csv.js';
import { combineRecords, RECORDS_DIR, removeCombinedRecords } from './records.js';
import { removeParquet } from './parquet.js';
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
  /**
   * Written false when a sweep starts and true once every run of the
   * directory has been attempted and its tables written: the marker a merge
   * waits for (absent in directories written before it was).
   */
  readonly complete?: boolean | undefined;
}

export type StoredRun =
  | { readonly key: string; readonly label: string; readonly ok: true; readonly result: RunResult }
  | { readonly key: string; readonly label: string; readonly ok: false; readonly error: string; readonly badInput?: boolean | undefined };

/** A run key as rackbench makes them (run-key.ts); anything else in a results directory is damage or tampering. */
const runKeySchema = z.string().regex(RUN_KEY_PATTERN, 'expected a run key of 16 hexadecimal digits, as rackbench writes them');

const manifestSchema = z.object({
  format: z.literal('rackbench-sweep/1'),
  name: z.string().min(1).max(1000),
  sweep: runKeySchema,
  shard: z.union([
    z.null(),
    z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).refine((s) => s.index <= s.count, 'expected index ≤ count'),
  ]),
  total: z.number().int().nonnegative(),
  runs: z.array(z.object({ key: runKeySchema, label: z.string() })),
  complete: z.boolean().optional(),
});

/** A line of runs.ndjson: a finished run with its result, or a failed one with its error. Fields beyond these are kept. */
const storedRunSchema = z.discriminatedUnion('ok', [
  z.looseObject({
    key: runKeySchema,
    label: z.string(),
    ok: z.literal(true),
    result: z.looseObject({
      scenario: z.string(),
      scheduler: z.string(),
      queue: z.string(),
      seed: z.number().int().nonnegative(),
      resources: z.array(z.string()),
      metrics: z.record(z.string(), z.number()),
      timing: z.looseObject({ wallMs: z.number().nonnegative(), events: z.number().nonnegative() }),
    }),
  }),
  z.looseObject({ key: runKeySchema, label: z.string(), ok: z.literal(false), error: z.string(), badInput: z.boolean().optional() }),
]);

/** The first issue of a zod parse as `path: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = formatPath(issue.path as PropertyKey[]);
  return `${path === '' ? '' : `${path}: `}${issue.message}`;
}

export function writeManifest(dir: string, manifest: SweepManifest): void {
  writeFileAtomic(pathInside(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads and checks sweep.json. Throws UsageError naming the file and what is wrong with it. */
export function readManifest(dir: string): SweepManifest {
  const file = join(dir, MANIFEST);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: not a sweep results directory (no sweep.json)`);
    throw new UsageError(`${file}: not a rackbench sweep manifest: ${code === undefined ? 'not valid JSON' : `cannot read it (${code})`}`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${file}: not a rackbench sweep manifest (format rackbench-sweep/1): ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * Every run recorded in the directory, the latest line per key. A line cut
 * short by a crash is dropped (and, with `repair`, cut from the file, so
 * appends stay whole; merge reads shards without changing them). Any other
 * line that is not a run record is damage: UsageError naming the line.
 */
export function readStoredRuns(dir: string, options: { readonly repair?: boolean } = { repair: true }): Map<string, StoredRun> {
  const file = join(dir, RUNS_NDJSON);
  const runs = new Map<string, StoredRun>();
  if (!existsSync(file)) return runs;
  const text = readFileSync(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length && options.repair === true) truncateSync(pathInside(dir, RUNS_NDJSON), Buffer.byteLength(text.slice(0, complete)));
  const damaged = (line: number, why: string): UsageError =>
    new UsageError(`${file}:${line}: ${why}; the file is damaged (re-run with --force to start over, or remove the line)`);
  text
    .slice(0, complete)
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        throw damaged(i + 1, 'not a JSON line');
      }
      const parsed = storedRunSchema.safeParse(data);
      if (!parsed.success) throw damaged(i + 1, `not a run record ({"key", "label", "ok", "result" or "error"}): ${firstIssue(parsed.error)}`);
      const run = parsed.data as unknown as StoredRun;
      runs.set(run.key, run);
    });
  return runs;
}

/** Appends runs durably: each line is written whole and flushed before the next run is reported done. */
export class RunLog {
  private readonly fd: number;

  constructor(dir: string, fresh: boolean) {
    const file = pathInside(dir, RUNS_NDJSON);
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
  writeFileAtomic(pathInside(dir, 'runs.csv'), runsCsv(results));
  writeFileAtomic(pathInside(dir, 'timings.csv'), timingsCsv(results));
  writeSketches(dir, results);
  const rows = failed.map((r) => [r.key, r.label, r.ok ? '' : r.error]);
  writeFileAtomic(pathInside(dir, FAILURES_CSV), stringify([['key', 'run', 'error'], ...rows], { escape_formulas: true, record_delimiter: 'unix' }));
  return { results, failed };
}

/** The files and directories a run or sweep writes directly under its --out. */
const OUTPUT_NAMES = ['runs.csv', 'timings.csv', 'summary.json', 'sketches.json', FAILURES_CSV, PLATFORMS_CSV, PLATFORMS_MD, RUNS_NDJSON, MANIFEST, RECORDS_DIR] as const;

/**
 * Throws UsageError when a file or directory a run or sweep writes under
 * `dir` leads outside it (a symbolic link): checked before any run starts,
 * not when its results are written.
 */
export function checkOutputPaths(dir: string): void {
  for (const name of OUTPUT_NAMES) pathInside(dir, name);
}

/** Removes the tables, so an old summary.json cannot vouch for a set that is being re-run. */
export function removeTables(dir: string): void {
  for (const f of ['summary.json', 'runs.csv', 'timings.csv', 'sketches.json', FAILURES_CSV, PLATFORMS_CSV, PLATFORMS_MD]) rmSync(join(dir, f), { force: true });
  removeCombinedRecords(dir);
  removeParquet(dir);
}
