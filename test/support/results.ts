/**
 * A results directory as `rackbench run` writes it (runs.csv, timings.csv, summary.json, and the record
 * tables asked for), from runs made one after another in this thread: the planning, `runOne` and
 * `writeTables` the command calls, without its worker pool. For the tests of what reads results (report,
 * compare, gate); the tests of `rackbench run` itself go through the command.
 */
import { loadScenarioVariants, planRuns } from '../../src/runner/plan.js';
import type { PlanOptions } from '../../src/runner/plan.js';
import { saveRunRecords } from '../../src/runner/records.js';
import { writeTables } from '../../src/runner/result-store.js';
import type { StoredRun } from '../../src/runner/result-store.js';
import { runOne } from '../../src/runner/run-one.js';
import type { RecordTable } from '../../src/metrics/run-record.js';
import type { RunResult } from '../../src/runner/run-protocol.js';

export interface RunSetOptions extends PlanOptions {
  readonly record?: readonly RecordTable[];
}

/** Runs every scenario file × scheduler × seed and writes the tables into `dir`; returns the results. */
export function writeRunSet(dir: string, files: readonly string[], options: RunSetOptions): RunResult[] {
  const planned = planRuns(files.flatMap(loadScenarioVariants), options);
  const stored: StoredRun[] = planned.map(({ key, label, spec }) => {
    const result = runOne(options.record === undefined ? spec : { ...spec, record: options.record });
    return { key, label, ok: true, result: saveRunRecords(dir, key, result) };
  });
  return writeTables(dir, stored).results;
}
