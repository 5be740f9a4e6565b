import { basename, dirname } from 'node:path';
import pc from 'picocolors';
import { run } from '../api/run.js';
import { comparisonTable } from '../report/table.js';
import { platformComparisonReport } from '../runner/platform-compare.js';
import { parseRecordTables, RECORDS_DIR } from '../runner/records.js';
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
  const maxMemory = parseMaxMemory(flags.maxMemory);
  const interrupt = interruptSignal();
  let set;
  let total = 0;
  let done = 0;
  try {
    // A scenario with defaults.platforms stands for one run set per platform (`name (platform=k3s)`).
    const runs = run(files, {
      ...poolOptions(flags, interrupt.signal),
      schedulers: flags.scheduler,
      seeds: flags.seed?.map(parseSeed),
      queue: flags.queue,
      out: flags.out,
      record: flags.record === undefined ? undefined : parseRecordTables(flags.record),
      trace: flags.trace,
      traceOptions: flags.traceOption,
      maxMemory,
      onPlanned: (plan) => (total = plan.runs),
    });
    for await (const r of runs) {
      done++;
      if (flags.quiet) continue;
      const counter = pc.dim(`[${String(done).padStart(String(total).length)}/${total}]`);
      if (!r.ok) {
        console.error(`${counter} ${pc.red('failed:')} ${safeText(`${r.label}: ${r.error}`)}`);
        continue;
      }
      const t = r.timing;
      const eventsPerSecond = Math.round(t.events / (t.wallMs / 1000));
      console.error(
        `${counter} ${r.scenario} ${pc.bold(r.scheduler)} seed ${r.seed}: ` +
          `${r.metrics.pods_scheduled} placed, ${r.metrics.pods_unschedulable} unschedulable ` +
          pc.dim(`(${t.wallMs.toFixed(0)} ms, ${eventsPerSecond.toLocaleString('en-US')} events/s)`),
      );
    }
    set = await runs;
  } finally {
    interrupt.dispose();
  }
  if (set.interrupted) {
    console.error(`interrupted after ${done} of ${total} runs; nothing written`);
    return EXIT_INTERRUPTED;
  }
  if (set.summary !== undefined) {
    console.log(comparisonTable(set.summary));
    // Kubernetes vs k3s, side by side, for the scenarios that ran on both.
    if (set.platforms !== undefined) console.log(platformComparisonReport(set.platforms, set.summary));
  }
  const [first, ...rest] = set.files;
  console.log(
    // A run's pod records are records/<key>/pods.parquet: named once, not once per run.
    `wrote ${first}, ${[...new Set(rest.map((f) => (basename(dirname(dirname(f))) === RECORDS_DIR ? `${RECORDS_DIR}/<key>/${basename(f)}` : basename(f))))].join(', ')}` + (set.failed.length > 0 ? ' (no summary.json: some runs failed)' : ''),
  );
  printTraceRejections(set.results);
  return reportFailures(set.failed);
}
