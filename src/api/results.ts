/** `report` and `diff`: reading results directories back. */
import { existsSync, statSync } from 'node:fs';
import type { Baseline, GateReport } from '../report/gate.js';
import { compareWithBaseline, makeBaseline } from '../report/gate.js';
import { compareAcrossSeeds } from '../report/gate-stat.js';
import type { RunRow } from '../report/runs-csv.js';
import type { Summary } from '../report/summary.js';
import { readBaseline } from '../runner/gate.js';
import { readResultsDir } from '../runner/read-results.js';
import { writeReport } from '../runner/report.js';

export interface ReportOptions {
  /** The policy the others are compared with. Default: kube-default when it ran. */
  readonly baseline?: string | undefined;
  readonly title?: string | undefined;
}

export interface WrittenReport {
  /** report.html, report.md, groups.csv (and summary.json for a complete set). */
  readonly files: readonly string[];
  readonly charts: number;
  /** Per group mean, sd and 95 % CI; the paired ratios against the baseline policy. */
  readonly summary: Summary;
}

/** Writes the report of a results directory, as `rackbench report`. */
export async function report(dir: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const written = await writeReport(dir, options);
  return { files: written.files, charts: written.charts, summary: written.model.summary };
}

/**
 * A set of runs to compare: a results directory (its runs.csv), a gate
 * baseline file (.json), or the results of `run` or `sweep`.
 */
export type RunsSource = string | readonly RunRow[] | { readonly results: readonly RunRow[] };

export interface DiffOptions {
  /** Per metric column, the change that still counts as equal: |b − a| ≤ abs, or |b − a| / |a| ≤ rel. Default: exact. */
  readonly tolerances?: Readonly<Record<string, { readonly abs?: number; readonly rel?: number }>> | undefined;
  /** Compare across seeds, as `rackbench gate --stat --alpha a`: per scenario × policy × queue, the means over seeds. */
  readonly stat?: { readonly alpha: number } | undefined;
}

export type { GateFinding, GateReport } from '../report/gate.js';

function baselineOf(source: RunsSource, options: DiffOptions): Baseline {
  if (typeof source === 'string' && existsSync(source) && statSync(source).isFile()) {
    const file = readBaseline(source);
    return options.tolerances === undefined ? file : { ...file, tolerances: { ...options.tolerances } };
  }
  const made = makeBaseline(rowsOf(source));
  return { ...made, tolerances: { ...options.tolerances } };
}

function rowsOf(source: RunsSource): readonly RunRow[] {
  if (typeof source === 'string') return readResultsDir(source).rows;
  return 'results' in source ? source.results : (source as readonly RunRow[]);
}

/**
 * Compares two sets of runs metric by metric, as `rackbench gate` compares
 * with its baseline: every metric that differs (beyond a tolerance), every run
 * only in one set. Runs are matched by scenario, scheduler, queue and seed.
 */
export function diff(before: RunsSource, after: RunsSource, options: DiffOptions = {}): GateReport {
  const baseline = baselineOf(before, options);
  return options.stat === undefined ? compareWithBaseline(rowsOf(after), baseline, false) : compareAcrossSeeds(rowsOf(after), baseline, options.stat.alpha);
}
