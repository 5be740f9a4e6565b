/**
 * `rackbench gate`: runs the default deterministic suite (or reads a results
 * directory) and compares it with a committed baseline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../core/errors.js';
import { parseYaml, readInputText, validateWith } from '../model/yaml-input.js';
import { baselineSchema, compareWithBaseline, makeBaseline } from '../report/gate.js';
import { compareAcrossSeeds } from '../report/gate-stat.js';
import type { Baseline, GateReport } from '../report/gate.js';
import type { RunRow } from '../report/runs-csv.js';
import { packageRoot } from './defaults.js';
import { defaultScenarios, planRuns } from './plan.js';
import { runOnPool } from './pool.js';
import { readResultsDir } from './read-results.js';

/** Where the default suite's baseline lives. */
export const DEFAULT_BASELINE = 'bench/baseline/default.json';

/**
 * The built-in scenarios `rackbench run` runs by default, with their default
 * policies and seeds, on the worker pool. A run that fails is an error here:
 * the suite is the project's own.
 */
export async function runDefaultSuite(workers?: number): Promise<RunRow[]> {
  const scenarios = defaultScenarios();
  const rows: RunRow[] = [];
  const failures: string[] = [];
  await runOnPool(
    planRuns(scenarios, {}),
    { workers },
    (run, outcome) => {
      if (outcome.ok) rows.push(outcome.result);
      else failures.push(`${run.label}: ${outcome.error}`);
    },
  );
  if (failures.length > 0) throw new Error(`the default suite failed:\n${failures.join('\n')}`);
  return rows;
}

/** Reads runs.csv (and timings.csv when present) of a results directory. */
export function readResults(dir: string): RunRow[] {
  return readResultsDir(dir).rows;
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new UsageError(`no baseline at ${file}: create one with rackbench gate --update`);
  const parsed = parseYaml(readInputText(file), file);
  return validateWith(baselineSchema, parsed.data, file, parsed);
}

export interface GateOptions {
  readonly results?: string | undefined;
  readonly baseline?: string | undefined;
  readonly update?: boolean | undefined;
  readonly speed?: boolean | undefined;
  /** Worker threads for the default suite. */
  readonly workers?: number | undefined;
  /** Compare across seeds (report/gate-stat.ts) at this significance level instead of run by run, exactly. */
  readonly stat?: { readonly alpha: number } | undefined;
}

export interface GateOutcome {
  readonly baselineFile: string;
  readonly report: GateReport | null;
  readonly updated: boolean;
  readonly runs: number;
}

export async function gate(options: GateOptions): Promise<GateOutcome> {
  const baselineFile = options.baseline ?? join(packageRoot(), DEFAULT_BASELINE);
  const rows = options.results !== undefined ? readResults(options.results) : await runDefaultSuite(options.workers);
  if (options.update) {
    const previous = existsSync(baselineFile) ? readBaseline(baselineFile) : undefined;
    writeFileAtomic(baselineFile, `${JSON.stringify(makeBaseline(rows, previous), null, 1)}\n`);
    return { baselineFile, report: null, updated: true, runs: rows.length };
  }
  const baseline = readBaseline(baselineFile);
  const exact = compareWithBaseline(rows, baseline, options.speed === true);
  if (options.stat === undefined) return { baselineFile, report: exact, updated: false, runs: rows.length };
  const stat = compareAcrossSeeds(rows, baseline, options.stat.alpha);
  // Speed is per run either way.
  const findings = [...stat.findings, ...exact.findings.filter((f) => f.metric === 'events_per_s')];
  return { baselineFile, report: { ...stat, findings, passed: findings.length === 0 }, updated: false, runs: rows.length };
}
