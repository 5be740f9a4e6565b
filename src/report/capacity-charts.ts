/**
 * The charts of capacity.html: monthly cost against node count for every
 * option found, and each SLO's metric against the node counts the search
 * tried, with the threshold drawn.
 */
import type { CapacityReport } from './capacity-report.js';
import type { Chart } from './chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const optionName = (o: { profile: string; platform: string }): string => `${o.profile} · ${o.platform}`;

function costChart(report: CapacityReport): Chart | undefined {
  const values = report.options
    .filter((o) => o.status === 'found' && o.nodes !== undefined && o.totalUsdPerMonth !== undefined)
    .map((o) => ({ option: optionName(o), profile: o.profile, platform: o.platform, growth: `×${o.growth}`, nodes: o.nodes!, usd: o.totalUsdPerMonth! }));
  if (values.length === 0) return undefined;
  const title = 'Monthly cost against node count';
  return {
    kind: 'capacity-cost',
    section: 'capacity',
    title,
    caption: 'Each option found: the smallest count of the sized pool meeting every SLO on every seed, and its monthly cost (purchase amortized, energy at the stated price and PUE, rack space); one panel per growth factor.',
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: 'per hardware profile (colour) and platform (shape)' },
      data: { values },
      facet: { column: { field: 'growth', type: 'nominal', title: 'growth factor' } },
      spec: {
        width: 220,
        height: 200,
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'nodes', type: 'quantitative', title: 'nodes of the sized pool', scale: { zero: true } },
          y: { field: 'usd', type: 'quantitative', title: 'cost (USD per month)', scale: { zero: true } },
          color: { field: 'profile', type: 'nominal', title: 'hardware profile' },
          shape: { field: 'platform', type: 'nominal', title: 'platform' },
        },
      },
    },
  };
}

function sloChart(report: CapacityReport, slo: string): Chart | undefined {
  const threshold = report.thresholds[slo];
  if (threshold === undefined) return undefined;
  const values = report.options.flatMap((o) =>
    o.evaluations.filter((e) => e.values[slo] !== undefined).map((e) => ({ option: optionName(o), growth: `×${o.growth}`, nodes: e.nodes, value: e.values[slo]!, pass: e.pass ? 'meets every SLO' : 'misses an SLO', threshold: threshold.value })),
  );
  if (values.length === 0) return undefined;
  const title = `${slo}: the metric against node count`;
  return {
    kind: 'capacity-slo',
    section: 'capacity',
    title,
    caption: `${threshold.column} at each node count the search tried (the worst over the seeds run there), per option; the rule is the threshold (${threshold.op} ${threshold.value}). Filled points met every SLO.`,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: `${threshold.column} ${threshold.op} ${threshold.value}` },
      data: { values },
      facet: { column: { field: 'growth', type: 'nominal', title: 'growth factor' } },
      spec: {
        width: 220,
        height: 200,
        layer: [
          { mark: { type: 'line', point: false, strokeWidth: 1 }, encoding: { x: { field: 'nodes', type: 'quantitative', title: 'nodes of the sized pool' }, y: { field: 'value', type: 'quantitative', title: threshold.column }, color: { field: 'option', type: 'nominal', title: 'option' } } },
          {
            mark: { type: 'point', size: 50 },
            encoding: {
              x: { field: 'nodes', type: 'quantitative' },
              y: { field: 'value', type: 'quantitative' },
              color: { field: 'option', type: 'nominal' },
              fill: { condition: { test: "datum.pass === 'meets every SLO'", field: 'option', type: 'nominal' }, value: 'white' },
            },
          },
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#a40e26' }, encoding: { y: { field: 'threshold', aggregate: 'min', type: 'quantitative' } } },
        ],
      },
    },
  };
}

export function capacityCharts(report: CapacityReport): Chart[] {
  return [costChart(report), ...report.slos.map((s) => sloChart(report, s))].filter((c): c is Chart => c !== undefined);
}
