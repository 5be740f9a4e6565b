/**
 * The multi-resource placement policies (best/worst fit under l1, l2 and l∞,
 * tetris, l2-norm), the share orders (dominant share, DRF), Tetris's task
 * selector and the SJF queues, on clusters small enough to work out by hand,
 * plus a fast-check property: no over-commit and every pod accounted for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import type { NodeSpec } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { ResourceSpace } from '../src/model/resources.js';
import { dominantShareOrder, DrfQueue } from '../src/schedulers/fair-order.js';
import { NormalizedCapacity } from '../src/schedulers/normalized-capacity.js';
import { findPlacement, findQueue, placementNames, queueNames } from '../src/schedulers/registry.js';
import { estimateFactor, sjf, sjfEstimate } from '../src/schedulers/sjf.js';
import { alignment, TetrisSelector } from '../src/schedulers/tetris.js';
import type { TetrisTask } from '../src/schedulers/tetris.js';
import type { PlacementPolicy, PodView } from '../src/schedulers/types.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import { drfAllocate } from '../src/schedulers/vbp/drf.js';
import { InvariantObserver } from './support/invariant-observer.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';
import { runs } from './support/property-runs.js';

const SPACE = new ResourceSpace([]); // cpu, memory, nvme, nic, pods
const NEW_POLICIES = ['best-fit-l1', 'best-fit-l2', 'best-fit-linf', 'worst-fit-l1', 'worst-fit-l2', 'worst-fit-linf', 'tetris', 'l2-norm'] as const;

/** A cluster of nodes with 100 of cpu, memory, nvme and nic (and 110 pods), with `used` [cpu, memory, nvme, nic] already requested. */
function cluster(used: readonly (readonly number[])[]): ClusterState {
  const nodes: NodeSpec[] = used.map((_, i) => ({
    index: asNode(i),
    name: `n-${i}`,
    pool: 'p',
    zone: '',
    rack: '',
    labels: {},
    taints: [],
    unschedulable: false,
    capacity: Float64Array.of(100, 100, 100, 100, 110),
    allocatable: Float64Array.of(100, 100, 100, 100, 110),
  }));
  const c = new ClusterState(SPACE, nodes);
  used.forEach((u, i) => expect(c.reserve(asNode(i), Float64Array.of(...u, 0))).toBe(true));
  return c;
}

/** A pod requesting [cpu, memory, nvme, nic] (and one pod slot), eligible on every node but those in `not`. */
function pod(c: ClusterState, req: readonly number[], not: readonly number[] = [], tenant = 't'): PodView {
  const requests = Float64Array.of(...req, 1);
  const eligible = (node: NodeIndex): boolean => !not.includes(node);
  return {
    requests,
    priority: 0,
    tenant,
    owner: 'o',
    labels: {},
    arrival: 0,
    duration: 10,
    template: { owner: 'o', kind: 'stream', priority: 0, tenant, labels: {}, nodeSelector: {}, tolerations: [], missingRequests: { cpu: false, memory: false } },
    eligible,
    fitsOn: (node) => eligible(node) && c.fits(node, requests),
  };
}

function policy(name: string, c: ClusterState): PlacementPolicy {
  return findPlacement(name)!({ cluster: c, rng: rngFor(1, `policy/${name}`) });
}

/**
 * Node 0: empty but not eligible for the pod (it would win every worst fit).
 * Node 1 (A): used (40, 50, 50, 50) → free (60, 50, 50, 50).
 * Node 2 (B): used (0, 10, 90, 100) → free (100, 90, 10, 0).
 * The pod asks for 10 CPU. Remaining after placing it, ÷ 100:
 *   A: (0.5, 0.5, 0.5, 0.5)  l1 = 2.0  l2 = √1.00 = 1.000  l∞ = 0.5
 *   B: (0.9, 0.9, 0.1, 0.0)  l1 = 1.9  l2 = √1.63 ≈ 1.277  l∞ = 0.9
 * So l1 and l2 disagree: best-fit-l1 → B, best-fit-l2 → A, best-fit-linf → A,
 * worst-fit-l1 → A, worst-fit-l2 → B, worst-fit-linf → B.
 * best-fit / worst-fit measure only the requested CPU: A 0.5, B 0.9 → A / B.
 */
describe('best and worst fit under l1, l2 and l∞ over every resource', () => {
  const used = [[0, 0, 0, 0], [40, 50, 50, 50], [0, 10, 90, 100]];
  it.each([
    ['best-fit-l1', 2],
    ['best-fit-l2', 1],
    ['best-fit-linf', 1],
    ['worst-fit-l1', 1],
    ['worst-fit-l2', 2],
    ['worst-fit-linf', 2],
    ['best-fit', 1],
    ['worst-fit', 2],
  ])('%s chooses node %i', (name, expected) => {
    const c = cluster(used);
    expect(policy(name, c).place!(pod(c, [10, 0, 0, 0], [0]), c)).toBe(expected);
  });

  it('ties go to the lowest index, and a pod that fits nowhere gets NO_NODE', () => {
    const c = cluster([[50, 0, 0, 0], [50, 0, 0, 0], [95, 0, 0, 0]]);
    for (const name of NEW_POLICIES) {
      expect(policy(name, c).place!(pod(c, [10, 0, 0, 0]), c), name).toBe(0);
      expect(policy(name, c).place!(pod(c, [60, 0, 0, 0]), c), name).toBe(-1);
    }
  });
});

describe('tetris: alignment = Σ (request ÷ capacity)·(free ÷ capacity)', () => {
  const used = [[0, 0, 0, 0], [40, 50, 50, 50], [0, 10, 90, 100]];
  it('scores by hand and picks the best-aligned eligible node', () => {
    const c = cluster(used);
    const cap = new NormalizedCapacity(c);
    const p = pod(c, [10, 20, 0, 0], [0]);
    // A: 0.1·0.6 + 0.2·0.5 = 0.16;  B: 0.1·1.0 + 0.2·0.9 = 0.28;  node 0 (ineligible): 0.1 + 0.2 = 0.3.
    expect(alignment(cap, c, asNode(1), p.requests)).toBeCloseTo(0.16, 12);
    expect(alignment(cap, c, asNode(2), p.requests)).toBeCloseTo(0.28, 12);
    expect(policy('tetris', c).place!(p, c)).toBe(2);
    // A pod heavy on NVMe: A 0.1·0.6 + 0.2·0.5 = 0.16, B 0.1·1.0 + 0.2·0.1 = 0.12 → A.
    expect(policy('tetris', c).place!(pod(c, [10, 0, 20, 0], [0]), c)).toBe(1);
  });

  /**
   * On node B (free 1.0, 0.9, 0.1, 0.0): t0 (tenant 0, job 0) asks (10, 20) → a = 0.28;
   * t1 (tenant 1, job 1) asks 30 CPU → a = 0.3. Remaining work: job 0 = 1, job 1 = 3.
   * m = 1: ε = 1 · mean a / mean p = 0.29 / 2 = 0.145; t0: 0.28 − 0.145 = 0.135, t1: 0.3 − 0.435 = −0.135 → t0.
   * m = 0: packing only → t1. Fairness: shares (0.5, 0.1); f = 0.5 keeps ⌈0.5·2⌉ = 1 tenant,
   * the furthest below its share (tenant 1) → t1 whatever m; f = 0.25 keeps ⌈1.5⌉ = 2 → t0.
   */
  it('the task selector: remaining work and the fairness knob, by hand', () => {
    const c = cluster(used);
    const cap = new NormalizedCapacity(c);
    const tasks: TetrisTask[] = [
      { requests: Float64Array.of(10, 20, 0, 0, 1), tenant: 0, job: 0 },
      { requests: Float64Array.of(30, 0, 0, 0, 1), tenant: 1, job: 1 },
    ];
    const state = { tenantShare: Float64Array.of(0.5, 0.1), remainingWork: Float64Array.of(1, 3) };
    const pick = (fairness: number, remainingWorkWeight: number): number =>
      new TetrisSelector(cap, { fairness, remainingWorkWeight }).pick(tasks, asNode(2), c, state);
    expect(pick(0, 1)).toBe(0);
    expect(pick(0, 0)).toBe(1);
    expect(pick(0.5, 1)).toBe(1);
    expect(pick(0.25, 1)).toBe(0);
    expect(new TetrisSelector(cap).pick(tasks, asNode(2), c, state)).toBe(0); // defaults f = 0.25, m = 1
    // Nothing the considered tenants ask for fits: −1.
    expect(new TetrisSelector(cap, { fairness: 0.5 }).pick([{ requests: Float64Array.of(0, 0, 0, 10, 1), tenant: 1, job: 1 }], asNode(2), c, state)).toBe(-1);
    expect(() => new TetrisSelector(cap, { fairness: 1 })).toThrow(RangeError);
  });
});

describe('l2-norm: minimize Σ w·((free − request) ÷ capacity)²', () => {
  it('unit weights before any bind, then the average demand of the pods bound', () => {
    const c = cluster([[0, 0, 0, 0], [40, 50, 50, 50], [0, 10, 90, 100]]);
    const p = policy('l2-norm', c);
    // Unit weights, 10 CPU: A 4 × 0.25 = 1.0; B 0.81 + 0.81 + 0.01 + 0 = 1.63 → A.
    expect(p.place!(pod(c, [10, 0, 0, 0], [0]), c)).toBe(1);
    // A pod of (10 CPU, 50 NVMe) bound (mean allocatable 100): weights (0.1, 0, 0.5, 0).
    p.onBind!(pod(c, [10, 0, 50, 0]), asNode(0));
    // A: 0.1·0.25 + 0.5·0.25 = 0.15; B: 0.1·0.81 + 0.5·0.01 = 0.086 → B.
    expect(p.place!(pod(c, [10, 0, 0, 0], [0]), c)).toBe(2);
  });
});

describe('share orders', () => {
  it('dominant share, largest first (open-simulator greedy queue)', () => {
    const totals = Float64Array.of(10, 100, 0, 0, 0);
    // Shares: max(1/10, 50/100) = 0.5; max(0.5, 0.1) = 0.5; max(0.2, 0.1) = 0.2; 0.8 → [3, 0, 1, 2] (equal shares in input order).
    const pods = [Float64Array.of(1, 50, 0, 0, 1), Float64Array.of(5, 10, 0, 0, 1), Float64Array.of(2, 10, 0, 0, 1), Float64Array.of(8, 0, 0, 0, 1)];
    expect(dominantShareOrder(pods, totals)).toEqual([3, 0, 1, 2]);
  });

  /**
   * NSDI'11 section 4: ⟨9 CPU, 18 GB⟩; A's tasks ⟨1, 4⟩ (dominant: memory, 2/9 each), B's ⟨3, 1⟩ (CPU, 1/3 each).
   * Progressive filling, ties to the tenant seen first: A (0 = 0), B (2/9 > 0), A (2/9 < 1/3), B (4/9 > 1/3),
   * A (4/9 < 2/3): three for A, two for B, both at 2/3 — the paper's allocation.
   */
  it('DRF progressive filling on the NSDI 2011 example', () => {
    const totals = Float64Array.of(9, 18, 0, 0, 0);
    const q = new DrfQueue(totals);
    const demand = { A: Float64Array.of(1, 4, 0, 0, 1), B: Float64Array.of(3, 1, 0, 0, 1) };
    for (let i = 0; i < 5; i++) {
      q.push('A', 2 * i);
      q.push('B', 2 * i + 1);
    }
    const order: string[] = [];
    for (let k = 0; k < 5; k++) {
      const i = q.next();
      const tenant = i % 2 === 0 ? 'A' : 'B';
      order.push(tenant);
      q.started(tenant, demand[tenant]);
    }
    expect(order).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(q.share('A')).toBeCloseTo(2 / 3, 12);
    expect(q.share('B')).toBeCloseTo(2 / 3, 12);
    // The same sequence as the offline DRF allocation of src/schedulers/vbp/drf.ts.
    expect(drfAllocate([9, 18], [[1, 4], [3, 1]]).sequence).toEqual([0, 1, 0, 1, 0]);
    // A finished task lowers its tenant's share: A at 4/9 is next.
    q.ended('A', demand.A);
    expect(q.next() % 2).toBe(0);
  });
});

describe('queues: sjf and sjf-estimate', () => {
  it('orders by run time, long-running pods last; the estimate is deterministic and exact with σ = 0', () => {
    expect(sjf.key({ priority: 0, arrival: 0, duration: 5 })).toBeLessThan(sjf.key({ priority: 0, arrival: 0, duration: 10 }));
    expect(sjf.key({ priority: 0, arrival: 0, duration: -1 })).toBeGreaterThan(sjf.key({ priority: 0, arrival: 0, duration: 1e12 }));
    const q = { priority: 3, arrival: 1_234_567, duration: 2_000_000 };
    expect(sjfEstimate({ sigma: 0 }).key(q)).toBe(2_000_000);
    expect(findQueue('sjf-estimate')!.key(q)).toBe(findQueue('sjf-estimate')!.key({ ...q }));
    expect(sjfEstimate({ seed: 2 }).key(q)).not.toBe(sjfEstimate({ seed: 1 }).key(q));
    // Median factor ≈ 1 (log-normal with median 1): over 2001 pods, within 10 %.
    const factors = Array.from({ length: 2001 }, (_, i) => estimateFactor({ priority: 0, arrival: i * 1000, duration: 1 }, 0.5, 1)).sort((a, b) => a - b);
    expect(factors[1000]!).toBeGreaterThan(0.9);
    expect(factors[1000]!).toBeLessThan(1.1);
    expect(() => sjfEstimate({ sigma: -1 })).toThrow(RangeError);
  });

  it('one 1-CPU node, three pods at t = 0 of 30 s, 10 s and 20 s: sjf runs them shortest first', () => {
    const data = {
      name: 'sjf',
      cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 1, memory: '1Gi' } }] },
      workload: {
        streams: [30, 10, 20].map((s) => ({ name: `d${s}`, arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: `${s}s`, requests: { cpu: 1 } })),
      },
    };
    const order = (queue: string): string[] => {
      const bound: string[] = [];
      let pods: SimContext['pods'] | undefined;
      const observer: SimObserver = { start: (ctx) => (pods = ctx.pods), podBound: (slot) => void bound.push(pods!.template[slot]!.owner) };
      runHarness({ scenario: data, scheduler: 'first-fit', queue, seed: 1, observers: [observer] });
      return bound;
    };
    expect(order('sjf')).toEqual(['d10', 'd20', 'd30']);
    expect(order('fifo')).toEqual(['d30', 'd10', 'd20']);
  });
});

describe('property: under the new policies no node is over-committed and every pod is accounted for', () => {
  it('random clusters and workloads', () => {
    const names = [...NEW_POLICIES];
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...names), fc.constantFrom('fifo', 'priority', 'sjf', 'sjf-estimate'), (s, seed, scheduler, queue) => {
        const inv = new InvariantObserver({ workConserving: false, passQueue: true });
        const { census: c } = runHarness({ scenario: s.data, scheduler, queue, seed, observers: [inv] });
        expect(inv.ended).toBe(true);
        expect(c.created).toBe(inv.arrived);
        expect(c.created).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating);
        expect(c.completed).toBe(inv.finished);
        expect(c.running + c.terminating).toBe(inv.bound - inv.finished - inv.preempted);
        expect(c.queued).toBe(0);
      }),
      { numRuns: runs(30) },
    );
  }, 30_000);

  it('every new name is registered', () => {
    for (const n of NEW_POLICIES) expect(placementNames()).toContain(n);
    expect(queueNames()).toEqual(expect.arrayContaining(['sjf', 'sjf-estimate', 'priority']));
  });
});
