import { UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';
import { checkUnlocked, withResultsLock } from '../runner/lock.js';
import { mergeShards } from '../runner/merge.js';
import { waitForShards } from '../runner/merge-wait.js';
import { writeParquet } from '../runner/parquet.js';
import { RUN_KEY_PATTERN } from '../runner/run-key.js';
import { interruptSignal, parseDurationMs, positiveInteger } from './options.js';
import { reportFailures } from './run-outcomes.js';

export interface MergeFlags {
  readonly out: string;
  readonly shards?: string;
  readonly sweep?: string;
  readonly wait?: string;
}

export async function mergeCommand(dirs: string[], flags: MergeFlags): Promise<number> {
  const shards = flags.shards === undefined ? undefined : positiveInteger('--shards', flags.shards);
  if (flags.sweep !== undefined && !RUN_KEY_PATTERN.test(flags.sweep)) {
    throw new UsageError(`--sweep ${quote(flags.sweep)}: expected a sweep id of 16 hexadecimal digits, as sweep.json's "sweep" holds it`);
  }
  const options = { shards, sweep: flags.sweep };
  if (flags.wait !== undefined) {
    const timeoutMs = parseDurationMs('--wait', flags.wait);
    const interrupt = interruptSignal();
    let said = -1;
    try {
      await waitForShards(dirs, {
        ...options,
        timeoutMs,
        signal: interrupt.signal,
        onWaiting: (waiting) => {
          if (waiting.length === said) return;
          said = waiting.length;
          console.error(`waiting for ${waiting.length} of ${dirs.length} shards (first: ${waiting[0]})`);
        },
      });
    } finally {
      interrupt.dispose();
    }
  } else {
    // A shard still being written is not merged; the merged directory is written by one process at a time.
    for (const dir of dirs) checkUnlocked(dir, 'shard');
  }
  const report = await withResultsLock(flags.out, async () => {
    const merged = mergeShards(dirs, flags.out, options);
    await writeParquet(flags.out, merged.results);
    return merged;
  });
  console.log(
    `merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'} of sweep ${report.sweep}: ${report.runs} runs, ${report.failed.length} failed; wrote ${flags.out}/runs.csv, timings.csv, ${report.failed.length > 0 ? 'failures.csv' : 'summary.json'}`,
  );
  return reportFailures(report.failed);
}
