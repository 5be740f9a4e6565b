/** The pass disciplines' wake-ups, traced by hand. */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import { firstFit } from '../src/schedulers/first-fit.js';
import type { PolicyFactory } from '../src/schedulers/types.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

/** Logs attempts and binds; throws past `limit` failed attempts, so a loop at one instant fails the test instead of hanging it. */
class Attempts implements SimObserver {
  pods!: PodTable;
  readonly log: string[] = [];
  constructor(private readonly limit = 1000) {}
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podUnschedulable(slot: PodSlot, now: number): void {
    this.log.push(`${now / 1e6}s ${this.pods.template[slot]!.owner} unschedulable`);
    if (this.log.length > this.limit) throw new Error('a pod is tried again and again at one instant');
  }
  podBound(slot: PodSlot, node: NodeIndex, now: number): void {
    this.log.push(`${now / 1e6}s ${this.pods.template[slot]!.owner} on ${node}`);
  }
}

const one = (name: string, priority: number, at: string, cpu: number) => ({ name, priority, arrival: { process: 'burst', at: [at], size: 1 }, duration: '10s', requests: { cpu } });

describe('pass queues: waking parked pods', () => {
  it('a pod woken by a release that the policy still rejects is tried once, not again and again', () => {
    // One 4-CPU node. `a` (priority 1, 2 CPU) runs 0–10 s. `b` (priority 0, 1 CPU) arrives at 1 s; the
    // policy admits only priority > 0, so b fails and is parked. At 10 s a's release wakes b (1 CPU fits
    // in 4 free) and b fails again — it must then stay parked, since nothing changed that could let it in.
    const picky: PolicyFactory = (ctx) => ({ ...firstFit(ctx), place: undefined, filter: (pod) => pod.priority > 0 });
    const scenario = {
      name: 'picky',
      cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 4, memory: '8Gi' } }] },
      workload: { streams: [one('a', 1, '0s', 2), one('b', 0, '1s', 1)] },
    };
    for (const queue of ['fifo', 'priority', 'drf', 'sjf']) {
      const attempts = new Attempts();
      const run = prepareRun({ scenario: scenarioFromData(scenario, 'picky'), source: 'picky', scheduler: 'picky', queue, seed: 1 }, () => picky, [attempts]);
      const census = run.sim.run();
      expect(attempts.log, queue).toEqual(['0s a on 0', '1s b unschedulable', '10s b unschedulable']);
      expect(census.parked, queue).toBe(1);
    }
  });
});
