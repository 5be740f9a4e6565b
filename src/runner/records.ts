/**
 * Opt-in run records on disk. Each run's tables are written, atomically, to
 * records/<run key>/ as the run finishes (so a resumed sweep keeps them), and
 * combined into timeseries.csv, nodes.csv and pods.csv at the top of the
 * results directory, in the order of runs.csv, when the set is written.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../core/errors.js';
import { writeChunksAtomic, writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import { RECORD_TABLES } from '../metrics/run-record.js';
import type { RecordTable } from '../metrics/run-record.js';
import { nodesCsvChunks, nodesHeader, podsCsvChunks, timeseriesCsv, timeseriesHeader } from '../report/records-csv.js';
import { sortRows, unionResources } from '../report/runs-csv.js';
import type { RunResult } from './run-protocol.js';

export const RECORDS_DIR = 'records';
const FILES: Record<RecordTable, string> = { timeseries: 'timeseries.csv', nodes: 'nodes.csv', pods: 'pods.csv' };
export const RECORD_FILES: readonly string[] = Object.values(FILES);

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

/** Writes a finished run's records under records/<key>/ and returns the result without them (runs.ndjson stays small). */
export function saveRunRecords(out: string, key: string, result: RunResult): RunResult {
  const rec = result.records;
  if (rec === undefined) return result;
  const dir = pathInside(out, RECORDS_DIR, key);
  mkdirSync(dir, { recursive: true });
  const series = timeseriesCsv(result, rec);
  // The per-node and per-pod tables go to disk piece by piece: each can run to millions of rows.
  const tables: [RecordTable, Iterable<string> | undefined][] = [
    ['timeseries', series === undefined ? undefined : [series]],
    ['nodes', nodesCsvChunks(result, rec)],
    ['pods', podsCsvChunks(result, rec)],
  ];
  for (const [table, csv] of tables) if (csv !== undefined) writeChunksAtomic(pathInside(out, RECORDS_DIR, key, FILES[table]), csv);
  const { records: _dropped, ...rest } = result;
  return rest;
}

/**
 * Combines the per-run tables of these runs into the directory's top-level
 * tables, rows in runs.csv order. Resource columns are the union over runs
 * (empty where a run has no such resource). Runs without records add nothing.
 */
export function combineRecords(out: string, runs: readonly { readonly key: string; readonly result: RunResult }[]): string[] {
  removeCombinedRecords(out);
  const byResult = new Map(runs.map((r) => [r.result, r.key]));
  const ordered = sortRows(runs.map((r) => r.result)).map((result) => ({ result, key: byResult.get(result)! }));
  const resources = unionResources(ordered.map((r) => r.result));
  const written: string[] = [];
  for (const table of RECORD_TABLES) {
    const files = ordered.map((r) => pathInside(out, RECORDS_DIR, r.key, FILES[table])).filter((f) => existsSync(f));
    if (files.length === 0) continue;
    const target = pathInside(out, FILES[table]);
    if (table === 'pods') concatenate(files, target);
    else writeFileAtomic(target, realign(files, table === 'timeseries' ? timeseriesHeader(resources) : nodesHeader(resources)));
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

/** Streams files with one shared header into one (pods.csv can hold millions of rows), via a temporary file, a buffer at a time. */
function concatenate(files: readonly string[], target: string): void {
  const tmp = `${target}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    files.forEach((file, i) => {
      const input = openSync(file, 'r');
      try {
        // Every file after the first loses its header line.
        let skipping = i > 0;
        for (let n = readSync(input, buffer); n > 0; n = readSync(input, buffer)) {
          let from = 0;
          if (skipping) {
            const newline = buffer.subarray(0, n).indexOf(10);
            if (newline < 0) continue;
            skipping = false;
            from = newline + 1;
          }
          writeSync(fd, buffer, from, n - from);
        }
      } finally {
        closeSync(input);
      }
    });
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}
