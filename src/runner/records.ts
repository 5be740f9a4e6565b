/**
 * Opt-in run records on disk. Each run's tables are written, atomically, to
 * records/<run key>/ as the run finishes (so a resumed sweep keeps them).
 * When the set is written, timeseries and nodes are combined into
 * timeseries.csv and nodes.csv at the top of the results directory, in the
 * order of runs.csv (reports read them); pod records, the large table, are
 * stored once: records/<key>/pods.parquet, written straight from the run's
 * records when the directory gets Parquet (pods-parquet.ts), else pods.csv
 * (converted by parquet.ts if Parquet is written later); `rackbench query`
 * reads them all as one table.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../core/errors.js';
import { writeChunksAtomic, writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import { RECORD_TABLES } from '../metrics/run-record.js';
import type { RecordTable, RunRecords } from '../metrics/run-record.js';
import { nodesCsvChunks, nodesHeader, podsCsvChunks, timeseriesCsv, timeseriesHeader } from '../report/records-csv.js';
import { sortRows, unionResources } from '../report/runs-csv.js';
import { queuePodsParquet } from './pods-parquet.js';
import type { RunResult } from './run-protocol.js';

export const RECORDS_DIR = 'records';
const FILES: Record<RecordTable, string> = { timeseries: 'timeseries.csv', nodes: 'nodes.csv', pods: 'pods.csv' };
/** A run's pod records once the set is written (parquet.ts): its pods.csv converted, and removed. */
export const PODS_PARQUET = 'pods.parquet';
/** The files a run's records directory may hold (merge copies these and nothing else). */
export const RECORD_FILES: readonly string[] = [...Object.values(FILES), PODS_PARQUET];
/** The tables combined at the top of a results directory. */
const COMBINED_TABLES = RECORD_TABLES.filter((t) => t !== 'pods');

/** `--record timeseries,pods` (or `all`) as a list of tables. */
export function parseRecordTables(value: string): RecordTable[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.includes('all')) return [...RECORD_TABLES];
  const unknown = names.filter((n) => !(RECORD_TABLES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--record: ${unknown.length > 0 ? `unknown table ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : 'no table named'}; expected a comma-separated list of ${RECORD_TABLES.join(', ')} (or all)`);
  }
  return [...new Set(names)] as RecordTable[];
}

/** Writes a finished run's records under records/<key>/ as CSV and returns the result without them (runs.ndjson stays small). */
export function saveRunRecords(out: string, key: string, result: RunResult): RunResult {
  const rec = result.records;
  if (rec === undefined) return result;
  writeRecordCsvs(out, key, result, rec, true);
  // A re-run's pod records replace the earlier run's (converted when the set is written).
  if (rec.pods !== undefined) rmSync(pathInside(out, RECORDS_DIR, key, PODS_PARQUET), { force: true });
  const { records: _dropped, ...rest } = result;
  return rest;
}

/**
 * As saveRunRecords, for a results directory that gets Parquet: the pod
 * records go straight to records/<key>/pods.parquet, never through
 * pods.csv. Resolves once every file is in place.
 */
export async function saveRunRecordsParquet(out: string, key: string, result: RunResult): Promise<RunResult> {
  const rec = result.records;
  if (rec === undefined) return result;
  writeRecordCsvs(out, key, result, rec, false);
  if (rec.pods !== undefined) {
    // A re-run's pod records replace the earlier run's, whichever form they had.
    rmSync(pathInside(out, RECORDS_DIR, key, FILES.pods), { force: true });
    await queuePodsParquet(pathInside(out, RECORDS_DIR, key, PODS_PARQUET), result, rec.pods);
  }
  const { records: _dropped, ...rest } = result;
  return rest;
}

function writeRecordCsvs(out: string, key: string, result: RunResult, rec: RunRecords, pods: boolean): void {
  mkdirSync(pathInside(out, RECORDS_DIR, key), { recursive: true });
  const series = timeseriesCsv(result, rec);
  // The per-node and per-pod tables go to disk piece by piece: each can run to millions of rows.
  const tables: [RecordTable, Iterable<string> | undefined][] = [
    ['timeseries', series === undefined ? undefined : [series]],
    ['nodes', nodesCsvChunks(result, rec)],
    ['pods', pods ? podsCsvChunks(result, rec) : undefined],
  ];
  for (const [table, csv] of tables) if (csv !== undefined) writeChunksAtomic(pathInside(out, RECORDS_DIR, key, FILES[table]), csv);
}

/**
 * Combines the per-run timeseries and nodes tables of these runs into the
 * directory's top-level tables, rows in runs.csv order. Resource columns are the union over runs
 * (empty where a run has no such resource). Runs without records add nothing.
 */
export function combineRecords(out: string, runs: readonly { readonly key: string; readonly result: RunResult }[]): string[] {
  removeCombinedRecords(out);
  const byResult = new Map(runs.map((r) => [r.result, r.key]));
  const ordered = sortRows(runs.map((r) => r.result)).map((result) => ({ result, key: byResult.get(result)! }));
  const resources = unionResources(ordered.map((r) => r.result));
  const written: string[] = [];
  for (const table of COMBINED_TABLES) {
    const files = ordered.map((r) => pathInside(out, RECORDS_DIR, r.key, FILES[table])).filter((f) => existsSync(f));
    if (files.length === 0) continue;
    const target = pathInside(out, FILES[table]);
    writeFileAtomic(target, realign(files, table === 'timeseries' ? timeseriesHeader(resources) : nodesHeader(resources)));
    written.push(target);
  }
  return written;
}

export function removeCombinedRecords(out: string): void {
  for (const f of RECORD_FILES) rmSync(join(out, f), { force: true });
}

/** Rows of every file under one header; a column a file lacks is left empty. */
function realign(files: readonly string[], header: readonly string[]): string {
  const rows: string[][] = [[...header]];
  for (const file of files) {
    const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    for (const r of records) rows.push(header.map((h) => r[h] ?? ''));
  }
  // Cells were escaped when each run's file was written.
  return stringify(rows, { record_delimiter: 'unix' });
}

/**
 * Record writes still under way. Each failure is held from the moment it is
 * added (not reported as unhandled while the runs go on) and thrown by
 * settle(), once every write has ended.
 */
export class PendingWrites {
  private readonly writes: Promise<unknown>[] = [];

  add(write: Promise<unknown>): void {
    write.catch(() => undefined);
    this.writes.push(write);
  }

  async settle(): Promise<void> {
    const failed = (await Promise.allSettled(this.writes)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
