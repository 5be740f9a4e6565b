/**
 * `loadScenario` and `run`: scenarios × policies × seeds on worker threads,
 * the library behind `rackbench run`.
 */
import { join } from 'node:path';
import type { RecordTable } from '../metrics/run-record.js';
import { RECORD_TABLES } from '../metrics/run-record.js';
import type { ResolvedScenario } from '../model/scenario.js';
import type { Summary } from '../report/summary.js';
import { summarize } from '../report/summary.js';
import type { LoadedScenario } from '../runner/plan.js';
import { defaultScenarios, loadScenarioVariants, planRuns, scenarioDataVariants } from '../runner/plan.js';
import type { PlatformComparison } from '../runner/platform-compare.js';
import { platformComparison, writePlatformComparison } from '../runner/platform-compare.js';
import { checkPlugins } from '../runner/plugins.js';
import type { PoolOptions } from '../runner/pool.js';
import { runOnPool } from '../runner/pool.js';
import { saveRunRecords, saveRunRecordsParquet, PendingWrites } from '../runner/records.js';
import type { StoredRun } from '../runner/result-store.js';
import { checkOutputPaths, FAILURES_CSV, writeTables } from '../runner/result-store.js';
import { checkRunTraces, withTraceArgument } from '../runner/trace-run.js';
import { lockResults } from '../runner/lock.js';
import { checkRunsMemory, memoryLimit } from '../runner/memory-check.js';
import { writeParquet } from '../runner/parquet.js';
import { preloadDuckDb } from '../runner/duckdb.js';
import { DuckDbThread } from '../runner/duckdb-thread.js';
import type { RunOutcome, RunSet } from './outcomes.js';
import { outcomeOf, splitOutcomes } from './outcomes.js';
import type { RunStream } from './run-stream.js';
import { runStream } from './run-stream.js';

/** A scenario, read and resolved once: pass it to `run` as often as you like. */
export interface Scenario {
  readonly name: string;
  /** The file it was read from (or the `source` given with data). */
  readonly file: string;
  /** As resolved: hardware profiles filled in, defaults applied. */
  readonly resolved: ResolvedScenario;
  /** What a run of it runs: the scenario itself, or one variant per platform of its `defaults.platforms`. */
  readonly variants: readonly LoadedScenario[];
}

/**
 * Reads and checks a scenario file (YAML or JSON), or scenario data built in a
 * program. Throws an error naming the file, the field and the line on bad input.
 */
export function loadScenario(file: string): Scenario;
export function loadScenario(data: Readonly<Record<string, unknown>>, source?: string): Scenario;
export function loadScenario(input: string | Readonly<Record<string, unknown>>, source = '<scenario data>'): Scenario {
  const variants = typeof input === 'string' ? loadScenarioVariants(input) : scenarioDataVariants({ ...input }, source);
  // Platform variants share the file's name; the first stands for the file.
  const first = variants[0]!;
  return { name: first.scenario.name, file: first.file, resolved: first.scenario, variants };
}

export interface RunOptions extends PoolOptions {
  /** Placement policies: built-in names, names under the scenario's `schedulers:`, or plugin files. Default: the scenario's defaults.schedulers. */
  readonly schedulers?: readonly string[] | undefined;
  /** Default: the scenario's defaults.seeds. */
  readonly seeds?: readonly number[] | undefined;
  /** Queue policy. Default: the scenario's defaults.queue, else kube on Kubernetes and k3s. */
  readonly queue?: string | undefined;
  /** A results directory to write (runs.csv, summary.json, timings.csv, …), as `rackbench run --out`. Default: nothing is written. */
  readonly out?: string | undefined;
  /** Per-run tables to record: timeseries, nodes, pods, or 'all'. Without `out` they stay on each result's `records`. */
  readonly record?: readonly RecordTable[] | 'all' | undefined;
  /** Also write the tables as Parquet (docs/query.md) into `out`. Default: true. */
  readonly parquet?: boolean | undefined;
  /** Replay a trace, as `--trace FORMAT:FILE[,FILE…]` (docs/traces.md). */
  readonly trace?: string | undefined;
  /** Trace options, as `--trace-option key=value`. */
  readonly traceOptions?: readonly string[] | undefined;
  /** Where relative plugin paths are resolved from. Default: the working directory. */
  readonly pluginBase?: string | undefined;
  /** Refuse, before any run, scenarios estimated to need more memory than this many bytes. Default: the free memory. */
  readonly maxMemory?: number | undefined;
  /** Called once the runs are planned, before any starts, with how many there are. */
  readonly onPlanned?: ((plan: { readonly runs: number }) => void) | undefined;
}

/** A finished `run`: the set, with its summary and, for scenarios run on several platforms, their comparison. */
export interface RunResults extends RunSet {
  /** Per scenario × policy × queue: mean, sd and 95 % CI of each metric over seeds (as summary.json). Absent when no run finished. */
  readonly summary?: Summary | undefined;
  /** Kubernetes vs k3s, for scenarios that ran on both. */
  readonly platforms?: PlatformComparison | undefined;
}

export type ScenarioInput = string | Scenario;

function scenariosOf(input: ScenarioInput | readonly ScenarioInput[], options: RunOptions): LoadedScenario[] {
  const list = typeof input === 'string' || !Array.isArray(input) ? [input as ScenarioInput] : (input as readonly ScenarioInput[]);
  const loaded = list.flatMap((s) => (typeof s === 'string' ? loadScenarioVariants(s) : s.variants));
  if (options.trace !== undefined) return withTraceArgument(loaded, options.trace, options.traceOptions);
  return list.length > 0 ? loaded : defaultScenarios();
}

/**
 * Runs scenarios × policies × seeds on worker threads. Give a scenario file, a
 * loaded Scenario, or a list of them; an empty list runs the built-in default
 * scenarios (with `trace`, the trace's own machines). Returns a Promise of the
 * finished set that is also an async iterator of each run as it finishes.
 */
export function run(scenario: ScenarioInput | readonly ScenarioInput[], options: RunOptions = {}): RunStream<RunResults, RunOutcome> {
  return runStream<RunResults, RunOutcome>(async (emit) => {
    const scenarios = scenariosOf(scenario, options);
    // Refused before anything runs: a scenario too large for the memory at hand, a trace file without rows.
    checkRunsMemory(scenarios, memoryLimit(options.maxMemory));
    const planned = planRuns(scenarios, { schedulers: options.schedulers, seeds: options.seeds, queue: options.queue, pluginBase: options.pluginBase });
    checkRunTraces(planned.map((r) => r.spec));
    await checkPlugins(planned.map((r) => r.spec));
    options.onPlanned?.({ runs: planned.length });
    const record = options.record === 'all' ? [...RECORD_TABLES] : options.record;
    const items = record === undefined ? planned : planned.map((r) => ({ ...r, spec: { ...r.spec, record } }));
    const stored = new Map<string, StoredRun>();
    const { out } = options;
    // Refused before any run: an output file or records directory that leads outside `out` (a symbolic link);
    // and a second writer of the same `out` stops here, before it can overwrite the first's results.
    if (out !== undefined) checkOutputPaths(out);
    const lock = out === undefined ? undefined : lockResults(out);
    // DuckDB loads while the runs go, not after them: here when pod records are written with it as each
    // run ends; otherwise on a thread of its own, which a lone run simulating on this thread cannot block.
    const parquet = out !== undefined && options.parquet !== false;
    const podsToParquet = parquet && record?.includes('pods') === true;
    if (podsToParquet) preloadDuckDb();
    const duckDbThread = parquet && !podsToParquet ? DuckDbThread.start() : undefined;
    // Pod records bound for Parquet are written as each run finishes, while the others still run.
    const saving = new PendingWrites();
    try {
      const { interrupted } = await runOnPool(items, options, (item, outcome) => {
        const done = (run: StoredRun): void => {
          stored.set(item.key, run);
          emit(outcomeOf(run));
        };
        if (!outcome.ok) done({ key: item.key, label: item.label, ok: false, error: outcome.error, ...(outcome.badInput === true ? { badInput: true } : {}) });
        else if (out === undefined) done({ key: item.key, label: item.label, ok: true, result: outcome.result });
        else if (options.parquet === false) done({ key: item.key, label: item.label, ok: true, result: saveRunRecords(out, item.key, outcome.result) });
        else saving.add(saveRunRecordsParquet(out, item.key, outcome.result).then((result) => done({ key: item.key, label: item.label, ok: true, result })));
      });
      await saving.settle();
      if (interrupted) return { results: [], failed: [], interrupted, out, files: [] };
      const inOrder = planned.flatMap((r) => (stored.has(r.key) ? [stored.get(r.key)!] : []));
      const { results, failed } = splitOutcomes(inOrder.map(outcomeOf));
      const summary = results.length > 0 ? summarize(results) : undefined;
      const platforms = options.trace === undefined && summary !== undefined ? platformComparison(scenarios) : undefined;
      const files: string[] = [];
      if (out !== undefined) {
        writeTables(out, inOrder);
        files.push(...['runs.csv', 'timings.csv', failed.length > 0 ? FAILURES_CSV : 'summary.json'].map((f) => join(out, f)));
        if (platforms !== undefined && summary !== undefined) files.push(...writePlatformComparison(out, platforms, summary).map((f) => join(out, f)));
        if (options.parquet !== false) files.push(...(await writeParquet(out, results, duckDbThread)));
      }
      return { results, failed, interrupted, out, files, summary, platforms };
    } finally {
      await duckDbThread?.close().catch(() => undefined);
      lock?.release();
    }
  });
}
