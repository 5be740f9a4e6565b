/**
 * Sweep throughput: the sweep of 16 equal runs in bench/sweeps/sweep-16.yaml,
 * and the same runs four times longer (sweep-16-long.yaml), with 1 and with 2
 * worker threads, each invocation a fresh process as a user runs it,
 * alternating so that machine noise hits both alike. Reports the medians, the
 * speed-up, and the pool's overhead per run: the sweep's wall time beyond the
 * sum of its runs' own times, divided by the runs. As a yardstick for what the
 * machine itself allows, it also times the sweep as two concurrent processes of
 * one worker each (shards 1/2 and 2/2): if two processes gain little, so can
 * two threads. And it times what the machine gives two processes at once: a
 * fixed arithmetic loop, then one simulation, each alone and then twice at
 * once. With two idle cores and nothing shared, both copies take the time of
 * one; the ratio of the two times, halved, is the lowest 2-worker ÷ 1-worker
 * ratio a sweep of such work can reach there.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../src/runner/defaults.js';
import type { BenchFigure } from './harness.js';

const RUNS = 16;
/** The sweeps timed: short runs, where a sweep's fixed costs weigh, and the same runs four times longer. */
const SWEEPS = [
  { file: 'sweep-16.yaml', label: '' },
  { file: 'sweep-16-long.yaml', label: ' (4× longer runs)' },
] as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One sweep in a fresh process: its wall time and the sum of its runs' wall times, ms. */
function timeSweep(file: string, workers: number): { wallMs: number; runsMs: number } {
  const root = packageRoot();
  const out = mkdtempSync(join(tmpdir(), 'rackbench-bench-sweep-'));
  try {
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin', 'rackbench.js'), 'sweep', join(root, 'bench', 'sweeps', file), '--workers', String(workers), '--out', out, '--quiet'],
      { encoding: 'utf8' },
    );
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`sweep with ${workers} workers failed: ${r.stderr}`);
    const rows = readFileSync(join(out, 'timings.csv'), 'utf8').trim().split('\n').slice(1);
    if (rows.length !== RUNS) throw new Error(`expected ${RUNS} runs, found ${rows.length}`);
    // wall_ms is the fifth column; scenario names here contain no commas.
    const runsMs = rows.reduce((sum, row) => sum + Number(row.split(',')[4]), 0);
    return { wallMs, runsMs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The sweep as two concurrent processes, one shard and one worker each: wall time until both end, ms. */
async function timeTwoProcesses(file: string): Promise<number> {
  const root = packageRoot();
  const outs = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'rackbench-bench-shard-')));
  try {
    return await timeConcurrent(
      outs.map((out, i) => [join(root, 'bin', 'rackbench.js'), 'sweep', join(root, 'bench', 'sweeps', file), '--shard', `${i + 1}/2`, '--workers', '1', '--out', out, '--quiet']),
    );
  } finally {
    for (const out of outs) rmSync(out, { recursive: true, force: true });
  }
}

/** A busy loop of about a second of arithmetic alone: what the cores give with nothing shared. */
const BUSY_LOOP = ['-e', 'let x = 0; for (let i = 0; i < 5e8; i++) x = (x * 31 + i) | 0; if (x === 42) console.log(x);'];
/** One simulation alone (first-fit-1k: 100,000 pods), timed in-process by whole-one.js: what two runs at once share. */
const ONE_SIMULATION = (): string[] => [join(packageRoot(), 'dist', 'bench', 'whole-one.js'), join(packageRoot(), 'scenarios', 'scale', 'first-fit-1k.yaml'), 'first-fit'];

/** One Node process per argument list, all at once: wall time until all end, ms. */
async function timeConcurrent(argLists: readonly (readonly string[])[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    argLists.map(
      (args) =>
        new Promise<void>((done, fail) => {
          const child = spawn(process.execPath, args, { stdio: 'ignore' });
          child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${args.join(' ')} exited ${code}`))));
        }),
    ),
  );
  return performance.now() - started;
}

/** The same work in one process, then in two at once, alternating: how much the second slows both. */
async function machineFigure(name: string, args: readonly string[], repeats: number): Promise<BenchFigure> {
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < repeats; i++) {
    one.push(await timeConcurrent([args]));
    two.push(await timeConcurrent([args, args]));
  }
  const oneMs = median(one);
  const twoMs = median(two);
  return {
    group: 'sweep',
    name,
    medianMs: twoMs,
    opsPerSecond: 2000 / twoMs,
    unit: 'processes',
    samples: repeats,
    // The lowest 2-worker ÷ 1-worker ratio a sweep of such work can reach here: half the work each, at this pace.
    extra: { oneMs, slowdown: twoMs / oneMs, best_sweep_ratio: twoMs / (2 * oneMs) },
  };
}

export async function sweepRuns(repeats: number): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const sweep of SWEEPS) figures.push(...(await timeOneSweep(sweep.file, sweep.label, repeats)));
  figures.push(await machineFigure('the machine: a busy loop in 2 processes at once ÷ in 1 (no rackbench)', BUSY_LOOP, repeats));
  figures.push(await machineFigure('the machine: a simulation (first-fit-1k) in 2 processes at once ÷ in 1', ONE_SIMULATION(), repeats));
  return figures;
}

async function timeOneSweep(file: string, label: string, repeats: number): Promise<BenchFigure[]> {
  const one: { wallMs: number; runsMs: number }[] = [];
  const two: { wallMs: number; runsMs: number }[] = [];
  const processes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    one.push(timeSweep(file, 1));
    two.push(timeSweep(file, 2));
    processes.push(await timeTwoProcesses(file));
  }
  const oneMs = median(one.map((s) => s.wallMs));
  const twoMs = median(two.map((s) => s.wallMs));
  const processesMs = median(processes);
  const overheadMs = median(one.map((s) => (s.wallMs - s.runsMs) / RUNS));
  const figure = (name: string, medianMs: number, extra: Record<string, number>): BenchFigure => ({
    group: 'sweep',
    name,
    medianMs,
    opsPerSecond: (RUNS * 1000) / medianMs,
    unit: 'runs',
    samples: repeats,
    extra,
  });
  return [
    figure(`sweep ${RUNS} runs${label}, 1 worker`, oneMs, { overheadPerRunMs: overheadMs }),
    // The target's figure: the 2-worker time as a share of the 1-worker time, medians of runs that alternate.
    figure(`sweep ${RUNS} runs${label}, 2 workers`, twoMs, { speedup: oneMs / twoMs, ratio_to_one_worker: twoMs / oneMs }),
    figure(`sweep ${RUNS} runs${label}, 2 processes × 1 worker`, processesMs, { speedup: oneMs / processesMs }),
  ];
}
