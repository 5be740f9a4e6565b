/** The drf queue policy online, on the example of Ghodsi et al., NSDI 2011, section 4. */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

class Order implements SimObserver {
  pods!: PodTable;
  readonly bound: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(slot: PodSlot, _node: NodeIndex): void {
    this.bound.push(this.pods.template[slot]!.tenant);
  }
}

describe('queue drf', () => {
  it('reproduces the NSDI 2011 example: ⟨9 CPU, 18 GB⟩, A ⟨1 CPU, 4 GB⟩, B ⟨3 CPU, 1 GB⟩ → A 3 tasks, B 2', () => {
    const burst = (name: string, tenant: string, requests: Record<string, unknown>) => ({
      name,
      tenant,
      arrival: { process: 'burst', at: ['0s'], size: 10 },
      duration: '100s',
      requests,
    });
    const scenario = {
      name: 'drf-nsdi',
      cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 9, memory: '18G' } }] },
      // B's pods arrive first in the stream order, so arrival order alone would favour B.
      workload: { streams: [burst('b', 'b', { cpu: 3, memory: '1G' }), burst('a', 'a', { cpu: 1, memory: '4G' })] },
      simulation: { until: '50s' },
    };
    const order = new Order();
    const run = prepareRun({ scenario: scenarioFromData(scenario, 'drf'), source: 'drf', scheduler: 'first-fit', queue: 'drf', seed: 1 }, undefined, [order]);
    run.sim.run();
    // Final: A holds 3 × ⟨1, 4⟩ = ⟨3 CPU, 12 GB⟩ (share 12/18 = 2/3), B 2 × ⟨3, 1⟩ = ⟨6 CPU, 2 GB⟩ (6/9 = 2/3); CPU is full.
    expect(order.bound.filter((t) => t === 'a')).toHaveLength(3);
    expect(order.bound.filter((t) => t === 'b')).toHaveLength(2);
    // With fifo, B's pods (first in arrival order) take all 9 CPUs and A gets nothing.
    const fifo = new Order();
    const f = prepareRun({ scenario: scenarioFromData(scenario, 'drf'), source: 'drf', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [fifo]);
    f.sim.run();
    expect(fifo.bound).toEqual(['b', 'b', 'b']);
  });
});
