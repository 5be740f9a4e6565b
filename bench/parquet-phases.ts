/**
 * Where the time of a run's pod records goes, in one process: the
 * simulation (on this thread), pods.csv as a run without Parquet writes it,
 * loading DuckDB, and pods.parquet written straight from the records (then
 * again, DuckDB loaded). Prints one JSON line of milliseconds.
 *
 *   npm run build && node dist/bench/parquet-phases.js [scenario] [scheduler]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeChunksAtomic } from '../src/core/atomic-file.js';
import { podsCsvChunks } from '../src/report/records-csv.js';
import { packageRoot } from '../src/runner/defaults.js';
import { withDuckDb } from '../src/runner/duckdb.js';
import { loadScenarioVariants, planRuns } from '../src/runner/plan.js';
import { writePodsParquet } from '../src/runner/pods-parquet.js';
import { runOne } from '../src/runner/run-one.js';

const scenario = process.argv[2] ?? 'scenarios/scale/first-fit-1k.yaml';
const scheduler = process.argv[3] ?? 'first-fit';
const [planned] = planRuns(loadScenarioVariants(join(packageRoot(), scenario)), { schedulers: [scheduler], seeds: [1] });
if (planned === undefined) throw new Error(`${scenario}: no run planned`);
const phases: Record<string, number> = {};
let t = performance.now();
const lap = (name: string): void => {
  const now = performance.now();
  phases[name] = Math.round(now - t);
  t = now;
};
const result = runOne({ ...planned.spec, record: ['pods'] });
const pods = result.records?.pods;
if (pods === undefined) throw new Error('the run recorded no pods');
lap('simulation_ms');
const dir = mkdtempSync(join(tmpdir(), 'rackbench-parquet-phases-'));
try {
  writeChunksAtomic(join(dir, 'pods.csv'), podsCsvChunks(result, result.records!)!);
  lap('pods_csv_ms');
  await withDuckDb(() => Promise.resolve());
  lap('duckdb_load_ms');
  await writePodsParquet(join(dir, 'pods.parquet'), result, pods);
  lap('pods_parquet_ms');
  await writePodsParquet(join(dir, 'again.parquet'), result, pods);
  lap('pods_parquet_again_ms');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify({ scenario, scheduler, pods: pods.count, ...phases }));
