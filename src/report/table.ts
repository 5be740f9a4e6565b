/** The terminal comparison table: one block per scenario, one line per policy, means across seeds. */
import type { Summary } from './summary.js';
import { formatSeconds } from './metric-info.js';

interface Column {
  readonly title: string;
  readonly metric: string;
  readonly format: (x: number) => string;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const count = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

const COLUMNS: readonly Column[] = [
  { title: 'scheduled', metric: 'pods_scheduled', format: count },
  { title: 'unsched', metric: 'pods_unschedulable', format: count },
  { title: 'delay p50 s', metric: 'delay_p50_s', format: formatSeconds },
  { title: 'delay p99 s', metric: 'delay_p99_s', format: formatSeconds },
  { title: 'cpu alloc', metric: 'alloc_cpu_mean', format: pct },
  { title: 'mem alloc', metric: 'alloc_memory_mean', format: pct },
  { title: 'nodes mean', metric: 'active_nodes_mean', format: (x) => x.toFixed(2) },
  { title: 'nodes peak', metric: 'active_nodes_peak', format: count },
  { title: 'packing', metric: 'packing_efficiency_peak', format: pct },
  { title: 'frag cpu', metric: 'fragmentation_cpu', format: pct },
  { title: 'stranded mem', metric: 'stranded_memory', format: pct },
];

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function comparisonTable(summary: Summary): string {
  const out: string[] = [];
  const scenarios = [...new Set(summary.groups.map((g) => g.scenario))];
  for (const scenario of scenarios) {
    const groups = summary.groups.filter((g) => g.scenario === scenario);
    const header = ['scheduler', 'queue', 'seeds', ...COLUMNS.map((c) => c.title)];
    const lines = groups.map((g) => [
      g.scheduler,
      g.queue,
      String(g.seeds.length),
      ...COLUMNS.map((c) => {
        const s = g.metrics[c.metric];
        return s === undefined ? '–' : c.format(s.mean);
      }),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    out.push(`${scenario}`, pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map((l) => pad(l, widths)), '');
  }
  return out.join('\n');
}
