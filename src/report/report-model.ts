/**
 * What every report (HTML, markdown, terminal) shows, computed once from the
 * runs of a results directory: the summary with its confidence intervals, the
 * paired comparisons with a baseline policy, and the groups arranged per
 * scenario. Pure: rows in, data out.
 */
import { compareWithPolicy } from './compare.js';
import { platformSets } from './platform-sets.js';
import type { PlatformSet } from './platform-sets.js';
import type { PlatformNodeRow } from './platforms-csv.js';
import type { RunRecordRows } from './record-charts.js';
import type { RunRow } from './runs-csv.js';
import { SeedIndex } from './seed-values.js';
import type { SketchEntry } from './sketches-json.js';
import { sweepFamilies } from './sweep-families.js';
import type { SweepFamily } from './sweep-families.js';
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
  /** sketches.json's runs, when the results have it. */
  readonly sketches?: readonly SketchEntry[] | undefined;
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
  /** Per-seed values and their bootstrap intervals. */
  readonly seeds: SeedIndex;
  readonly sketches: readonly SketchEntry[];
  /** Scenarios swept over parameter values: drawn as curves, one section per family. */
  readonly families: readonly SweepFamily[];
  /** Every series name (policy, or policy / queue), in colour order: one colour each across the report. */
  readonly series: readonly string[];
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
    seeds: new SeedIndex(input.rows),
    sketches: input.sketches ?? [],
    families: sweepFamilies(names),
    series: seriesNames(scenarios),
  };
}

/** Schedulers in name order, then names with a queue where a scenario ran one scheduler under several queues. */
function seriesNames(scenarios: readonly ScenarioView[]): string[] {
  const plain = [...new Set(scenarios.flatMap((v) => v.groups.map((g) => g.scheduler)))].sort();
  const named = scenarios.flatMap((v) => v.groups.map((g) => seriesName(v, g)));
  return [...new Set([...plain.filter((s) => named.includes(s)), ...named.sort()])];
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
