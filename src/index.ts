/**
 * rackbench as a library (docs/api.md):
 *
 *   import { loadScenario, run, sweep, report, diff } from 'rackbench'
 *
 * `run` and `sweep` return a Promise of the finished set that is also an
 * async iterator of each run as it finishes; each result carries its runs.csv
 * metrics under the same column names. Policy plugins: 'rackbench/plugin'.
 */
export { loadScenario, run } from './api/run.js';
export type { RunOptions, RunResults, Scenario, ScenarioInput } from './api/run.js';
export { DEFAULT_SWEEP_OUT, sweep } from './api/sweep.js';
export type { SweepOptions, SweepResults } from './api/sweep.js';
export { diff, report } from './api/results.js';
export type { DiffOptions, GateFinding, GateReport, ReportOptions, RunsSource, WrittenReport } from './api/results.js';
export type { CompletedRun, FailedRun, RunOutcome, RunSet } from './api/outcomes.js';
export type { RunStream } from './api/run-stream.js';
export type { RecordTable } from './metrics/run-record.js';
export type { ResolvedScenario } from './model/scenario.js';
export type { Summary } from './report/summary.js';
export type { SweepProgress } from './runner/sweep.js';
export type { Shard } from './runner/shard.js';
