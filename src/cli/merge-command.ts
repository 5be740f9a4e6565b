import pc from 'picocolors';
import { mergeShards } from '../runner/merge.js';
import { writeParquet } from '../runner/parquet.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit.js';

export async function mergeCommand(dirs: string[], flags: { readonly out: string }): Promise<number> {
  const report = mergeShards(dirs, flags.out);
  await writeParquet(flags.out, report.results);
  console.log(
    `merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'} of sweep ${report.sweep}: ${report.runs} runs, ${report.failed.length} failed; wrote ${flags.out}/runs.csv, timings.csv, ${report.failed.length > 0 ? 'failures.csv' : 'summary.json'}`,
  );
  for (const f of report.failed) console.error(`${pc.red('failed:')} ${f.label}: ${f.ok ? '' : f.error}`);
  return report.failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}
