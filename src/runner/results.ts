/** Writing a set of finished runs into a results directory. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { runsCsv, timingsCsv } from '../report/runs-csv.js';
import { SKETCHES_JSON, sketchesJson } from '../report/sketches-json.js';
import { summaryJson } from '../report/summary.js';
import type { RunResult } from './run-protocol.js';

export interface WrittenFiles {
  readonly runs: string;
  readonly summary: string;
  readonly timings: string;
}

/**
 * Writes runs.csv and summary.json (deterministic) and timings.csv (wall
 * clock), each atomically. summary.json is written last, so its presence
 * means the set is complete.
 */
export function writeResults(dir: string, results: readonly RunResult[]): WrittenFiles {
  const files = { runs: join(dir, 'runs.csv'), summary: join(dir, 'summary.json'), timings: join(dir, 'timings.csv') };
  // An older summary must not vouch for the new runs.csv while it is being replaced.
  rmSync(files.summary, { force: true });
  writeFileAtomic(files.runs, runsCsv(results));
  writeFileAtomic(files.timings, timingsCsv(results));
  writeSketches(dir, results);
  writeFileAtomic(files.summary, summaryJson(results));
  return files;
}

/** sketches.json beside runs.csv, when the runs kept sketches. */
export function writeSketches(dir: string, results: readonly RunResult[]): void {
  const text = sketchesJson(results);
  if (text !== undefined) writeFileAtomic(join(dir, SKETCHES_JSON), text);
}
