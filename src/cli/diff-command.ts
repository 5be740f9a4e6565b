import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../core/errors.js';
import { diffHtml, diffMarkdown } from '../report/diff-pages.js';
import { anyChange, diffResults } from '../report/results-diff.js';
import { readResultsDir } from '../runner/read-results.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit.js';

export interface DiffFlags {
  readonly out?: string;
  readonly failOnChange?: boolean;
}

/** Prints the comparison of two results directories as markdown and writes diff.html; 1 only with --fail-on-change and a change. */
export function diffCommand(dirA: string, dirB: string, flags: DiffFlags): number {
  const a = readResultsDir(dirA);
  const b = readResultsDir(dirB);
  const d = diffResults(a.rows, b.rows);
  if (d.changes.length === 0) {
    throw new UsageError(`${dirA} and ${dirB} have no scenario, policy and queue in common: nothing to compare`);
  }
  const out = flags.out ?? dirB;
  mkdirSync(out, { recursive: true });
  const page = join(out, 'diff.html');
  writeFileAtomic(page, diffHtml(dirA, dirB, d));
  process.stdout.write(diffMarkdown(dirA, dirB, d));
  console.log(`wrote ${resolve(page)}`);
  return flags.failOnChange === true && anyChange(d) ? EXIT_RUN_FAILED : EXIT_OK;
}
