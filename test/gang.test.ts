/**
 * Gang scheduling (coscheduling's PodGroup) worked out by hand: two 4-CPU
 * nodes, first-fit, FIFO.
 *
 *   0 s    filler (4 CPU, 100 s) takes node 0.
 *   10 s   train's two 3-CPU pods arrive as a gang of 2 (timeout 60 s):
 *          train#1 is placed on node 1 and waits, holding 3 CPUs; train#2
 *          finds no room and is parked.
 *   20 s   small (1 CPU, 10 s) fits beside the waiting pod on node 1.
 *   30 s   small ends; node 1 has 1 CPU free: train#2 still does not fit.
 *   70 s   the wait times out: train#1 gives node 1 back and waits for a
 *          release elsewhere. The room goes to the parked pods: train#2
 *          now fits on node 1 and waits there in its turn.
 *   100 s  filler ends: train#1 is tried again and placed on node 0; the
 *          gang is complete and both pods are bound (train#2 on node 1
 *          first, as it was placed first).
 *
 * Without the gang, train#1 would start alone at 10 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runs } from './support/property-runs.js';

const S = 1_000_000;

function scenario(gang?: Record<string, unknown>) {
  return {
    name: 'gang-by-hand',
    cluster: { pools: [{ name: 'node', count: 2, capacity: { cpu: 4, memory: '16Gi' } }] },
    workload: {
      jobs: [{ name: 'train', at: '10s', completions: 2, parallelism: 2, duration: '50s', requests: { cpu: 3, memory: '1Gi' }, ...(gang === undefined ? {} : { gang }) }],
      streams: [
        { name: 'filler', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '100s', requests: { cpu: 4, memory: '1Gi' } },
        { name: 'small', arrival: { process: 'burst', at: ['20s'], size: 1 }, duration: '10s', requests: { cpu: 1, memory: '1Gi' } },
      ],
    },
  };
}

class Binds implements SimObserver {
  pods!: PodTable;
  readonly events: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} ${this.pods.template[slot]!.owner}#${this.pods.id[slot]} → ${node}`);
  }
}

function run(data: unknown, queue = 'fifo', scheduler = 'first-fit') {
  const log = new Binds();
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler, queue, seed: 1 }, undefined, [log]);
  const census = prepared.sim.run();
  return { events: log.events, census, metrics: prepared.metrics.result() };
}

describe('a gang worked out by hand', () => {
  it('waits holding its node, times out at 70 s, and binds both pods together at 100 s', () => {
    const { events, census } = run(scenario({ timeout: '60s' }));
    expect(events).toEqual(['0 filler#0 → 0', '20 small#3 → 1', '100 train#2 → 1', '100 train#1 → 0']);
    expect(census.completed).toBe(census.created);
  });

  it('without the gang the first pod starts alone', () => {
    expect(run(scenario()).events).toEqual(['0 filler#0 → 0', '10 train#1 → 1', '20 small#3 → 1', '60 train#2 → 1']);
  });

  it('binds at once when the whole gang fits', () => {
    const data = scenario({});
    data.workload.streams = [];
    expect(run(data).events).toEqual(['10 train#0 → 0', '10 train#1 → 1']);
  });

  it('a gang of more parallelism than completions waits for its completions only', () => {
    const data = scenario({});
    data.workload.streams = [];
    data.workload.jobs[0] = { ...data.workload.jobs[0]!, completions: 2, parallelism: 4 };
    expect(run(data).events).toEqual(['10 train#0 → 0', '10 train#1 → 1']);
  });

  it('under the kube-scheduler queue too', () => {
    const { events } = run(scenario({ timeout: '60s' }), 'kube');
    expect(events.filter((e) => e.includes('train')).map((e) => Math.floor(Number(e.split(' ')[0])))).toEqual([100, 100]);
  });

  it('rejects a minMember above what can run at once, naming the field', async () => {
    const file = join(tempDir(), 'bad.yaml');
    const data = scenario({ minMember: 3 });
    writeFileSync(file, JSON.stringify(data));
    const r = await runMain('validate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workload.jobs[0].gang.minMember');
  });
});

describe('gangs that cannot start, and gangs meeting preemption', () => {
  it('a gang that can never fit does not keep the run alive: it ends pending', () => {
    const data = {
      name: 'gang-never',
      cluster: { pools: [{ name: 'node', count: 2, capacity: { cpu: 4, memory: '16Gi' } }] },
      workload: {
        services: [{ name: 'svc', replicas: 1, requests: { cpu: 4, memory: '1Gi' } }],
        jobs: [{ name: 'train', at: '10s', completions: 2, parallelism: 2, duration: '50s', requests: { cpu: 3, memory: '1Gi' }, gang: { timeout: '60s' } }],
      },
    };
    for (const queue of ['fifo', 'easy-backfill', 'kube']) {
      const { census, metrics } = run(data, queue);
      expect(census.completed, queue).toBe(0);
      expect(metrics.pods_pending_end, queue).toBe(2);
      expect(metrics.sim_seconds, queue).toBeLessThan(3600);
    }
  });

  it('a waiting gang pod chosen as a victim ends its gang wait: the preemptor takes the room at once', () => {
    const data = {
      name: 'gang-victim',
      cluster: { pools: [{ name: 'node', count: 2, capacity: { cpu: 4, memory: '16Gi' } }] },
      workload: {
        jobs: [{ name: 'train', at: '10s', completions: 2, parallelism: 2, duration: '50s', requests: { cpu: 3, memory: '1Gi' }, gang: { timeout: '600s' } }],
        streams: [
          { name: 'filler', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '1000s', requests: { cpu: 4, memory: '1Gi' } },
          { name: 'high', priority: 100, arrival: { process: 'burst', at: ['20s'], size: 1 }, duration: '10s', requests: { cpu: 4, memory: '1Gi' } },
        ],
      },
    };
    // Both nodes offer one priority-0 victim; the waiting train pod started latest (10 s against 0 s), so node 1 is chosen.
    const { events, census } = run(data, 'fifo', 'first-fit+preempt');
    expect(events.slice(0, 2)).toEqual(['0 filler#0 → 0', '20 high#3 → 1']);
    expect(census.preempted).toBe(0);
  });
});

describe('property: gangs and failing job pods keep the books balanced and the nodes within capacity', () => {
  it('random clusters and workloads, jobs made gangs with failing pods, under pass, backfilling and kube queues', () => {
    const gangs = scenarioArbitrary.chain((s) =>
      fc.array(fc.tuple(fc.boolean(), fc.constantFrom(0, 0.2, 1), fc.integer({ min: 0, max: 3 }), fc.constantFrom('5s', '60s')), { minLength: 2, maxLength: 2 }).map((extra) => ({
        ...s.data,
        workload: {
          ...s.data.workload,
          jobs: s.data.workload.jobs.map((j, i) => {
            const [gang, rate, backoffLimit, timeout] = extra[i]!;
            return { ...j, podFailureRate: rate, backoffLimit, ...(gang ? { gang: { timeout } } : {}) };
          }),
        },
      })),
    );
    fc.assert(
      fc.property(gangs, fc.integer({ min: 0, max: 1000 }), fc.constantFrom('fifo', 'easy-backfill', 'kube', 'drf'), fc.constantFrom('first-fit', 'best-fit+preempt'), (data, seed, queue, scheduler) => {
        const prepared = prepareRun({ scenario: scenarioFromData(data, 'generated'), source: 'generated', scheduler, queue, seed }, undefined, []);
        const c = prepared.sim.run();
        const m = prepared.metrics.result();
        expect(c.created).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating + c.evicted + c.lost + c.failed);
        expect(m.pods_submitted).toBe(m.pods_completed! + m.pods_running_end! + m.pods_pending_end! + m.pods_never_fit! + m.pods_preempted! + m.pods_evicted! + m.pods_failed!);
        const { allocatable, requested } = prepared.cluster;
        for (let d = 0; d < allocatable.length; d++) {
          for (let n = 0; n < allocatable[d]!.length; n++) expect(requested[d]![n]!).toBeLessThanOrEqual(allocatable[d]![n]! + 1e-9);
        }
      }),
      { numRuns: runs(100) },
    );
  }, 40_000);
});
