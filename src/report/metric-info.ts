/** What a person needs to read a metric column: its unit, whether lower or higher is better, how to print it. */
import { METRIC_COLUMNS, PER_RESOURCE_COLUMNS } from '../metrics/columns.js';

/** Which way is better for a metric; 'neutral' where the workload, not the policy, sets it. */
export type Direction = 'lower' | 'higher' | 'neutral';

const LOWER = /^(pods_unschedulable|pods_pending_end|pods_never_fit|pods_preempted|makespan_s|delay_.*|active_nodes_.*|fragmentation_.*|stranded_.*)$/;
const HIGHER = /^(pods_scheduled|pods_completed|placements_per_sim_s|packing_efficiency_peak)$/;

export function metricDirection(metric: string): Direction {
  if (LOWER.test(metric)) return 'lower';
  if (HIGHER.test(metric)) return 'higher';
  return 'neutral';
}

/** The documented unit of a metric column ('' when unknown or dimensionless). */
export function metricUnit(metric: string): string {
  const fixed = METRIC_COLUMNS.find((c) => c.name === metric);
  if (fixed) return fixed.unit;
  for (const c of PER_RESOURCE_COLUMNS) {
    const [pre, post] = c.name.split('<r>') as [string, string];
    if (metric.startsWith(pre) && metric.endsWith(post) && metric.length > pre.length + post.length) return c.unit;
  }
  return '';
}

/** Resource names that appear in alloc_<r>_mean columns, in column order. */
export function resourcesOf(metrics: readonly string[]): string[] {
  return metrics.flatMap((m) => {
    const r = /^alloc_(.+)_mean$/.exec(m);
    return r ? [r[1]!] : [];
  });
}

/**
 * Seconds for a table cell: three decimals below 10 s, one above; below a
 * millisecond (a kube scheduling cycle takes ~0.2 ms), which would print as
 * 0.000, two significant digits in plain decimals (0.00021, not 2.1e-4).
 */
export function formatSeconds(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 0.001) return String(Number(x.toPrecision(2)));
  return a < 10 ? x.toFixed(3) : x.toFixed(1);
}

/** A number for a table cell: ratios as percentages, seconds with sensible precision, counts as they are. */
export function formatValue(metric: string, x: number): string {
  const unit = metricUnit(metric);
  if (unit === 'ratio') return `${(100 * x).toFixed(1)}%`;
  if (unit === 's') return formatSeconds(x);
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(2);
}

/** The metrics the summary and comparison tables show by default (all of them are in groups.csv). */
export const KEY_METRICS: readonly string[] = [
  'pods_scheduled',
  'pods_unschedulable',
  'delay_p50_s',
  'delay_p99_s',
  'alloc_cpu_mean',
  'alloc_memory_mean',
  'active_nodes_mean',
  'active_nodes_peak',
  'packing_efficiency_peak',
  'fragmentation_cpu',
  'stranded_cpu',
  'stranded_memory',
];
