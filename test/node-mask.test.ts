/**
 * NotReady and absent nodes are left out through the cluster's schedulable
 * mask: nothing is reserved on them, and under the kube queue a pod that
 * only the node's unreachable taint rejected waits for the node to come
 * back (a node update event), not for pods to be deleted elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

class Watch implements SimObserver {
  pods!: PodTable;
  readonly log: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podUnschedulable(slot: PodSlot, now: number): void {
    if (this.pods.template[slot]!.owner === 'p') this.log.push(`${now / 1e6}s p unschedulable`);
  }
  podBound(slot: PodSlot, node: NodeIndex, now: number): void {
    if (this.pods.template[slot]!.owner === 'p') this.log.push(`${Math.floor(now / 1e6)}s p on ${node}`);
  }
}

const pool = (name: string) => ({ name, count: 1, capacity: { cpu: 4, memory: '8Gi' }, labels: { pool: name } });

describe('the schedulable mask', () => {
  it('kube: a pod rejected only by the unreachable taint is retried when its node is back, not at every deletion elsewhere', () => {
    // a-1 fails at 10 s; NotReady at 10 + 50 = 60 s; repaired at 10 + 100 = 110 s (before its 360 s eviction).
    // p (nodeSelector pool=a) arrives at 70 s: a-1 is tainted unreachable, b-1 does not match its selector.
    // Short pods on b-1 end every 5 s meanwhile; those deletions must not requeue p (TaintToleration and
    // NodeAffinity register node events only). At 110 s the node update requeues p, which binds on a-1 (node 0).
    // A cycle costs 200 + 2 × 2 nodes = 204 µs; at 70 s a short pod's cycle comes first, so p fails at 70.000408 s.
    const scenario = {
      name: 'mask',
      cluster: { pools: [pool('a'), pool('b')] },
      workload: {
        streams: [
          { name: 'short', arrival: { process: 'fixed', rate: '12/m' }, count: 30, duration: '2s', requests: { cpu: 1 }, nodeSelector: { pool: 'b' } },
          { name: 'p', arrival: { process: 'burst', at: ['70s'], size: 1 }, duration: '10s', requests: { cpu: 1 }, nodeSelector: { pool: 'a' } },
        ],
      },
      failures: [{ at: '10s', names: ['a-1'], repairAfter: '100s' }],
    };
    const watch = new Watch();
    const run = prepareRun({ scenario: scenarioFromData(scenario, 'mask'), source: 'mask', scheduler: 'kube-default', queue: 'kube', seed: 1 }, undefined, [watch]);
    run.sim.run();
    expect(watch.log).toEqual(['70.000408s p unschedulable', '110s p on 0']);
  });

  it('reserves nothing on a NotReady node: its pods allocation stays that of its pods', () => {
    // One idle node fails at 10 s (NotReady at 60 s) and is never repaired; the run lasts 200 s.
    const scenario = {
      name: 'idle',
      cluster: { pools: [pool('a')] },
      workload: { streams: [{ name: 'x', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '5s', requests: { cpu: 1 } }] },
      failures: [{ at: '10s', names: ['a-1'] }],
      simulation: { until: '200s' },
    };
    for (const [scheduler, queue] of [
      ['first-fit', 'fifo'],
      ['kube-default', 'kube'],
    ] as const) {
      const run = prepareRun({ scenario: scenarioFromData(scenario, 'idle'), source: 'idle', scheduler, queue, seed: 1 }, undefined, []);
      run.sim.run();
      const m = run.metrics.result();
      // One pod of 110 slots for 5 s of 200 s: 5 / 200 / 110.
      expect(m['alloc_pods_mean'], scheduler).toBeCloseTo(5 / 200 / 110, 12);
      expect(run.cluster.requested[0]![0], scheduler).toBe(0);
      expect(run.cluster.schedulable[0], scheduler).toBe(0);
    }
  });
});
