/** Reading a results directory back (reports, the gate): runs.csv with timings.csv, and whether the set is complete. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../core/errors.js';
import { InputError } from '../model/yaml-input.js';
import { KEY_COLUMNS } from '../metrics/columns.js';
import { RUN_EVENTS, USAGE_SERIES } from '../metrics/run-record.js';
import { resourcesOf } from '../report/metric-info.js';
import type { PlatformNodeRow } from '../report/platforms-csv.js';
import { platformRowsFromCsv } from '../report/platforms-csv.js';
import type { NodeRow, RunRecordRows, SeriesRow } from '../report/record-charts.js';
import type { RunRow } from '../report/runs-csv.js';
import type { SketchEntry } from '../report/sketches-json.js';
import { parseSketches, SKETCHES_JSON } from '../report/sketches-json.js';
import { FAILURES_CSV, PLATFORMS_CSV } from './result-store.js';

export interface ResultsDir {
  readonly dir: string;
  readonly rows: RunRow[];
  /** summary.json is present: every run of the set succeeded. */
  readonly complete: boolean;
  /** Rows of failures.csv: runs that failed and are not in rows. */
  readonly failed: number;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/**
 * Undoes runs.csv's formula escaping (a leading ' before = + - @, tab or CR),
 * so a scheduler named `-x` reads back as `-x`.
 */
export function unescapeCell(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

export function readResultsDir(dir: string): ResultsDir {
  if (!existsSync(dir)) throw new UsageError(`no such results directory: ${dir}`);
  const runsFile = join(dir, 'runs.csv');
  if (!existsSync(runsFile)) throw new UsageError(`${dir} holds no runs.csv: give a directory that rackbench run or sweep wrote`);
  const records = readCsv(runsFile);
  const keys = new Set(KEY_COLUMNS.map((c) => c.name));
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  // runs.csv has a column per resource; the rows need the names to find the per-resource metrics.
  const resources = resourcesOf(header);
  const timingsFile = join(dir, 'timings.csv');
  const timings = existsSync(timingsFile) ? readCsv(timingsFile) : [];
  const timingOf = new Map(timings.map((t) => [`${t.scenario}/${t.scheduler}/${t.queue}/${t.seed}`, t]));
  const rows = records.map((r, i): RunRow => {
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) {
      if (keys.has(k) || v === '') continue;
      const x = Number(v);
      if (!Number.isFinite(x)) throw new InputError(runsFile, [{ path: `row ${i + 2}.${k}`, line: i + 2, message: `expected a number, found "${v}"` }]);
      metrics[k] = x;
    }
    const seed = Number(r.seed);
    if (!Number.isInteger(seed)) throw new InputError(runsFile, [{ path: `row ${i + 2}.seed`, line: i + 2, message: `expected an integer seed, found "${r.seed}"` }]);
    const t = timingOf.get(`${r.scenario}/${r.scheduler}/${r.queue}/${r.seed}`);
    return {
      scenario: unescapeCell(r.scenario ?? ''),
      scheduler: unescapeCell(r.scheduler ?? ''),
      queue: unescapeCell(r.queue ?? ''),
      seed,
      resources,
      metrics,
      timing: { wallMs: t ? Number(t.wall_ms) : 0, events: t ? Number(t.events) : 0, attempts: t?.attempts ? Number(t.attempts) : undefined },
    };
  });
  const failuresFile = join(dir, FAILURES_CSV);
  const failed = existsSync(failuresFile) ? readCsv(failuresFile).length : 0;
  return { dir, rows, complete: existsSync(join(dir, 'summary.json')), failed };
}

/** timeseries.csv and nodes.csv of a results directory, when its runs recorded them (`--record`). */
export function readRecordRows(dir: string): RunRecordRows {
  const read = (name: string): Record<string, string>[] => (existsSync(join(dir, name)) ? readCsv(join(dir, name)) : []);
  const num = (file: string, r: Record<string, string>, k: string, i: number): number => {
    const v = r[k] ?? '';
    const x = Number(v);
    if (v === '' || !Number.isFinite(x)) throw new InputError(join(dir, file), [{ path: `row ${i + 2}.${k}`, line: i + 2, message: `expected a number, found "${v}"` }]);
    return x;
  };
  const shares = (r: Record<string, string>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) if (k.startsWith('alloc_') && v !== '') out[k.slice(6)] = Number(v);
    return out;
  };
  const series = read('timeseries.csv').map((r, i): SeriesRow => {
    const values: Record<string, number> = {};
    for (const k of ['pending_pods', 'running_pods', 'active_nodes']) values[k] = num('timeseries.csv', r, k, i);
    // Event counts and usage: absent from the records of older versions.
    for (const k of [...RUN_EVENTS, ...USAGE_SERIES]) if ((r[k] ?? '') !== '') values[k] = num('timeseries.csv', r, k, i);
    for (const [k, v] of Object.entries(shares(r))) values[`alloc_${k}`] = v;
    return {
      scenario: unescapeCell(r.scenario ?? ''),
      scheduler: unescapeCell(r.scheduler ?? ''),
      seed: num('timeseries.csv', r, 'seed', i),
      t: num('timeseries.csv', r, 't_s', i),
      width: num('timeseries.csv', r, 'width_s', i),
      values,
    };
  });
  const nodes = read('nodes.csv').map(
    (r, i): NodeRow => ({
      scenario: unescapeCell(r.scenario ?? ''),
      scheduler: unescapeCell(r.scheduler ?? ''),
      seed: num('nodes.csv', r, 'seed', i),
      node: unescapeCell(r.node ?? ''),
      t: num('nodes.csv', r, 't_s', i),
      width: num('nodes.csv', r, 'width_s', i),
      shares: shares(r),
    }),
  );
  return { series, nodes };
}

/** platforms.csv of a results directory (a run whose scenarios ran on several platforms); empty when absent. */
export function readPlatformRows(dir: string): PlatformNodeRow[] {
  const file = join(dir, PLATFORMS_CSV);
  if (!existsSync(file)) return [];
  return platformRowsFromCsv(
    readCsv(file).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unescapeCell(v)]))),
    (row, column, value) => {
      throw new InputError(file, [{ path: `row ${row + 2}.${column}`, line: row + 2, message: `expected a number, found "${value}"` }]);
    },
  );
}

/** sketches.json of a results directory; empty when absent (results of an older version). */
export function readSketches(dir: string): SketchEntry[] {
  const file = join(dir, SKETCHES_JSON);
  if (!existsSync(file)) return [];
  try {
    return parseSketches(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not a rackbench sketches file: ${(e as Error).message}`);
  }
}
