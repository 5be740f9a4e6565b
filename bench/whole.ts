/** Whole simulations, timed end to end (median of several runs), with the process's peak RSS. */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { loadScenarioFile } from '../src/runner/plan.js';
import { packageRoot } from '../src/runner/defaults.js';
import { runOne } from '../src/runner/run-one.js';
import { quantileSorted } from '../src/core/stats.js';
import type { BenchFigure } from './harness.js';

interface WholeRun {
  readonly name: string;
  readonly scenario: string;
  readonly scheduler: string;
}

const WHOLE_RUNS: readonly WholeRun[] = [
  { name: 'first-fit, 1,000 nodes, 100,000 pods', scenario: 'scenarios/scale/first-fit-1k.yaml', scheduler: 'first-fit' },
  { name: 'best-fit, 1,000 nodes, 100,000 pods', scenario: 'scenarios/scale/first-fit-1k.yaml', scheduler: 'best-fit' },
  { name: 'kube-default, SchedulingBasic: 5,000 nodes, 55,000 pods', scenario: 'scenarios/scheduler-perf-basic.yaml', scheduler: 'kube-default' },
];

export function wholeRuns(repeats: number): BenchFigure[] {
  return WHOLE_RUNS.map((w) => {
    const loaded = loadScenarioFile(join(packageRoot(), w.scenario));
    const times: number[] = [];
    let events = 0;
    let placed = 0;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      const r = runOne({ scenario: loaded.data, source: w.scenario, scheduler: w.scheduler, queue: 'priority', seed: 1 });
      times.push(performance.now() - started);
      events = r.timing.events;
      placed = r.metrics.pods_scheduled ?? 0;
    }
    times.sort((a, b) => a - b);
    const medianMs = quantileSorted(times, 0.5);
    return {
      group: 'whole',
      name: w.name,
      medianMs,
      opsPerSecond: (placed * 1000) / medianMs,
      unit: 'placement',
      samples: repeats,
      extra: {
        events_per_s: Math.round((events * 1000) / medianMs),
        peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      },
    };
  });
}
