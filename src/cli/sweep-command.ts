import { sweep } from '../api/sweep.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { parseShard, shardFromEnv } from '../runner/shard.js';
import { parseRecordTables } from '../runner/records.js';
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
  const maxMemory = parseMaxMemory(flags.maxMemory);
  const record = flags.record === undefined ? undefined : parseRecordTables(flags.record);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : shardFromEnv(process.env);
  const interrupt = interruptSignal();
  const progress = flags.quiet ? undefined : progressReporter();
  const where = shard ? `shard ${shard.index}/${shard.count} of ` : '';
  let report;
  try {
    report = await sweep(file, {
      ...poolOptions(flags, interrupt.signal),
      out: flags.out,
      shard,
      force: flags.force,
      record,
      maxMemory,
      onPlanned: (plan) => console.error(`sweep ${plan.name}: ${where}${plan.runs} runs → ${flags.out}`),
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
  } finally {
    progress?.stop();
    interrupt.dispose();
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
