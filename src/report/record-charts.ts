/**
 * Charts of the opt-in run records (`--record timeseries,nodes`): allocation
 * over time, pods and nodes over time, and a per-node allocation heatmap.
 * Over-time values are the recorded bucket means; each seed is its own line.
 */
import type { Chart } from './chart.js';

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
const WIDTH = 420;
/** Rows of the heatmap at most; larger clusters are shown as groups of neighbouring nodes. */
export const HEATMAP_ROWS = 48;

/** A facet panel's name above it, left-aligned, rather than turned sideways beside the axis title. */
const PANEL_HEADER = { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold' };

const colour = (schedulers: readonly string[]): Record<string, unknown> => ({ domain: schedulers, scheme: 'tableau10' });

/** Resources whose allocation moves at all in these rows (the pods dimension is a count limit, left out). */
function usedResources(rows: readonly SeriesRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r.values)) if (k.startsWith('alloc_') && k !== 'alloc_pods' && v > 0) names.add(k.slice(6));
  return [...names];
}

function allocationOverTime(scenario: string, rows: readonly SeriesRow[], schedulers: readonly string[]): Chart | undefined {
  const resources = usedResources(rows);
  if (resources.length === 0) return undefined;
  const values = rows.flatMap((r) => resources.map((res) => ({ t: r.t, resource: res, policy: r.scheduler, seed: String(r.seed), share: r.values[`alloc_${res}`] ?? 0 })));
  const title = 'Allocation over time';
  return {
    kind: 'alloc-time',
    section: scenario,
    title,
    caption: 'Σ requested ÷ Σ allocatable per resource, mean over each time bucket of the recorded runs; one line per policy and seed.',
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: 'requested ÷ allocatable, per resource' },
      data: { values },
      facet: { row: { field: 'resource', type: 'nominal', title: null, sort: resources, header: PANEL_HEADER } },
      spec: {
        width: WIDTH,
        height: 110,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
          y: { field: 'share', type: 'quantitative', title: '% of allocatable', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: { field: 'policy', type: 'nominal', title: 'policy', scale: colour(schedulers) },
          detail: { field: 'seed', type: 'nominal' },
        },
      },
    },
  };
}

const COUNTS: readonly [string, string][] = [
  ['pending_pods', 'pending pods'],
  ['running_pods', 'running pods'],
  ['active_nodes', 'active nodes'],
];

function countsOverTime(scenario: string, rows: readonly SeriesRow[], schedulers: readonly string[]): Chart | undefined {
  if (rows.length === 0) return undefined;
  const values = rows.flatMap((r) => COUNTS.map(([k, label]) => ({ t: r.t, measure: label, policy: r.scheduler, seed: String(r.seed), value: r.values[k] ?? 0 })));
  const title = 'Pending pods, running pods and active nodes over time';
  return {
    kind: 'counts-time',
    section: scenario,
    title,
    caption: 'Mean over each time bucket of the recorded runs: pods created and not yet bound, pods holding a node, and nodes running at least one pod; one line per policy and seed.',
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: 'mean per time bucket' },
      data: { values },
      facet: { row: { field: 'measure', type: 'nominal', title: null, sort: COUNTS.map(([, l]) => l), header: PANEL_HEADER } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: WIDTH,
        height: 100,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
          y: { field: 'value', type: 'quantitative', title: 'count' },
          color: { field: 'policy', type: 'nominal', title: 'policy', scale: colour(schedulers) },
          detail: { field: 'seed', type: 'nominal' },
        },
      },
    },
  };
}

/**
 * Per policy, the lowest recorded seed: a row per node (or per group of
 * neighbouring nodes, on large clusters), a column per time bucket, coloured
 * by the node's most allocated resource.
 */
function heatmap(scenario: string, rows: readonly NodeRow[], scheduler: string): Chart | undefined {
  const mine = rows.filter((r) => r.scheduler === scheduler);
  if (mine.length === 0) return undefined;
  const seed = Math.min(...mine.map((r) => r.seed));
  const run = mine.filter((r) => r.seed === seed);
  const nodes = [...new Set(run.map((r) => r.node))];
  const groupSize = Math.ceil(nodes.length / HEATMAP_ROWS);
  const groupOf = new Map(nodes.map((n, i) => [n, Math.floor(i / groupSize)]));
  const label = (g: number): string =>
    groupSize === 1 ? nodes[g]! : `${nodes[g * groupSize]!} … ${nodes[Math.min(nodes.length, (g + 1) * groupSize) - 1]!}`;
  const cells = new Map<string, { group: number; t: number; width: number; sum: number; n: number }>();
  for (const r of run) {
    const group = groupOf.get(r.node)!;
    const key = `${group}/${r.t}`;
    let dominant = 0;
    for (const [res, v] of Object.entries(r.shares)) if (res !== 'pods' && v > dominant) dominant = v;
    const cell = cells.get(key) ?? { group, t: r.t, width: r.width, sum: 0, n: 0 };
    cell.sum += dominant;
    cell.n++;
    cells.set(key, cell);
  }
  const values = [...cells.values()].map((c) => ({ node: label(c.group), t: c.t, t2: c.t + c.width, share: c.sum / c.n }));
  const order = Array.from({ length: Math.ceil(nodes.length / groupSize) }, (_, g) => label(g));
  const title = `Per-node allocation: ${scheduler}`;
  const grouped = groupSize > 1 ? ` Each row is a group of ${groupSize} neighbouring nodes (their mean), of ${nodes.length}.` : '';
  return {
    kind: 'heatmap',
    section: scenario,
    title,
    caption: `Each node's most allocated resource (requested ÷ allocatable, pods left out), mean over each time bucket, seed ${seed}.${grouped}`,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: `most allocated resource per node, seed ${seed}` },
      width: WIDTH,
      height: Math.max(60, Math.min(12 * order.length, 480)),
      data: { values },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
        x2: { field: 't2' },
        y: { field: 'node', type: 'nominal', title: 'node', sort: order },
        color: { field: 'share', type: 'quantitative', title: 'allocated', scale: { domain: [0, 1], scheme: 'viridis' }, legend: { format: '%' } },
      },
    },
  };
}

/** The record charts of one scenario, in reading order. */
export function recordCharts(scenario: string, records: RunRecordRows, schedulers: readonly string[]): Chart[] {
  const series = records.series.filter((r) => r.scenario === scenario);
  const nodes = records.nodes.filter((r) => r.scenario === scenario);
  const charts = [allocationOverTime(scenario, series, schedulers), countsOverTime(scenario, series, schedulers)];
  for (const s of schedulers) charts.push(heatmap(scenario, nodes, s));
  return charts.filter((c): c is Chart => c !== undefined);
}
