/**
 * Pieces every chart of the report shares: the schema, the `hidden`
 * parameter the page legend sets, the policy colours, zoom, how a metric is
 * scaled for display, and the layers of a Pareto chart.
 */
import { mergeSketches, sketchEcdf } from '../core/quantile-sketch.js';
import type { SketchData } from '../core/quantile-sketch.js';
import type { SketchedMetric } from '../metrics/delay-sketches.js';
import type { ChartSpec } from './chart.js';
import { axisFor, decadeTicks } from './axes.js';
import type { AxisChoice } from './axes.js';
import { metricUnit } from './metric-info.js';
import { policyScale } from './palette.js';
import { paretoFrontier } from './pareto.js';
import type { ReportModel, ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import { sketchKey } from './sketches-json.js';

export { spansDecades } from './axes.js';

export const BOOT_NOTE = 'The interval is the 95 % percentile bootstrap interval of the mean across seeds (2,000 seeded resamples), so it never leaves the metric’s range.';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The policies switched off with the page legend; marks of those fade. */
export const HIDDEN_PARAM = { name: 'hidden', value: [] as string[] };

/** Opacity that fades a policy the legend switched off. */
export function fade(field = 'policy', on = 1): Record<string, unknown> {
  return { condition: { test: `indexof(hidden, datum[${JSON.stringify(field)}]) >= 0`, value: 0.05 }, value: on };
}

/** The colour channel of a policy field: the report's colours, no legend (the page has one). */
export function policyColour(model: Pick<ReportModel, 'series'>, field = 'policy'): Record<string, unknown> {
  return { field, type: 'nominal', title: 'policy', scale: policyScale(model.series), legend: null };
}

/** Zoom and pan along x (wheel and drag); double-click resets. */
export const ZOOM_X = { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' };

/** A metric's values as drawn: shares as percentages. */
export function displayScale(metric: string): { k: number; unit: string } {
  const unit = metricUnit(metric);
  return unit === 'ratio' ? { k: 100, unit: '%' } : { k: 1, unit };
}

export const metricTitle = (metric: string): string => {
  const { unit } = displayScale(metric);
  return unit === '' ? metric : `${metric} (${unit})`;
};

/** Active nodes (mean over time) against the p99 scheduling delay, per policy and seed, with the frontier of the means. */
export function paretoValues(model: ReportModel, view: ScenarioView, panel?: string): Record<string, unknown>[] {
  const means = view.groups.flatMap((g) => {
    const d = model.seeds.spread(g, 'delay_p99_s');
    const n = model.seeds.spread(g, 'active_nodes_mean');
    return d === undefined || n === undefined ? [] : [{ g, d, n }];
  });
  const frontier = new Set(paretoFrontier(means.map((m) => ({ x: m.d.mean, y: m.n.mean }))));
  const out: Record<string, unknown>[] = [];
  means.forEach((m, i) => {
    const policy = seriesName(view, m.g);
    const extra = panel === undefined ? {} : { panel };
    out.push({ ...extra, policy, kind: 'mean', delay: m.d.mean, nodes: m.n.mean, frontier: frontier.has(i) ? 'on the frontier' : 'dominated', dlo: m.d.ci?.lo ?? null, dhi: m.d.ci?.hi ?? null, nlo: m.n.ci?.lo ?? null, nhi: m.n.ci?.hi ?? null });
    const nodesBySeed = new Map(m.n.values.map((v) => [v.seed, v.value]));
    for (const v of m.d.values) if (nodesBySeed.has(v.seed)) out.push({ ...extra, policy, kind: 'seed', seed: v.seed, delay: v.value, nodes: nodesBySeed.get(v.seed) });
  });
  return out;
}

/** The layers of a Pareto chart over paretoValues rows (shared with the sweep's small multiples). */
export function paretoLayers(model: ReportModel, axes: ParetoAxes): ChartSpec[] {
  const { log, floor } = axes;
  const x = { field: 'delay', type: 'quantitative', title: `scheduling delay p99 (s${log ? ', log scale' : ''})`, scale: axes.x.scale, axis: axes.x.axis };
  const y = { field: 'nodes', type: 'quantitative', title: 'active nodes, mean over time', scale: axes.y.scale, axis: axes.y.axis };
  return [
    {
      transform: [{ filter: "datum.kind === 'mean' && datum.frontier === 'on the frontier'" }, { calculate: `max(datum.delay, ${floor})`, as: 'delay' }],
      mark: { type: 'line', color: '#777', strokeDash: [5, 3], strokeWidth: 1.2 },
      encoding: { x, y, order: { field: 'delay' } },
    },
    {
      transform: [{ filter: "datum.kind === 'seed'" }, { calculate: `max(datum.delay, ${floor})`, as: 'delay' }],
      mark: { type: 'point', size: 24, filled: false, strokeWidth: 1 },
      encoding: { x, y, color: policyColour(model), opacity: fade('policy', 0.6), tooltip: [{ field: 'policy' }, { field: 'seed' }, { field: 'delay', title: 'delay p99 (s)', format: '.4~g' }, { field: 'nodes', title: 'active nodes', format: '.3~f' }] },
    },
    {
      transform: [{ filter: "datum.kind === 'mean'" }, { calculate: `max(datum.delay, ${floor})`, as: 'delay' }],
      mark: { type: 'point', filled: true, size: 110, strokeWidth: 2 },
      encoding: {
        x,
        y,
        color: policyColour(model),
        shape: { field: 'frontier', type: 'nominal', title: null, scale: { domain: ['on the frontier', 'dominated'], range: ['diamond', 'circle'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
        stroke: { condition: { test: "datum.frontier === 'on the frontier'", value: '#000' }, value: null },
        opacity: fade(),
        tooltip: [
          { field: 'policy' },
          { field: 'frontier', title: 'Pareto' },
          { field: 'delay', title: 'delay p99, mean (s)', format: '.4~g' },
          { field: 'dlo', title: 'interval from', format: '.4~g' },
          { field: 'dhi', title: 'to', format: '.4~g' },
          { field: 'nodes', title: 'active nodes, mean', format: '.3~f' },
          { field: 'nlo', title: 'interval from', format: '.3~f' },
          { field: 'nhi', title: 'to', format: '.3~f' },
        ],
      },
    },
  ];
}

export interface ParetoAxes {
  /** Whether the delay axis is logarithmic; zero delays are then drawn at `floor`. */
  readonly log: boolean;
  readonly floor: number;
  readonly x: Pick<AxisChoice, 'scale' | 'axis'>;
  readonly y: AxisChoice;
}

/**
 * A Pareto chart's axes: a log delay axis, ticked at powers of ten, when the
 * delays span decades (zero delays drawn at its floor); a nodes axis widened
 * when every policy ends with (nearly) the same count.
 */
export function paretoAxis(values: readonly Record<string, unknown>[]): ParetoAxes {
  const delays = values.map((v) => v.delay as number);
  const pos = delays.filter((d) => d > 0);
  const log = pos.length > 0 && Math.max(...pos) / Math.min(...pos) > 30;
  const y = axisFor(values.map((v) => v.nodes as number));
  if (!log) return { log, floor: 0, x: { scale: { zero: true }, axis: {} }, y };
  const floor = Number(`1e${Math.floor(Math.log10(Math.min(...pos)))}`);
  const top = Number(`1e${Math.ceil(Math.log10(Math.max(...pos)))}`);
  return { log, floor, x: { scale: { type: 'log', domain: [floor, top] }, axis: { values: decadeTicks(floor, top) } }, y };
}

export interface EcdfCurve {
  readonly policy: string;
  readonly seeds: number;
  readonly merged: SketchData;
}

/** Per policy of the scenario, its runs' sketches of `metric` merged (policies with no value left out). */
export function ecdfCurves(model: ReportModel, view: ScenarioView, metric: SketchedMetric): EcdfCurve[] {
  const bySeed = new Map(model.sketches.map((e) => [sketchKey(e), e]));
  const curves = view.groups.flatMap((g) => {
    const runs = model.seeds.runs(g).flatMap((r) => {
      const e = bySeed.get(sketchKey(r));
      return e === undefined ? [] : [e.sketches[metric]];
    });
    const merged = mergeSketches(runs);
    return merged.count === 0 ? [] : [{ policy: seriesName(view, g), seeds: runs.length, merged }];
  });
  // A distribution of zeros only (no start-up modelled) has nothing to draw.
  return curves.some((c) => c.merged.bins.length > 0) ? curves : [];
}

/** The log axis's floor: the power of ten at or below the smallest positive value. */
export function ecdfFloor(curves: readonly EcdfCurve[]): number {
  let min = Infinity;
  for (const c of curves) for (const p of sketchEcdf(c.merged)) if (p.value > 0 && p.value < min) min = p.value;
  return Number.isFinite(min) ? 10 ** Math.floor(Math.log10(min)) : 1e-6;
}

/** A curve's steps as chart rows, from 0 % at the floor; zeros drawn at the floor. */
export function ecdfRows(c: EcdfCurve, floor: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const base = { ...extra, policy: c.policy, pods: c.merged.count, seeds: c.seeds };
  const rows = [{ ...base, delay: floor, share: 0 }];
  for (const p of thinEcdf(sketchEcdf(c.merged))) rows.push({ ...base, delay: Number(Math.max(floor, p.value).toPrecision(5)), share: Number(p.share.toPrecision(5)) });
  return rows;
}

/**
 * The steps a chart needs: a step is kept when it moves the share by 0.2 %
 * or more, or the value by 5 % or more, since the last kept one, and the last
 * always; the curve drawn is then within those of the sketch's.
 */
export function thinEcdf(steps: readonly { value: number; share: number }[]): { value: number; share: number }[] {
  const out: { value: number; share: number }[] = [];
  let last: { value: number; share: number } | undefined;
  steps.forEach((p, i) => {
    if (last === undefined || i === steps.length - 1 || p.share - last.share >= 0.002 || (last.value > 0 ? p.value / last.value >= 1.05 : p.value > 0)) {
      out.push(p);
      last = p;
    }
  });
  return out;
}
