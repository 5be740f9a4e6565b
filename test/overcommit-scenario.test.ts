/**
 * scenarios/overcommit.yaml's promise: on each of its default seeds,
 * kube-default over-commits into trouble (OOM kills or pressure evictions,
 * and a p99 slowdown above 1), and kube-load-aware, placing on measured use,
 * keeps pods from contending.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../src/runner/plan.js';
import { prepareRun } from '../src/runner/run-one.js';

const loaded = loadScenarioFile('scenarios/overcommit.yaml');

function metrics(scheduler: string, seed: number) {
  const run = prepareRun({ scenario: loaded.scenario, source: loaded.file, scheduler, queue: 'kube', seed });
  run.sim.run();
  return run.metrics.result();
}

describe('scenarios/overcommit.yaml', () => {
  it('runs kube-default and kube-load-aware by default', () => {
    expect(loaded.scenario.defaults.schedulers).toEqual(['kube-default', 'kube-load-aware']);
  });

  for (const seed of loaded.scenario.defaults.seeds) {
    it(`seed ${seed}: kube-default shows OOM kills or pressure evictions and a p99 slowdown above 1; kube-load-aware less contention`, () => {
      const d = metrics('kube-default', seed);
      expect(d['oom_kills']! + d['evictions_pressure']!).toBeGreaterThan(0);
      expect(d['slowdown_p99']).toBeGreaterThan(1);
      const l = metrics('kube-load-aware', seed);
      expect(l['contended_s_mean']).toBeLessThan(d['contended_s_mean']!);
      expect(l['slowdown_p99']).toBeLessThan(d['slowdown_p99']!);
    });
  }
});
