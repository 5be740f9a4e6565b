/**
 * Charts of the opt-in run records (`--record timeseries,nodes`): the run
 * timeline (queue length, active nodes and allocation over time, with node
 * failures, repairs, joins and evictions marked) as small multiples per
 * policy, and a per-node allocation heatmap. Over-time values are the
 * recorded bucket means; each seed is its own line.
 */
import type { Chart } from './chart.js';
import { POLICY_COLOURS } from './palette.js';
import { usageCharts } from './usage-chart.js';

/** A row of timeseries.csv, numbers parsed. */
export interface SeriesRow {
  readonly scenario: string;
  readonly scheduler: string;
  readonly seed: number;
  readonly t: number;
  readonly width: number;
  readonly values: Readonly<Record<string, number>>;
}

/** A row of nodes.csv, numbers parsed. */
export interface NodeRow {
  readonly scenario: string;
  readonly scheduler: string;
  readonly seed: number;
  readonly node: string;
  readonly t: number;
  readonly width: number;
  /** requested ÷ allocatable per resource. */
  readonly shares: Readonly<Record<string, number>>;
}

export interface RunRecordRows {
  readonly series: readonly SeriesRow[];
  readonly nodes: readonly NodeRow[];
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Rows of the heatmap at most; larger clusters are shown as groups of neighbouring nodes. */
export const HEATMAP_ROWS = 48;
/** Time columns of the heatmap at most. */
export const HEATMAP_COLUMNS = 80;

/** The events timeseries.csv counts per bucket, and how the timeline names them. */
export const EVENT_KINDS: readonly [string, string][] = [
  ['node_failures', 'node failure'],
  ['node_repairs', 'node repaired'],
  ['node_joins', 'node joined'],
  ['pods_evicted', 'pods evicted'],
];

const fadeHidden = { condition: { test: 'indexof(hidden, datum["policy"]) >= 0', value: 0.05 }, value: 1 };
const colour = (series: readonly string[]): Record<string, unknown> => ({
  field: 'policy',
  type: 'nominal',
  title: 'policy',
  scale: { domain: [...series], range: series.map((_, i) => POLICY_COLOURS[i % POLICY_COLOURS.length]!) },
  legend: null,
});

/** Resources whose allocation moves at all in these rows (the pods dimension is a count limit, left out). */
function usedResources(rows: readonly SeriesRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r.values)) if (k.startsWith('alloc_') && k !== 'alloc_pods' && v > 0) names.add(k.slice(6));
  return [...names];
}

interface Measure {
  readonly key: string;
  readonly title: string;
  readonly axis: string;
  readonly share: boolean;
}

/**
 * One measure over time as small multiples: a panel per policy (four to a
 * row), one line per recorded seed, and the run's events (node failures,
 * repairs, joins, evictions) as vertical rules, so no policy hides another.
 */
function timeline(scenario: string, rows: readonly SeriesRow[], series: readonly string[], m: Measure): Chart | undefined {
  const policies = series.filter((s) => rows.some((r) => r.scheduler === s));
  if (policies.length === 0) return undefined;
  const values: Record<string, unknown>[] = rows.map((r) => ({ t: r.t, policy: r.scheduler, seed: String(r.seed), value: Number((r.values[m.key] ?? 0).toPrecision(4)) }));
  for (const r of rows) {
    for (const [k, label] of EVENT_KINDS) {
      const n = r.values[k] ?? 0;
      if (n > 0) values.push({ t: r.t, policy: r.scheduler, seed: String(r.seed), event: label, count: n });
    }
  }
  const events = values.some((v) => v.event !== undefined);
  const x = { field: 't', type: 'quantitative', title: 'simulated time (s)' };
  const layers: Record<string, unknown>[] = [
    {
      transform: [{ filter: '!datum.event' }],
      params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }],
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2, clip: true },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: m.axis, ...(m.share ? { axis: { format: '%' }, scale: { domain: [0, 1] } } : { scale: { zero: true, padding: 4 } }) },
        color: colour(series),
        detail: { field: 'seed', type: 'nominal' },
        opacity: fadeHidden,
        tooltip: [{ field: 'policy' }, { field: 'seed' }, { field: 't', title: 'time (s)', format: '.4~g' }, { field: 'value', title: m.axis, format: m.share ? '.1%' : '.4~g' }],
      },
    },
  ];
  if (events) {
    layers.push({
      transform: [{ filter: 'datum.event' }],
      mark: { type: 'rule', strokeWidth: 1, clip: true },
      encoding: {
        x,
        color: { value: '#444' },
        strokeDash: { field: 'event', type: 'nominal', title: 'event', scale: { domain: EVENT_KINDS.map(([, l]) => l), range: [[1, 0], [2, 2], [6, 2], [1, 3]] }, legend: { orient: 'bottom', direction: 'horizontal' } },
        opacity: { condition: { test: 'indexof(hidden, datum["policy"]) >= 0', value: 0.05 }, value: 0.7 },
        tooltip: [{ field: 'event' }, { field: 'count' }, { field: 'seed' }, { field: 't', title: 'bucket from (s)', format: '.4~g' }],
      },
    });
  }
  return {
    kind: `timeline-${m.key}`,
    section: scenario,
    title: m.title,
    caption: `${m.title}, time-weighted mean over each time bucket of the recorded runs (timeseries.csv; at most ${TIMELINE_POINTS} per run, neighbouring buckets merged): one panel per policy, one line per seed${events ? '; vertical rules mark node failures, repairs, joins and pod evictions in the bucket' : ''}. Scroll or drag to zoom the time axis of every panel; double-click resets.`,
    spec: {
      $schema: SCHEMA,
      title: { text: m.title, subtitle: 'one panel per policy, one line per seed' },
      params: [{ name: 'hidden', value: [] }],
      data: { values },
      facet: { field: 'policy', type: 'nominal', title: null, sort: policies, header: { labelFontWeight: 'bold', labelAnchor: 'start', labelLimit: 240 } },
      columns: Math.ceil(policies.length / Math.ceil(policies.length / 4)),
      spec: { width: 220, height: 90, layer: layers },
    },
  };
}

/** Points per run a timeline draws at most: neighbouring buckets merge into their time-weighted mean (events add up). */
export const TIMELINE_POINTS = 150;

/** The rows of each run with at most `limit` buckets, neighbours merged k at a time (values weighted by width, event counts summed). */
export function coarsen(rows: readonly SeriesRow[], limit = TIMELINE_POINTS): SeriesRow[] {
  const runs = new Map<string, SeriesRow[]>();
  for (const r of rows) {
    const k = `${r.scenario}\u0000${r.scheduler}\u0000${r.seed}`;
    const list = runs.get(k);
    if (list) list.push(r);
    else runs.set(k, [r]);
  }
  const events = new Set(EVENT_KINDS.map(([k]) => k));
  const out: SeriesRow[] = [];
  for (const list of runs.values()) {
    const k = Math.ceil(list.length / limit);
    if (k <= 1) {
      out.push(...list);
      continue;
    }
    for (let i = 0; i < list.length; i += k) {
      const part = list.slice(i, i + k);
      const width = part.reduce((a, r) => a + r.width, 0);
      const values: Record<string, number> = {};
      for (const key of Object.keys(part[0]!.values)) {
        values[key] = events.has(key) ? part.reduce((a, r) => a + (r.values[key] ?? 0), 0) : width > 0 ? part.reduce((a, r) => a + (r.values[key] ?? 0) * r.width, 0) / width : 0;
      }
      out.push({ ...part[0]!, width, values });
    }
  }
  return out;
}

function timelines(scenario: string, recorded: readonly SeriesRow[], series: readonly string[]): Chart[] {
  if (recorded.length === 0) return [];
  const rows = coarsen(recorded);
  const measures: Measure[] = [
    { key: 'pending_pods', title: 'Queue length over time', axis: 'pending pods', share: false },
    { key: 'active_nodes', title: 'Active nodes over time', axis: 'active nodes', share: false },
    ...usedResources(rows).map((r) => ({ key: `alloc_${r}`, title: `${r} allocation over time`, axis: `${r} allocated`, share: true })),
  ];
  return measures.map((m) => timeline(scenario, rows, series, m)).filter((c): c is Chart => c !== undefined);
}

/**
 * Per policy, the lowest recorded seed: a row per node (or per group of
 * neighbouring nodes, on large clusters), a column per time bucket (at most
 * HEATMAP_COLUMNS), coloured by the node's most allocated resource.
 */
function heatmapCells(rows: readonly NodeRow[], scheduler: string): { values: Record<string, unknown>[]; order: string[]; seed: number; groupSize: number; nodes: number } | undefined {
  const mine = rows.filter((r) => r.scheduler === scheduler);
  if (mine.length === 0) return undefined;
  const seed = Math.min(...mine.map((r) => r.seed));
  const run = mine.filter((r) => r.seed === seed);
  const nodes = [...new Set(run.map((r) => r.node))];
  const groupSize = Math.ceil(nodes.length / HEATMAP_ROWS);
  const groupOf = new Map(nodes.map((n, i) => [n, Math.floor(i / groupSize)]));
  const label = (g: number): string =>
    groupSize === 1 ? nodes[g]! : `${nodes[g * groupSize]!} … ${nodes[Math.min(nodes.length, (g + 1) * groupSize) - 1]!}`;
  // Neighbouring buckets merge, weighted by their width.
  const starts = [...new Set(run.map((r) => r.t))].sort((a, b) => a - b);
  const merge = Math.ceil(starts.length / HEATMAP_COLUMNS);
  const column = new Map(starts.map((t, i) => [t, Math.floor(i / merge)]));
  const cells = new Map<string, { group: number; t: number; end: number; sum: number; weight: number }>();
  for (const r of run) {
    const group = groupOf.get(r.node)!;
    const key = `${group}/${column.get(r.t)!}`;
    let dominant = 0;
    for (const [res, v] of Object.entries(r.shares)) if (res !== 'pods' && v > dominant) dominant = v;
    const cell = cells.get(key) ?? { group, t: r.t, end: r.t + r.width, sum: 0, weight: 0 };
    cell.t = Math.min(cell.t, r.t);
    cell.end = Math.max(cell.end, r.t + r.width);
    cell.sum += dominant * r.width;
    cell.weight += r.width;
    cells.set(key, cell);
  }
  const panel = `${scheduler} (seed ${seed})`;
  const values = [...cells.values()].map((c) => ({ policy: scheduler, panel, node: label(c.group), t: c.t, t2: c.end, share: Number((c.weight > 0 ? c.sum / c.weight : 0).toPrecision(3)) }));
  const order = Array.from({ length: Math.ceil(nodes.length / groupSize) }, (_, g) => label(g));
  return { values, order, seed, groupSize, nodes: nodes.length };
}

/** Every policy's heatmap as small multiples, one colour scale. */
function heatmaps(scenario: string, rows: readonly NodeRow[], series: readonly string[]): Chart | undefined {
  const parts = series.flatMap((s) => {
    const h = heatmapCells(rows, s);
    return h === undefined ? [] : [h];
  });
  if (parts.length === 0) return undefined;
  const order = parts[0]!.order;
  const { groupSize, nodes } = parts[0]!;
  const grouped = groupSize > 1 ? ` Each row is a group of ${groupSize} neighbouring nodes (their mean), of ${nodes}.` : '';
  const title = 'Per-node allocation over time';
  return {
    kind: 'heatmap',
    section: scenario,
    title,
    caption: `Each node's most allocated resource (requested ÷ allocatable, pods left out), time-weighted mean over each time bucket (nodes.csv, at most ${HEATMAP_COLUMNS} columns), the lowest recorded seed of each policy.${grouped}`,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: 'most allocated resource per node; one panel per policy' },
      params: [{ name: 'hidden', value: [] }],
      data: { values: parts.flatMap((p) => p.values) },
      facet: { field: 'panel', type: 'nominal', title: null, sort: parts.map((p) => p.values[0]!.panel as string), header: { labelFontWeight: 'bold', labelAnchor: 'start', labelLimit: 300 } },
      columns: Math.min(3, parts.length),
      spec: {
        width: 280,
        height: Math.max(60, Math.min(9 * order.length, 300)),
        mark: { type: 'rect' },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
          x2: { field: 't2' },
          y: { field: 'node', type: 'nominal', title: 'node', sort: order, axis: order.length > 24 ? { labels: false, ticks: false } : { labelLimit: 110 } },
          color: { field: 'share', type: 'quantitative', title: 'allocated', scale: { domain: [0, 1], scheme: 'viridis' }, legend: { format: '%', orient: 'right' } },
          opacity: { condition: { test: 'indexof(hidden, datum["policy"]) >= 0', value: 0.1 }, value: 1 },
          tooltip: [{ field: 'policy' }, { field: 'node' }, { field: 't', title: 'from (s)', format: '.4~g' }, { field: 't2', title: 'to (s)', format: '.4~g' }, { field: 'share', title: 'allocated', format: '.1%' }],
        },
      },
    },
  };
}

/** The record charts of one scenario, in reading order: the timelines, then the heatmaps. */
export function recordCharts(scenario: string, records: RunRecordRows, series: readonly string[]): Chart[] {
  const rows = records.series.filter((r) => r.scenario === scenario);
  const nodes = records.nodes.filter((r) => r.scenario === scenario);
  const charts = timelines(scenario, rows, series);
  charts.push(...usageCharts(scenario, coarsen(rows), series));
  const h = heatmaps(scenario, nodes, series);
  if (h !== undefined) charts.push(h);
  return charts;
}
