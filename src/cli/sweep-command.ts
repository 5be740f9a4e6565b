import pc from 'picocolors';
import { sweep } from '../api/sweep.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { parseShard, shardFromEnv } from '../runner/shard.js';
import { parseRecordTables } from '../runner/records.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, poolOptions } from './options.js';
import { progressReporter } from './progress.js';

export interface SweepFlags extends PoolFlags {
  readonly out: string;
  readonly shard?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
  readonly record?: string;
}

export async function sweepCommand(file: string, flags: SweepFlags): Promise<number> {
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
  for (const f of report.failed) console.error(`${pc.red('failed:')} ${f.label}: ${f.error}`);
  return report.failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}
