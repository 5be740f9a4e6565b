/**
 * Pods left stuck count in the SLO metrics: a pod that never runs again is
 * in pods_unschedulable, and a pod never bound counts in the delays with
 * end of run − arrival. Worked out by hand on two 4-CPU nodes, first-fit,
 * priority queue, the default node lifecycle (NotReady 50 s after the
 * failure, eviction 300 s later).
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { runOne } from '../src/runner/run-one.js';

function run(data: Record<string, unknown>) {
  const base = { name: 'stuck', cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 4, memory: '8Gi' } }] } };
  return runOne({ scenario: scenarioFromData({ ...base, ...data }, 'stuck'), source: 'stuck', scheduler: 'first-fit', queue: 'priority', seed: 1 }).metrics;
}

// Two bare pods of 2 CPU at t = 0, an hour long: first-fit puts both on n-1, the most loaded node, which fails at 10 s.
const twoBarePods = { streams: [{ name: 's', arrival: { process: 'burst', size: 2, at: ['0s'] }, count: 2, duration: '1h', requests: { cpu: 2, memory: '1Gi' } }] };

describe('pods that never run again', () => {
  it('count in pods_unschedulable while stuck on a failed node at the end', () => {
    // The run stops at 100 s, before the eviction at 10 + 50 + 300 = 360 s: both pods are still on the dead node.
    const m = run({ workload: twoBarePods, failures: [{ at: '10s', nodes: 1 }], simulation: { until: '100s' } });
    expect([m.pods_disrupted, m.pods_evicted, m.pods_running_end]).toEqual([2, 0, 2]);
    expect(m.pods_unschedulable).toBe(2);
  });

  it('count in pods_unschedulable when evicted with nothing to replace them (bare pods)', () => {
    // Evicted at 360 s; stream pods have no controller, so they are gone.
    const m = run({ workload: twoBarePods, failures: [{ at: '10s', nodes: 1 }], simulation: { until: '1000s' } });
    expect([m.pods_evicted, m.pods_running_end]).toEqual([2, 0]);
    expect(m.pods_unschedulable).toBe(2);
  });

  it('do not count when their controller replaces them and the replacement runs', () => {
    // A service of 2 replicas of 2 CPU on n-1; evicted at 360 s, replaced at once on n-2 (4 CPU free).
    const m = run({ workload: { services: [{ name: 'web', replicas: 2, requests: { cpu: 2, memory: '1Gi' } }] }, failures: [{ at: '10s', nodes: 1 }], simulation: { until: '1000s' } });
    expect([m.pods_evicted, m.pods_unschedulable, m.pods_unrecovered]).toEqual([2, 0, 0]);
    // Every pod was bound: the replacements at 360 s, at once (delay 0).
    expect(m.delay_max_s).toBe(0);
  });
});

describe('pods never bound', () => {
  it('count in the delays with end of run − arrival', () => {
    // A service of 3 replicas of 4 CPU: two bound at 0, the third never (no room) until the run stops at 100 s.
    // Delays [0, 0, 100]: p50 0; p99 at h = 2 · 0.99 = 1.98 → 0 + 0.98 · 100 = 98; max 100.
    const m = run({ workload: { services: [{ name: 'big', replicas: 3, requests: { cpu: 4, memory: '1Gi' } }] }, simulation: { until: '100s' } });
    expect([m.pods_scheduled, m.pods_pending_end, m.pods_unschedulable]).toEqual([2, 1, 1]);
    expect(m.delay_p50_s).toBe(0);
    expect(m.delay_p99_s).toBeCloseTo(98, 9);
    expect(m.delay_max_s).toBe(100);
  });

  it('after a failure, a replacement that finds no room counts from its creation to the end', () => {
    // 2 replicas of 4 CPU fill both nodes; n-1 fails at 10 s, its pod is evicted and replaced at 360 s, and the
    // replacement never finds room: delay 1000 − 360 = 640 s; it is unschedulable at the end.
    const m = run({ workload: { services: [{ name: 'big', replicas: 2, requests: { cpu: 4, memory: '1Gi' } }] }, failures: [{ at: '10s', nodes: 1 }], simulation: { until: '1000s' } });
    expect([m.pods_evicted, m.pods_unschedulable, m.pods_unrecovered]).toEqual([1, 1, 1]);
    expect(m.delay_max_s).toBe(640);
  });
});
