/**
 * The kube queue's shortcut for repeated failures (a failed cycle replayed
 * for a like pod while the cluster is unchanged: src/schedulers/kube/
 * failure-memo.ts, KubeSchedulingQueue's repeats) changes how much a run
 * computes, never what it decides: with it on, every run binds, fails and
 * evicts the same pods at the same instants, counts the same attempts and
 * draws the same random numbers as with it off, when every cycle runs in full.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setReplanningShortcuts } from '../src/sim/queues/shortcuts.js';
import { runs } from './support/property-runs.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';

/** Every bind, failed cycle and eviction of the run, in order, its attempts and its metrics; `again`: the retries repeatLastFailure answered. */
function trace(scenario: unknown, scheduler: string, seed: number, shortcuts: boolean): { text: string; attempts: number; again: number } {
  const was = setReplanningShortcuts(shortcuts);
  try {
    const log: string[] = [];
    let again = 0;
    const { metrics, sim } = runHarness({
      scenario,
      scheduler,
      queue: 'kube',
      seed,
      observers: [
        {
          podBound: (slot, node, now) => log.push(`b${slot}@${node}@${now}`),
          podUnschedulable: (slot, now) => log.push(`u${slot}@${now}`),
          podEvicted: (slot, node, now) => log.push(`e${slot}@${node}@${now}`),
        },
      ],
      wrapPolicy: (policy) => {
        const inner = policy.repeatLastFailure;
        if (inner === undefined) return policy;
        return {
          ...policy,
          repeatLastFailure(...args) {
            const yes = inner(...args);
            if (yes) again++;
            return yes;
          },
        };
      },
    });
    return { text: `${log.join(' ')}\n${sim.attempts}\n${JSON.stringify(metrics)}`, attempts: sim.attempts, again };
  } finally {
    setReplanningShortcuts(was);
  }
}

/** A saturated cluster: 4 nodes of 8 cores, jobs of 1-, 2- and 4-core pods submitted faster than they finish. */
function saturated(priorities: boolean): unknown {
  const job = (name: string, at: string, cpu: number, completions: number, priority: number): unknown => ({
    name,
    at,
    completions,
    parallelism: completions,
    duration: { dist: 'lognormal', median: '2m', sigma: 0.6, max: '20m' },
    requests: { cpu, memory: `${cpu * 2}Gi` },
    ...(priorities ? { priority } : {}),
  });
  return {
    name: 'saturated',
    platform: 'kubernetes',
    cluster: { pools: [{ name: 'n', count: 4, capacity: { cpu: 8, memory: '32Gi', pods: 110 } }] },
    workload: {
      jobs: [job('a', '0s', 1, 60, 0), job('b', '10s', 4, 12, 0), job('c', '20s', 2, 30, 10), job('d', '3m', 1, 40, 0), job('e', '4m', 4, 10, 5)],
    },
    simulation: { until: '2h' },
  };
}

describe('kube queue: repeated failures decide as full cycles', () => {
  it.each([false, true])('a saturated cluster (priorities and preemption: %s)', (priorities) => {
    const scenario = saturated(priorities);
    const fast = trace(scenario, 'kube-default', 1, true);
    // Most cycles are retries of waiting pods: the shortcut has work to do, most of it in runs of like pods.
    expect(fast.attempts).toBeGreaterThan(5 * 152);
    expect(fast.again).toBeGreaterThan(fast.attempts / 4);
    expect(fast.text).toBe(trace(scenario, 'kube-default', 1, false).text);
  });

  it('property: random clusters and workloads', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s, seed) => {
        expect(trace(s.data, 'kube-default', seed, true).text).toBe(trace(s.data, 'kube-default', seed, false).text);
      }),
      { numRuns: runs(40) },
    );
  });
});
