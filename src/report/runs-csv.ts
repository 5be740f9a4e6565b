/** runs.csv and timings.csv: one row per run, stable columns (see metrics/columns.ts). */
import { stringify } from 'csv-stringify/sync';
import { KEY_COLUMNS, metricColumns, TIMING_COLUMNS } from '../metrics/columns.js';
import { round6 } from './format.js';

/** What report needs of a finished run (a subset of runner's RunResult). */
export interface RunRow {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
  readonly resources: readonly string[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly timing: { readonly wallMs: number; readonly events: number; readonly attempts?: number | undefined };
}

/** Resource names across runs: the built-ins first, then extended resources in name order. */
export function unionResources(rows: readonly RunRow[]): string[] {
  const builtin = ['cpu', 'memory', 'nvme', 'nic', 'pods'];
  const extended = new Set<string>();
  for (const row of rows) for (const r of row.resources) if (!builtin.includes(r)) extended.add(r);
  return [...builtin, ...[...extended].sort()];
}

/** Rows in a stable order: scenario, scheduler, queue, seed. */
export function sortRows<T extends RunRow>(rows: readonly T[]): T[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort(
    (a, b) => cmp(a.scenario, b.scenario) || cmp(a.scheduler, b.scheduler) || cmp(a.queue, b.queue) || a.seed - b.seed,
  );
}

const csvOptions = {
  // A cell starting with = + - @ would run as a formula in a spreadsheet: prefix it with '.
  escape_formulas: true,
  record_delimiter: 'unix',
} as const;

export function runsCsv(rows: readonly RunRow[]): string {
  const metrics = metricColumns(unionResources(rows));
  const header = [...KEY_COLUMNS.map((c) => c.name), ...metrics];
  const records = sortRows(rows).map((r) => [
    r.scenario,
    r.scheduler,
    r.queue,
    r.seed,
    ...metrics.map((m) => (r.metrics[m] === undefined ? '' : round6(r.metrics[m]))),
  ]);
  return stringify([header, ...records], csvOptions);
}

export function timingsCsv(rows: readonly RunRow[]): string {
  const header = TIMING_COLUMNS.map((c) => c.name);
  const records = sortRows(rows).map((r) => {
    const seconds = r.timing.wallMs / 1000;
    return [
      r.scenario,
      r.scheduler,
      r.queue,
      r.seed,
      round6(r.timing.wallMs),
      r.timing.events,
      Math.round(r.timing.events / seconds),
      Math.round((r.metrics.pods_scheduled ?? 0) / seconds),
      r.timing.attempts ?? '',
    ];
  });
  return stringify([header, ...records], csvOptions);
}
