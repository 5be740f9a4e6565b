/**
 * The tetris queue worked out by hand: one node of 8 CPUs and 8 GiB, three
 * pods waiting at 0 s: p1 ⟨6 CPU, 1 GiB⟩ 10 s, p2 ⟨1, 6⟩ 10 s, p3 ⟨4, 4⟩ 100 s.
 *
 * Alignment on the empty node is (cpu + memory) / 8: p1 and p2 0.875, p3 1.
 * - tetris-packing (alignment only) starts p3 first; then 4 CPUs and 4 GiB
 *   are left, where neither p1 nor p2 fits: they start at 100 s.
 * - tetris (remaining-work weight 1): a job's work is run time × demand
 *   normalized by the cluster (p1, p2: 10 s × 0.875; p3: 100 s × 1), ε =
 *   mean a / mean work ≈ 0.0234, so p1 and p2 score 0.875 − 0.205 and p3
 *   1 − 2.34: p1 starts first (tie with p2 to the earlier pod), then p2
 *   fits beside it; p3 starts at 10 s when both end.
 * - fifo with first-fit places p1 and p2 too, in arrival order.
 */
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

const S = 1_000_000;

const pod = (name: string, cpu: number, memory: string, runs: string) => ({
  name,
  arrival: { process: 'burst', at: ['0s'], size: 1 },
  duration: runs,
  requests: { cpu, memory },
});

const SCENARIO = {
  name: 'tetris-by-hand',
  cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 8, memory: '8Gi' } }] },
  workload: { streams: [pod('p1', 6, '1Gi', '10s'), pod('p2', 1, '6Gi', '10s'), pod('p3', 4, '4Gi', '100s')] },
};

class Starts implements SimObserver {
  pods!: PodTable;
  readonly at: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.at.push(`${now / S} ${this.pods.template[slot]!.owner}`);
  }
}

function run(queue: string, scheduler = 'first-fit') {
  const log = new Starts();
  const prepared = prepareRun({ scenario: scenarioFromData(SCENARIO, 'by-hand'), source: 'by-hand', scheduler, queue, seed: 1 }, undefined, [log]);
  const census = prepared.sim.run();
  expect(census.completed).toBe(3);
  return log.at;
}

describe('the tetris queue, by hand', () => {
  it('tetris-packing: best alignment first', () => {
    expect(run('tetris-packing')).toEqual(['0 p3', '100 p1', '100 p2']);
  });

  it('tetris: the remaining-work term prefers the short jobs', () => {
    expect(run('tetris')).toEqual(['0 p1', '0 p2', '10 p3']);
  });

  it('fifo for comparison', () => {
    expect(run('fifo')).toEqual(['0 p1', '0 p2', '10 p3']);
  });
});
