/** Whole simulations, timed end to end (median of several runs, each in a fresh process), with peak RSS. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantileSorted } from '../src/core/stats.js';
import { packageRoot } from '../src/runner/defaults.js';
import type { BenchFigure } from './harness.js';

interface WholeRun {
  readonly name: string;
  readonly scenario: string;
  readonly scheduler: string;
  /** The queue policy; default: the scenario's. */
  readonly queue?: string;
}

const WHOLE_RUNS: readonly WholeRun[] = [
  { name: 'first-fit, 1,000 nodes, 100,000 pods', scenario: 'scenarios/scale/first-fit-1k.yaml', scheduler: 'first-fit' },
  { name: 'best-fit, 1,000 nodes, 100,000 pods', scenario: 'scenarios/scale/first-fit-1k.yaml', scheduler: 'best-fit' },
  // The same run with usage profiles: the difference is the cost of contention (src/sim/usage/).
  { name: 'first-fit, 1,000 nodes, 100,000 pods, with usage and contention', scenario: 'scenarios/scale/usage-1k.yaml', scheduler: 'first-fit' },
  { name: 'first-fit, 10,000 nodes, 1,000,000 pods', scenario: 'scenarios/scale/first-fit-10k-1m.yaml', scheduler: 'first-fit' },
  { name: 'best-fit, 10,000 nodes, 1,000,000 pods', scenario: 'scenarios/scale/first-fit-10k-1m.yaml', scheduler: 'best-fit' },
  { name: 'kube-default, SchedulingBasic: 5,000 nodes, 55,000 pods', scenario: 'scenarios/scheduler-perf-basic.yaml', scheduler: 'kube-default' },
  { name: 'kube-default, SchedulingPodAntiAffinity: 5,000 nodes, 3,000 pods', scenario: 'scenarios/scheduler-perf-pod-anti-affinity.yaml', scheduler: 'kube-default' },
  { name: 'kube-default, SchedulingPodAffinity: 5,000 nodes, 10,000 pods', scenario: 'scenarios/scheduler-perf-pod-affinity.yaml', scheduler: 'kube-default' },
];

/**
 * The replanning queues on the workload their README timings are given for:
 * tetris-repro, 250 nodes and 7,200 pods, thousands waiting at once (fifo as
 * the reference without replanning).
 */
const QUEUE_RUNS: readonly WholeRun[] = [
  { name: 'fifo, tetris-repro: 250 nodes, 7,200 pods', scenario: 'scenarios/tetris-repro.yaml', scheduler: 'first-fit', queue: 'fifo' },
  { name: 'easy-backfill, tetris-repro: 250 nodes, 7,200 pods', scenario: 'scenarios/tetris-repro.yaml', scheduler: 'first-fit', queue: 'easy-backfill' },
  { name: 'conservative-backfill, tetris-repro: 250 nodes, 7,200 pods', scenario: 'scenarios/tetris-repro.yaml', scheduler: 'first-fit', queue: 'conservative-backfill' },
  { name: 'tetris queue, tetris-repro: 250 nodes, 7,200 pods', scenario: 'scenarios/tetris-repro.yaml', scheduler: 'first-fit', queue: 'tetris' },
];

interface OneRun {
  readonly wallMs: number;
  readonly events: number;
  readonly placed: number;
  readonly peakRssMiB: number;
}

const runner = fileURLToPath(new URL('./whole-one.js', import.meta.url));

export function wholeRuns(repeats: number): BenchFigure[] {
  return timeRuns('whole', WHOLE_RUNS, repeats);
}

/** `--only queues`: the backfilling and Tetris queues, whole runs. */
export function queueRuns(repeats: number): BenchFigure[] {
  return timeRuns('queues', QUEUE_RUNS, repeats);
}

function timeRuns(group: 'whole' | 'queues', list: readonly WholeRun[], repeats: number): BenchFigure[] {
  return list.map((w) => {
    const runs: OneRun[] = [];
    for (let i = 0; i < repeats; i++) {
      const args = [runner, join(packageRoot(), w.scenario), w.scheduler, ...(w.queue === undefined ? [] : [w.queue])];
      const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
      runs.push(JSON.parse(out) as OneRun);
    }
    const times = runs.map((r) => r.wallMs).sort((a, b) => a - b);
    const medianMs = quantileSorted(times, 0.5);
    const { events, placed } = runs[0]!;
    return {
      group,
      name: w.name,
      medianMs,
      opsPerSecond: (placed * 1000) / medianMs,
      unit: 'placement',
      samples: repeats,
      extra: {
        events_per_s: Math.round((events * 1000) / medianMs),
        peak_rss_mib: Math.max(...runs.map((r) => r.peakRssMiB)),
      },
    };
  });
}
