/** summary.json: per (scenario, scheduler, queue) group, each metric's statistics across seeds. */
import { ci95HalfWidth, Welford } from '../core/stats.js';
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
  /**
   * Half-width of the 95 % confidence interval of the mean across seeds
   * (Student's t with n − 1 degrees of freedom): the interval is mean ± ci95.
   * 0 when every seed gave the same value; null when n = 1.
   */
  readonly ci95: number | null;
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
  /** Present when a baseline policy was chosen (rackbench report): the paired comparisons against it. */
  readonly baseline?: string;
  readonly comparisons?: readonly GroupComparison[];
}

/** A policy's per-seed ratios to the baseline policy on the same scenario, queue and seeds. */
export interface GroupComparison {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly metrics: Readonly<Record<string, RatioStats>>;
}

export interface RatioStats {
  /** Seeds paired: both runs present and a ratio defined (see pairedRatio in compare.ts). */
  readonly n: number;
  /** Mean over the n seeds of policy ÷ baseline; null when n = 0. */
  readonly ratio: number | null;
  /** Half-width of the ratio's 95 % confidence interval (Student's t); null when n < 2. */
  readonly ci95: number | null;
  /**
   * +1 when the interval lies wholly above 1, −1 wholly below, 0 when it
   * contains 1, is undefined, or misses 1 by less than result files' rounding (1e-6).
   */
  readonly excludesOne: -1 | 0 | 1;
  /** Seeds left out because the baseline's value was 0 and the policy's not (no finite ratio). */
  readonly skipped: number;
}

export function groupKey(r: Pick<RunRow, 'scenario' | 'scheduler' | 'queue'>): string {
  return `${r.scenario}\u0000${r.scheduler}\u0000${r.queue}`;
}

/** Rows by (scenario, scheduler, queue), in sortRows order within and across groups. */
export function groupRows(rows: readonly RunRow[]): Map<string, RunRow[]> {
  const groups = new Map<string, RunRow[]>();
  for (const row of sortRows(rows)) {
    const key = groupKey(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

export function summarize(rows: readonly RunRow[]): Summary {
  const columns = metricColumns(unionResources(rows));
  const groups = groupRows(rows);
  return {
    format: 'rackbench-summary/1',
    runs: rows.length,
    groups: [...groups.values()].map((runs) => {
      const metrics: Record<string, MetricStats> = {};
      for (const m of columns) {
        const w = new Welford();
        // The values as runs.csv holds them, so a summary recomputed from runs.csv is identical.
        for (const r of runs) if (r.metrics[m] !== undefined) w.add(round6(r.metrics[m]));
        if (w.n === 0) continue;
        metrics[m] = metricStats(w);
      }
      const first = runs[0]!;
      return { scenario: first.scenario, scheduler: first.scheduler, queue: first.queue, seeds: runs.map((r) => r.seed), metrics };
    }),
  };
}

/** Statistics of one metric's values across seeds, rounded as result files are. */
export function metricStats(w: Welford): MetricStats {
  const ci = ci95HalfWidth(w.sd, w.n);
  return { n: w.n, mean: round6(w.mean), sd: round6(w.sd), min: round6(w.min), max: round6(w.max), ci95: Number.isNaN(ci) ? null : round6(ci) };
}

export function summaryJson(rows: readonly RunRow[]): string {
  return formatSummary(summarize(rows));
}

export function formatSummary(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
