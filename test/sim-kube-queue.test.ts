/**
 * KubeSchedulingQueue (src/sim/queues/kube.ts over kube-queue.ts) on its
 * own: one scheduling cycle at a time, each taking simulated time, against a
 * real World with first-fit and a fake bind stage. Releases and node events
 * are made by hand, so each trace shows only what the queue did.
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { PodSlot } from '../src/core/ids.js';
import { firstFit } from '../src/schedulers/first-fit.js';
import type { ClusterEvent, PolicyFactory } from '../src/schedulers/types.js';
import { PodTable } from '../src/sim/pod-table.js';
import { KubeSchedulingQueue } from '../src/sim/queues/kube.js';
import type { SchedulingCost } from '../src/sim/queues/kube.js';
import { KubeQueue, REQUEUE_ON_NODE_ADD, REQUEUE_ON_NODE_CHANGE, REQUEUE_ON_POD_ADD, REQUEUE_ON_POD_DELETE } from '../src/sim/queues/kube-queue.js';
import { Bench, FakeBinder, S, template } from './support/sim-unit.js';
import type { NodeShape } from './support/sim-unit.js';

function kubeBench(nodes: readonly NodeShape[], cost: SchedulingCost, placement: PolicyFactory = firstFit) {
  const bench = new Bench(nodes, placement);
  const port = new FakeBinder(bench);
  const queue = new KubeSchedulingQueue(bench.world, port, cost);
  port.queue = queue;
  return { bench, port, queue };
}

/** first-fit declaring which events may make a rejected pod fit. */
const requeueingOn = (events: number): PolicyFactory => (ctx) => ({ ...firstFit(ctx), requeueOn: () => events });

/** A cycle of 1 ms whatever the number of nodes. */
const MS = { perCycle: 1000, perNode: 0 };

describe('KubeSchedulingQueue: scheduling cycles', () => {
  it('one cycle at a time, each costing perCycle + perNode × nodes evaluated', () => {
    // Three nodes, all evaluated: 200 + 2 × 3 = 206 µs a cycle; a decision takes effect at its cycle's end.
    const { bench, queue } = kubeBench([{ cpu: 4 }, { cpu: 4 }, { cpu: 4 }], { perCycle: 200, perNode: 2 });
    for (const n of ['a', 'b', 'c']) queue.enqueue(bench.pod(n, { cpu: 1 }));
    expect(bench.run()).toEqual([
      [0.000206, 'place a on n0'],
      [0.000412, 'place b on n0'],
      [0.000618, 'place c on n0'],
    ]);
  });

  it('counts only the nodes the policy says it evaluated', () => {
    // evaluatedNodes() = 1: 200 + 2 × 1 = 202 µs a cycle.
    const one: PolicyFactory = (ctx) => ({ ...firstFit(ctx), evaluatedNodes: () => 1 });
    const { bench, queue } = kubeBench([{ cpu: 4 }, { cpu: 4 }, { cpu: 4 }], { perCycle: 200, perNode: 2 }, one);
    for (const n of ['a', 'b']) queue.enqueue(bench.pod(n, { cpu: 1 }));
    expect(bench.run()).toEqual([
      [0.000202, 'place a on n0'],
      [0.000404, 'place b on n0'],
    ]);
  });

  it('orders activeQ by priority, then by creation', () => {
    const { bench, queue } = kubeBench([{ cpu: 4 }], MS);
    for (const [n, priority] of [['a', 0], ['b', 5], ['c', 0]] as const) queue.enqueue(bench.pod(n, { cpu: 1, priority }));
    expect(bench.run().map(([, e]) => e)).toEqual(['place b on n0', 'place a on n0', 'place c on n0']);
  });
});

describe('KubeSchedulingQueue: backoff', () => {
  it('a pod rejected again and again backs off 1, 2, 4, 8, then 10 s while others keep the scheduler busy', () => {
    // n0 (4 CPU) is full; x (priority 10) may go only to n0. n1 (64 CPU) takes 64 fillers (½ CPU, priority 0),
    // one per 0.5 s cycle. x's rejection registers pod adds, so each filler bound after x failed requeues it,
    // into backoffQ while its backoff runs; it leaves backoffQ at the first whole-second flush past its
    // expiry (expiry = ⌊failure + backoff⌋ to the second; it leaves when expiry < ⌊now⌋), then wins on priority.
    //   attempt      fails at   backoff          expiry            out of backoffQ   next cycle
    //   1: 0 s       0.5 s      1 s × 2^0 = 1    ⌊1.5⌋  = 1 s      2 s flush         2.0–2.5 s
    //   2: 2 s       2.5 s      1 s × 2^1 = 2    ⌊4.5⌋  = 4 s      5 s flush         5.0–5.5 s
    //   3: 5 s       5.5 s      1 s × 2^2 = 4    ⌊9.5⌋  = 9 s      10 s flush        10.0–10.5 s
    //   4: 10 s      10.5 s     1 s × 2^3 = 8    ⌊18.5⌋ = 18 s     19 s flush        19.0–19.5 s
    //   5: 19 s      19.5 s     min(16, 10) = 10 ⌊29.5⌋ = 29 s     30 s flush        30.0–30.5 s
    const { bench, queue } = kubeBench(
      [
        { cpu: 4, labels: { pool: 'x' } },
        { cpu: 64, labels: { pool: 'fill' } },
      ],
      { perCycle: S / 2, perNode: 0 },
      requeueingOn(REQUEUE_ON_POD_ADD),
    );
    bench.hold(bench.pod('r', { cpu: 4 }), 0);
    queue.enqueue(bench.pod('x', { cpu: 1, priority: 10, nodeSelector: { pool: 'x' } }));
    for (let i = 1; i <= 64; i++) queue.enqueue(bench.pod(`f${i}`, { cpu: 0.5 }));
    const x = bench.run(31 * S).filter(([, e]) => e.endsWith(' x'));
    expect(x).toEqual([
      [0.5, 'unschedulable x'],
      [2.5, 'unschedulable x'],
      [5.5, 'unschedulable x'],
      [10.5, 'unschedulable x'],
      [19.5, 'unschedulable x'],
      [30.5, 'unschedulable x'],
    ]);
  });

  it('KubeQueue: the backoff expiry is initial × 2^(failures − 1), capped, plus the failure time, rounded down to the second', () => {
    // initialBackoff 0.5 s, maxBackoff 3 s; every attempt fails at 2.7 s:
    //   0.5 → ⌊3.2⌋ = 3 s    1 → ⌊3.7⌋ = 3 s    2 → ⌊4.7⌋ = 4 s    4 capped to 3 → ⌊5.7⌋ = 5 s    3 → 5 s
    const pods = new PodTable(4);
    const slot = pods.add(template('p'), new Float64Array(5), 0, -1, 0, -1) as PodSlot;
    const q = new KubeQueue(pods, { initialBackoff: S / 2, maxBackoff: 3 * S });
    q.add(slot, 0);
    const expiries: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(q.pop()).toBe(slot);
      q.failed(slot, 2.7 * S, REQUEUE_ON_POD_DELETE);
      expiries.push(q.backoffExpiry(slot) / S);
      q.podDeleted(3 * S);
    }
    expect(expiries).toEqual([3, 3, 4, 5, 5]);
  });
});

describe('KubeQueue: queueing hints (isPodWorthRequeuing)', () => {
  // x failed; its rejecting plugin requeues it at once on a node added, and asks its hint on a pod added.
  const parked = (hint: (slot: number, event: ClusterEvent) => boolean) => {
    const pods = new PodTable(4);
    const slot = pods.add(template('x'), new Float64Array(5), 0, -1, 0, -1) as PodSlot;
    const asked: ClusterEvent[] = [];
    const q = new KubeQueue(pods, undefined, (s, e) => {
      asked.push(e);
      return hint(s, e);
    });
    q.add(slot, 0);
    q.pop();
    q.failed(slot, S, REQUEUE_ON_NODE_ADD, REQUEUE_ON_POD_ADD);
    return { q, asked };
  };

  it('a hinted event requeues the pod only when the hint says Queue', () => {
    const skip = parked(() => false);
    skip.q.podAdded(2 * S, 1);
    expect(skip.q.unschedulableCount).toBe(1);
    expect(skip.asked.map((e) => [e.kind, e.node])).toEqual([[REQUEUE_ON_POD_ADD, 1]]);
    const queue = parked(() => true);
    queue.q.podAdded(2 * S, 1);
    expect(queue.q.unschedulableCount).toBe(0);
  });

  it('an event registered without a hint requeues at once, and one not registered at all neither asks nor requeues', () => {
    const p = parked(() => false);
    p.q.podDeleted(2 * S, 0);
    expect(p.q.unschedulableCount).toBe(1);
    expect(p.asked).toEqual([]);
    p.q.nodeChanged(3 * S, 1, true);
    expect(p.q.unschedulableCount).toBe(0);
    expect(p.asked).toEqual([]);
  });
});

describe('KubeSchedulingQueue: requeueing unschedulable pods', () => {
  // x may go only to n0, which is out of the schedulable mask (NotReady); n1 is full with r until 5 s.
  // At 8 s n0 is back (a node update event). Cycles take 1 ms.
  const blockedNode = (placement: PolicyFactory) => {
    const { bench, port, queue } = kubeBench(
      [
        { cpu: 4, labels: { pool: 'x' } },
        { cpu: 4, labels: { pool: 'other' } },
      ],
      MS,
      placement,
    );
    bench.cluster.setSchedulable(asNode(0), false);
    const r = bench.pod('r', { cpu: 4 });
    bench.hold(r, 1);
    queue.enqueue(bench.pod('x', { cpu: 1, nodeSelector: { pool: 'x' } }));
    bench.at(5 * S, () => port.end(r));
    bench.at(8 * S, () => {
      bench.cluster.setSchedulable(asNode(0), true);
      bench.policy.onNodeChanged?.(asNode(0));
      queue.nodeUp(asNode(0), 8 * S);
    });
    return bench.run();
  };

  it('only by the events its rejection registered: a node change, not a pod deleted elsewhere', () => {
    // 5 s: r's deletion is no event for x. 8 s: the node event requeues x (backoff ⌊0.001 + 1⌋ = 1 s is over): activeQ.
    expect(blockedNode(requeueingOn(REQUEUE_ON_NODE_CHANGE))).toEqual([
      [0.001, 'unschedulable x'],
      [5, 'end r'],
      [8.001, 'place x on n0'],
    ]);
  });

  it('by a pod deletion when the policy registers nothing (the default), which here is a wasted attempt', () => {
    expect(blockedNode(firstFit)).toEqual([
      [0.001, 'unschedulable x'],
      [5, 'end r'],
      [5.001, 'unschedulable x'],
    ]);
  });

  it('after 5 minutes unschedulable, at the next 30-second flush, while anything else may still happen', () => {
    // x fails at 0.001 s on a full node. Flushes every 30 s requeue pods unschedulable for more than 300 s:
    // at 300 s it has waited 299.999 s, at 330 s 329.999 s > 300 s: requeued, tried again, fails at 330.001 s.
    const run = (alive: boolean) => {
      const { bench, port, queue } = kubeBench([{ cpu: 4 }], MS);
      port.aliveValue = alive;
      bench.hold(bench.pod('r', { cpu: 4 }), 0);
      queue.enqueue(bench.pod('x', { cpu: 1 }));
      return { log: bench.run(340 * S), kernel: bench.kernel };
    };
    const alive = run(true);
    expect(alive.log).toEqual([
      [0.001, 'unschedulable x'],
      [330.001, 'unschedulable x'],
    ]);
    // With nothing else left to happen, no flush is even scheduled: x waits, and the run has nothing more to do.
    const idle = run(false);
    expect(idle.log).toEqual([[0.001, 'unschedulable x']]);
    expect(idle.kernel.processed).toBe(2);
  });

  it('an event during a pod’s cycle that its rejection registered requeues it at once (in-flight events)', () => {
    // Cycles of 0.1 s. x's cycle 0–0.1 s decides against a full n0; r leaves at 0.05 s, during the cycle.
    // At 0.1 s x fails, and since a pod was deleted during its cycle it is requeued at once — backoffQ
    // (expiry ⌊0.1 + 1⌋ = 1 s), popped at once as activeQ is empty — and placed at 0.2 s.
    const { bench, port, queue } = kubeBench([{ cpu: 4 }], { perCycle: S / 10, perNode: 0 });
    const r = bench.pod('r', { cpu: 4 });
    bench.hold(r, 0);
    queue.enqueue(bench.pod('x', { cpu: 1 }));
    bench.at(S / 20, () => port.end(r));
    expect(bench.run()).toEqual([
      [0.05, 'end r'],
      [0.1, 'unschedulable x'],
      [0.2, 'place x on n0'],
    ]);
  });

  it('a node event during a pod’s cycle requeues it at once when its rejection registered node changes', () => {
    // x may go only to n0, out of the mask (NotReady); its rejection registers node changes. Its cycle
    // (0–0.1 s) decides against the blocked node; n0 is back at 0.05 s, during the cycle. At 0.1 s x fails
    // and is requeued at once — backoffQ (expiry ⌊0.1 + 1⌋ = 1 s), popped at once — and placed at 0.2 s,
    // instead of waiting for another node event or the 5-minute flush.
    const { bench, queue } = kubeBench([{ cpu: 4, labels: { pool: 'x' } }, { cpu: 4 }], { perCycle: S / 10, perNode: 0 }, requeueingOn(REQUEUE_ON_NODE_CHANGE));
    bench.cluster.setSchedulable(asNode(0), false);
    queue.enqueue(bench.pod('x', { cpu: 1, nodeSelector: { pool: 'x' } }));
    bench.at(S / 20, () => {
      bench.note('n0 back');
      bench.cluster.setSchedulable(asNode(0), true);
      bench.policy.onNodeChanged?.(asNode(0));
      queue.nodeUp(asNode(0), S / 20);
    });
    expect(bench.run()).toEqual([
      [0.05, 'n0 back'],
      [0.1, 'unschedulable x'],
      [0.2, 'place x on n0'],
    ]);
  });
});
