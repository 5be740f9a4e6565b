/**
 * The Tetris reproduction's pieces, worked by hand: the slot-fair queue
 * against DRF, and tetris-usage refusing to over-allocate disk bandwidth
 * where first-fit, blind to it, slows every task down.
 */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

class Bound implements SimObserver {
  pods!: PodTable;
  readonly at0 = new Map<string, number>();
  readonly nodes: string[] = [];
  readonly ends: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(slot: PodSlot, node: NodeIndex, now: number): void {
    const t = this.pods.template[slot]!;
    if (now === 0) this.at0.set(t.tenant, (this.at0.get(t.tenant) ?? 0) + 1);
    this.nodes.push(`${t.owner}→${node}`);
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.ends.push(`${this.pods.template[slot]!.owner} ${now / 1e6}s`);
  }
}

function run(data: Record<string, unknown>, scheduler: string, queue: string): Bound {
  const b = new Bound();
  prepareRun({ scenario: scenarioFromData(data, 't'), source: 't', scheduler, queue, seed: 1 }, undefined, [b]).sim.run();
  return b;
}

describe('slot-fair against drf', () => {
  // One 12-CPU node; at 0, tenant a's pods want 2 CPUs each and tenant b's 1 CPU.
  const data = {
    name: 'fair',
    platform: 'none',
    cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 12, memory: '64Gi' } }] },
    workload: {
      streams: [
        { name: 'a', tenant: 'a', arrival: { process: 'burst', at: ['0s'], size: 8 }, duration: '10s', requests: { cpu: 2, memory: '1Gi' } },
        { name: 'b', tenant: 'b', arrival: { process: 'burst', at: ['0s'], size: 12 }, duration: '10s', requests: { cpu: 1, memory: '1Gi' } },
      ],
    },
  };

  it('drf evens dominant shares: a gets 3 pods (6 CPUs), b 6 (6 CPUs)', () => {
    expect(Object.fromEntries(run(data, 'first-fit', 'drf').at0)).toEqual({ a: 3, b: 6 });
  });

  it('slot-fair evens slots whatever they request: 4 pods each (a 8 CPUs, b 4)', () => {
    expect(Object.fromEntries(run(data, 'first-fit', 'slot-fair').at0)).toEqual({ a: 4, b: 4 });
  });
});

describe('tetris-usage does not over-allocate disk bandwidth', () => {
  // Two nodes with 1 GB/s of storage bandwidth; three tasks reading 600 MB/s for 10 s of work each, at 0.
  const data = {
    name: 'disk',
    platform: 'none',
    cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 16, memory: '64Gi' }, hardware: { storageBandwidth: '1G' } }] },
    workload: {
      streams: [
        { name: 'io', arrival: { process: 'burst', at: ['0s'], size: 3 }, duration: '10s', requests: { cpu: 1, memory: '1Gi' }, usage: { nvmeRead: '600M' } },
      ],
    },
  };

  it('first-fit puts all three on node 0: 1.8 GB/s on 1 GB/s, each at 1/1.8 speed, all end at 18 s', () => {
    const b = run(data, 'first-fit', 'fifo');
    expect(b.nodes).toEqual(['io→0', 'io→0', 'io→0']);
    expect(b.ends).toEqual(['io 18s', 'io 18s', 'io 18s']);
  });

  it('tetris-usage puts one on each node and holds the third until one ends: 10, 10 and 20 s', () => {
    const b = run(data, 'tetris-usage', 'fifo');
    expect(b.nodes).toEqual(['io→0', 'io→1', 'io→0']);
    expect(b.ends).toEqual(['io 10s', 'io 10s', 'io 20s']);
  });
});
