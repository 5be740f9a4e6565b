/** Requests are not usage: fluid contention on a node, worked by hand, and its invariants. */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

class Ends implements SimObserver {
  pods!: PodTable;
  readonly log: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.log.push(`${this.pods.template[slot]!.owner} ends ${now / 1e6}s`);
  }
  podOomKilled(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.log.push(`${this.pods.template[slot]!.owner} OOM ${now / 1e6}s`);
  }
  podEvictedForPressure(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.log.push(`${this.pods.template[slot]!.owner} evicted ${now / 1e6}s`);
  }
}

const once = (name: string, fields: Record<string, unknown>) => ({ name, arrival: { process: 'burst', at: ['0s'], size: 1 }, ...fields });

function run(scenario: Record<string, unknown>) {
  const ends = new Ends();
  const prepared = prepareRun({ scenario: scenarioFromData(scenario, 'usage'), source: 'usage', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [ends]);
  prepared.sim.run();
  return { log: ends.log, m: prepared.metrics.result() };
}

const oneNode = { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '8Gi' } }] };

describe('CPU contention (CFS shares and quota)', () => {
  // Two CPU-bound batch pods with equal requests, each demanding 4 CPUs for 40 CPU-seconds of work
  // (10 s alone at 4 CPUs), on one 4-CPU node.
  const pod = (name: string, limits?: Record<string, unknown>) =>
    once(name, { duration: '10s', requests: { cpu: 1 }, usage: { cpu: 4 }, ...(limits === undefined ? {} : { limits }) });

  it('without limits each gets 2 CPUs: both end at 20 s, slowdown 2', () => {
    const { log, m } = run({ name: 'w', cluster: oneNode, workload: { streams: [pod('a'), pod('b')] } });
    expect(log).toEqual(['a ends 20s', 'b ends 20s']);
    expect(m['slowdown_p50']).toBe(2);
    expect(m['slowdown_p99']).toBe(2);
    expect(m['cpu_throttled_s']).toBe(0);
  });

  it('with limits.cpu: 1 on A, B takes the other 3 and ends at 13.33 s; A ends at 40 s, slowdown 1 under its own limit', () => {
    const { log, m } = run({ name: 'w', cluster: oneNode, workload: { streams: [pod('a', { cpu: 1 }), pod('b')] } });
    // B: 40 CPU-s at 3 CPUs → 13.333… s, the event at the next whole µs, 13.333334 s.
    // A: 13.333334 s × 1 CPU = 13.333334 CPU-s done, 26.666666 left at 1 CPU (alone, still capped) → 40 s.
    expect(log).toEqual(['b ends 13.333334s', 'a ends 40s']);
    // Slowdowns: A 40 ÷ 40 (its ideal under its own limit) = 1; B 13.333334 ÷ 10 = 1.3333334.
    // Type-7 median of the two: 1.16666667; p99: 1 + 0.99 × 0.3333334.
    expect(m['slowdown_p50']).toBeCloseTo((1 + 1.3333334) / 2, 9);
    expect(m['slowdown_p99']).toBeCloseTo(1 + 0.99 * 0.3333334, 9);
    // A demands 4 but its quota gives it 1 for its whole 40 s: throttled 1 − 1/4 of the time = 30 s.
    expect(m['cpu_throttled_s']).toBeCloseTo(30, 6);
    // Used CPU: 4 CPUs for 13.333334 s, then 1 CPU until 40 s, over 40 s of run on 4 allocatable.
    expect(m['usage_cpu_mean']).toBeCloseTo((4 * 13.333334 + 1 * (40 - 13.333334)) / 40 / 4, 6);
  });
});
