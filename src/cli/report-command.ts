import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { withResultsLock } from '../runner/lock.js';
import { writeReport } from '../runner/report.js';

export interface ReportFlags {
  readonly baseline?: string;
  readonly title?: string;
}

export async function reportCommand(dir: string, flags: ReportFlags): Promise<number> {
  if (!existsSync(dir)) throw new UsageError(`no such results directory: ${dir}`);
  // The report writes into the results directory: not while a run or sweep is writing it.
  const written = await withResultsLock(dir, () => writeReport(dir, { baseline: flags.baseline, title: flags.title }));
  const { summary } = written.model;
  console.log(
    `${summary.runs} runs, ${summary.groups.length} groups, ${written.charts} charts` +
      (summary.baseline === undefined ? ', no baseline' : `, compared with ${summary.baseline}`) +
      `; wrote ${written.files.join(', ')}`,
  );
  if (written.model.failed > 0) console.log(`note: ${written.model.failed} run(s) failed (failures.csv); the report covers the others`);
  return 0;
}
