/**
 * NodeFailures (src/sim/failures.ts) on its own, with a real NodeStatus:
 * listed failures, the choice of nodes to fail, repairs and joins. The port
 * is a fake that logs (and, for `lose` and `up`, does what pod lifecycle
 * and the root's wiring do: the pod is Lost, the node back in the mask).
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import { NodeFailures } from '../src/sim/failures.js';
import type { NodeFailure, NodeJoin } from '../src/sim/failures.js';
import { NodeStatus } from '../src/sim/node-status.js';
import { PodState } from '../src/sim/pod-table.js';
import { Bench, S } from './support/sim-unit.js';
import type { NodeShape } from './support/sim-unit.js';

interface FailureSetup {
  readonly failures?: readonly NodeFailure[];
  readonly joins?: readonly NodeJoin[];
  readonly draws?: readonly number[];
  readonly nodes?: readonly NodeShape[];
}

function failureBench(setup: FailureSetup) {
  const bench = new Bench(setup.nodes ?? [{ cpu: 4 }, { cpu: 4 }, { cpu: 4 }]);
  const status = new NodeStatus(bench.cluster, bench.policy);
  const draws = [...(setup.draws ?? [])];
  const failures = new NodeFailures(bench.world, status, setup.failures ?? [], setup.joins ?? [], () => draws.shift()!, {
    lose: (slot, node) => {
      bench.note(`lose ${bench.name(slot)} on n${node}`);
      bench.pods.state[slot] = PodState.Lost;
    },
    failed: (node, epoch) => bench.note(`failed n${node}, epoch ${epoch}`),
    up: (node) => {
      bench.note(`up n${node}`);
      status.unblock(node);
    },
    launch: (slot, node) => bench.note(`launch ${bench.name(slot)} on n${node}`),
    nodeUp: (node) => bench.note(`node event n${node}`),
  });
  return { bench, status, failures };
}

const failed = (log: [number, string][]) => log.filter(([, e]) => e.startsWith('failed'));

describe('NodeFailures: a listed failure and its repair', () => {
  it('the named node fails at its time, its running pods are lost; repairAfter later they are launched again', () => {
    // n1 fails at 10 s with a and c running on it (b runs on n0, w waits at Permit on n1: neither is lost);
    // repairAfter 20 s: back at 30 s, a and c restarted from the beginning, then the node event.
    const { bench, failures, status } = failureBench({ failures: [{ at: 10 * S, count: 1, select: 'most-loaded', nodes: [asNode(1)], repairAfter: 20 * S }] });
    const [a, b, w, c] = ['a', 'b', 'w', 'c'].map((n) => bench.pod(n, { cpu: 1 }));
    bench.hold(a!, 1);
    bench.hold(b!, 0);
    bench.hold(w!, 1);
    bench.pods.state[w!] = PodState.Waiting;
    bench.hold(c!, 1);
    failures.begin(undefined);
    bench.at(20 * S, () => bench.note(`n1 down ${status.down[1]}, epoch ${status.epoch[1]}`));
    expect(bench.run()).toEqual([
      [10, 'lose a on n1'],
      [10, 'lose c on n1'],
      [10, 'failed n1, epoch 1'],
      [10, 'node n1 failed'],
      [20, 'n1 down 1, epoch 1'],
      [30, 'up n1'],
      [30, 'node n1 repaired'],
      [30, 'restarted a on n1'],
      [30, 'launch a on n1'],
      [30, 'restarted c on n1'],
      [30, 'launch c on n1'],
      [30, 'node event n1'],
    ]);
    expect([status.down[1], status.epoch[1]]).toEqual([0, 2]);
    expect([bench.pods.state[a!], bench.pods.startAt[a!]]).toEqual([PodState.Running, -1]);
    expect(bench.pods.state[w!]).toBe(PodState.Waiting);
  });
});

describe('NodeFailures: choosing the nodes to fail', () => {
  it('most-loaded: the highest share of any resource but the pod count, ties to the lowest index', () => {
    // ⟨4 CPU, 8 GiB, 4 pods⟩ nodes:
    //   n0: three ½-CPU pods   → CPU 1.5/4 = 0.375 (pods 3/4 = 0.75, not counted)
    //   n1: one 6 GiB pod      → memory 6/8 = 0.75
    //   n2: one 3-CPU pod      → CPU 3/4 = 0.75
    // At 10 s one node fails: n1 and n2 tie at 0.75 → n1. At 20 s one more among those up: n2.
    const shape = { cpu: 4, pods: 4 };
    const { bench, failures } = failureBench({
      nodes: [shape, shape, shape],
      failures: [
        { at: 10 * S, count: 1, select: 'most-loaded' },
        { at: 20 * S, count: 1, select: 'most-loaded' },
      ],
    });
    for (const n of ['x1', 'x2', 'x3']) bench.hold(bench.pod(n, { cpu: 0.5 }), 0);
    bench.hold(bench.pod('m', { cpu: 0, memory: 6 }), 1);
    bench.hold(bench.pod('c', { cpu: 3 }), 2);
    failures.begin(undefined);
    expect(failed(bench.run())).toEqual([
      [10, 'failed n1, epoch 1'],
      [20, 'failed n2, epoch 1'],
    ]);
  });

  it('random: a partial Fisher–Yates shuffle of the nodes up, driven by the seeded draws', () => {
    // Up: [n0, n1, n2]. Draw 0.9: swap 0 with 0 + ⌊0.9 × 3⌋ = 2 → [n2, n1, n0]. Draw 0: swap 1 with 1 + ⌊0 × 2⌋ = 1.
    // The first two: n2, n1.
    const { bench, failures } = failureBench({ failures: [{ at: 10 * S, count: 2, select: 'random' }], draws: [0.9, 0] });
    failures.begin(undefined);
    expect(failed(bench.run())).toEqual([
      [10, 'failed n2, epoch 1'],
      [10, 'failed n1, epoch 1'],
    ]);
  });

  it('a failure after `until` is not scheduled', () => {
    const { bench, failures } = failureBench({ failures: [{ at: 10 * S, count: 1, select: 'most-loaded' }] });
    failures.begin(5 * S);
    expect(bench.run()).toEqual([]);
    expect(bench.kernel.processed).toBe(0);
  });
});

describe('NodeFailures: joins', () => {
  it('a node that joins later is down and out of the mask until then, and comes up with a node event', () => {
    const { bench, failures, status } = failureBench({ joins: [{ node: asNode(2), at: 40 * S }] });
    failures.begin(undefined);
    expect([status.down[2], bench.cluster.schedulable[2]]).toEqual([1, 0]);
    expect(bench.run()).toEqual([
      [40, 'up n2'],
      [40, 'node event n2'],
    ]);
    expect([status.down[2], bench.cluster.schedulable[2]]).toEqual([0, 1]);
  });

  it('a node joining at 0 s is there from the start; one joining after `until` stays absent', () => {
    const { bench, failures, status } = failureBench({
      joins: [
        { node: asNode(0), at: 0 },
        { node: asNode(1), at: 40 * S },
      ],
    });
    failures.begin(30 * S);
    expect(bench.run(30 * S)).toEqual([]);
    expect([...status.down]).toEqual([0, 1, 0]);
    expect([...bench.cluster.schedulable]).toEqual([1, 0, 1]);
  });
});
