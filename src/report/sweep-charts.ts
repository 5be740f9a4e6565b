/**
 * A sweep read as curves: per metric, the metric against the swept
 * parameter, one line per policy through the means across seeds, a band for
 * the 95 % bootstrap interval and each seed as a dot; a second varied
 * parameter gives small multiples. Then the Pareto chart and the delay
 * distributions of every point, as small multiples rather than a page each.
 */
import type { Chart, ChartSpec } from './chart.js';
import { BOOT_NOTE, displayScale, ecdfCurves, ecdfFloor, ecdfRows, fade, HIDDEN_PARAM, metricTitle, paretoAxis, paretoLayers, paretoValues, policyColour, SCHEMA } from './chart-parts.js';
import { axisFor } from './axes.js';
import type { ReportModel, ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import type { SweepFamily, SweepPoint } from './sweep-families.js';
import { shortPanel, shortParameter } from './sweep-families.js';

/** The metrics drawn against the swept parameter, where the results have them. */
export const SWEEP_METRICS: readonly string[] = [
  'delay_p50_s',
  'delay_p99_s',
  'pods_unschedulable',
  'active_nodes_mean',
  'packing_efficiency_peak',
  'alloc_cpu_mean',
  'alloc_memory_mean',
  'stranded_memory',
];

/** The section of the report a family's charts go to. */
export const familySection = (f: SweepFamily): string => `sweep ${f.name}`;

/** The short label of a point in small multiples: the swept value, with the other parameters. */
export const pointLabel = (f: SweepFamily, p: SweepPoint): string => shortPanel(p.panel === '' ? `${f.parameter}=${p.value}` : `${f.parameter}=${p.value}, ${p.panel}`);

function viewOf(model: ReportModel, p: SweepPoint): ScenarioView | undefined {
  return model.scenarios.find((v) => v.name === p.scenario);
}

function curve(model: ReportModel, family: SweepFamily, metric: string): Chart | undefined {
  const { k } = displayScale(metric);
  const values: Record<string, unknown>[] = [];
  for (const p of family.points) {
    const view = viewOf(model, p);
    if (view === undefined) continue;
    for (const g of view.groups) {
      const s = model.seeds.spread(g, metric);
      if (s === undefined) continue;
      const row = { x: family.numeric ? p.x : p.value, value_label: p.value, panel: shortPanel(p.panel), policy: seriesName(view, g) };
      values.push({ ...row, kind: 'mean', mean: s.mean * k, lo: (s.ci?.lo ?? s.mean) * k, hi: (s.ci?.hi ?? s.mean) * k, n: s.values.length });
      for (const v of s.values) values.push({ ...row, kind: 'seed', seed: v.seed, value: v.value * k });
    }
  }
  if (values.length === 0) return undefined;
  const { log, scale, axis } = axisFor(values.flatMap((v) => (v.kind === 'seed' ? [v.value as number] : [v.lo as number, v.hi as number])));
  const axisTitle = `${shortParameter(family.parameter)}${family.unit === '' ? '' : ` (${family.unit})`}`;
  const x = family.numeric
    ? { field: 'x', type: 'quantitative', title: axisTitle, scale: { zero: false, nice: false }, axis: { values: family.points.map((p) => p.x).filter((v, i, a) => a.indexOf(v) === i), labelFlush: true } }
    : { field: 'x', type: 'ordinal', title: axisTitle, sort: family.values, axis: { labelAngle: 0 } };
  const y = { type: 'quantitative', title: metricTitle(metric) + (log ? ', log scale' : ''), scale, axis };
  const unit: ChartSpec = {
    width: family.panels.length > 1 ? 260 : 420,
    height: 200,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'mean'" }],
        mark: { type: 'area' },
        encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color: policyColour(model), opacity: fade('policy', 0.12) },
      },
      {
        transform: [{ filter: "datum.kind === 'mean'" }],
        mark: { type: 'line', strokeWidth: 2, point: { size: 40, filled: true } },
        encoding: {
          x,
          y: { field: 'mean', ...y },
          color: policyColour(model),
          opacity: fade(),
          tooltip: [{ field: 'policy' }, { field: 'value_label', title: family.parameter }, { field: 'mean', format: '.4~g' }, { field: 'lo', title: 'interval from', format: '.4~g' }, { field: 'hi', title: 'to', format: '.4~g' }, { field: 'n', title: 'seeds' }],
        },
      },
      {
        transform: [{ filter: "datum.kind === 'seed'" }],
        mark: { type: 'point', size: 14, filled: false, strokeWidth: 1 },
        encoding: { x, y: { field: 'value', ...y }, color: policyColour(model), opacity: fade('policy', 0.5), tooltip: [{ field: 'policy' }, { field: 'seed' }, { field: 'value_label', title: family.parameter }, { field: 'value', title: metric, format: '.6~g' }] },
      },
    ],
  };
  const faceted = family.panels.length > 1;
  const spec: ChartSpec = faceted
    ? { facet: { field: 'panel', type: 'nominal', title: null, sort: family.panels.map(shortPanel), header: { labelFontWeight: 'bold', labelLimit: 260 } }, columns: Math.min(3, family.panels.length), spec: unit }
    : unit;
  return {
    kind: 'sweep-curve',
    section: familySection(family),
    title: `${metric} against ${family.parameter}`,
    caption: `${metric} at each value of ${family.parameter}: one line per policy through the means across seeds, the band its 95 % interval, and each seed as a circle.${faceted ? ` One panel per value of ${family.others.join(', ')}.` : ''} ${BOOT_NOTE}`,
    spec: { $schema: SCHEMA, title: { text: metricTitle(metric), subtitle: `against ${shortParameter(family.parameter)}` }, params: [HIDDEN_PARAM], data: { values }, ...spec },
  };
}

function paretoPanels(model: ReportModel, family: SweepFamily): Chart | undefined {
  const panels = family.points.map((p) => pointLabel(family, p));
  const values = family.points.flatMap((p) => {
    const view = viewOf(model, p);
    return view === undefined ? [] : paretoValues(model, view, pointLabel(family, p));
  });
  if (!values.some((v) => v.kind === 'mean')) return undefined;
  const axes = paretoAxis(values);
  const { log } = axes;
  return {
    kind: 'pareto',
    section: familySection(family),
    title: 'Nodes against delay at each point: the Pareto frontiers',
    caption: `Per sweep point, each policy's mean (filled) and seeds (circles): active nodes, time-weighted mean, against the p99 scheduling delay; diamonds outlined in black are on that point's Pareto frontier (dashed).${log ? ' Log delay axis.' : ''}`,
    spec: {
      $schema: SCHEMA,
      title: { text: 'Active nodes against p99 delay', subtitle: 'per sweep point; frontier dashed' },
      params: [HIDDEN_PARAM],
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelFontWeight: 'bold', labelLimit: 300 } },
      columns: 3,
      spec: { width: 240, height: 170, layer: paretoLayers(model, axes) },
    },
  };
}

function delayPanels(model: ReportModel, family: SweepFamily): Chart | undefined {
  if (model.sketches.length === 0) return undefined;
  const curves = family.points.flatMap((p) => {
    const view = viewOf(model, p);
    return view === undefined ? [] : ecdfCurves(model, view, 'delay_s').map((c) => ({ c, panel: pointLabel(family, p) }));
  });
  if (curves.length === 0) return undefined;
  const floor = ecdfFloor(curves.map((x) => x.c));
  const values = curves.flatMap(({ c, panel }) => ecdfRows(c, floor, { panel }));
  return {
    kind: 'delay-ecdf',
    section: familySection(family),
    title: 'Scheduling delay distribution at each point',
    caption: 'Per sweep point, the share of workload pods bound within each delay, seeds merged from the runs’ DDSketches (sketches.json, 1 % relative accuracy); log axis, zero delays at its floor.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Scheduling delay (arrival → bind)', subtitle: 'empirical CDF per sweep point, seeds merged' },
      params: [HIDDEN_PARAM],
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null, sort: family.points.map((p) => pointLabel(family, p)), header: { labelFontWeight: 'bold', labelLimit: 300 } },
      columns: 3,
      spec: {
        width: 240,
        height: 150,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'delay', type: 'quantitative', title: 'delay (s, log scale)', scale: { type: 'log', domainMin: floor }, axis: { tickCount: 5 } },
          y: { field: 'share', type: 'quantitative', title: 'pods at or below', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: policyColour(model),
          detail: { field: 'policy' },
          opacity: fade(),
          tooltip: [{ field: 'policy' }, { field: 'delay', title: 'seconds', format: '.4~g' }, { field: 'share', title: 'at or below', format: '.1%' }],
        },
      },
    },
  };
}

/** The charts of one sweep family, in reading order. */
export function sweepCharts(model: ReportModel, family: SweepFamily): Chart[] {
  const charts = SWEEP_METRICS.map((m) => curve(model, family, m));
  charts.push(paretoPanels(model, family), delayPanels(model, family));
  return charts.filter((c): c is Chart => c !== undefined);
}
