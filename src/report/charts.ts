/**
 * The report's charts as vega-lite specs, each built from the result files
 * alone: per-seed values (runs.csv) with the percentile bootstrap interval of
 * their mean, delay distributions (sketches.json), and the run records
 * (timeseries.csv, nodes.csv). Policies keep one colour across the report
 * (palette.ts) and the page shows one legend for all charts; every chart
 * reads the `hidden` parameter, which that legend sets, to fade the policies
 * switched off.
 */
import { SKETCH_RELATIVE_ACCURACY } from '../core/quantile-sketch.js';
import type { SketchedMetric } from '../metrics/delay-sketches.js';
import type { Chart, ChartSpec } from './chart.js';
import { BOOT_NOTE, displayScale, ecdfCurves, ecdfFloor, ecdfRows, fade, HIDDEN_PARAM, metricTitle, paretoAxis, paretoLayers, paretoValues, policyColour, SCHEMA, ZOOM_X } from './chart-parts.js';
import { axisFor } from './axes.js';
import { recordCharts } from './record-charts.js';
import type { ReportModel, ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import { sweepCharts } from './sweep-charts.js';


/** The metrics of the per-seed chart, where the results have them. */
export const STRIP_METRICS: readonly string[] = [
  'delay_p50_s',
  'delay_p99_s',
  'pods_unschedulable',
  'active_nodes_mean',
  'active_nodes_peak',
  'nodes_lower_bound_peak',
  'packing_efficiency_peak',
  'alloc_cpu_mean',
  'alloc_memory_mean',
  'fragmentation_cpu',
  'stranded_cpu',
  'stranded_memory',
];

/** Per metric, a panel: each seed's value (dots), the mean (tick) and its bootstrap interval (rule), one row per policy. */
function perSeed(model: ReportModel, view: ScenarioView): Chart | undefined {
  const names = view.groups.map((g) => seriesName(view, g));
  const panels: ChartSpec[] = [];
  for (const metric of STRIP_METRICS) {
    const { k } = displayScale(metric);
    const values: Record<string, unknown>[] = [];
    for (const g of view.groups) {
      const s = model.seeds.spread(g, metric);
      if (s === undefined) continue;
      const policy = seriesName(view, g);
      for (const v of s.values) values.push({ policy, kind: 'seed', seed: v.seed, value: v.value * k });
      values.push({ policy, kind: 'mean', value: s.mean * k, lo: s.ci === null ? null : s.ci.lo * k, hi: s.ci === null ? null : s.ci.hi * k, n: s.values.length });
    }
    if (values.length === 0) continue;
    const { log, scale, axis } = axisFor(values.flatMap((v) => (v.kind === 'seed' ? [v.value as number] : [v.lo as number, v.hi as number].filter((b) => b !== null))));
    const x = { type: 'quantitative', title: null, scale, axis: { tickCount: 4, labelOverlap: true, labelFlush: true, ...axis } };
    const y = { field: 'policy', type: 'nominal', sort: names, title: null, axis: { labelLimit: 120 } };
    panels.push({
      title: { text: `${metricTitle(metric)}${log ? ', log scale' : ''}`, fontSize: 11, anchor: 'start' },
      width: 190,
      height: { step: 16 },
      data: { values },
      encoding: { y },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'mean' && datum.lo !== null" }],
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: { x: { field: 'lo', ...x }, x2: { field: 'hi' }, color: policyColour(model), opacity: fade('policy', 0.55), tooltip: [{ field: 'policy' }, { field: 'lo', title: '95 % interval from', format: '.4~g' }, { field: 'hi', title: 'to', format: '.4~g' }] },
        },
        {
          transform: [{ filter: "datum.kind === 'seed'" }],
          mark: { type: 'point', filled: false, size: 28, strokeWidth: 1 },
          encoding: { x: { field: 'value', ...x }, color: policyColour(model), opacity: fade('policy', 0.8), tooltip: [{ field: 'policy' }, { field: 'seed' }, { field: 'value', title: metric, format: '.6~g' }] },
        },
        {
          transform: [{ filter: "datum.kind === 'mean'" }],
          mark: { type: 'tick', thickness: 2, size: 13, color: '#111' },
          encoding: { x: { field: 'value', ...x }, opacity: fade(), tooltip: [{ field: 'policy' }, { field: 'value', title: 'mean', format: '.6~g' }, { field: 'n', title: 'seeds' }] },
        },
      ],
    });
  }
  if (panels.length === 0) return undefined;
  return {
    kind: 'per-seed',
    section: view.name,
    title: 'Each seed, the mean and its interval',
    caption: `One row per policy: each seed's value (circles), the mean across seeds (black tick) and its 95 % interval (coloured bar). ${BOOT_NOTE} Shares are in %; a panel with values spanning decades has a log axis.`,
    spec: { $schema: SCHEMA, params: [HIDDEN_PARAM], concat: panels, columns: 3, spacing: 18 },
  };
}

const DISTRIBUTIONS: readonly { metric: SketchedMetric; what: string; kind: string }[] = [
  { metric: 'delay_s', what: 'Scheduling delay (arrival → bind)', kind: 'delay-ecdf' },
  { metric: 'startup_s', what: 'Start-up latency (bind → containers started)', kind: 'startup-ecdf' },
];

/**
 * The empirical CDF of each policy's delays, all seeds merged: the
 * DDSketches of sketches.json added bin by bin. A log axis; zero delays
 * (a pod bound the instant it arrived) sit at the axis floor.
 */
function distributions(model: ReportModel, view: ScenarioView): Chart[] {
  if (model.sketches.length === 0) return [];
  const names = view.groups.map((g) => seriesName(view, g));
  const charts: Chart[] = [];
  for (const { metric, what, kind } of DISTRIBUTIONS) {
    const curves = ecdfCurves(model, view, metric);
    if (curves.length === 0) continue;
    const floor = ecdfFloor(curves);
    const values = curves.flatMap((c) => ecdfRows(c, floor));
    const zeros = curves.some((c) => c.merged.zeros > 0);
    charts.push({
      kind,
      section: view.name,
      title: `${what}: distribution`,
      caption: `Share of workload pods with a ${metric === 'delay_s' ? 'scheduling delay' : 'start-up latency'} at or below each value, every seed's pods together, per policy: the DDSketch of each run (sketches.json, ${SKETCH_RELATIVE_ACCURACY * 100} % relative accuracy) merged across seeds. Log axis${zeros ? `; zero values are drawn at ${floor} s` : ''}. Scroll or drag to zoom; double-click resets.`,
      spec: {
        $schema: SCHEMA,
        title: { text: `${what}`, subtitle: 'empirical CDF, seeds merged' },
        width: 520,
        height: 240,
        params: [HIDDEN_PARAM, ZOOM_X],
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8, clip: true },
        encoding: {
          x: { field: 'delay', type: 'quantitative', title: `${metric === 'delay_s' ? 'scheduling delay' : 'start-up latency'} (s, log scale)`, scale: { type: 'log', domainMin: floor } },
          y: { field: 'share', type: 'quantitative', title: 'pods at or below (%)', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: policyColour(model),
          detail: { field: 'policy', sort: names },
          opacity: fade(),
          tooltip: [{ field: 'policy' }, { field: 'delay', title: 'seconds', format: '.4~g' }, { field: 'share', title: 'at or below', format: '.1%' }, { field: 'pods' }, { field: 'seeds' }],
        },
      },
    });
  }
  return charts;
}

function pareto(model: ReportModel, view: ScenarioView): Chart | undefined {
  const values = paretoValues(model, view);
  if (!values.some((v) => v.kind === 'mean')) return undefined;
  const axes = paretoAxis(values);
  const { log } = axes;
  return {
    kind: 'pareto',
    section: view.name,
    title: 'Nodes against delay: the Pareto frontier',
    caption: `Each policy's mean across seeds (filled) and each seed (circles): active nodes, time-weighted mean, against the p99 scheduling delay. Lower and further left is better on both; diamonds outlined in black are on the Pareto frontier (no other policy is at least as good on both and better on one), joined by the dashed line.${log ? ' Log delay axis.' : ''}`,
    spec: { $schema: SCHEMA, title: { text: 'Active nodes against p99 delay', subtitle: 'means (filled) and seeds (circles); frontier dashed' }, width: 460, height: 260, params: [HIDDEN_PARAM], data: { values }, layer: paretoLayers(model, axes) },
  };
}

const PLATFORM_METRICS: readonly [string, string][] = [
  ['active_nodes_mean', 'active nodes, mean'],
  ['alloc_cpu_mean', 'CPU allocated, mean'],
  ['alloc_memory_mean', 'memory allocated, mean'],
  ['delay_p99_s', 'scheduling delay p99'],
  ['pods_unschedulable', 'pods unschedulable'],
];

function platformCharts(model: ReportModel): Chart[] {
  return model.platforms.flatMap((set) => {
    const values = set.variants.flatMap((v) => {
      const view = model.scenarios.find((s) => s.name === v.scenario);
      if (view === undefined) return [];
      return view.groups.flatMap((g) =>
        PLATFORM_METRICS.flatMap(([m, label]) => {
          const s = model.seeds.spread(g, m);
          if (s === undefined) return [];
          const { k, unit } = displayScale(m);
          const shown = unit === '' ? label : `${label} (${unit})`;
          return [{ metric: shown, policy: seriesName(view, g), platform: v.platform, mean: s.mean * k, lo: s.ci === null ? null : s.ci.lo * k, hi: s.ci === null ? null : s.ci.hi * k }];
        }),
      );
    });
    if (values.length === 0) return [];
    const title = `Kubernetes vs k3s: ${set.name}`;
    const panels = [...new Set(values.map((v) => v.metric))];
    return [
      {
        kind: 'platform',
        section: set.name,
        title,
        caption: `The same workload and policies on each platform (the scenario's defaults.platforms or a sweep's platform parameter): the platform's reservations and control plane change what is left for pods. Bars: mean across seeds; whiskers: ${BOOT_NOTE.replace('The interval is the ', '')}`,
        spec: {
          $schema: SCHEMA,
          title: { text: title, subtitle: 'mean across seeds and 95 % bootstrap interval, per platform' },
          params: [HIDDEN_PARAM],
          data: { values },
          facet: { field: 'metric', type: 'nominal', title: null, sort: panels, header: { labelFontWeight: 'bold', labelLimit: 200 } },
          columns: 3,
          resolve: { scale: { x: 'independent', y: 'independent' } },
          spec: {
            width: 200,
            height: { step: 14 },
            encoding: {
              y: { field: 'policy', type: 'nominal', title: null, sort: null },
              yOffset: { field: 'platform', type: 'nominal', sort: null },
              color: { field: 'platform', type: 'nominal', title: 'platform', sort: null, scale: { range: ['#4477AA', '#EE7733'] }, legend: { orient: 'bottom' } },
            },
            layer: [
              { mark: 'bar', encoding: { x: { field: 'mean', type: 'quantitative', title: null }, opacity: fade(), tooltip: [{ field: 'policy' }, { field: 'platform' }, { field: 'mean', format: '.4~g' }, { field: 'lo', title: 'interval from', format: '.4~g' }, { field: 'hi', title: 'to', format: '.4~g' }] } },
              { mark: { type: 'rule' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, color: { value: '#222' }, opacity: fade() } },
            ],
          },
        },
      },
    ];
  });
}

/** The charts of one scenario (not part of a sweep family), in reading order. */
export function scenarioCharts(model: ReportModel, view: ScenarioView): Chart[] {
  const charts: (Chart | undefined)[] = [...distributions(model, view), pareto(model, view), perSeed(model, view)];
  charts.push(...recordCharts(view.name, model.records, model.series));
  return charts.filter((c): c is Chart => c !== undefined);
}

/** Every chart of the report, in reading order: sweep families, the other scenarios, then the platform comparisons. */
export function reportCharts(model: ReportModel): Chart[] {
  const inFamily = new Set(model.families.flatMap((f) => f.points.map((p) => p.scenario)));
  const charts: Chart[] = [];
  for (const family of model.families) charts.push(...sweepCharts(model, family));
  for (const view of model.scenarios) if (!inFamily.has(view.name)) charts.push(...scenarioCharts(model, view));
  charts.push(...platformCharts(model));
  return charts;
}
