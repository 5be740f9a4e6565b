/**
 * Priority preemption as an option of any placement policy (NAME+preempt),
 * worked out by hand: one 4-CPU node, four low-priority 1-CPU pods bound at
 * 0 s for 100 s, and a priority-100 pod of 2 CPUs arriving at 10 s.
 *
 * The low pods are equal in priority and start, so the reprieve keeps the
 * first two bound (4 → 3 → 2 CPUs free after removing all, still room for
 * 2) and evicts low#2 and low#3 at 10 s. They keep their node for the
 * default 30 s grace period, so the high pod binds at 40 s and ends at 50 s.
 * Stream pods are bare pods: nothing replaces the victims.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { findPlacement } from '../src/schedulers/registry.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { InvariantObserver } from './support/invariant-observer.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';
import { runs } from './support/property-runs.js';

const S = 1_000_000;

const SCENARIO = {
  name: 'preempt-by-hand',
  cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 4, memory: '16Gi' } }] },
  workload: {
    streams: [
      { name: 'low', arrival: { process: 'burst', at: ['0s'], size: 4 }, duration: '100s', requests: { cpu: 1, memory: '1Gi' } },
      { name: 'high', priority: 100, arrival: { process: 'burst', at: ['10s'], size: 1 }, duration: '10s', requests: { cpu: 2, memory: '1Gi' } },
    ],
  },
};

class Log implements SimObserver {
  pods!: PodTable;
  readonly events: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  private name(slot: PodSlot): string {
    return `${this.pods.template[slot]!.owner}#${this.pods.id[slot]}`;
  }
  podBound(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} bind ${this.name(slot)}`);
  }
  podPreempted(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} gone ${this.name(slot)}`);
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} finish ${this.name(slot)}`);
  }
}

function run(scheduler: string, queue = 'fifo') {
  const log = new Log();
  const prepared = prepareRun({ scenario: scenarioFromData(SCENARIO, 'by-hand'), source: 'by-hand', scheduler, queue, seed: 1 }, undefined, [log]);
  const census = prepared.sim.run();
  return { events: log.events, census };
}

const BY_HAND = ['0 bind low#0', '0 bind low#1', '0 bind low#2', '0 bind low#3', '40 gone low#2', '40 gone low#3', '40 bind high#4', '50 finish high#4', '100 finish low#0', '100 finish low#1'];

describe('NAME+preempt, worked out by hand', () => {
  it('evicts the two least important low pods; the high pod binds when they are gone', () => {
    for (const scheduler of ['first-fit+preempt', 'best-fit+preempt', 'worst-fit-l2+preempt', 'tetris+preempt']) {
      const { events, census } = run(scheduler);
      expect(events, scheduler).toEqual(BY_HAND);
      expect(census.preempted).toBe(2);
    }
  });

  it('works under the backfilling queues too', () => {
    expect(run('best-fit+preempt', 'easy-backfill').events).toEqual(BY_HAND);
  });

  it('without the option the high pod waits for the low pods to end', () => {
    const { events, census } = run('best-fit');
    expect(events).toContain('100 bind high#4');
    expect(census.preempted).toBe(0);
  });

  it('a policy with its own PostFilter keeps it; an unknown base is unknown', () => {
    expect(findPlacement('nope+preempt')).toBeUndefined();
    expect(findPlacement('kube-default+preempt')).toBeDefined();
  });
});

describe('property: with preemption no node is over-committed and every pod is accounted for', () => {
  it('random clusters and workloads', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('first-fit+preempt', 'best-fit+preempt', 'l2-norm+preempt'), fc.constantFrom('priority', 'easy-backfill'), (s, seed, scheduler, queue) => {
        const inv = new InvariantObserver({ workConserving: false, passQueue: false });
        const { census: c } = runHarness({ scenario: s.data, scheduler, queue, seed, observers: [inv] });
        expect(inv.ended).toBe(true);
        expect(c.created).toBe(inv.arrived);
        expect(c.created).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating);
        expect(c.completed).toBe(inv.finished);
      }),
      { numRuns: runs(40) },
    );
  }, 30_000);
});

describe('NAME+preempt picks the node whose most important victim started latest (pickOneNodeForPreemption)', () => {
  it('evicts the pod that started at 50 s, not the one that started at 0 s', () => {
    const data = {
      name: 'preempt-start',
      cluster: { pools: [{ name: 'node', count: 2, capacity: { cpu: 2, memory: '16Gi' } }] },
      workload: {
        streams: [
          { name: 'early', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '1000s', requests: { cpu: 2, memory: '1Gi' } },
          { name: 'late', arrival: { process: 'burst', at: ['50s'], size: 1 }, duration: '1000s', requests: { cpu: 2, memory: '1Gi' } },
          { name: 'high', priority: 100, arrival: { process: 'burst', at: ['60s'], size: 1 }, duration: '10s', requests: { cpu: 2, memory: '1Gi' } },
        ],
      },
    };
    for (const scheduler of ['first-fit+preempt', 'best-fit+preempt']) {
      const log = new Log();
      prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler, queue: 'fifo', seed: 1 }, undefined, [log]).sim.run();
      expect(log.events.slice(0, 5), scheduler).toEqual(['0 bind early#0', '50 bind late#1', '90 gone late#1', '90 bind high#2', '100 finish high#2']);
    }
  });
});
