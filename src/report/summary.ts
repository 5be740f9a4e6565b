/** summary.json: per (scenario, scheduler, queue) group, each metric's statistics across seeds. */
import { Welford } from '../core/stats.js';
import { metricColumns } from '../metrics/columns.js';
import { round6 } from './format.js';
import type { RunRow } from './runs-csv.js';
import { sortRows, unionResources } from './runs-csv.js';

export interface MetricStats {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation across seeds (0 when n = 1). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

export interface GroupSummary {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seeds: readonly number[];
  readonly metrics: Readonly<Record<string, MetricStats>>;
}

export interface Summary {
  readonly format: 'rackbench-summary/1';
  readonly runs: number;
  readonly groups: readonly GroupSummary[];
}

export function groupKey(r: Pick<RunRow, 'scenario' | 'scheduler' | 'queue'>): string {
  return `${r.scenario}\u0000${r.scheduler}\u0000${r.queue}`;
}

export function summarize(rows: readonly RunRow[]): Summary {
  const columns = metricColumns(unionResources(rows));
  const groups = new Map<string, RunRow[]>();
  for (const row of sortRows(rows)) {
    const key = groupKey(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return {
    format: 'rackbench-summary/1',
    runs: rows.length,
    groups: [...groups.values()].map((runs) => {
      const metrics: Record<string, MetricStats> = {};
      for (const m of columns) {
        const w = new Welford();
        for (const r of runs) if (r.metrics[m] !== undefined) w.add(r.metrics[m]);
        if (w.n === 0) continue;
        metrics[m] = { n: w.n, mean: round6(w.mean), sd: round6(w.sd), min: round6(w.min), max: round6(w.max) };
      }
      const first = runs[0]!;
      return { scenario: first.scenario, scheduler: first.scheduler, queue: first.queue, seeds: runs.map((r) => r.seed), metrics };
    }),
  };
}

export function summaryJson(rows: readonly RunRow[]): string {
  return `${JSON.stringify(summarize(rows), null, 2)}\n`;
}
