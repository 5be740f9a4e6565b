import { checkPlugins } from '../runner/plugins.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { parseShard, shardFromEnv } from '../runner/shard.js';
import { parseRecordTables } from '../runner/records.js';
import { loadSweep } from '../runner/sweep-file.js';
import { runSweep } from '../runner/sweep.js';
import { lockResults } from '../runner/lock.js';
import { checkOutputPaths } from '../runner/result-store.js';
import { checkRunsMemory, memoryLimit } from '../runner/memory-check.js';
import { checkRunTraces } from '../runner/trace-run.js';
import { EXIT_INTERRUPTED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, parseMaxMemory, poolOptions } from './options.js';
import { progressReporter } from './progress.js';
import { printTraceRejections, reportFailures } from './run-outcomes.js';

export interface SweepFlags extends PoolFlags {
  readonly out: string;
  readonly shard?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
  readonly record?: string;
  readonly maxMemory?: string;
}

export async function sweepCommand(file: string, flags: SweepFlags): Promise<number> {
  const record = flags.record === undefined ? undefined : parseRecordTables(flags.record);
  const limit = memoryLimit(parseMaxMemory(flags.maxMemory));
  const plan = loadSweep(file);
  checkRunsMemory(plan.runs.map((r) => ({ scenario: r.spec.scenario, file: r.spec.source, variant: r.spec.variant })), limit);
  checkRunTraces(plan.runs.map((r) => r.spec));
  await checkPlugins(plan.runs.map((r) => r.spec));
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : shardFromEnv(process.env);
  // A second writer of the same --out stops here: the lock holds until the sweep ends.
  checkOutputPaths(flags.out);
  const lock = lockResults(flags.out);
  const interrupt = interruptSignal();
  const progress = flags.quiet ? undefined : progressReporter();
  const where = shard ? `shard ${shard.index}/${shard.count} of ` : '';
  console.error(`sweep ${plan.name}: ${where}${plan.runs.length} runs → ${flags.out}`);
  let report;
  try {
    report = await runSweep(plan, {
      ...poolOptions(flags, interrupt.signal),
      out: flags.out,
      shard,
      force: flags.force,
      record,
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
  } finally {
    progress?.stop();
    interrupt.dispose();
    lock.release();
  }
  if (report.interrupted) {
    console.error(`interrupted: ${report.resumed + report.ran} of ${report.total} runs done; run the same command again to resume`);
    return EXIT_INTERRUPTED;
  }
  if (report.results.length > 0 && !flags.quiet) console.log(comparisonTable(summarize(report.results)));
  console.log(
    `${report.total} runs (${report.resumed} already done, ${report.ran} run now), ${report.failed.length} failed; wrote ${flags.out}/runs.csv, timings.csv, ${report.failed.length > 0 ? 'failures.csv (no summary.json until every run succeeds; re-run to retry the failed ones)' : 'summary.json'}`,
  );
  printTraceRejections(report.results);
  return reportFailures(report.failed);
}
