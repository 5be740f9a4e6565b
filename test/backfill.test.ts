/**
 * Backfilling worked out by hand: one 10-CPU node, six batch jobs in
 * arrival order (one pod each), planned with their true run times.
 *
 *   job  arrives  cpu  runs
 *   A    0 s      5    10 s
 *   B    1 s      8    10 s
 *   C    2 s      9     5 s
 *   D    3 s      3    30 s
 *   E    4 s      2     4 s
 *   F    5 s      2    30 s
 *
 * EASY. A starts at 0 (5 free). B is blocked: it gets the only reservation,
 * at 10 s when A ends, leaving 10 − 8 = 2 CPUs "extra" beside it. C waits.
 * D fits now but would run past 10 s and needs 3 > 2 extra: refused. E ends
 * at 8 s, before the reservation: starts at 4. F runs past 10 s but needs
 * only the 2 extra: starts at 5. At 10 s B starts; C is now first and is
 * reserved at 35 s (F's end frees 2 + the 8 free = 10 ≥ 9); D (to 50 s,
 * 3 > 1 extra) is refused again. C starts at 35 s, D at 40 s when C ends.
 *   → A 0, B 10, C 35, D 40, E 4, F 5.
 *
 * Conservative. Every blocked job is reserved in order: B at 10 s; C at
 * 20 s (B's end frees 10); D at 25 s (C's end; before, C leaves only 1).
 * E ends before any reservation starts: starts at 4. F (to 35 s) would need
 * 2 CPUs at 20 s when C's reservation leaves 1: reserved at 25 s beside D.
 *   → A 0, B 10, C 20, D 25, E 4, F 25.
 *
 * Plain FIFO passes (no reservation) start D at 3 s, so B cannot start
 * at 10 s: the head of the queue starves, which is what EASY prevents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvailabilityProfile } from '../src/sim/queues/availability-profile.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { NodeIndex, PodSlot, Micros } from '../src/core/ids.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { InvariantObserver } from './support/invariant-observer.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';
import { runs } from './support/property-runs.js';

const S = 1_000_000;

const JOBS = [
  ['A', 0, 5, 10],
  ['B', 1, 8, 10],
  ['C', 2, 9, 5],
  ['D', 3, 3, 30],
  ['E', 4, 2, 4],
  ['F', 5, 2, 30],
] as const;

function scenario(jobs: readonly (readonly [string, number, number, number])[] = JOBS) {
  return {
    name: 'backfill-by-hand',
    cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 10, memory: '64Gi' } }] },
    workload: {
      streams: jobs.map(([name, at, cpu, runs]) => ({
        name: name.toLowerCase(),
        arrival: { process: 'burst', at: [`${at}s`], size: 1 },
        duration: `${runs}s`,
        requests: { cpu, memory: '1Gi' },
      })),
    },
  };
}

class Starts implements SimObserver {
  pods!: PodTable;
  readonly at: Record<string, number> = {};
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.at[this.pods.template[slot]!.owner.toUpperCase()] = now / S;
  }
}

function starts(queue: string, data: unknown = scenario(), scheduler = 'first-fit'): Record<string, number> {
  const log = new Starts();
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler, queue, seed: 1 }, undefined, [log]);
  const census = prepared.sim.run();
  expect(census.completed).toBe(census.created);
  return log.at;
}

describe('backfilling on a job list worked out by hand', () => {
  it('EASY: only the first blocked job holds a reservation', () => {
    expect(starts('easy-backfill')).toEqual({ A: 0, B: 10, C: 35, D: 40, E: 4, F: 5 });
  });

  it('conservative: every blocked job holds one, and none is delayed by a later job', () => {
    expect(starts('conservative-backfill')).toEqual({ A: 0, B: 10, C: 20, D: 25, E: 4, F: 25 });
  });

  it('without reservations the head of the queue is overtaken', () => {
    const fifo = starts('fifo');
    expect(fifo.D).toBe(3);
    expect(fifo.B).toBeGreaterThan(10);
  });

  it('holds for every placement policy, indexed or scanning', () => {
    for (const scheduler of ['best-fit', 'worst-fit', 'tetris', 'kube-default']) {
      expect(starts('easy-backfill', scenario(), scheduler)).toEqual({ A: 0, B: 10, C: 35, D: 40, E: 4, F: 5 });
    }
  });
});

describe('AvailabilityProfile', () => {
  const free = (cpu: number) => (_node: NodeIndex, out: Float64Array) => {
    out[0] = cpu;
  };
  const v = (x: number) => Float64Array.of(x);

  it('finds the earliest start where a request fits for its whole length', () => {
    const p = new AvailabilityProfile(1, 1, free(2));
    p.setRelease(0, 0 as NodeIndex, 10, v(6)); // 8 free from 10
    p.reserve(1, 0, 1, 0 as NodeIndex, 20, 25, v(7)); // 1 free over [20, 25)
    expect(p.earliest(v(3), 5, 0, () => true)).toEqual({ node: 0, start: 10 });
    expect(p.earliest(v(3), 15, 0, () => true)).toEqual({ node: 0, start: 25 });
    expect(p.earliest(v(9), 1, 0, () => true)).toBeNull();
    const out = new Float64Array(1);
    p.usable(0 as NodeIndex, 22, out);
    expect(out[0]).toBe(1);
    p.usable(0 as NodeIndex, 20, out);
    expect(out[0]).toBe(2);
  });

  it('property: a reservation it finds never takes a node below zero', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 8 })), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 8 }),
        (releases, requests) => {
          const used = releases.reduce((a, [, c]) => a + c, 0);
          const capacity = used + 2;
          const p = new AvailabilityProfile(1, 1, free(capacity - used));
          releases.forEach(([t, c], owner) => p.setRelease(owner, 0 as NodeIndex, t, v(c)));
          const booked: [number, number, number][] = releases.map(([t, c]) => [0, t, c]);
          for (const [i, [cpu, length]] of requests.entries()) {
            const r = p.earliest(v(cpu), length, 0, () => true);
            if (cpu > capacity) expect(r).toBeNull();
            if (r === null) continue;
            p.reserve(i, 0, i, r.node, r.start, r.start + length, v(cpu));
            booked.push([r.start, r.start + length, cpu]);
          }
          // Load at every instant where it changes stays within capacity.
          for (const [from] of booked) {
            const load = booked.reduce((a, [s, e, c]) => a + (s <= from && from < e ? c : 0), 0);
            expect(load).toBeLessThanOrEqual(capacity);
          }
        },
      ),
      { numRuns: runs(300) },
    );
  });
  it('property: a profile changed step by step answers as a brute-force search of what it holds, for every viewer', () => {
    // Whole numbers: every sum is exact, so the order of the steps cannot matter here.
    type Op = { kind: 'release' | 'drop' | 'reserve' | 'unreserve'; owner: number; time: number; length: number; cpu: number; key: number };
    const op: fc.Arbitrary<Op> = fc.record({
      kind: fc.constantFrom('release', 'drop', 'reserve', 'unreserve'),
      owner: fc.integer({ min: 0, max: 5 }),
      time: fc.integer({ min: 1, max: 40 }),
      length: fc.integer({ min: 1, max: 20 }),
      cpu: fc.integer({ min: 1, max: 6 }),
      key: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 8 }), (ops, freeNow) => {
        const p = new AvailabilityProfile(1, 1, free(freeNow));
        const releases = new Map<number, [number, number]>();
        const reservations = new Map<number, [number, number, number, number]>();
        for (const o of ops) {
          if (o.kind === 'release') {
            p.setRelease(o.owner, 0 as NodeIndex, o.time, v(o.cpu));
            releases.set(o.owner, [o.time, o.cpu]);
          } else if (o.kind === 'drop') {
            p.dropRelease(o.owner);
            releases.delete(o.owner);
          } else if (o.kind === 'reserve') {
            p.reserve(o.owner, o.key, o.owner, 0 as NodeIndex, o.time, o.time + o.length, v(o.cpu));
            reservations.set(o.owner, [o.key, o.time, o.time + o.length, o.cpu]);
          } else {
            p.unreserve(o.owner);
            reservations.delete(o.owner);
          }
          // The same queries after every op, the last as the first (and viewers moving forward), so a memo kept across a change is caught.
          for (const [key, id, cpu] of [[Infinity, Infinity, 3], [0, 0, 1], [0, 0, 3], [3, 3, 3], [3, 3, 5], [Infinity, Infinity, 5], [Infinity, Infinity, 3]] as const) {
            p.viewAs(key, id);
            const steps: [number, number][] = [...releases.values()];
            for (const [owner, [k, start, end, c]] of reservations) if (k < key || (k === key && owner < id)) steps.push([start, -c], [end, c]);
            const instants = [...new Set(steps.map(([t]) => t))].sort((x, y) => x - y);
            const availAt = (t: number): number => freeNow + steps.reduce((sum, [at, c]) => sum + (at <= t ? c : 0), 0);
            const before = o.time + 10;
            const want = instants.find((c) => c > 2 && c < before && instants.every((t) => t < c || t >= c + o.length || availAt(t) >= cpu)) ?? Infinity;
            expect(p.earliestOn(0 as NodeIndex, v(cpu), o.length, 2, before)).toBe(want);
          }
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('property: backfilling never over-commits a node and accounts for every pod', () => {
  it('random clusters and workloads, every backfilling queue, indexed and scanning policies', () => {
    const queues = ['easy-backfill', 'conservative-backfill', 'easy-backfill-estimate', 'conservative-backfill-estimate', 'tetris', 'tetris-packing'];
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('first-fit', 'best-fit', 'worst-fit-l2', 'kube-default'), fc.constantFrom(...queues), (s, seed, scheduler, queue) => {
        // Not a pass queue: a pod may wait while a node has room, held back for a reservation.
        const inv = new InvariantObserver({ workConserving: false, passQueue: false });
        const { census: c } = runHarness({ scenario: s.data, scheduler, queue, seed, observers: [inv] });
        expect(inv.ended).toBe(true);
        expect(c.created).toBe(inv.arrived);
        expect(c.created).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating);
        expect(c.completed).toBe(inv.finished);
        expect(c.queued).toBe(0);
      }),
      { numRuns: runs(40) },
    );
  }, 30_000);
});
