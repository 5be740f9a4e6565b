/**
 * Usage against requests against allocatable over time (timeseries.csv's
 * cpu_* and memory_* columns): for each of CPU and memory, a panel per
 * policy with three lines, so the over-commit (requested above used: waste;
 * used above requested: over-commit) and the headroom to allocatable show at
 * a glance. Each policy's lowest recorded seed is drawn, as the heatmap does.
 */
import type { Chart } from './chart.js';

/** What the chart reads of a timeseries.csv row (record-charts.ts SeriesRow). */
export interface UsageRow {
  readonly scheduler: string;
  readonly seed: number;
  readonly t: number;
  readonly values: Readonly<Record<string, number>>;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const LINES: readonly [string, string][] = [
  ['used', '#d62728'],
  ['requested', '#1f77b4'],
  ['allocatable', '#7f7f7f'],
];

/** The points of one resource's chart: per policy, its lowest seed, a point per bucket and line (value in cores or GiB). */
export function usagePoints(rows: readonly UsageRow[], resource: 'cpu' | 'memory', policies: readonly string[]): { policy: string; seed: number; t: number; line: string; value: number }[] {
  const scale = resource === 'cpu' ? 1 : 2 ** 30;
  const out: { policy: string; seed: number; t: number; line: string; value: number }[] = [];
  for (const policy of policies) {
    const mine = rows.filter((r) => r.scheduler === policy && r.values[`${resource}_used`] !== undefined);
    if (mine.length === 0) continue;
    const seed = Math.min(...mine.map((r) => r.seed));
    for (const r of mine) {
      if (r.seed !== seed) continue;
      for (const [line] of LINES) out.push({ policy, seed, t: r.t, line, value: Number((r.values[`${resource}_${line}`]! / scale).toPrecision(4)) });
    }
  }
  return out;
}

/** The usage charts of one scenario's recorded rows (already coarsened): none when the records carry no usage columns. */
export function usageCharts(scenario: string, rows: readonly UsageRow[], series: readonly string[]): Chart[] {
  const charts: Chart[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const values = usagePoints(rows, resource, series);
    if (values.length === 0) continue;
    const policies = series.filter((s) => values.some((v) => v.policy === s));
    const unit = resource === 'cpu' ? 'cores' : 'GiB';
    const title = `${resource === 'cpu' ? 'CPU' : 'Memory'} used, requested and allocatable over time`;
    charts.push({
      kind: `usage-${resource}`,
      section: scenario,
      title,
      caption: `${title} over all nodes (${unit}; timeseries.csv ${resource}_used, ${resource}_requested, ${resource}_allocatable, time-weighted means over each bucket), the lowest recorded seed of each policy. Used above requested is over-commit; requested above used is waste. Without a usage model, used is requested.`,
      spec: {
        $schema: SCHEMA,
        title: { text: title, subtitle: 'one panel per policy' },
        params: [{ name: 'hidden', value: [] }],
        data: { values },
        facet: { field: 'policy', type: 'nominal', title: null, sort: policies, header: { labelFontWeight: 'bold', labelAnchor: 'start', labelLimit: 240 } },
        columns: Math.ceil(policies.length / Math.ceil(policies.length / 4)),
        spec: {
          width: 220,
          height: 90,
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2, clip: true },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
            y: { field: 'value', type: 'quantitative', title: unit, scale: { zero: true } },
            color: { field: 'line', type: 'nominal', title: null, scale: { domain: LINES.map(([l]) => l), range: LINES.map(([, c]) => c) }, legend: { orient: 'bottom', direction: 'horizontal' } },
            opacity: { condition: { test: 'indexof(hidden, datum["policy"]) >= 0', value: 0.05 }, value: 1 },
            tooltip: [{ field: 'policy' }, { field: 'seed' }, { field: 'line' }, { field: 't', title: 'time (s)', format: '.4~g' }, { field: 'value', title: unit, format: '.4~g' }],
          },
        },
      },
    });
  }
  return charts;
}
