/**
 * Kubernetes vs k3s: one scenario run on several platforms (a scenario's
 * `defaults.platforms`, or a sweep's `platform` parameter), side by side.
 * Two tables per scenario: what each node offers the workload on each
 * platform (capacity, reserved, allocatable, the platform's pods pinned to it,
 * what is left), from the platform model; and the runs' outcomes per policy
 * and platform, from the summary. platforms.csv holds the first table's
 * figures, so `rackbench report` can show it again from a results directory.
 */
import type { SeedIndex } from './seed-values.js';
import { formatValue } from './metric-info.js';
import type { PlatformSet } from './platform-sets.js';
import type { Amounts, PlatformNodeRow } from './platforms-csv.js';
import type { GroupSummary, Summary } from './summary.js';
import type { Cell, Table } from './tables.js';
import { meanText, metricLabel } from './tables.js';

/** CPU as Kubernetes writes it: whole CPUs plainly, else millicores. */
export function cpuText(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** Memory in Gi to two decimals, or Mi below 1 Gi. */
export function memoryText(bytes: number): string {
  if (bytes === 0) return '0';
  return Math.abs(bytes) >= Gi ? `${(bytes / Gi).toFixed(2)}Gi` : `${(bytes / Mi).toFixed(1)}Mi`;
}

/** `cpu · memory · pods`, the pods left out when the amounts have none. */
export function amountsText(a: Amounts): string {
  return [cpuText(a.cpu), memoryText(a.memory), ...(a.pods === undefined ? [] : [String(a.pods)])].join(' · ');
}

const Mi = 2 ** 20;
const Gi = 2 ** 30;

const plain = (text: string): Cell => ({ text, tone: 'plain' });

/** Platforms in reading order: kubernetes, k3s, then any other in name order. */
function platformOrder(a: string, b: string): number {
  const rank = (p: string): number => (p === 'kubernetes' ? 0 : p === 'k3s' ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The set's variants, kubernetes first. */
export function orderedVariants(set: PlatformSet): PlatformSet['variants'] {
  return [...set.variants].sort((a, b) => platformOrder(a.platform, b.platform));
}

/**
 * Per pool and platform, one node's budget: capacity, reserved, allocatable,
 * the platform's pods pinned to it, what is left; then the add-ons per
 * platform. Undefined when platforms.csv has no rows for the set.
 */
export function platformNodesTable(set: PlatformSet, rows: readonly PlatformNodeRow[]): Table | undefined {
  const variants = orderedVariants(set);
  const mine = rows.filter((r) => variants.some((v) => v.scenario === r.scenario));
  if (mine.length === 0) return undefined;
  const pools = [...new Set(mine.map((r) => r.pool))];
  const header = ['pool', 'platform', 'nodes', 'capacity', 'reserved', 'allocatable', 'platform pods', 'left for the workload', 'takes workload pods', 'which platform pods'];
  const body: Cell[][] = [];
  for (const pool of pools) {
    for (const v of variants) {
      const r = mine.find((x) => x.scenario === v.scenario && x.pool === pool);
      if (r === undefined) continue;
      body.push(
        [
          `${r.pool}${r.profile === '' ? '' : ` (${r.profile})`}`,
          r.platform,
          String(r.nodes),
          amountsText(r.capacity),
          amountsText(r.reserved),
          amountsText(r.allocatable),
          amountsText(r.pinned),
          amountsText(r.left),
          r.taints === '' ? 'yes' : `no (${r.taints})`,
          r.pinnedNames === '' ? 'none' : r.pinnedNames.split(' ').join(', '),
        ].map(plain),
      );
    }
  }
  for (const v of variants) {
    const r = mine.find((x) => x.scenario === v.scenario);
    if (r === undefined) continue;
    const names = r.addonNames === '' ? 'none' : r.addonNames.split(' ').join(', ');
    body.push(['add-ons (scheduled)', r.platform, '–', '–', '–', '–', amountsText(r.addons), '–', '–', names].map(plain));
  }
  return { header, rows: body };
}

/** The outcome metrics shown per policy and platform. */
export const PLATFORM_OUTCOMES: readonly string[] = [
  'pods_submitted',
  'pods_scheduled',
  'pods_never_fit',
  'pods_unschedulable',
  'delay_p50_s',
  'delay_p99_s',
  'startup_p50_s',
  'startup_p99_s',
  'alloc_cpu_mean',
  'alloc_memory_mean',
  'active_nodes_mean',
];

/** Short column titles for a terminal, as its per-scenario table names them. */
const SHORT_TITLES: Readonly<Record<string, string>> = {
  pods_submitted: 'submitted',
  pods_scheduled: 'scheduled',
  pods_never_fit: 'never fit',
  pods_unschedulable: 'unsched',
  delay_p50_s: 'delay p50 s',
  delay_p99_s: 'delay p99 s',
  startup_p50_s: 'startup p50 s',
  startup_p99_s: 'startup p99 s',
  alloc_cpu_mean: 'cpu alloc',
  alloc_memory_mean: 'mem alloc',
  active_nodes_mean: 'nodes mean',
};

/**
 * Per policy (and queue), one row per platform: the outcome metrics' means
 * across seeds; for a terminal (`terminal`) with short titles, else with the
 * metric columns' names and 95 % intervals.
 */
/** With `seeds`, each mean has its bootstrap interval; the terminal's table (`terminal`) has short titles and means only. */
export function platformOutcomesTable(set: PlatformSet, summary: Pick<Summary, 'groups'>, terminal: boolean, seeds?: SeedIndex): Table {
  const variants = orderedVariants(set);
  const groups = summary.groups.filter((g) => variants.some((v) => v.scenario === g.scenario));
  const policies = [...new Map(groups.map((g) => [`${g.scheduler}\u0000${g.queue}`, g])).values()];
  const metrics = PLATFORM_OUTCOMES.filter((m) => groups.some((g) => g.metrics[m] !== undefined));
  const header = ['scheduler', 'queue', 'platform', 'seeds', ...metrics.map((m) => (terminal ? (SHORT_TITLES[m] ?? m) : metricLabel(m)))];
  const body: Cell[][] = [];
  for (const p of policies) {
    for (const v of variants) {
      const g: GroupSummary | undefined = groups.find((x) => x.scenario === v.scenario && x.scheduler === p.scheduler && x.queue === p.queue);
      const value = (m: string): string => {
        const s = g?.metrics[m];
        if (s === undefined || g === undefined) return '–';
        return seeds !== undefined && !terminal ? meanText(m, seeds.spread(g, m)) : formatValue(m, s.mean);
      };
      body.push([p.scheduler, p.queue, v.platform, g === undefined ? '0' : String(g.seeds.length), ...metrics.map(value)].map(plain));
    }
  }
  return { header, rows: body };
}

/** A sentence under the tables: what the pod counts include, from the platform model's add-ons. */
export function platformNote(set: PlatformSet, rows: readonly PlatformNodeRow[]): string {
  const counts = orderedVariants(set).flatMap((v) => {
    const r = rows.find((x) => x.scenario === v.scenario);
    return r === undefined ? [] : [`${r.addons.pods ?? 0} on ${v.platform}`];
  });
  const addons = counts.length === 0 ? '' : ` Pod counts include the platform's add-on pods (${counts.join(', ')}); pods pinned to a node (static and DaemonSet pods) are not counted.`;
  return `Same hardware and workload on each platform; means across seeds.${addons} Node figures come from the platform model (docs/platforms.md): allocatable = capacity − reserved, and the platform's pods pinned to each node take their requests from it before the workload does.`;
}

/** The scenario of a set named without its platform, for headings. */
export function setTitle(set: PlatformSet): string {
  return `Kubernetes vs k3s: ${set.name}`;
}

/** A table as aligned plain text: the first `textColumns` columns left-aligned, numbers right-aligned (all but the `nodes` column when `textColumns` is undefined). */
export function plainTable(t: Table, textColumns?: number): string[] {
  const width = (s: string): number => [...s].length;
  const widths = t.header.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i]?.text ?? ''))));
  const left = (i: number): boolean => (textColumns === undefined ? t.header[i] !== 'nodes' : i < textColumns);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (left(i) ? c + ' '.repeat(widths[i]! - width(c)) : ' '.repeat(widths[i]! - width(c)) + c))
      .join('  ')
      .trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map((r) => line(r.map((c) => c.text)))];
}

/** The comparison for a terminal: per set, the nodes table, the outcomes table (means) and the note. */
export function platformComparisonText(sets: readonly PlatformSet[], rows: readonly PlatformNodeRow[], summary: Pick<Summary, 'groups'>): string {
  const out: string[] = [];
  for (const set of sets) {
    out.push(setTitle(set));
    const nodes = platformNodesTable(set, rows);
    if (nodes !== undefined) {
      // The pods' names would make the table too wide for a terminal: they follow it, one line per row.
      const last = nodes.header.length - 1;
      out.push('Each node, after reserved resources and the platform pods pinned to it (cpu · memory · pods):');
      out.push(...plainTable({ header: nodes.header.slice(0, last), rows: nodes.rows.map((r) => r.slice(0, last)) }));
      out.push(...nodes.rows.map((r) => `  ${r[0]!.text} on ${r[1]!.text}: ${r[last]!.text}`), '');
    }
    out.push('Outcomes per policy and platform:', ...plainTable(platformOutcomesTable(set, summary, true), 3), platformNote(set, rows), '');
  }
  return out.join('\n');
}
