/**
 * The summary and comparison tables as plain cells, so the HTML, markdown and
 * terminal reports show the same numbers and differ only in how they draw them.
 * Rows are metrics and columns are policies: a handful of policies fits across
 * a terminal or a pull-request comment, a dozen metrics would not.
 */
import { formatValue, KEY_METRICS, metricDirection, metricUnit } from './metric-info.js';
import type { ScenarioView } from './report-model.js';
import { comparisonOf, seriesName } from './report-model.js';
import type { MetricStats, RatioStats } from './summary.js';

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

/** mean ± CI half-width, in the metric's format; the mean alone when n = 1. */
export function meanText(metric: string, s: MetricStats | undefined): string {
  if (s === undefined) return '–';
  return s.ci95 === null ? `${formatValue(metric, s.mean)} (n=1)` : `${formatValue(metric, s.mean)} ± ${formatValue(metric, s.ci95)}`;
}

/** The ratio, its CI half-width and a marker when the interval excludes 1: ▲ above, ▼ below. */
export function ratioCell(metric: string, r: RatioStats | undefined): Cell {
  if (r === undefined) return plain('–');
  const left = r.skipped > 0 ? `${r.skipped} with baseline 0` : '';
  if (r.ratio === null) return plain(`– (${left})`);
  const ratio = `×${r.ratio.toFixed(3)}`;
  if (r.ci95 === null) return plain(`${ratio} (n=1${left === '' ? '' : `, ${left}`})`);
  const text = `${ratio} ± ${r.ci95.toFixed(3)}${r.excludesOne > 0 ? ' ▲' : r.excludesOne < 0 ? ' ▼' : ''}${left === '' ? '' : ` (${left})`}`;
  if (r.excludesOne === 0) return plain(text);
  const direction = metricDirection(metric);
  if (direction === 'neutral') return { text, tone: 'changed' };
  const better = (direction === 'lower') === r.excludesOne < 0;
  return { text, tone: better ? 'better' : 'worse' };
}

/** Per metric, each policy's mean ± 95 % CI across seeds. */
export function summaryTable(view: ScenarioView, metrics?: readonly string[]): Table {
  const header = ['metric', ...view.groups.map((g) => seriesName(view, g))];
  const seeds = [plain('seeds'), ...view.groups.map((g) => plain(String(g.seeds.length)))];
  const rows = shownMetrics(view, metrics).map((m) => [plain(metricLabel(m)), ...view.groups.map((g) => plain(meanText(m, g.metrics[m])))]);
  return { header, rows: [seeds, ...rows] };
}

/**
 * Per metric, the baseline's mean ± CI and each other policy's paired ratio
 * to it; undefined when the baseline did not run in this scenario.
 */
export function comparisonTable(view: ScenarioView, metrics?: readonly string[]): Table | undefined {
  const base = view.baselineGroup;
  if (base === undefined) return undefined;
  const others = view.groups.filter((g) => g !== base);
  const header = ['metric', `${seriesName(view, base)} (baseline)`, ...others.map((g) => seriesName(view, g))];
  const rows = shownMetrics(view, metrics).map((m) => [
    plain(metricLabel(m)),
    plain(meanText(m, base.metrics[m])),
    ...others.map((g) => ratioCell(m, comparisonOf(view, g)?.metrics[m])),
  ]);
  return { header, rows };
}

export const RATIO_LEGEND =
  'Ratios are policy ÷ baseline per seed (same scenario, queue and seed), averaged over seeds, ± the half-width of their 95 % confidence interval (Student’s t). ▲/▼: the interval lies wholly above/below 1. A seed where the baseline is 0 and the policy is not has no ratio and is left out (“k with baseline 0”); 0 ÷ 0 counts as 1. Intervals within 1e-6 of 1 (the rounding of result files) count as containing it.';
