/**
 * The packing lower bound never exceeds the nodes in use: both count the
 * workload's pods and leave out the platform's pods pinned to their node
 * (those take room on their node instead). Checked after every event of
 * random runs, with and without a platform stack, under every built-in
 * placement policy; and at the peak, where packing_efficiency_peak is in
 * (0, 1] whenever the bound is above 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { PreparedRun } from '../src/runner/run-one.js';
import { placementNames } from '../src/schedulers/registry.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runs } from './support/property-runs.js';

/** Recounts the nodes running a workload pod and checks the metrics' bound against them after every change. */
class BoundWatch implements SimObserver {
  private pods!: PodTable;
  private on!: Int32Array;
  private active = 0;
  checks = 0;

  /** The run's metrics, which exist only once the run is prepared with this observer. */
  constructor(private readonly metrics: () => PreparedRun['metrics']) {}

  start(ctx: SimContext): void {
    this.pods = ctx.pods;
    this.on = new Int32Array(ctx.cluster.nodeCount);
  }

  private move(slot: PodSlot, node: NodeIndex, sign: 1 | -1): void {
    if (this.pods.pinned[slot] === 1) {
      this.check();
      return;
    }
    const before = this.on[node]!;
    this.on[node] = before + sign;
    if (before === 0 && sign > 0) this.active++;
    if (before === 1 && sign < 0) this.active--;
    this.check();
  }

  private check(): void {
    const bound = this.metrics().lowerBound();
    this.checks++;
    if (bound > this.active) throw new Error(`lower bound ${bound} above ${this.active} active nodes`);
  }

  podBound(slot: PodSlot, node: NodeIndex): void {
    this.move(slot, node, 1);
  }
  podFinished(slot: PodSlot, node: NodeIndex): void {
    this.move(slot, node, -1);
  }
  podFailed(slot: PodSlot, node: NodeIndex): void {
    this.move(slot, node, -1);
  }
  podPreempted(slot: PodSlot, node: NodeIndex): void {
    this.move(slot, node, -1);
  }
  podEvicted(slot: PodSlot, node: NodeIndex): void {
    this.move(slot, node, -1);
  }
  end(_now: Micros): void {
    this.check();
  }
}

/** A platform for the generated scenario: none, or k3s / kubeadm with a node agent that requests something on every node. */
const platformArbitrary = fc.constantFrom<Record<string, unknown>>(
  {},
  { platform: 'k3s', stack: { agents: [{ name: 'probe-agent', requests: { cpu: '100m', memory: '64Mi' } }] } },
  { platform: 'kubernetes', stack: { cni: 'cilium', kubeProxy: 'none', agents: [{ name: 'probe-agent', requests: { cpu: '50m', memory: '32Mi' } }] } },
);

const POLICIES = placementNames();

describe('the packing lower bound', () => {
  it('is at most the active nodes at every instant and at the peak, for every policy', () => {
    let checked = 0;
    fc.assert(
      fc.property(scenarioArbitrary, platformArbitrary, fc.integer({ min: 1, max: 1000 }), (g, platform, seed) => {
        let scenario;
        try {
          scenario = scenarioFromData({ ...g.data, ...platform }, 'generated');
        } catch {
          // A pool too small to hold the platform's own pods: not a cluster.
          fc.pre(false);
          return;
        }
        for (const scheduler of POLICIES) {
          const queue = platform.platform === undefined ? 'priority' : 'kube';
          const prepared: { run?: PreparedRun } = {};
          const watch = new BoundWatch(() => prepared.run!.metrics);
          const run = (prepared.run = prepareRun({ scenario, source: 'generated', scheduler, queue, seed }, undefined, [watch]));
          run.sim.run();
          const m = run.metrics.result();
          expect(watch.checks, scheduler).toBeGreaterThan(0);
          expect(m.nodes_lower_bound_peak!, `${scheduler}: bound peak vs active peak`).toBeLessThanOrEqual(m.active_nodes_peak!);
          if (m.nodes_lower_bound_peak! > 0) {
            expect(m.packing_efficiency_peak!, scheduler).toBeGreaterThan(0);
            expect(m.packing_efficiency_peak!, scheduler).toBeLessThanOrEqual(1);
          } else {
            expect(m.packing_efficiency_peak, scheduler).toBe(0);
          }
        }
        checked++;
      }),
      { numRuns: runs(25) },
    );
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
