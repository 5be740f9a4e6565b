/**
 * The summary and comparison tables as plain cells, so the HTML, markdown and
 * terminal reports show the same numbers and differ only in how they draw them.
 * Rows are metrics and columns are policies: a handful of policies fits across
 * a terminal or a pull-request comment, a dozen metrics would not.
 */
import { formatValue, KEY_METRICS, metricDirection, metricUnit } from './metric-info.js';
import type { ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import type { RatioSpread, SeedIndex, SeedSpread } from './seed-values.js';

/** better/worse: the interval excludes 1 on the side the metric's direction prefers, or the other. */
export type Tone = 'better' | 'worse' | 'changed' | 'plain';

export interface Cell {
  readonly text: string;
  readonly tone: Tone;
}

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const plain = (text: string): Cell => ({ text, tone: 'plain' });

/** The metrics to show: the given ones, or the key metrics the groups have. */
export function shownMetrics(view: ScenarioView, metrics?: readonly string[]): string[] {
  const present = new Set(view.groups.flatMap((g) => Object.keys(g.metrics)));
  return (metrics ?? KEY_METRICS).filter((m) => present.has(m));
}

export function metricLabel(metric: string): string {
  const unit = metricUnit(metric);
  return unit === '' || unit === 'ratio' ? metric : `${metric} (${unit})`;
}

/**
 * The mean and its 95 % percentile bootstrap interval in brackets, in the
 * metric's format; the mean alone when n = 1, or when every seed agrees.
 */
export function meanText(metric: string, s: SeedSpread | undefined): string {
  if (s === undefined) return '–';
  if (s.ci === null) return `${formatValue(metric, s.mean)} (n=1)`;
  if (s.ci.lo === s.ci.hi) return formatValue(metric, s.mean);
  return `${formatValue(metric, s.mean)} [${formatValue(metric, s.ci.lo)}, ${formatValue(metric, s.ci.hi)}]`;
}

/** Results are rounded to 1e-6, so an interval that misses 1 by less is not told apart from one that contains it. */
const TIE = 1e-6;

/** Whether the ratio's interval lies wholly above 1 (1), below (−1), or contains it (0). */
export function ratioSide(r: RatioSpread): -1 | 0 | 1 {
  if (r.ci === null) return 0;
  if (r.ci.lo > 1 + TIE) return 1;
  if (r.ci.hi < 1 - TIE) return -1;
  return 0;
}

/** The mean ratio, its bootstrap interval and a marker when the interval excludes 1: ▲ above, ▼ below. */
export function ratioCell(metric: string, r: RatioSpread | undefined): Cell {
  if (r === undefined) return plain('–');
  const left = r.skipped > 0 ? `${r.skipped} with baseline 0` : '';
  if (r.n === 0) return plain(`– (${left})`);
  const ratio = `×${r.mean.toFixed(3)}`;
  if (r.ci === null) return plain(`${ratio} (n=1${left === '' ? '' : `, ${left}`})`);
  const side = ratioSide(r);
  const interval = r.ci.lo === r.ci.hi ? '' : ` [${r.ci.lo.toFixed(3)}, ${r.ci.hi.toFixed(3)}]`;
  const text = `${ratio}${interval}${side > 0 ? ' ▲' : side < 0 ? ' ▼' : ''}${left === '' ? '' : ` (${left})`}`;
  if (side === 0) return plain(text);
  const direction = metricDirection(metric);
  if (direction === 'neutral') return { text, tone: 'changed' };
  const better = (direction === 'lower') === side < 0;
  return { text, tone: better ? 'better' : 'worse' };
}

/** Per metric, each policy's mean and 95 % bootstrap interval across seeds. */
export function summaryTable(view: ScenarioView, seeds: SeedIndex, metrics?: readonly string[]): Table {
  const header = ['metric', ...view.groups.map((g) => seriesName(view, g))];
  const counts = [plain('seeds'), ...view.groups.map((g) => plain(String(g.seeds.length)))];
  const rows = shownMetrics(view, metrics).map((m) => [plain(metricLabel(m)), ...view.groups.map((g) => plain(meanText(m, seeds.spread(g, m))))]);
  return { header, rows: [counts, ...rows] };
}

/**
 * Per metric, the baseline's mean and interval and each other policy's paired
 * ratio to it; undefined when the baseline did not run in this scenario.
 */
export function comparisonTable(view: ScenarioView, seeds: SeedIndex, metrics?: readonly string[]): Table | undefined {
  const base = view.baselineGroup;
  if (base === undefined) return undefined;
  const others = view.groups.filter((g) => g !== base);
  const header = ['metric', `${seriesName(view, base)} (baseline)`, ...others.map((g) => seriesName(view, g))];
  const rows = shownMetrics(view, metrics).map((m) => [
    plain(metricLabel(m)),
    plain(meanText(m, seeds.spread(base, m))),
    ...others.map((g) => ratioCell(m, seeds.ratioSpread(g, base, m))),
  ]);
  return { header, rows };
}

export const RATIO_LEGEND =
  'Ratios are policy ÷ baseline per seed (same scenario, queue and seed), averaged over seeds, with the 95 % percentile bootstrap interval of that mean in brackets (2,000 seeded resamples; it stays within the ratios seen, so above 0). ▲/▼: the interval lies wholly above/below 1 (with few seeds a bootstrap interval is narrow: the verdict’s signed-rank test says whether a difference holds). A seed where the baseline is 0 and the policy is not has no ratio and is left out (“k with baseline 0”); 0 ÷ 0 counts as 1. Intervals within 1e-6 of 1 (the rounding of result files) count as containing it.';
