/**
 * The charts of capacity.html: monthly cost against node count for every
 * option found, and each SLO's metric against the node counts the search
 * tried, with the threshold drawn. An axis whose values span decades is
 * logarithmic; legends sit below the panels, where their labels have the
 * chart's whole width, and colours come from the report's colour-blind-safe
 * palette.
 */
import type { CapacityReport } from './capacity-report.js';
import type { Chart } from './chart.js';
import { axisFor } from './axes.js';
import type { AxisChoice } from './axes.js';
import { SCHEMA } from './chart-parts.js';
import { policyScale } from './palette.js';

const LEGEND = { orient: 'bottom', direction: 'vertical', labelLimit: 400, titleLimit: 400 } as const;

/** A quantitative scale: logarithmic, ticked at powers of ten, when the positive values span decades. */
function scaleFor(values: readonly number[], zero: boolean): AxisChoice {
  return axisFor(values, { zero });
}

const optionName = (o: { profile: string; platform: string }): string => `${o.profile} · ${o.platform}`;

/** A colour scale over names in the order the report lists them (not alphabetical: box-128c before box-16c before box-1c). */
function namedColours(names: readonly string[]): { domain: string[]; range: string[] } {
  return policyScale([...new Set(names)]);
}

function costChart(report: CapacityReport): Chart | undefined {
  const values = report.options
    .filter((o) => o.status === 'found' && o.nodes !== undefined && o.totalUsdPerMonth !== undefined)
    .map((o) => ({ option: optionName(o), profile: o.profile, platform: o.platform, growth: `×${o.growth}`, nodes: o.nodes!, usd: o.totalUsdPerMonth! }));
  if (values.length === 0) return undefined;
  const nodes = scaleFor(values.map((v) => v.nodes), true);
  const usd = scaleFor(values.map((v) => v.usd), true);
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
          x: { field: 'nodes', type: 'quantitative', title: `nodes of the sized pool${nodes.log ? ' (log scale)' : ''}`, scale: nodes.scale, axis: nodes.axis },
          y: { field: 'usd', type: 'quantitative', title: `cost (USD per month${usd.log ? ', log scale' : ''})`, scale: usd.scale, axis: usd.axis },
          color: { field: 'profile', type: 'nominal', title: 'hardware profile', scale: namedColours(report.options.map((o) => o.profile)), legend: LEGEND },
          shape: { field: 'platform', type: 'nominal', title: 'platform', legend: LEGEND },
          tooltip: [{ field: 'option' }, { field: 'growth' }, { field: 'nodes' }, { field: 'usd', title: 'USD per month', format: ',.0f' }],
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
  const nodes = scaleFor(values.map((v) => v.nodes), false);
  const metric = scaleFor([...values.map((v) => v.value), threshold.value], false);
  const x = { field: 'nodes', type: 'quantitative', title: `nodes of the sized pool${nodes.log ? ' (log scale)' : ''}`, scale: nodes.scale, axis: nodes.axis };
  const y = { field: 'value', type: 'quantitative', title: `${threshold.column}${metric.log ? ' (log scale)' : ''}`, scale: metric.scale, axis: metric.axis };
  const colours = namedColours(report.options.map(optionName));
  const colour = { field: 'option', type: 'nominal', title: 'option', scale: colours, legend: LEGEND };
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
          { mark: { type: 'line', point: false, strokeWidth: 1 }, encoding: { x, y, color: colour } },
          {
            mark: { type: 'point', size: 50 },
            encoding: {
              x,
              y,
              color: colour,
              tooltip: [{ field: 'option' }, { field: 'nodes' }, { field: 'value', title: threshold.column, format: '.4~g' }, { field: 'pass', title: 'SLOs' }],
              // The fill takes the stroke's colours (a channel of its own gets a scale of its own).
              fill: { condition: { test: "datum.pass === 'meets every SLO'", field: 'option', type: 'nominal', scale: colours }, value: 'white' },
            },
          },
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#a40e26' }, encoding: { y: { field: 'threshold', aggregate: 'min', type: 'quantitative', scale: metric.scale } } },
        ],
      },
    },
  };
}

export function capacityCharts(report: CapacityReport): Chart[] {
  return [costChart(report), ...report.slos.map((s) => sloChart(report, s))].filter((c): c is Chart => c !== undefined);
}
