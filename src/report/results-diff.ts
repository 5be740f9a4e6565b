/**
 * Two results directories compared (before and after a change, or two
 * machines): for every scenario × policy × queue both hold and every metric
 * of runs.csv both have, the change of the mean across seeds from A to B with
 * its 95 % percentile bootstrap interval. Where the two ran the same seeds the
 * runs pair (same scenario and seed: same workload), and the interval is that
 * of the mean of the per-seed differences; otherwise A and B are resampled
 * apart. A change is significant when its interval excludes 0; with one seed
 * there is no interval, and any difference is reported as a change (a run is
 * deterministic: the same seed gives the same value unless something changed).
 */
import { bootstrapDifferenceInterval, bootstrapMeanInterval } from '../core/inference.js';
import type { Interval } from '../core/inference.js';
import { metricColumns } from '../metrics/columns.js';
import { round6 } from './format.js';
import { formatValue, metricDirection } from './metric-info.js';
import type { RunRow } from './runs-csv.js';
import { unionResources } from './runs-csv.js';
import { groupKey, groupRows } from './summary.js';

/** Results are rounded to 1e-6: differences below that are rounding. */
const TIE = 1e-6;

export type ChangeStatus = 'significant' | 'changed' | 'not-significant' | 'unchanged';

export interface MetricChange {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly metric: string;
  readonly meanA: number;
  readonly meanB: number;
  /** meanB − meanA. */
  readonly delta: number;
  /** delta ÷ |meanA|; null when meanA is 0. */
  readonly relative: number | null;
  /** 95 % bootstrap interval of the change; null with one seed on a side. */
  readonly ci: Interval | null;
  readonly seedsA: number;
  readonly seedsB: number;
  /** Seeds both ran (the interval pairs them when they are all of both sides' seeds). */
  readonly paired: number;
  /**
   * significant: the interval excludes 0; changed: one seed and a different
   * value (no interval); not-significant: the means differ but the interval
   * holds 0; unchanged: the same value on every seed.
   */
  readonly status: ChangeStatus;
}

export interface ResultsDiff {
  readonly changes: readonly MetricChange[];
  /** Groups (scenario · policy · queue) only one side holds. */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
}

const label = (r: Pick<RunRow, 'scenario' | 'scheduler' | 'queue'>): string => `${r.scenario} · ${r.scheduler} · ${r.queue}`;

function changeOf(a: readonly RunRow[], b: readonly RunRow[], metric: string): MetricChange | undefined {
  const xs = a.flatMap((r) => (r.metrics[metric] === undefined ? [] : [{ seed: r.seed, v: round6(r.metrics[metric]) }]));
  const ys = b.flatMap((r) => (r.metrics[metric] === undefined ? [] : [{ seed: r.seed, v: round6(r.metrics[metric]) }]));
  if (xs.length === 0 || ys.length === 0) return undefined;
  const mean = (v: readonly { v: number }[]): number => v.reduce((s, x) => s + x.v, 0) / v.length;
  const meanA = round6(mean(xs));
  const meanB = round6(mean(ys));
  const delta = round6(meanB - meanA);
  const bySeed = new Map(xs.map((x) => [x.seed, x.v]));
  const pairs = ys.filter((y) => bySeed.has(y.seed)).map((y) => y.v - bySeed.get(y.seed)!);
  const allPaired = pairs.length === xs.length && pairs.length === ys.length;
  const seed = `diff\u0000${groupKey(a[0]!)}\u0000${metric}`;
  const raw = allPaired ? bootstrapMeanInterval(pairs, { seed }) : bootstrapDifferenceInterval(xs.map((x) => x.v), ys.map((y) => y.v), { seed });
  const ci = raw === null ? null : { lo: round6(raw.lo), hi: round6(raw.hi) };
  const same = allPaired ? pairs.every((d) => Math.abs(d) <= TIE) : Math.abs(delta) <= TIE;
  let status: ChangeStatus;
  if (same) status = 'unchanged';
  else if (ci === null) status = 'changed';
  else status = ci.lo > TIE || ci.hi < -TIE ? 'significant' : 'not-significant';
  const { scenario, scheduler, queue } = a[0]!;
  return { scenario, scheduler, queue, metric, meanA, meanB, delta, relative: meanA === 0 ? null : round6(delta / Math.abs(meanA)), ci, seedsA: xs.length, seedsB: ys.length, paired: pairs.length, status };
}

const RANK: Record<ChangeStatus, number> = { significant: 0, changed: 1, 'not-significant': 2, unchanged: 3 };

/** Every group × metric both sides hold; significant changes first, then by the size of the relative change. */
export function diffResults(a: readonly RunRow[], b: readonly RunRow[]): ResultsDiff {
  const ga = groupRows(a);
  const gb = groupRows(b);
  const metrics = metricColumns(unionResources([...a, ...b]));
  const changes: MetricChange[] = [];
  for (const [key, runsA] of ga) {
    const runsB = gb.get(key);
    if (runsB === undefined) continue;
    for (const m of metrics) {
      const c = changeOf(runsA, runsB, m);
      if (c !== undefined) changes.push(c);
    }
  }
  const size = (c: MetricChange): number => (c.relative === null ? (c.delta === 0 ? 0 : Infinity) : Math.abs(c.relative));
  changes.sort((x, y) => RANK[x.status] - RANK[y.status] || size(y) - size(x));
  const onlyA = [...ga.entries()].filter(([k]) => !gb.has(k)).map(([, r]) => label(r[0]!));
  const onlyB = [...gb.entries()].filter(([k]) => !ga.has(k)).map(([, r]) => label(r[0]!));
  return { changes, onlyA, onlyB };
}

/** Whether anything changed: a significant change, a one-seed change, or a group on one side only. */
export function anyChange(d: ResultsDiff): boolean {
  return d.onlyA.length > 0 || d.onlyB.length > 0 || d.changes.some((c) => c.status === 'significant' || c.status === 'changed');
}

/** better / worse / neutral for a change, by the metric's direction. */
export function changeTone(c: MetricChange): 'better' | 'worse' | 'changed' | 'plain' {
  if (c.status !== 'significant' && c.status !== 'changed') return 'plain';
  const dir = metricDirection(c.metric);
  if (dir === 'neutral') return 'changed';
  return (dir === 'lower') === c.delta < 0 ? 'better' : 'worse';
}

export const DIFF_HEADER = ['scenario', 'policy', 'queue', 'metric', 'A', 'B', 'change', '95 % interval of the change', 'seeds A/B (paired)', 'status'] as const;

/** A change as the cells of one table row (markdown and HTML). */
export function changeCells(c: MetricChange): string[] {
  const rel = c.relative === null ? '' : ` (${c.relative >= 0 ? '+' : ''}${(100 * c.relative).toFixed(1)} %)`;
  const signed = (x: number): string => `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatValue(c.metric, Math.abs(x))}`;
  const ci = c.ci === null ? 'n=1' : `[${signed(c.ci.lo)}, ${signed(c.ci.hi)}]`;
  const status = c.status === 'changed' ? 'changed (one seed, no interval)' : c.status === 'not-significant' ? 'not significant' : c.status;
  return [c.scenario, c.scheduler, c.queue, c.metric, formatValue(c.metric, c.meanA), formatValue(c.metric, c.meanB), `${signed(c.delta)}${rel}`, ci, `${c.seedsA}/${c.seedsB} (${c.paired})`, status];
}

export const DIFF_NOTE =
  'Change: mean across seeds of B minus that of A (and relative to A). Interval: 95 % percentile bootstrap (2,000 seeded resamples) of the mean per-seed difference where A and B ran the same seeds (paired: same scenario and seed, same workload), else of the difference of the two means, A and B resampled apart. Significant: the interval excludes 0. With one seed there is no interval; a run is deterministic, so any difference there is a change.';
