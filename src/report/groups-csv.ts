/**
 * groups.csv: the summary in long form, one row per (scenario, scheduler,
 * queue) group × metric, with the paired comparison against the baseline
 * policy when one was chosen. Long rather than wide, so the columns stay the
 * same whatever resources and metrics a set of runs has.
 */
import { stringify } from 'csv-stringify/sync';
import { metricUnit } from './metric-info.js';
import type { Summary } from './summary.js';
import { groupKey } from './summary.js';

export const GROUP_COLUMNS = [
  'scenario',
  'scheduler',
  'queue',
  'metric',
  'unit',
  'n',
  'mean',
  'sd',
  'ci95',
  'min',
  'max',
  'baseline',
  'ratio_n',
  'ratio',
  'ratio_ci95',
  'ratio_excludes_1',
  'ratio_skipped',
] as const;

const cell = (x: number | null | undefined): number | string => (x === null || x === undefined ? '' : x);

export function groupsCsv(summary: Summary): string {
  const comparisons = new Map((summary.comparisons ?? []).map((c) => [groupKey(c), c]));
  const records: (string | number)[][] = [];
  for (const g of summary.groups) {
    const c = comparisons.get(groupKey(g));
    for (const [metric, s] of Object.entries(g.metrics)) {
      const r = c?.metrics[metric];
      records.push([
        g.scenario,
        g.scheduler,
        g.queue,
        metric,
        metricUnit(metric),
        s.n,
        s.mean,
        s.sd,
        cell(s.ci95),
        s.min,
        s.max,
        // The baseline's own rows and scenarios without it carry no comparison.
        c === undefined ? '' : (summary.baseline ?? ''),
        cell(r?.n),
        cell(r?.ratio),
        cell(r?.ci95),
        r === undefined ? '' : r.excludesOne > 0 ? 'above' : r.excludesOne < 0 ? 'below' : '',
        cell(r?.skipped),
      ]);
    }
  }
  // Like runs.csv: a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it.
  return stringify([[...GROUP_COLUMNS], ...records], { escape_formulas: true, record_delimiter: 'unix' });
}
