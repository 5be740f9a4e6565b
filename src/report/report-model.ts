/**
 * What every report (HTML, markdown, terminal) shows, computed once from the
 * runs of a results directory: the summary with its confidence intervals, the
 * paired comparisons with a baseline policy, and the groups arranged per
 * scenario. Pure: rows in, data out.
 */
import { compareWithPolicy } from './compare.js';
import type { PlatformNodeRow } from './platform-compare.js';
import type { RunRecordRows } from './record-charts.js';
import type { RunRow } from './runs-csv.js';
import type { GroupComparison, GroupSummary, Summary } from './summary.js';
import { groupKey, summarize } from './summary.js';

export interface ReportInput {
  readonly title: string;
  /** Where the runs came from (the results directory, as the user named it). */
  readonly source: string;
  readonly rows: readonly RunRow[];
  /** The policy others are compared with; none when undefined. */
  readonly baseline?: string | undefined;
  /** Runs that failed (failures.csv), so absent from rows; 0 for a complete set. */
  readonly failed: number;
  /** Rows of timeseries.csv and nodes.csv, when the runs recorded them. */
  readonly records?: RunRecordRows | undefined;
  /** Rows of platforms.csv: per platform variant and pool, what each node offers the workload. */
  readonly platformNodes?: readonly PlatformNodeRow[] | undefined;
}

export interface ScenarioView {
  readonly name: string;
  readonly groups: readonly GroupSummary[];
  /** Comparisons of this scenario's groups with the baseline, in group order. */
  readonly comparisons: readonly GroupComparison[];
  /** The baseline's group in this scenario, when it ran here. */
  readonly baselineGroup?: GroupSummary | undefined;
}

export interface ReportModel {
  readonly title: string;
  readonly source: string;
  readonly failed: number;
  readonly summary: Summary;
  readonly scenarios: readonly ScenarioView[];
  /** Every scheduler in the set, sorted: one colour each in every chart. */
  readonly schedulers: readonly string[];
  /** Scenarios run on several platforms (`platform=k3s`: a scenario's defaults.platforms or a sweep parameter). */
  readonly platforms: readonly PlatformSet[];
  /** platforms.csv's rows (empty when the directory has none). */
  readonly platformNodes: readonly PlatformNodeRow[];
  readonly records: RunRecordRows;
}

/** One scenario (and parameter point) run on several platforms. */
export interface PlatformSet {
  /** The scenario name with every parameter but `platform`. */
  readonly name: string;
  readonly variants: readonly { readonly platform: string; readonly scenario: string }[];
}

export function buildReport(input: ReportInput): ReportModel {
  const base = summarize(input.rows);
  const comparisons = input.baseline === undefined ? undefined : compareWithPolicy(input.rows, input.baseline);
  const summary: Summary = comparisons === undefined ? base : { ...base, baseline: input.baseline!, comparisons };
  const names = [...new Set(summary.groups.map((g) => g.scenario))];
  const scenarios = names.map((name): ScenarioView => {
    const groups = summary.groups.filter((g) => g.scenario === name);
    return {
      name,
      groups,
      comparisons: (comparisons ?? []).filter((c) => c.scenario === name),
      baselineGroup: input.baseline === undefined ? undefined : groups.find((g) => g.scheduler === input.baseline),
    };
  });
  return {
    title: input.title,
    source: input.source,
    failed: input.failed,
    summary,
    scenarios,
    schedulers: [...new Set(summary.groups.map((g) => g.scheduler))].sort(),
    platforms: platformSets(names),
    platformNodes: input.platformNodes ?? [],
    records: input.records ?? { series: [], nodes: [] },
  };
}

/**
 * A sweep names a run's scenario `name (path=value, …)`. Splits that into the
 * name and its parameters; a plain scenario name has none.
 */
export function parseScenarioLabel(label: string): { name: string; params: [string, string][] } {
  const m = /^(.*?) \((.*)\)$/.exec(label);
  if (!m) return { name: label, params: [] };
  const params = m[2]!.split(', ').map((p): [string, string] => {
    const eq = p.lastIndexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  return { name: m[1]!, params };
}

/** The scenarios (result names) that are one scenario on several platforms, grouped; a set needs two platforms or more. */
export function platformSets(scenarios: readonly string[]): PlatformSet[] {
  const sets = new Map<string, { platform: string; scenario: string }[]>();
  for (const scenario of scenarios) {
    const { name, params } = parseScenarioLabel(scenario);
    const platform = params.find(([k]) => k === 'platform');
    if (platform === undefined) continue;
    const rest = params.filter(([k]) => k !== 'platform');
    const key = rest.length === 0 ? name : `${name} (${rest.map(([k, v]) => `${k}=${v}`).join(', ')})`;
    const list = sets.get(key) ?? [];
    list.push({ platform: platform[1], scenario });
    sets.set(key, list);
  }
  return [...sets.entries()].filter(([, v]) => v.length > 1).map(([name, variants]) => ({ name, variants }));
}

/**
 * How a group is named in tables and legends: its scheduler, with the queue
 * when the scenario ran the scheduler under more than one queue policy.
 */
export function seriesName(view: Pick<ScenarioView, 'groups'>, g: Pick<GroupSummary, 'scheduler' | 'queue'>): string {
  const queues = view.groups.filter((o) => o.scheduler === g.scheduler).length;
  return queues > 1 ? `${g.scheduler} / ${g.queue}` : g.scheduler;
}

export function comparisonOf(view: ScenarioView, g: GroupSummary): GroupComparison | undefined {
  return view.comparisons.find((c) => groupKey(c) === groupKey(g));
}
