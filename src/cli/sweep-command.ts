import { sweep } from '../api/sweep.js';
import { summarize } from '../report/summary.js';
import { comparisonTable } from '../report/table.js';
import { UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';
import { RUN_KEY_PATTERN } from '../runner/run-key.js';
import { parseShard, parseShardIndex, shardFromEnv } from '../runner/shard.js';
import { parseRecordTables } from '../runner/records.js';
import { EXIT_INTERRUPTED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, parseMaxMemory, poolOptions } from './options.js';
import { progressReporter } from './progress.js';
import { printTraceRejections, reportFailures } from './run-outcomes.js';

export interface SweepFlags extends PoolFlags {
  readonly out: string;
  readonly shard?: string;
  readonly shardIndex?: string;
  readonly sweepId?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
  readonly record?: string;
  readonly maxMemory?: string;
}

export async function sweepCommand(file: string, flags: SweepFlags): Promise<number> {
  const maxMemory = parseMaxMemory(flags.maxMemory);
  const record = flags.record === undefined ? undefined : parseRecordTables(flags.record);
  if (flags.shard !== undefined && flags.shardIndex !== undefined) throw new UsageError('give --shard i/n or --shard-index k/n, not both');
  if (flags.sweepId !== undefined && !RUN_KEY_PATTERN.test(flags.sweepId)) {
    throw new UsageError(`--sweep-id ${quote(flags.sweepId)}: expected a sweep id of 16 hexadecimal digits, as sweep.json's "sweep" holds it`);
  }
  const shard =
    flags.shard !== undefined ? parseShard(flags.shard) : flags.shardIndex !== undefined ? parseShardIndex(flags.shardIndex) : shardFromEnv(process.env);
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
      onPlanned: (plan) => {
        if (flags.sweepId !== undefined && plan.id !== flags.sweepId) {
          throw new UsageError(
            `${file}: sweep "${plan.name}" has id ${plan.id} here, not ${flags.sweepId} (--sweep-id): the sweep file, a scenario it names, or the rackbench version differs from where the id came from`,
          );
        }
        console.error(`sweep ${plan.name} (id ${plan.id}): ${where}${plan.runs} runs → ${flags.out}`);
      },
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
