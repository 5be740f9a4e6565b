import { checkUnlocked, withResultsLock } from '../runner/lock.js';
import { mergeShards } from '../runner/merge.js';
import { writeParquet } from '../runner/parquet.js';
import { reportFailures } from './run-outcomes.js';

export async function mergeCommand(dirs: string[], flags: { readonly out: string }): Promise<number> {
  // A shard still being written is not merged; the merged directory is written by one process at a time.
  for (const dir of dirs) checkUnlocked(dir, 'shard');
  const report = await withResultsLock(flags.out, async () => {
    const merged = mergeShards(dirs, flags.out);
    await writeParquet(flags.out, merged.results);
    return merged;
  });
  console.log(
    `merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'} of sweep ${report.sweep}: ${report.runs} runs, ${report.failed.length} failed; wrote ${flags.out}/runs.csv, timings.csv, ${report.failed.length > 0 ? 'failures.csv' : 'summary.json'}`,
  );
  return reportFailures(report.failed);
}
