import pc from 'picocolors';
import { checkPlugins } from '../runner/plugins.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { defaultScenarios, loadScenarioVariants, planRuns } from '../runner/plan.js';
import { platformComparison, platformComparisonReport, writePlatformComparison } from '../runner/platform-compare.js';
import { runOnPool } from '../runner/pool.js';
import type { StoredRun } from '../runner/result-store.js';
import { writeTables } from '../runner/result-store.js';
import { parseRecordTables, saveRunRecords } from '../runner/records.js';
import { withTraceArgument } from '../runner/trace-run.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, parseSeed, poolOptions } from './options.js';

export interface RunFlags extends PoolFlags {
  readonly scheduler?: string[];
  readonly seed?: string[];
  readonly queue?: string;
  readonly out: string;
  readonly quiet?: boolean;
  readonly trace?: string;
  readonly traceOption?: string[];
  readonly record?: string;
}

export async function runCommand(files: string[], flags: RunFlags): Promise<number> {
  // A scenario with defaults.platforms stands for one run set per platform (`name (platform=k3s)`).
  const scenarios = files.length > 0 ? files.flatMap(loadScenarioVariants) : defaultScenarios();
  const runs = planRuns(flags.trace === undefined ? scenarios : withTraceArgument(files.length > 0 ? scenarios : [], flags.trace, flags.traceOption), {
    schedulers: flags.scheduler,
    seeds: flags.seed?.map(parseSeed),
    queue: flags.queue,
  });
  await checkPlugins(runs.map((r) => r.spec));
  const record = flags.record === undefined ? undefined : parseRecordTables(flags.record);
  const items = record === undefined ? runs : runs.map((r) => ({ ...r, spec: { ...r.spec, record } }));
  const stored: StoredRun[] = [];
  const width = String(runs.length).length;
  const interrupt = interruptSignal();
  let outcome;
  try {
    outcome = await runOnPool(items, poolOptions(flags, interrupt.signal), (item, result) => {
      const record: StoredRun = result.ok
        ? { key: item.key, label: item.label, ok: true, result: saveRunRecords(flags.out, item.key, result.result) }
        : { key: item.key, label: item.label, ok: false, error: result.error };
      stored.push(record);
      if (flags.quiet) return;
      const counter = pc.dim(`[${String(stored.length).padStart(width)}/${runs.length}]`);
      if (!result.ok) {
        console.error(`${counter} ${pc.red('failed:')} ${item.label}: ${result.error}`);
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
  } finally {
    interrupt.dispose();
  }
  if (outcome.interrupted) {
    console.error(`interrupted after ${stored.length} of ${runs.length} runs; nothing written`);
    return EXIT_INTERRUPTED;
  }
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
  for (const f of failed) console.error(`${pc.red('run failed:')} ${f.label}: ${f.ok ? '' : f.error}`);
  return failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}
