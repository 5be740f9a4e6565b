/**
 * The report's charts as vega-lite specs, built from the summary (means and
 * 95 % confidence intervals across seeds). Each builder turns a part of the
 * report model into charts; charts of time series and per-pod tables, when
 * runs record them, are further builders of the same shape.
 */
import type { Chart, ChartSpec } from './chart.js';
import { metricUnit, resourcesOf } from './metric-info.js';
import { recordCharts } from './record-charts.js';
import type { ReportModel, ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import type { GroupSummary, MetricStats } from './summary.js';

const WIDTH = 420;
const HEIGHT = 220;
const CI_NOTE = 'bars and whiskers: mean across seeds ± 95 % confidence interval (Student’s t), whiskers cut at 0';

interface Point {
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** Mean and CI ends; every metric is ≥ 0, so the lower whisker stops at 0. */
function point(s: MetricStats): Point {
  return { mean: s.mean, lo: s.ci95 === null ? null : Math.max(0, s.mean - s.ci95), hi: s.ci95 === null ? null : s.mean + s.ci95 };
}

/** Delays are drawn on a log axis, which has no 0: shorter ones sit at its floor, 0.1 ms. */
const DELAY_FLOOR = 0.0001;
const floored = (x: number | null): number | null => (x === null ? null : Math.max(DELAY_FLOOR, x));

function colour(model: ReportModel, view: ScenarioView): Record<string, unknown> {
  // One colour per policy across every chart of the report.
  const names = model.schedulers.flatMap((s) => view.groups.filter((g) => g.scheduler === s).map((g) => seriesName(view, g)));
  const all = [...new Set([...model.schedulers, ...names])];
  return { domain: all, scheme: 'tableau10' };
}

const axisTitle = (what: string, unit: string): string => (unit === '' ? what : `${what} (${unit})`);

/** Bars of `values` by x (and xOffset), with CI whiskers; `extra` layers go on top. */
function groupedBars(opts: {
  title: string;
  subtitle: string;
  values: readonly Record<string, unknown>[];
  x: { field: string; title: string; sort?: readonly string[] };
  offset: { field: string; title: string; scale?: Record<string, unknown> };
  y: { title: string; percent: boolean };
  extra?: readonly Record<string, unknown>[];
}): ChartSpec {
  const yAxis = opts.y.percent ? { format: '%' } : {};
  const x = { field: opts.x.field, type: 'nominal', title: opts.x.title, sort: opts.x.sort ?? null, axis: { labelAngle: 0 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: opts.title, subtitle: opts.subtitle },
    width: WIDTH,
    height: HEIGHT,
    data: { values: opts.values },
    encoding: {
      x,
      xOffset: { field: opts.offset.field, type: 'nominal', sort: null },
      color: {
        field: opts.offset.field,
        type: 'nominal',
        title: opts.offset.title,
        sort: null,
        legend: { labelLimit: 280 },
        ...(opts.offset.scale ? { scale: opts.offset.scale } : {}),
      },
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { y: { field: 'mean', type: 'quantitative', title: opts.y.title, axis: yAxis } } },
      { mark: { type: 'rule' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { value: '#222' } } },
      ...(opts.extra ?? []),
    ],
  };
}

function delayCdf(model: ReportModel, view: ScenarioView): Chart | undefined {
  const levels: [string, number][] = [
    ['delay_p50_s', 0.5],
    ['delay_p90_s', 0.9],
    ['delay_p99_s', 0.99],
    ['delay_max_s', 1],
  ];
  const values = view.groups.flatMap((g) =>
    levels.flatMap(([m, share]) => {
      const s = g.metrics[m];
      if (s === undefined) return [];
      const p = point(s);
      return [{ policy: seriesName(view, g), share, mean: floored(p.mean), lo: floored(p.lo), hi: floored(p.hi) }];
    }),
  );
  if (values.length === 0) return undefined;
  return {
    kind: 'delay-cdf',
    section: view.name,
    title: 'Scheduling delay distribution',
    caption: `Share of bound pods scheduled within a delay (arrival → bind), read at the 50th, 90th and 99th percentiles and the maximum; ${CI_NOTE.replace('bars and whiskers', 'whiskers')}. The delay axis is logarithmic; delays under 0.1 ms are drawn at 0.1 ms.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'Scheduling delay distribution', subtitle: 'p50, p90, p99 and max, mean across seeds ± 95 % CI' },
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      encoding: {
        y: { field: 'share', type: 'quantitative', title: 'bound pods scheduled within the delay (%)', axis: { format: '%' }, scale: { domain: [0.4, 1] } },
        color: { field: 'policy', type: 'nominal', title: 'policy', scale: colour(model, view), legend: { labelLimit: 280 } },
      },
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'mean', type: 'quantitative', title: 'scheduling delay (s, log scale)', scale: { type: 'log', domainMin: DELAY_FLOOR } },
            order: { field: 'share' },
          },
        },
        { mark: { type: 'rule', opacity: 0.7 }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      ],
    },
  };
}

function nodesVsBound(model: ReportModel, view: ScenarioView): Chart | undefined {
  const measures: [string, string][] = [
    ['active_nodes_mean', 'active nodes, time-weighted mean'],
    ['active_nodes_peak', 'active nodes, peak'],
    ['nodes_lower_bound_peak', 'packing lower bound, peak'],
  ];
  const values = view.groups.flatMap((g) =>
    measures.flatMap(([m, label]) => {
      const s = g.metrics[m];
      return s === undefined ? [] : [{ policy: seriesName(view, g), measure: label, ...point(s) }];
    }),
  );
  if (values.length === 0) return undefined;
  return {
    kind: 'nodes',
    section: view.name,
    title: 'Nodes used vs the packing lower bound',
    caption: `Nodes running at least one pod (time-weighted mean and peak) beside the fewest nodes the requested resources need at their peak; ${CI_NOTE}.`,
    spec: groupedBars({
      title: 'Nodes used vs the packing lower bound',
      subtitle: 'mean across seeds ± 95 % CI',
      values,
      x: { field: 'policy', title: 'policy' },
      offset: { field: 'measure', title: 'measure', scale: { domain: measures.map(([, l]) => l), range: ['#4c78a8', '#9ecae9', '#54a24b'] } },
      y: { title: 'nodes', percent: false },
    }),
  };
}

function perResource(model: ReportModel, view: ScenarioView, kind: 'stranded' | 'alloc'): Chart | undefined {
  const metricsOf = (g: GroupSummary): string[] => Object.keys(g.metrics);
  const resources = resourcesOf(view.groups.flatMap(metricsOf).filter((m, i, a) => a.indexOf(m) === i));
  const used = kind === 'stranded' ? resources.filter((r) => r !== 'pods') : resources;
  const values = view.groups.flatMap((g) =>
    used.flatMap((r) => {
      const s = g.metrics[kind === 'stranded' ? `stranded_${r}` : `alloc_${r}_mean`];
      const peak = g.metrics[`alloc_${r}_peak`];
      return s === undefined ? [] : [{ resource: r, policy: seriesName(view, g), ...point(s), ...(kind === 'alloc' && peak ? { peak: peak.mean } : {}) }];
    }),
  );
  if (values.length === 0) return undefined;
  if (kind === 'stranded') {
    return {
      kind: 'stranded',
      section: view.name,
      title: 'Stranded capacity per resource',
      caption: `Free capacity of each resource on nodes where another resource is nearly full (at least the stranded threshold, 95 % by default), as a share of the cluster's allocatable, time-weighted; ${CI_NOTE}.`,
      spec: groupedBars({
        title: 'Stranded capacity per resource',
        subtitle: 'share of allocatable, mean across seeds ± 95 % CI',
        values,
        x: { field: 'resource', title: 'resource', sort: used },
        offset: { field: 'policy', title: 'policy', scale: colour(model, view) },
        y: { title: axisTitle('stranded', '% of allocatable'), percent: true },
      }),
    };
  }
  return {
    kind: 'alloc',
    section: view.name,
    title: 'Allocation per resource',
    caption: `Requested ÷ allocatable over the whole cluster, time-weighted mean (bars, ${CI_NOTE.replace('bars and whiskers: ', '')}) and peak (black ticks, mean across seeds).`,
    spec: groupedBars({
      title: 'Allocation per resource',
      subtitle: 'requested ÷ allocatable: mean over time (bars ± 95 % CI) and peak (ticks)',
      values,
      x: { field: 'resource', title: 'resource', sort: resources },
      offset: { field: 'policy', title: 'policy', scale: colour(model, view) },
      y: { title: axisTitle('allocated', '% of allocatable'), percent: true },
      extra: [{ mark: { type: 'tick', thickness: 2 }, encoding: { y: { field: 'peak', type: 'quantitative' }, color: { value: '#000' } } }],
    }),
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
          const s = g.metrics[m];
          const unit = metricUnit(m);
          const shown = unit === 'ratio' ? `${label} (%)` : unit === '' ? label : `${label} (${unit})`;
          // Shares as percentages, so one facet axis format fits every metric.
          const k = unit === 'ratio' ? 100 : 1;
          const p = s === undefined ? undefined : point(s);
          return p === undefined
            ? []
            : [{ metric: shown, policy: seriesName(view, g), platform: v.platform, mean: p.mean * k, lo: p.lo === null ? null : p.lo * k, hi: p.hi === null ? null : p.hi * k }];
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
        caption: `The same workload and policies on each platform (the scenario's defaults.platforms or a sweep's platform parameter): the platform's reservations and control plane change what is left for pods; ${CI_NOTE}.`,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: { text: title, subtitle: 'mean across seeds ± 95 % CI, per platform' },
          data: { values },
          facet: { column: { field: 'metric', type: 'nominal', title: null, sort: panels } },
          resolve: { scale: { y: 'independent' } },
          spec: {
            width: 150,
            height: 180,
            encoding: {
              x: { field: 'policy', type: 'nominal', title: 'policy', sort: null },
              xOffset: { field: 'platform', type: 'nominal', sort: null },
              color: { field: 'platform', type: 'nominal', title: 'platform', sort: null },
            },
            layer: [
              { mark: 'bar', encoding: { y: { field: 'mean', type: 'quantitative', title: 'value (unit in the panel title)' } } },
              { mark: { type: 'rule' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { value: '#222' } } },
            ],
          },
        },
      },
    ];
  });
}

/** Every chart of the report, in reading order: per scenario (the recorded runs' charts last), then the platform comparisons. */
export function reportCharts(model: ReportModel): Chart[] {
  const charts: Chart[] = [];
  for (const view of model.scenarios) {
    for (const c of [delayCdf(model, view), nodesVsBound(model, view), perResource(model, view, 'alloc'), perResource(model, view, 'stranded')]) {
      if (c !== undefined) charts.push(c);
    }
    charts.push(...recordCharts(view.name, model.records, model.schedulers));
  }
  charts.push(...platformCharts(model));
  return charts;
}
