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

interface OneRun {
  readonly wallMs: number;
  readonly events: number;
  readonly placed: number;
  readonly peakRssMiB: number;
}

const runner = fileURLToPath(new URL('./whole-one.js', import.meta.url));

export function wholeRuns(repeats: number): BenchFigure[] {
  return WHOLE_RUNS.map((w) => {
    const runs: OneRun[] = [];
    for (let i = 0; i < repeats; i++) {
      const out = execFileSync(process.execPath, [runner, join(packageRoot(), w.scenario), w.scheduler], { encoding: 'utf8' });
      runs.push(JSON.parse(out) as OneRun);
    }
    const times = runs.map((r) => r.wallMs).sort((a, b) => a - b);
    const medianMs = quantileSorted(times, 0.5);
    const { events, placed } = runs[0]!;
    return {
      group: 'whole',
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
