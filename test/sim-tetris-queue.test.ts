/**
 * TetrisQueue (src/sim/queues/tetris.ts) on its own: each pass goes node by
 * node and asks Tetris's selector which waiting pod to start there, until
 * none fits. A fake bind stage holds each placed pod for its run time.
 *
 * Alignment a(pod, node) = Σ_d (request_d / allocatable_d) · (free_d / allocatable_d)
 * over CPU and memory here (the nodes have no nvme or nic).
 */
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import { tetrisPackingQueue, tetrisQueue } from '../src/schedulers/queues.js';
import type { QueuePolicy } from '../src/schedulers/types.js';
import { TetrisQueue } from '../src/sim/queues/tetris.js';
import { Bench, FakeBinder } from './support/sim-unit.js';
import type { NodeShape, PodShape } from './support/sim-unit.js';

function tetrisBench(nodes: readonly NodeShape[], policy: QueuePolicy) {
  const bench = new Bench(nodes);
  const port = new FakeBinder(bench);
  const queue = new TetrisQueue(bench.world, policy, port, () => 0);
  port.queue = queue;
  const submit = (pods: Record<string, PodShape>) => {
    for (const [name, shape] of Object.entries(pods)) queue.enqueue(bench.pod(name, shape));
  };
  return { bench, queue, submit };
}

describe('TetrisQueue', () => {
  it('fills node by node, each time with the waiting pod of best alignment (tetris-packing)', () => {
    // n0, n1: ⟨4 CPU, 8 GiB⟩. Waiting, in queue order: a ⟨1, 4⟩, b ⟨3, 1⟩, c ⟨2, 2⟩.
    // n0 empty:      a: 1/4 + 4/8 = 0.75   b: 3/4 + 1/8 = 0.875   c: 2/4 + 2/8 = 0.75   → b
    // n0 ⟨1, 7⟩ free: a: (1/4)(1/4) + (4/8)(7/8) = 0.5            c: 2 CPU > 1, no fit   → a
    // n0 ⟨0, 3⟩ free: nothing fits; on to n1 (empty): c is the only one left            → c
    const { bench, submit } = tetrisBench([{ cpu: 4 }, { cpu: 4 }], tetrisPackingQueue);
    submit({ a: { cpu: 1, memory: 4 }, b: { cpu: 3, memory: 1 }, c: { cpu: 2, memory: 2 } });
    expect(bench.run()).toEqual([
      [0, 'place b on n0'],
      [0, 'place a on n0'],
      [0, 'place c on n1'],
    ]);
  });

  it('skips a node out of the schedulable mask', () => {
    const { bench, submit } = tetrisBench([{ cpu: 4 }, { cpu: 4 }], tetrisPackingQueue);
    bench.cluster.setSchedulable(asNode(0), false);
    submit({ a: { cpu: 1 } });
    expect(bench.run()).toEqual([[0, 'place a on n1']]);
  });

  it('the remaining-work term starts the shorter of two equally aligned pods first (tetris)', () => {
    // One 2-CPU node; long (2 CPU, 100 s) queued before short (2 CPU, 10 s). Both align 2/2 · 2/2 = 1.
    // Remaining work p = run time × demand (2000m of 2000m = 1): long 100 s, short 10 s; ε = 1 · ā / p̄ = 1 / 55 s.
    // long: 1 − 100/55 = −0.82    short: 1 − 10/55 = 0.82   → short, then long when short ends at 10 s.
    const { bench, submit } = tetrisBench([{ cpu: 2 }], tetrisQueue);
    submit({ long: { cpu: 2, seconds: 100 }, short: { cpu: 2, seconds: 10 } });
    expect(bench.run()).toEqual([
      [0, 'place short on n0'],
      [0, 'unschedulable long'],
      [10, 'end short'],
      [10, 'place long on n0'],
      [110, 'end long'],
    ]);
  });

  it('without the remaining-work term, equal alignments go to the pod first in the queue (tetris-packing)', () => {
    const { bench, submit } = tetrisBench([{ cpu: 2 }], tetrisPackingQueue);
    submit({ long: { cpu: 2, seconds: 100 }, short: { cpu: 2, seconds: 10 } });
    expect(bench.run().slice(0, 2)).toEqual([
      [0, 'place long on n0'],
      [0, 'unschedulable short'],
    ]);
  });

  it('fairness: only the tenants furthest below their share are considered', () => {
    // One ⟨4 CPU, 8 GiB⟩ node; tenant A's a0 (2 CPU) runs. Waiting: a1 (A, ⟨2, 4⟩), b1 (B, ⟨1, 0⟩).
    // Alignment on ⟨2, 8⟩ free: a1 (2/4)(2/4) + (4/8)(8/8) = 0.75, b1 (1/4)(2/4) = 0.125.
    // Fairness 0.5 over T = 2 tenants keeps ⌈(1 − 0.5) · 2⌉ = 1: B (share 0 < A's 2/4) → b1, then a1 (2 > 1 free) waits.
    // Fairness 0 keeps both: a1 (0.75) wins, and b1 (1 > 0 free) waits.
    const run = (fairness: number) => {
      const { bench, submit } = tetrisBench([{ cpu: 4 }], { name: 'tetris-fair', key: () => 0, mode: 'tetris', tetris: { fairness, remainingWorkWeight: 0 } });
      submit({ a0: { cpu: 2, tenant: 'A' } });
      bench.run(0);
      submit({ a1: { cpu: 2, memory: 4, tenant: 'A' }, b1: { cpu: 1, tenant: 'B' } });
      return bench.run().slice(1);
    };
    expect(run(0.5)).toEqual([
      [0, 'place b1 on n0'],
      [0, 'unschedulable a1'],
    ]);
    expect(run(0)).toEqual([
      [0, 'place a1 on n0'],
      [0, 'unschedulable b1'],
    ]);
  });
});
