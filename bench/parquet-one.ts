/**
 * One `rackbench run SCENARIO --scheduler S --seed 1 --record pods --out DIR`
 * through the library, in a process of its own (spawned by
 * parquet-overhead.ts), with or without the Parquet files. Prints one JSON
 * line: the wall time from the process's start (module loading included) to
 * the results written, and the process's peak resident memory (its worker
 * thread's included).
 *
 *   node dist/bench/parquet-one.js SCENARIO SCHEDULER OUT on|off
 */
import { performance } from 'node:perf_hooks';
import { run } from '../src/api/run.js';

const [file, scheduler, out, mode] = process.argv.slice(2);
if (file === undefined || scheduler === undefined || out === undefined || (mode !== 'on' && mode !== 'off')) {
  throw new Error('usage: parquet-one.js SCENARIO SCHEDULER OUT on|off');
}
const set = await run(file, { schedulers: [scheduler], seeds: [1], record: ['pods'], out, workers: 1, parquet: mode === 'on' });
if (set.failed.length > 0) throw new Error(`the run failed: ${JSON.stringify(set.failed[0])}`);
// performance.now() counts from the process's start: loading rackbench (and DuckDB, when used) is in the figure.
const wallMs = performance.now();
console.log(JSON.stringify({ wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, pods: set.results[0]!.metrics.pods_submitted ?? null }));
