/**
 * One `rackbench run SCENARIO --scheduler S --seed 1 --record pods --out DIR`
 * in a process of its own (spawned by parquet-overhead.ts), its phases timed
 * apart: the run with its CSV tables and records as the command writes them,
 * then the Parquet files (DuckDB loaded inside the timing). Prints one JSON line.
 *
 *   node dist/bench/parquet-one.js SCENARIO SCHEDULER OUT
 */
import { performance } from 'node:perf_hooks';
import { defaultQueue, loadScenarioFile, planRuns } from '../src/runner/plan.js';
import { saveRunRecords } from '../src/runner/records.js';
import { writeTables } from '../src/runner/result-store.js';
import { runOne } from '../src/runner/run-one.js';

const [file, scheduler, out] = process.argv.slice(2);
if (file === undefined || scheduler === undefined || out === undefined) throw new Error('usage: parquet-one.js SCENARIO SCHEDULER OUT');
const started = performance.now();
const loaded = loadScenarioFile(file);
const [planned] = planRuns([loaded], { schedulers: [scheduler], seeds: [1], queue: defaultQueue(loaded.scenario) });
const result = runOne({ ...planned!.spec, record: ['pods'] });
const stored = saveRunRecords(out, planned!.key, result);
writeTables(out, [{ key: planned!.key, label: planned!.label, ok: true, result: stored }]);
const ranMs = performance.now() - started;
const { writeParquet } = await import('../src/runner/parquet.js');
await writeParquet(out, [stored]);
const parquetMs = performance.now() - started - ranMs;
console.log(JSON.stringify({ ranMs, parquetMs, pods: result.metrics.pods_submitted ?? null }));
