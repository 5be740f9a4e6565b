/**
 * PassQueue (src/sim/queues/pass.ts, parking.ts) on its own: a real World
 * over one or two nodes and first-fit, and a fake bind stage that holds each
 * placed pod on its node (test/support/sim-unit.ts). Releases are made by
 * hand, so each trace shows only what the queue decided.
 */
import { describe, expect, it } from 'vitest';
import type { PodSlot } from '../src/core/ids.js';
import { firstFit } from '../src/schedulers/first-fit.js';
import { drf, fifo, priority } from '../src/schedulers/queues.js';
import type { PolicyFactory, QueuePolicy } from '../src/schedulers/types.js';
import type { SimObserver } from '../src/sim/observer.js';
import { PodState } from '../src/sim/pod-table.js';
import { PassQueue } from '../src/sim/queues/pass.js';
import { Bench, FakeBinder, S } from './support/sim-unit.js';
import type { NodeShape } from './support/sim-unit.js';

function passBench(nodes: readonly NodeShape[], policy: QueuePolicy, placement: PolicyFactory = firstFit, observers: SimObserver[] = []) {
  const bench = new Bench(nodes, placement, observers);
  const port = new FakeBinder(bench);
  const queue = new PassQueue(bench.world, policy, port);
  port.queue = queue;
  return { bench, port, queue };
}

/** Throws past `limit` failed attempts, so a pod retried forever at one instant fails the test instead of hanging it. */
const loopGuard = (limit = 20): SimObserver => {
  let seen = 0;
  return {
    podUnschedulable: () => {
      if (++seen > limit) throw new Error('a parked pod is woken again and again at one instant');
    },
  };
};

describe('PassQueue: the order of a pass', () => {
  // One 4-CPU node; a (2 CPU, priority 0), b (2 CPU, priority 5), c (2 CPU, priority 0), created in that
  // order and queued in the reverse one. Two of them fit: 2 + 2 = 4 CPU.
  const order = (policy: QueuePolicy) => {
    const { bench, queue } = passBench([{ cpu: 4 }], policy);
    const a = bench.pod('a', { cpu: 2 });
    const b = bench.pod('b', { cpu: 2, priority: 5 });
    const c = bench.pod('c', { cpu: 2 });
    for (const s of [c, b, a]) queue.enqueue(s);
    return bench.run();
  };

  it('fifo: creation order, whatever the priority or the order of enqueue', () => {
    expect(order(fifo)).toEqual([
      [0, 'place a on n0'],
      [0, 'place b on n0'],
      [0, 'unschedulable c'],
    ]);
  });

  it('priority: higher priority first, then creation order', () => {
    expect(order(priority)).toEqual([
      [0, 'place b on n0'],
      [0, 'place a on n0'],
      [0, 'unschedulable c'],
    ]);
  });
});

describe('PassQueue: parking and waking', () => {
  it('a release wakes only as many parked pods as the freed node can hold, counted against its free capacity', () => {
    // One 4-CPU node. x (4 CPU, 10 s) runs from 0 s; b, c, d (2 CPU each) find no room and are parked.
    // At 10 s x ends: free 4000m → b wakes (4000 − 2000 = 2000m left) → c wakes (2000 − 2000 = 0m left)
    // → 0m < the smallest parked request (2000m): d is not woken, so not tried again.
    const { bench, queue } = passBench([{ cpu: 4 }], fifo);
    const x = bench.pod('x', { cpu: 4, seconds: 10 });
    const parked = ['b', 'c', 'd'].map((n) => bench.pod(n, { cpu: 2 }));
    for (const s of [x, ...parked]) queue.enqueue(s);
    expect(bench.run()).toEqual([
      [0, 'place x on n0'],
      [0, 'unschedulable b'],
      [0, 'unschedulable c'],
      [0, 'unschedulable d'],
      [10, 'end x'],
      [10, 'place b on n0'],
      [10, 'place c on n0'],
    ]);
    const d = parked[2]!;
    expect(bench.pods.state[d]).toBe(PodState.Parked);
    expect(bench.pods.attempts[d]).toBe(1);
  });

  it('a woken pod that binds on another node than the one that woke it makes the queue scan the nodes released at that instant again', () => {
    // n0, n1: 4 CPU each. At 0 s: x1 (1 CPU) and x2 (3 CPU) fill n0, y (4 CPU) fills n1; p (1 CPU) and
    // s (4 CPU) are parked.
    // At 10 s y leaves n1, then x1 leaves n0.
    //   y's release wakes p, counted against n1: 4000 − 1000 = 3000m left < s's 4000m, so s sleeps on.
    //   x1's release leaves 1000m on n0 < s's 4000m: nothing wakes.
    //   The pass: first-fit puts p on n0 (the lowest node with 1000m), not n1. n1's 4000m was counted
    //   against p and is still free: the queue scans n1 and n0 again, s wakes and goes to n1.
    const { bench, port, queue } = passBench([{ cpu: 4 }, { cpu: 4 }], fifo);
    const [x1, , y] = [
      bench.pod('x1', { cpu: 1 }),
      bench.pod('x2', { cpu: 3 }),
      bench.pod('y', { cpu: 4 }),
      bench.pod('p', { cpu: 1 }),
      bench.pod('s', { cpu: 4 }),
    ].map((s) => {
      queue.enqueue(s);
      return s;
    });
    bench.at(10 * S, () => {
      port.end(y!);
      port.end(x1!);
    });
    expect(bench.run()).toEqual([
      [0, 'place x1 on n0'],
      [0, 'place x2 on n0'],
      [0, 'place y on n1'],
      [0, 'unschedulable p'],
      [0, 'unschedulable s'],
      [10, 'end y'],
      [10, 'end x1'],
      [10, 'place p on n0'],
      [10, 'place s on n1'],
    ]);
  });

  it('a woken pod that fails again is not woken again at the cluster version it failed at, only after the next change', () => {
    // One 4-CPU node and a policy that never admits b. a (2 CPU) and c (1 CPU) run from 0 s; b (1 CPU)
    // is parked. At 10 s a leaves: b wakes (1000m ≤ 3000m free), fails, and the failed wake-up makes the
    // queue scan n0 again — at the version b just failed at, so b stays parked. At 20 s c leaves: a new
    // version, b is tried once more.
    const picky: PolicyFactory = (ctx) => ({ ...firstFit(ctx), place: undefined, filter: (pod) => pod.owner !== 'b' });
    const { bench, port, queue } = passBench([{ cpu: 4 }], fifo, picky, [loopGuard()]);
    const [a, b, c] = [bench.pod('a', { cpu: 2 }), bench.pod('b', { cpu: 1 }), bench.pod('c', { cpu: 1 })];
    for (const s of [a, b, c]) queue.enqueue(s);
    bench.at(10 * S, () => port.end(a));
    bench.at(20 * S, () => port.end(c));
    expect(bench.run()).toEqual([
      [0, 'place a on n0'],
      [0, 'unschedulable b'],
      [0, 'place c on n0'],
      [10, 'end a'],
      [10, 'unschedulable b'],
      [20, 'end c'],
      [20, 'unschedulable b'],
    ]);
    expect(bench.pods.attempts[b]).toBe(3);
  });
});

describe('PassQueue drf: the next pod comes from the tenant of lowest dominant share', () => {
  // The NSDI 2011 example (Ghodsi et al., section 4.1): one node of ⟨9 CPU, 18 GiB⟩; tenant A's pods
  // ask ⟨1 CPU, 4 GiB⟩, B's ⟨3 CPU, 1 GiB⟩, four of A's and three of B's queued at 0 s.
  const nsdi = (first: 'A' | 'B') => {
    const { bench, queue } = passBench([{ cpu: 9, memory: 18 }], drf);
    const make = {
      A: () => ['a1', 'a2', 'a3', 'a4'].map((n) => bench.pod(n, { cpu: 1, memory: 4, tenant: 'A' })),
      B: () => ['b1', 'b2', 'b3'].map((n) => bench.pod(n, { cpu: 3, memory: 1, tenant: 'B' })),
    };
    const slots: PodSlot[] = first === 'A' ? [...make.A(), ...make.B()] : [...make.B(), ...make.A()];
    for (const s of slots) queue.enqueue(s);
    return bench.run();
  };

  it('progressive filling: A, B, A, B, A, then a tie at 2/3 goes to A, seen first', () => {
    // shares (A; B)            next
    // 0; 0          tie      → a1: A = max(1/9, 4/18) = 2/9
    // 2/9; 0                 → b1: B = max(3/9, 1/18) = 1/3
    // 2/9; 1/3               → a2: A = 8/18 = 4/9
    // 4/9; 1/3               → b2: B = 6/9 = 2/3
    // 4/9; 2/3               → a3: A = max(3/9, 12/18) = 2/3
    // 2/3; 2/3      tie → A  → a4: CPU 3 + 6 = 9 of 9 used: no room, parked; then b3, parked too.
    expect(nsdi('A')).toEqual([
      [0, 'place a1 on n0'],
      [0, 'place b1 on n0'],
      [0, 'place a2 on n0'],
      [0, 'place b2 on n0'],
      [0, 'place a3 on n0'],
      [0, 'unschedulable a4'],
      [0, 'unschedulable b3'],
    ]);
  });

  it('ties go to the tenant seen first: with B queued first, B wins both ties', () => {
    // 0; 0 tie → b1 (B = 1/3) → a1 (A = 2/9) → a2 (4/9) → b2 (2/3) → a3 (2/3) → tie → b3, parked; a4, parked.
    expect(nsdi('B')).toEqual([
      [0, 'place b1 on n0'],
      [0, 'place a1 on n0'],
      [0, 'place a2 on n0'],
      [0, 'place b2 on n0'],
      [0, 'place a3 on n0'],
      [0, 'unschedulable b3'],
      [0, 'unschedulable a4'],
    ]);
  });
});
