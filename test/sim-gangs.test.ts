/**
 * Gangs (src/sim/controllers/gang.ts) on its own: Permit for the pods of a
 * gang-scheduled Job. Pods are held on their nodes by hand (as the bind
 * stage's Reserve leaves them) and handed to `permit`; a fake port logs the
 * commits, unbinds, released room and requeues the controller asks for.
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { PodSlot } from '../src/core/ids.js';
import { Gangs } from '../src/sim/controllers/gang.js';
import { PodState } from '../src/sim/pod-table.js';
import type { GangSpec } from '../src/workload/pod.js';
import { Bench, S } from './support/sim-unit.js';

/** Job 0 is a gang of minMember 3 with a 60 s scheduleTimeout; any other job has none. */
function gangBench(spec: GangSpec = { minMember: 3, timeout: 60 * S }) {
  const bench = new Bench([{ cpu: 4 }, { cpu: 4 }]);
  const gangs = new Gangs(bench.world, {
    gangOf: (job) => (job === 0 ? spec : undefined),
    commit: (slot, node) => {
      bench.note(`commit ${bench.name(slot)} on n${node}`);
      bench.pods.state[slot] = PodState.Running;
    },
    unbind: (slot, node) => {
      bench.note(`unbind ${bench.name(slot)} from n${node}`);
      bench.cluster.unreserve(node, bench.pods.requests[slot]!);
    },
    roomOpened: (node) => bench.note(`room on n${node}`),
    enqueue: (slot) => {
      bench.note(`enqueue ${bench.name(slot)}`);
      bench.pods.state[slot] = PodState.Queued;
    },
  });
  /** At `seconds`, the pod is reserved on `node` and reaches Permit. */
  const placeAt = (seconds: number, slot: PodSlot, node: number) =>
    bench.at(seconds * S, () => {
      bench.hold(slot, node);
      gangs.permit(slot, asNode(node));
    });
  const pod = (name: string, job = 0) => bench.pod(name, { cpu: 1, job });
  return { bench, gangs, placeAt, pod };
}

describe('Gangs: Permit', () => {
  it('holds a gang’s pods at Permit until minMember are placed, then commits them all; later pods commit at once', () => {
    // minMember 3: g1 (0 s) and g2 (5 s) wait holding their nodes; g3 (10 s) completes the gang. The 60 s
    // timeout of this wait is stale by then. g4, placed at 20 s once the gang has started, is not held.
    const { bench, placeAt, pod } = gangBench();
    const [g1, g2, g3, g4] = ['g1', 'g2', 'g3', 'g4'].map((n) => pod(n));
    placeAt(0, g1!, 0);
    placeAt(5, g2!, 1);
    placeAt(10, g3!, 0);
    placeAt(20, g4!, 1);
    bench.at(7 * S, () => bench.note(`g1, g2 ${bench.pods.state[g1!] === PodState.Waiting && bench.pods.state[g2!] === PodState.Waiting ? 'waiting' : 'not waiting'}`));
    expect(bench.run()).toEqual([
      [7, 'g1, g2 waiting'],
      [10, 'commit g1 on n0'],
      [10, 'commit g2 on n1'],
      [10, 'commit g3 on n0'],
      [20, 'commit g4 on n1'],
    ]);
  });

  it('a pod of no gang commits at once', () => {
    const { bench, placeAt, pod } = gangBench();
    placeAt(0, pod('solo', -1), 0);
    placeAt(1, pod('other-job', 1), 0);
    expect(bench.run()).toEqual([
      [0, 'commit solo on n0'],
      [1, 'commit other-job on n0'],
    ]);
  });
});

describe('Gangs: a wait that ends without the gang', () => {
  it('times out scheduleTimeout after the first pod waited: the pods give their room back and retry only after a later release', () => {
    // g1 waits from 0 s, g2 from 10 s: the wait times out at 0 + 60 = 60 s. Each is unbound and counted
    // unschedulable, then their nodes' room is offered to other pods. They are not requeued by their own
    // release: only a later one (80 s) brings them back, once.
    const { bench, gangs, placeAt, pod } = gangBench();
    const [g1, g2] = [pod('g1'), pod('g2')];
    placeAt(0, g1, 0);
    placeAt(10, g2, 1);
    bench.at(80 * S, () => gangs.retryRejected());
    bench.at(90 * S, () => gangs.retryRejected());
    expect(bench.run()).toEqual([
      [60, 'unbind g1 from n0'],
      [60, 'unschedulable g1'],
      [60, 'unbind g2 from n1'],
      [60, 'unschedulable g2'],
      [60, 'room on n0'],
      [60, 'room on n1'],
      [80, 'enqueue g1'],
      [80, 'enqueue g2'],
    ]);
    expect(bench.cluster.requested[0]![0]).toBe(0);
    expect(bench.pods.attempts[g1]).toBe(1);
  });

  it('a rejected pod deleted before the retry is not requeued', () => {
    const { bench, gangs, placeAt, pod } = gangBench();
    const [g1, g2] = [pod('g1'), pod('g2')];
    placeAt(0, g1, 0);
    placeAt(0, g2, 1);
    bench.at(70 * S, () => bench.pods.remove(g2));
    bench.at(80 * S, () => gangs.retryRejected());
    expect(bench.run().filter(([, e]) => e.startsWith('enqueue'))).toEqual([[80, 'enqueue g1']]);
  });

  it('ignores the timeout of an earlier wait: a wait ended early and begun again times out 60 s after its own start', () => {
    // g1 waits from 0 s (timeout due at 60 s). At 30 s it is chosen as a preemption victim: the wait ends.
    // Retried at 40 s, placed again at 45 s: a new wait, due at 45 + 60 = 105 s. Nothing happens at 60 s.
    // Retried again at 120 s: once, though it was rejected twice.
    const { bench, gangs, placeAt, pod } = gangBench();
    const g1 = pod('g1');
    placeAt(0, g1, 0);
    bench.at(30 * S, () => gangs.rejectWaitOf(g1));
    bench.at(40 * S, () => gangs.retryRejected());
    placeAt(45, g1, 0);
    bench.at(120 * S, () => gangs.retryRejected());
    expect(bench.run()).toEqual([
      [30, 'unbind g1 from n0'],
      [30, 'unschedulable g1'],
      [30, 'room on n0'],
      [40, 'enqueue g1'],
      [105, 'unbind g1 from n0'],
      [105, 'unschedulable g1'],
      [105, 'room on n0'],
      [120, 'enqueue g1'],
    ]);
  });

  it('rejectWaitOf leaves a pod that is not waiting alone', () => {
    const { bench, gangs, placeAt, pod } = gangBench({ minMember: 1, timeout: 60 * S });
    const g1 = pod('g1');
    placeAt(0, g1, 0);
    bench.at(1 * S, () => gangs.rejectWaitOf(g1));
    expect(bench.run()).toEqual([[0, 'commit g1 on n0']]);
  });
});
