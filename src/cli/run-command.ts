import pc from 'picocolors';
import { checkPlugins } from '../runner/plugins.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { defaultScenarios, loadScenarioVariants, planRuns } from '../runner/plan.js';
import { platformComparison, platformComparisonReport, writePlatformComparison } from '../runner/platform-compare.js';
import { runOnPool } from '../runner/pool.js';
import type { StoredRun } from '../runner/result-store.js';
import { checkOutputPaths, writeTables } from '../runner/result-store.js';
import { parseRecordTables, saveRunRecords } from '../runner/records.js';
import { checkRunTraces, withTraceArgument } from '../runner/trace-run.js';
import { lockResults } from '../runner/lock.js';
import { checkRunsMemory, memoryLimit } from '../runner/memory-check.js';
import { safeText } from '../core/text.js';
import { EXIT_INTERRUPTED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, parseMaxMemory, parseSeed, poolOptions } from './options.js';
import { printTraceRejections, reportFailures } from './run-outcomes.js';

export interface RunFlags extends PoolFlags {
  readonly scheduler?: string[];
  readonly seed?: string[];
  readonly queue?: string;
  readonly out: string;
  readonly quiet?: boolean;
  readonly trace?: string;
  readonly traceOption?: string[];
  readonly record?: string;
  readonly maxMemory?: string;
}

export async function runCommand(files: string[], flags: RunFlags): Promise<number> {
  const limit = memoryLimit(parseMaxMemory(flags.maxMemory));
  // A scenario with defaults.platforms stands for one run set per platform (`name (platform=k3s)`).
  const scenarios = files.length > 0 ? files.flatMap(loadScenarioVariants) : defaultScenarios();
  // Refused before anything runs: a scenario too large for the memory at hand, a trace file without rows.
  checkRunsMemory(scenarios, limit);
  const runs = planRuns(flags.trace === undefined ? scenarios : withTraceArgument(files.length > 0 ? scenarios : [], flags.trace, flags.traceOption), {
    schedulers: flags.scheduler,
    seeds: flags.seed?.map(parseSeed),
    queue: flags.queue,
  });
  checkRunTraces(runs.map((r) => r.spec));
  await checkPlugins(runs.map((r) => r.spec));
  const record = flags.record === undefined ? undefined : parseRecordTables(flags.record);
  const items = record === undefined ? runs : runs.map((r) => ({ ...r, spec: { ...r.spec, record } }));
  const stored: StoredRun[] = [];
  const width = String(runs.length).length;
  // A second writer of the same --out stops here, before it can overwrite the first's results.
  // Refused before any run: an output file or records directory that leads outside --out (a symbolic link).
  checkOutputPaths(flags.out);
  const lock = lockResults(flags.out);
  const interrupt = interruptSignal();
  let outcome;
  try {
    outcome = await runOnPool(items, poolOptions(flags, interrupt.signal), (item, result) => {
      const record: StoredRun = result.ok
        ? { key: item.key, label: item.label, ok: true, result: saveRunRecords(flags.out, item.key, result.result) }
        : { key: item.key, label: item.label, ok: false, error: result.error, ...(result.badInput === true ? { badInput: true } : {}) };
      stored.push(record);
      if (flags.quiet) return;
      const counter = pc.dim(`[${String(stored.length).padStart(width)}/${runs.length}]`);
      if (!result.ok) {
        console.error(`${counter} ${pc.red('failed:')} ${safeText(`${item.label}: ${result.error}`)}`);
        return;
      }
      const r = result.result;
      const t = r.timing;
      const eventsPerSecond = Math.round(t.events / (t.wallMs / 1000));
      console.error(
        `${counter} ${r.scenario} ${pc.bold(r.scheduler)} seed ${r.seed}: ` +
          `${r.metrics.pods_scheduled} placed, ${r.metrics.pods_unschedulable} unschedulable ` +
          pc.dim(`(${t.wallMs.toFixed(0)} ms, ${eventsPerSecond.toLocaleString('en-US')} events/s)`),
      );
    });
    if (outcome.interrupted) {
      console.error(`interrupted after ${stored.length} of ${runs.length} runs; nothing written`);
      return EXIT_INTERRUPTED;
    }
    return writeRunTables(flags, scenarios, stored);
  } finally {
    interrupt.dispose();
    lock.release();
  }
}

/** Writes and prints the tables of the finished runs; returns the exit code. */
function writeRunTables(flags: RunFlags, scenarios: Parameters<typeof platformComparison>[0], stored: StoredRun[]): number {
  const { results, failed } = writeTables(flags.out, stored);
  const written: string[] = [];
  if (results.length > 0) {
    const summary = summarize(results);
    console.log(comparisonTable(summary));
    // Kubernetes vs k3s, side by side, for the scenarios that ran on both.
    const platforms = flags.trace === undefined ? platformComparison(scenarios) : undefined;
    if (platforms !== undefined) {
      console.log(platformComparisonReport(platforms, summary));
      written.push(...writePlatformComparison(flags.out, platforms, summary));
    }
  }
  console.log(
    `wrote ${flags.out}/runs.csv, timings.csv, ${failed.length > 0 ? 'failures.csv (no summary.json: some runs failed)' : 'summary.json'}` +
      written.map((f) => `, ${f}`).join(''),
  );
  printTraceRejections(results);
  return reportFailures(failed);
}
