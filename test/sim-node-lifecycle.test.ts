/**
 * NodeLifecycle (src/sim/controllers/node-lifecycle.ts) on its own, with a
 * real NodeStatus: a failed node turns NotReady monitorGracePeriod after the
 * failure (out of the schedulable mask; gang pods waiting on it go back),
 * and its pods are evicted evictionDelay later, each as its owner decides.
 * The failure and repair are made by hand, as NodeFailures makes them; the
 * port and the owners are fakes that log.
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { PodSlot } from '../src/core/ids.js';
import { NodeLifecycle } from '../src/sim/controllers/node-lifecycle.js';
import type { OwnerController } from '../src/sim/controllers/owner.js';
import { NodeStatus } from '../src/sim/node-status.js';
import { PodState } from '../src/sim/pod-table.js';
import { Bench, S } from './support/sim-unit.js';

/** monitorGracePeriod 40 s, evictionDelay 300 s. */
const TIMINGS = { monitorGracePeriod: 40 * S, evictionDelay: 300 * S };

function lifecycleBench() {
  const bench = new Bench([{ cpu: 4 }, { cpu: 4 }]);
  const status = new NodeStatus(bench.cluster, bench.policy);
  const replacements: PodSlot[] = [];
  /** Owners by pod name: evictable or not, and whether eviction makes a replacement. */
  const owner = (evictable: boolean, replaces: boolean): OwnerController => ({
    preempted: () => {},
    evictable: () => evictable,
    evicted: (slot) => {
      if (!replaces) return -1;
      bench.note(`owner replaces ${bench.name(slot)}`);
      replacements.push(bench.pod(`${bench.name(slot)}'`, { cpu: 1 }));
      return replacements.at(-1)!;
    },
  });
  const owners: Record<string, OwnerController> = {
    bare: owner(true, false),
    rs: owner(true, true),
    sts: owner(false, false),
    gang: owner(true, true),
    other: owner(true, true),
  };
  const nodes = new NodeLifecycle(bench.world, status, TIMINGS, {
    ownerOf: (slot) => owners[bench.name(slot)]!,
    rejectWaitOf: (slot) => bench.note(`reject the gang wait of ${bench.name(slot)}`),
    unbind: (slot, node) => {
      bench.note(`unbind ${bench.name(slot)} from n${node}`);
      bench.cluster.unreserve(node, bench.pods.requests[slot]!);
    },
    vacate: (slot, node) => {
      bench.note(`vacate ${bench.name(slot)} from n${node}`);
      bench.pods.remove(slot);
    },
  });
  // On n0: bare, rs (a ReplicaSet's), sts (a StatefulSet's) running, gang waiting at Permit; on n1: other.
  const slots: Record<string, PodSlot> = {};
  for (const [name, node] of [['bare', 0], ['rs', 0], ['sts', 0], ['gang', 0], ['other', 1]] as const) {
    slots[name] = bench.pod(name, { cpu: 1 });
    bench.hold(slots[name], node);
  }
  bench.pods.state[slots.gang!] = PodState.Waiting;
  /** n0 fails at `seconds`, as NodeFailures does it: down, a new epoch, its running pods lost. */
  const failAt = (seconds: number) =>
    bench.at(seconds * S, () => {
      bench.note('n0 fails');
      status.down[0] = 1;
      const epoch = ++status.epoch[0]!;
      for (const name of ['bare', 'rs', 'sts']) {
        bench.pods.state[slots[name]!] = PodState.Lost;
        bench.pods.disruptedAt[slots[name]!] = seconds * S;
      }
      nodes.failed(asNode(0), epoch);
    });
  const repairAt = (seconds: number) =>
    bench.at(seconds * S, () => {
      bench.note('n0 repaired');
      status.down[0] = 0;
      status.epoch[0]!++;
      status.unblock(asNode(0));
    });
  const maskAt = (seconds: number) => bench.at(seconds * S, () => bench.note(`n0 schedulable: ${bench.cluster.schedulable[0]}`));
  return { bench, nodes, slots, replacements, failAt, repairAt, maskAt };
}

describe('NodeLifecycle', () => {
  it('NotReady at failure + monitorGracePeriod; eviction evictionDelay later, asking each pod’s owner', () => {
    // Failure at 100 s → NotReady at 100 + 40 = 140 s: n0 leaves the schedulable mask, the gang pod waiting
    // there goes back to its queue. Eviction at 140 + 300 = 440 s, lost pods in slot order: bare is evicted
    // and not replaced; rs is evicted and replaced; sts is not evictable and stays. other, on n1, is untouched.
    const { bench, nodes, slots, replacements, failAt, maskAt } = lifecycleBench();
    failAt(100);
    maskAt(139);
    maskAt(141);
    expect(bench.run()).toEqual([
      [100, 'n0 fails'],
      [139, 'n0 schedulable: 1'],
      [140, 'reject the gang wait of gang'],
      [141, 'n0 schedulable: 0'],
      [440, 'unbind bare from n0'],
      [440, 'evicted bare on n0'],
      [440, 'vacate bare from n0'],
      [440, 'unbind rs from n0'],
      [440, 'evicted rs on n0'],
      [440, 'owner replaces rs'],
      [440, 'vacate rs from n0'],
    ]);
    expect(nodes.evicted).toBe(2);
    expect(bench.pods.state[slots.sts!]).toBe(PodState.Lost);
    // The replacement carries the disruption time of the pod it stands for.
    expect(replacements.map((r) => [bench.name(r), bench.pods.disruptedAt[r]! / S])).toEqual([["rs'", 100]]);
  });

  it('a node repaired before NotReady is never marked NotReady, and nothing is evicted', () => {
    const { bench, nodes, failAt, repairAt, maskAt } = lifecycleBench();
    failAt(100);
    repairAt(120);
    maskAt(141);
    expect(bench.run()).toEqual([
      [100, 'n0 fails'],
      [120, 'n0 repaired'],
      [141, 'n0 schedulable: 1'],
    ]);
    expect(nodes.evicted).toBe(0);
  });

  it('a node repaired after NotReady and before the eviction keeps its pods', () => {
    const { bench, nodes, failAt, repairAt } = lifecycleBench();
    failAt(100);
    repairAt(200);
    expect(bench.run()).toEqual([
      [100, 'n0 fails'],
      [140, 'reject the gang wait of gang'],
      [200, 'n0 repaired'],
    ]);
    expect(nodes.evicted).toBe(0);
    expect(bench.cluster.schedulable[0]).toBe(1);
  });
});
