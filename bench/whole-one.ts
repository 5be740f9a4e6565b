/**
 * One whole simulation in a process of its own (spawned by whole.ts), so each
 * timing starts from a fresh heap and JIT state. Prints one JSON line.
 *
 *   node dist/bench/whole-one.js SCENARIO SCHEDULER [QUEUE]
 */
import { performance } from 'node:perf_hooks';
import { defaultQueue, loadScenarioFile } from '../src/runner/plan.js';
import { runOne } from '../src/runner/run-one.js';

const [file, scheduler, queue] = process.argv.slice(2);
if (file === undefined || scheduler === undefined) throw new Error('usage: whole-one.js SCENARIO SCHEDULER [QUEUE]');
const loaded = loadScenarioFile(file);
const started = performance.now();
const r = runOne({ scenario: loaded.scenario, source: file, scheduler, queue: queue ?? defaultQueue(loaded.scenario), seed: 1 });
const wallMs = performance.now() - started;
console.log(
  JSON.stringify({
    wallMs,
    events: r.timing.events,
    placed: r.metrics.pods_scheduled ?? 0,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
