/**
 * `rackbench gate`: runs the default deterministic suite (or reads a results
 * directory) and compares it with a committed baseline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../core/errors.js';
import { InputError, parseYaml, validateWith } from '../model/scenario-file.js';
import { KEY_COLUMNS } from '../metrics/columns.js';
import { baselineSchema, compareWithBaseline, makeBaseline } from '../report/gate.js';
import type { Baseline, GateReport } from '../report/gate.js';
import type { RunRow } from '../report/runs-csv.js';
import { defaultScenarioFiles, packageRoot } from './defaults.js';
import { loadScenarioFile, planRuns } from './plan.js';
import { runOnPool } from './pool.js';
import { runLabel } from './run-key.js';

/** Where the default suite's baseline lives. */
export const DEFAULT_BASELINE = 'bench/baseline/default.json';

/**
 * The built-in scenarios `rackbench run` runs by default, with their default
 * policies and seeds, on the worker pool. A run that fails is an error here:
 * the suite is the project's own.
 */
export async function runDefaultSuite(workers?: number): Promise<RunRow[]> {
  const scenarios = defaultScenarioFiles()
    .map(loadScenarioFile)
    .filter((s) => s.scenario.defaults.runByDefault);
  const rows: RunRow[] = [];
  const failures: string[] = [];
  await runOnPool(
    planRuns(scenarios, {}).map((spec) => ({ spec })),
    { workers },
    (item, outcome) => {
      if (outcome.ok) rows.push(outcome.result);
      else failures.push(`${runLabel(item.spec)}: ${outcome.error}`);
    },
  );
  if (failures.length > 0) throw new Error(`the default suite failed:\n${failures.join('\n')}`);
  return rows;
}

/** Reads runs.csv (and timings.csv when present) of a results directory. */
export function readResults(dir: string): RunRow[] {
  const runsFile = join(dir, 'runs.csv');
  if (!existsSync(runsFile)) throw new UsageError(`${dir} holds no runs.csv: give a directory that rackbench run or sweep wrote`);
  const records = parse(readFileSync(runsFile, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const timingsFile = join(dir, 'timings.csv');
  const timings = existsSync(timingsFile)
    ? (parse(readFileSync(timingsFile, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[])
    : [];
  const timingOf = new Map(timings.map((t) => [`${t.scenario}/${t.scheduler}/${t.queue}/${t.seed}`, t]));
  const keys = new Set(KEY_COLUMNS.map((c) => c.name));
  return records.map((r, i) => {
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) {
      if (keys.has(k) || v === '') continue;
      const x = Number(v);
      if (!Number.isFinite(x)) throw new InputError(runsFile, [{ path: `row ${i + 2}.${k}`, line: i + 2, message: `expected a number, found "${v}"` }]);
      metrics[k] = x;
    }
    const t = timingOf.get(`${r.scenario}/${r.scheduler}/${r.queue}/${r.seed}`);
    return {
      scenario: r.scenario ?? '',
      scheduler: r.scheduler ?? '',
      queue: r.queue ?? '',
      seed: Number(r.seed),
      resources: [],
      metrics,
      timing: { wallMs: t ? Number(t.wall_ms) : 0, events: t ? Number(t.events) : 0 },
    };
  });
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`no baseline at ${file}: create one with rackbench gate --update`);
  }
  const parsed = parseYaml(text, file);
  return validateWith(baselineSchema, parsed.data, file, parsed);
}

export interface GateOptions {
  readonly results?: string | undefined;
  readonly baseline?: string | undefined;
  readonly update?: boolean | undefined;
  readonly speed?: boolean | undefined;
  /** Worker threads for the default suite. */
  readonly workers?: number | undefined;
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
  const report = compareWithBaseline(rows, readBaseline(baselineFile), options.speed === true);
  return { baselineFile, report, updated: false, runs: rows.length };
}
