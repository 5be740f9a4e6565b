import { describe, expect, it } from 'vitest';
import { runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { BY_HAND } from './support/by-hand.js';

/**
 * Two nodes of 4 CPU / 8Gi, first-fit, FIFO.
 *   t=0   w1, w2, w3 (2 CPU, 2Gi, 10 s) arrive; "big" (8 CPU) can never fit.
 *         w1 → node-1, w2 → node-1 (full on CPU), w3 → node-2.
 *   t=5   late1, late2 (3 CPU, 1Gi, 10 s) arrive; node-1 has 0 CPU free, node-2 has 2: both park.
 *   t=10  w1, w2, w3 end. After w2, node-1 has 4 CPU free: late1 wakes (1 CPU left, late2 stays parked);
 *         after w3, node-2 has 4 free: late2 wakes. The pass puts late1 on node-1, late2 on node-2.
 *   t=20  late1, late2 end; the run stops.
 */
const scenario = BY_HAND;

describe('a scenario worked out by hand', () => {
  const result = runOne({ scenario: scenarioFromData(scenario, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed: 1 });
  const m = result.metrics;

  it('accounts for every pod', () => {
    expect(m.pods_submitted).toBe(6);
    expect(m.pods_scheduled).toBe(5);
    expect(m.pods_completed).toBe(5);
    expect(m.pods_running_end).toBe(0);
    expect(m.pods_pending_end).toBe(0);
    expect(m.pods_never_fit).toBe(1);
    expect(m.pods_unschedulable).toBe(1);
    expect(m.pods_preempted).toBe(0);
    expect(result.census).toEqual({ created: 6, completed: 5, running: 0, queued: 0, parked: 0, rejected: 1, preempted: 0, terminating: 0, evicted: 0, lost: 0, failed: 0, failedJobs: 0 });
  });

  it('times the run', () => {
    expect(m.sim_seconds).toBe(20);
    expect(m.makespan_s).toBe(20);
    // 5 placements in 20 simulated seconds.
    expect(m.placements_per_sim_s).toBe(0.25);
  });

  it('measures scheduling delay', () => {
    // Bound pods waited [0, 0, 0, 5, 5] s; "big", never bound, counts with end of run − arrival = 20 − 0 = 20 s.
    // Delays [0, 0, 0, 5, 5, 20]. Type 7: p50 at h = 5 · 0.5 = 2.5 → 0 + 0.5 · (5 − 0) = 2.5;
    // p90 at h = 4.5 → 5 + 0.5 · (20 − 5) = 12.5; p99 at h = 4.95 → 5 + 0.95 · 15 = 19.25; max 20.
    expect(m.delay_p50_s).toBe(2.5);
    expect(m.delay_p90_s).toBe(12.5);
    expect(m.delay_p99_s).toBeCloseTo(19.25, 9);
    expect(m.delay_max_s).toBe(20);
  });

  it('integrates allocation over time', () => {
    // CPU: 6 of 8 cores on [0, 10) and again on [10, 20).
    expect(m.alloc_cpu_mean).toBeCloseTo(0.75, 12);
    expect(m.alloc_cpu_peak).toBeCloseTo(0.75, 12);
    // Memory: 6Gi of 16Gi on [0, 10), 2Gi on [10, 20): (0.375 · 10 + 0.125 · 10) / 20 = 0.25.
    expect(m.alloc_memory_mean).toBeCloseTo(0.25, 12);
    expect(m.alloc_memory_peak).toBeCloseTo(0.375, 12);
    // Pods: 3 of 220 slots, then 2: mean 2.5 / 220.
    expect(m.alloc_pods_mean).toBeCloseTo(2.5 / 220, 12);
    expect(m.alloc_pods_peak).toBeCloseTo(3 / 220, 12);
    // No node has NVMe or NIC capacity here.
    expect(m.alloc_nvme_mean).toBe(0);
  });

  it('counts active nodes and the packing bound', () => {
    expect(m.active_nodes_mean).toBe(2);
    expect(m.active_nodes_peak).toBe(2);
    // 6 CPU requested > one node's 4: the bound is 2 nodes, and 2 are active.
    expect(m.nodes_lower_bound_peak).toBe(2);
    expect(m.packing_efficiency_peak).toBe(1);
  });

  it('measures fragmentation and stranding', () => {
    // [0, 10): node-1 (0 CPU, 4Gi free) cannot fit the 1 CPU / 1Gi probe; node-2 (2 CPU, 6Gi) can.
    // Memory on unfit nodes: 4Gi of 10Gi free = 0.4. [10, 20): both nodes fit the probe: 0.
    expect(m.fragmentation_cpu).toBe(0);
    expect(m.fragmentation_memory).toBeCloseTo(0.2, 12);
    // [0, 10): node-1's CPU is 100 % ≥ 95 % allocated, stranding its 4Gi free memory: 4 / 16 = 0.25, half the run.
    expect(m.stranded_memory).toBeCloseTo(0.125, 12);
    expect(m.stranded_cpu).toBe(0);
  });
});

describe('retrying parked pods', () => {
  it('places a pod as soon as a release makes room, and never before', () => {
    // One 4-CPU node; a 4-CPU pod runs 0 → 10 s; a 3-CPU pod arriving at 1 s waits until 10 s.
    const result = runOne({
      scenario: scenarioFromData({
        name: 'wait',
        cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '4Gi' } }] },
        workload: {
          streams: [
            { name: 'a', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 4 } },
            { name: 'b', arrival: { process: 'burst', at: ['1s'], size: 1 }, duration: '1s', requests: { cpu: 3 } },
          ],
        },
      }, 'wait'),
      source: 'wait',
      scheduler: 'best-fit',
      queue: 'fifo',
      seed: 1,
    });
    expect(result.metrics.delay_max_s).toBe(9);
    expect(result.metrics.sim_seconds).toBe(11);
  });
});
