/**
 * Capacity planning results as files and a terminal table: capacity.csv,
 * capacity.json and the ranking printed by `rackbench capacity`. Pure
 * formatting of what the runner computed; deterministic.
 */
import { stringify } from 'csv-stringify/sync';
import { round6 } from './format.js';

/** One count tried for an option, with the SLOs it missed (on any seed). */
export interface CapacityEvaluation {
  readonly nodes: number;
  readonly pass: boolean;
  /** `seed N: <column>=<value> (<slo>)`, for the counts that failed. */
  readonly violations: readonly string[];
  /** Per SLO (as written): its column's worst value over the seeds run at this count. */
  readonly values: Readonly<Record<string, number>>;
}

/** The answer for one hardware profile × platform × growth factor. */
export interface CapacityOption {
  readonly profile: string;
  readonly platform: string;
  readonly growth: number;
  /** found: `nodes` meets every SLO on every seed; impossible: not even maxNodes does; error: a candidate was invalid or a run failed. */
  readonly status: 'found' | 'impossible' | 'error';
  /** Nodes of the sized pool (N + survive when survive > 0). */
  readonly nodes?: number | undefined;
  /** Nodes of every pool at that count (servers included). */
  readonly totalNodes?: number | undefined;
  /** The volume lower bound: nodes_lower_bound_peak of the answer's runs (maximum over seeds), over the whole cluster. */
  readonly lowerBound?: number | undefined;
  /** Compaction (rackbench compact): the fewest of the answer's nodes, whole cluster, the policy packs the peak snapshot on statically. */
  readonly compacted?: number | undefined;
  readonly survive: number;
  readonly monotonic: boolean;
  readonly anomalies: readonly string[];
  /** Utilization used for power: alloc_cpu_mean (mean over seeds) and alloc_cpu_peak (maximum over seeds). */
  readonly cpuMean?: number | undefined;
  readonly cpuPeak?: number | undefined;
  /** Per resource: 1 − alloc_<r>_peak (the maximum over seeds). */
  readonly headroom: Readonly<Record<string, number>>;
  readonly racks?: number | undefined;
  readonly rackLimitedBy?: string | undefined;
  readonly powerMeanKw?: number | undefined;
  readonly powerPeakKw?: number | undefined;
  readonly purchaseUsd?: number | undefined;
  readonly capexUsdPerMonth?: number | undefined;
  readonly energyUsdPerMonth?: number | undefined;
  readonly spaceUsdPerMonth?: number | undefined;
  readonly totalUsdPerMonth?: number | undefined;
  readonly evaluations: readonly CapacityEvaluation[];
  readonly notes: readonly string[];
  readonly error?: string | undefined;
}

export interface CapacityReport {
  readonly scenario: string;
  readonly pool: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seeds: readonly number[];
  readonly slos: readonly string[];
  /** Per SLO (as written): its operator and threshold, in the column's unit. */
  readonly thresholds: Readonly<Record<string, { readonly column: string; readonly op: string; readonly value: number }>>;
  readonly survive: number;
  readonly maxNodes: number;
  /** The settings every figure came from (rack, power, prices). */
  readonly assumptions: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  readonly options: readonly CapacityOption[];
}

/** Options in report order: growth factor, then found before impossible/error, then monthly cost, then profile and platform. */
export function rankOptions(options: readonly CapacityOption[]): CapacityOption[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const cost = (o: CapacityOption): number => (o.status === 'found' && o.totalUsdPerMonth !== undefined ? o.totalUsdPerMonth : Infinity);
  return [...options].sort((a, b) => a.growth - b.growth || cost(a) - cost(b) || cmp(a.profile, b.profile) || cmp(a.platform, b.platform));
}

/** Resources with a headroom figure in any option, built-ins first. */
function headroomResources(options: readonly CapacityOption[]): string[] {
  const builtin = ['cpu', 'memory', 'nvme', 'nic', 'pods'];
  const seen = new Set<string>();
  for (const o of options) for (const r of Object.keys(o.headroom)) seen.add(r);
  return [...builtin.filter((r) => seen.has(r)), ...[...seen].filter((r) => !builtin.includes(r)).sort()];
}

const CSV_COLUMNS = [
  'growth',
  'profile',
  'platform',
  'status',
  'nodes',
  'survive',
  'total_nodes',
  'lower_bound_nodes',
  'compaction_nodes',
  'monotonic',
  'racks',
  'rack_limited_by',
  'power_mean_kw',
  'power_peak_kw',
  'alloc_cpu_mean',
  'alloc_cpu_peak',
  'purchase_usd',
  'capex_usd_per_month',
  'energy_usd_per_month',
  'space_usd_per_month',
  'total_usd_per_month',
] as const;

const cell = (v: number | string | boolean | undefined): string | number => (v === undefined ? '' : typeof v === 'number' ? round6(v) : String(v));

/** capacity.csv: one row per option in rank order; headroom_<r> columns after the fixed ones, then notes. */
export function capacityCsv(options: readonly CapacityOption[]): string {
  const resources = headroomResources(options);
  const header = [...CSV_COLUMNS, ...resources.map((r) => `headroom_${r}`), 'notes'];
  const rows = rankOptions(options).map((o) => [
    cell(o.growth),
    o.profile,
    o.platform,
    o.status,
    cell(o.nodes),
    o.survive,
    cell(o.totalNodes),
    cell(o.lowerBound),
    cell(o.compacted),
    cell(o.status === 'found' ? o.monotonic : undefined),
    cell(o.racks),
    cell(o.rackLimitedBy),
    cell(o.powerMeanKw),
    cell(o.powerPeakKw),
    cell(o.cpuMean),
    cell(o.cpuPeak),
    cell(o.purchaseUsd),
    cell(o.capexUsdPerMonth),
    cell(o.energyUsdPerMonth),
    cell(o.spaceUsdPerMonth),
    cell(o.totalUsdPerMonth),
    ...resources.map((r) => cell(o.headroom[r])),
    [...(o.error !== undefined ? [o.error] : []), ...o.anomalies, ...o.notes].join('; '),
  ]);
  return stringify([header, ...rows], { escape_formulas: true, record_delimiter: 'unix' });
}

/** Rounds every number in a JSON-able value to 6 decimals, as the CSV does. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return round6(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/** capacity.json: the whole report, options in rank order. */
export function capacityJson(report: CapacityReport): string {
  return `${JSON.stringify(rounded({ ...report, options: rankOptions(report.options) }), null, 2)}\n`;
}

const money = (x: number | undefined): string => (x === undefined ? '—' : `$${Math.round(x).toLocaleString('en-US')}`);
const kw = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(1));
const pct = (x: number | undefined): string => (x === undefined ? '—' : `${Math.round(x * 100)}%`);

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  return rows.map((r) => r.map((v, c) => (c < 3 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** The ranking: one table (header, then a row per option, cheapest first) per growth factor. */
export function rankingTables(report: CapacityReport): { readonly title: string; readonly rows: string[][] }[] {
  const options = rankOptions(report.options);
  const resources = headroomResources(options).filter((r) => ['cpu', 'memory', 'nvme', 'nic', 'pods'].includes(r) || r === 'gpu');
  const tables: { title: string; rows: string[][] }[] = [];
  for (const growth of [...new Set(options.map((o) => o.growth))]) {
    const header = ['#', 'profile', 'platform', 'nodes', 'cluster', 'lower bound', 'compaction', 'racks', 'kW mean', 'kW peak', '$/month', ...resources.map((r) => `free ${r}`)];
    const rows: string[][] = [header];
    let rank = 0;
    for (const o of options.filter((x) => x.growth === growth)) {
      const found = o.status === 'found';
      rows.push([
        found ? String(++rank) : '-',
        o.profile,
        o.platform,
        found ? `${o.nodes}${o.monotonic ? '' : '*'}` : o.status,
        found ? String(o.totalNodes ?? '—') : '',
        found ? String(o.lowerBound ?? '—') : '',
        found ? String(o.compacted ?? '—') : '',
        found ? String(o.racks ?? '—') : '',
        found ? kw(o.powerMeanKw) : '',
        found ? kw(o.powerPeakKw) : '',
        found ? money(o.totalUsdPerMonth) : '',
        ...resources.map((r) => (found ? pct(o.headroom[r]) : '')),
      ]);
    }
    tables.push({ title: `growth ×${growth}${report.survive > 0 ? `, surviving ${report.survive} node failure${report.survive > 1 ? 's' : ''}` : ''}`, rows });
  }
  return tables;
}

/** What a reader must know beside the ranking: impossible options, errors, non-monotone answers. */
export function capacityFootnotes(report: CapacityReport): string[] {
  const footnotes: string[] = [];
  for (const o of rankOptions(report.options)) {
    const who = `${o.profile} on ${o.platform}, growth ×${o.growth}`;
    if (o.status === 'impossible') footnotes.push(`${who}: the SLOs are not met even at ${report.maxNodes} nodes (${o.evaluations.at(-1)?.violations.slice(0, 3).join('; ') ?? ''})`);
    if (o.status === 'error') footnotes.push(`${who}: ${o.error ?? 'failed'}`);
    if (!o.monotonic) footnotes.push(`* ${who}: not monotone in the node count: ${o.anomalies.join('; ')}`);
  }
  return footnotes;
}

/** The terminal ranking: one table per growth factor, cheapest first. */
export function capacityTable(report: CapacityReport): string {
  const out = rankingTables(report).map((t) => `${t.title}:\n${pad(t.rows)}`);
  return [...out, ...capacityFootnotes(report)].join('\n\n');
}
