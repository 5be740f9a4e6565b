/**
 * Node failures: a run worked out by hand with the default node lifecycle
 * timings, repair, node selection, bad input, and properties over random
 * clusters (no pod runs on a failed node, no controller ends above its
 * replicas, every pod accounted for).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun, runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import { PodState } from '../src/sim/pod-table.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runs } from './support/property-runs.js';

const S = 1_000_000;

/** Records what happens to nodes and pods, by simulated second. */
class Log implements SimObserver {
  pods!: PodTable;
  readonly events: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  private name(slot: PodSlot): string {
    return `${this.pods.template[slot]!.owner}#${this.pods.id[slot]}`;
  }
  nodeFailed(node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} fail node ${node}`);
  }
  nodeRepaired(node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} repair node ${node}`);
  }
  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} bind ${this.name(slot)} → ${node}`);
  }
  podLost(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} lost ${this.name(slot)} on ${node}`);
  }
  podEvicted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} evict ${this.name(slot)} from ${node}`);
  }
  podRestarted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} restart ${this.name(slot)} on ${node}`);
  }
  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.events.push(`${now / S} finish ${this.name(slot)} on ${node}`);
  }
}

/**
 * Three 4-CPU nodes, first-fit, FIFO: web's 3 replicas (1 CPU) and batch's
 * one pod (1 CPU, 200 s) all land on node-1 at t = 0. node-1 fails at 100 s.
 */
function scenario(failure: Record<string, unknown>) {
  return {
    name: 'fail-by-hand',
    cluster: { pools: [{ name: 'node', count: 3, capacity: { cpu: 4, memory: '8Gi' } }] },
    workload: {
      services: [{ name: 'web', replicas: 3, requests: { cpu: 1, memory: '1Gi' } }],
      streams: [{ name: 'batch', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '200s', requests: { cpu: 1, memory: '1Gi' } }],
    },
    simulation: { until: '1000s' },
    failures: [{ at: '100s', ...failure }],
  };
}

function run(data: unknown, scheduler = 'first-fit', queue = 'fifo') {
  const log = new Log();
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler, queue, seed: 1 }, undefined, [log]);
  const census = prepared.sim.run();
  return { log: log.events, census, metrics: prepared.metrics.result(), cluster: prepared.cluster };
}

describe('a node failure worked out by hand (default timings: NotReady after 50 s, eviction 300 s later)', () => {
  it('evicts at 450 s; Deployment replicas come back at once elsewhere, the bare pod is gone', () => {
    const { log, census, metrics } = run(scenario({ names: ['node-1'] }));
    expect(log.filter((e) => !e.includes('bind') || e.startsWith('450'))).toEqual([
      '100 lost web#0 on 0',
      '100 lost web#1 on 0',
      '100 lost web#2 on 0',
      '100 lost batch#3 on 0',
      '100 fail node 0',
      // 150 s: NotReady, tainted unreachable: nothing new lands on node-1. 450 s: its pods are evicted.
      '450 evict web#0 from 0',
      '450 evict web#1 from 0',
      '450 evict web#2 from 0',
      '450 evict batch#3 from 0',
      // The ReplicaSet replaces its three pods; first-fit puts them on node-2. Nothing replaces the bare pod.
      '450 bind web#4 → 1',
      '450 bind web#5 → 1',
      '450 bind web#6 → 1',
    ]);
    expect(census).toMatchObject({ created: 7, running: 3, evicted: 4, lost: 0, completed: 0 });
    expect(metrics).toMatchObject({
      node_failures: 1,
      pods_disrupted: 4,
      pods_evicted: 4,
      recovery_max_s: 350,
      pods_unrecovered: 0,
      pods_submitted: 7,
      pods_running_end: 3,
    });
    expect(metrics.node_hours_lost).toBeCloseTo(900 / 3600, 12);
  });

  it('a node repaired before the eviction runs its pods again, from the start', () => {
    const { log, census, metrics } = run(scenario({ names: ['node-1'], repairAfter: '200s' }));
    expect(log.filter((e) => !e.startsWith('0 '))).toEqual([
      '100 lost web#0 on 0',
      '100 lost web#1 on 0',
      '100 lost web#2 on 0',
      '100 lost batch#3 on 0',
      '100 fail node 0',
      '300 repair node 0',
      '300 restart web#0 on 0',
      '300 restart web#1 on 0',
      '300 restart web#2 on 0',
      '300 restart batch#3 on 0',
      '500 finish batch#3 on 0',
    ]);
    expect(census).toMatchObject({ created: 4, running: 3, completed: 1, evicted: 0 });
    expect(metrics).toMatchObject({ pods_disrupted: 4, pods_evicted: 0, recovery_max_s: 200, pods_unrecovered: 0 });
    expect(metrics.node_hours_lost).toBeCloseTo(200 / 3600, 12);
  });

  it('chooses the most loaded node by default, ties to the lowest index', () => {
    const { log } = run(scenario({}));
    expect(log).toContain('100 fail node 0');
  });

  it('kube-scheduler places the replacements on the nodes still up', () => {
    const { log, metrics } = run(scenario({ names: ['node-1'] }), 'kube-default', 'kube');
    // kube-default spreads the replicas, so only those on node-1 are evicted and replaced.
    const evicted = log.filter((e) => /^450 evict web/.test(e));
    const rebinds = log.filter((e) => /^4[5-9]\d(\.\d+)? bind web/.test(e));
    expect(evicted.length).toBeGreaterThan(0);
    expect(rebinds).toHaveLength(evicted.length);
    for (const e of rebinds) expect(e).not.toMatch(/→ 0$/);
    expect(metrics.pods_unrecovered).toBe(0);
    expect(metrics.recovery_max_s).toBeGreaterThanOrEqual(350);
  });

  it('names an unknown node in the error', () => {
    expect(() => runOne({ scenario: scenarioFromData(scenario({ names: ['node-9'] }), 'f.yaml'), source: 'f.yaml', scheduler: 'first-fit', queue: 'fifo', seed: 1 })).toThrow(
      /f\.yaml: failures\[0\]\.names: no node "node-9" in this cluster/,
    );
  });
});

/** Checks, as the run goes, that no pod runs on a failed node; at the end, that no service has more live pods than replicas. */
class FailureInvariants implements SimObserver {
  private pods!: PodTable;
  private readonly down = new Set<number>();
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  nodeFailed(node: NodeIndex): void {
    this.down.add(node);
    this.check();
  }
  nodeRepaired(node: NodeIndex): void {
    this.down.delete(node);
    this.check();
  }
  podBound(): void {
    this.check();
  }
  podRestarted(): void {
    this.check();
  }
  private check(): void {
    const { state, node } = this.pods;
    for (let s = 0; s < state.length; s++) {
      if (state[s] === PodState.Running && this.down.has(node[s]!)) throw new Error(`pod ${this.pods.id[s]} runs on failed node ${node[s]}`);
    }
  }
  liveByOwner(): Map<string, number> {
    const live = new Map<string, number>();
    const { state, template } = this.pods;
    for (let s = 0; s < state.length; s++) {
      const st = state[s];
      if (st === PodState.Free || st === PodState.Terminating) continue;
      const owner = template[s]!.owner;
      live.set(owner, (live.get(owner) ?? 0) + 1);
    }
    return live;
  }
}

describe('node failures over random clusters (property)', () => {
  const failures = fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 400 }).map((s) => `${s}s`),
      nodes: fc.integer({ min: 1, max: 3 }),
      select: fc.constantFrom('most-loaded', 'random'),
      repairAfter: fc.option(fc.integer({ min: 1, max: 600 }).map((s) => `${s}s`), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  );
  const combos = [
    ['first-fit', 'fifo'],
    ['best-fit', 'fifo'],
    ['kube-default', 'kube'],
  ] as const;

  it('no pod runs on a failed node, no service ends above its replicas, every pod is accounted for', () => {
    fc.assert(
      fc.property(scenarioArbitrary, failures, fc.integer({ min: 0, max: 1000 }), (s, f, seed) => {
        const data = { ...s.data, failures: f.map((x) => (x.repairAfter === undefined ? { at: x.at, nodes: x.nodes, select: x.select } : x)) };
        const replicas = new Map(s.data.workload.services.map((x) => [x.name, x.replicas]));
        for (const [scheduler, queue] of combos) {
          const inv = new FailureInvariants();
          const prepared = prepareRun({ scenario: scenarioFromData(data, 'generated'), source: 'generated', scheduler, queue, seed }, undefined, [inv]);
          const c = prepared.sim.run();
          const m = prepared.metrics.result();
          for (const [owner, live] of inv.liveByOwner()) {
            const want = replicas.get(owner);
            if (want !== undefined) expect(live, `${scheduler}: ${owner}`).toBeLessThanOrEqual(want);
          }
          expect(c.created).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating + c.evicted + c.lost);
          expect(m.pods_submitted).toBe(m.pods_completed! + m.pods_running_end! + m.pods_pending_end! + m.pods_never_fit! + m.pods_preempted! + m.pods_evicted!);
          const { allocatable, requested } = prepared.cluster;
          for (let d = 0; d < allocatable.length; d++) {
            for (let n = 0; n < allocatable[d]!.length; n++) expect(requested[d]![n]!).toBeLessThanOrEqual(allocatable[d]![n]! + 1e-9);
          }
        }
      }),
      { numRuns: runs(40) },
    );
  });
});
