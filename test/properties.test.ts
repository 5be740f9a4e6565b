import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { asNode, asSlot } from '../src/core/ids.js';
import { buildNodes, resourceSpaceOf, toVector } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { runsCsv } from '../src/report/runs-csv.js';
import { runOne } from '../src/runner/run-one.js';
import type { RunResult } from '../src/runner/run-protocol.js';
import { PodState, PodTable } from '../src/sim/pod-table.js';
import type { PodTemplate, Submission } from '../src/workload/pod.js';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import { InvariantObserver } from './support/invariant-observer.js';
import { contendedScenarioArbitrary, hugeStream, scenarioArbitrary, volumeScenarioArbitrary } from './support/scenario-arbitrary.js';
import type { GeneratedScenario } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';
import { PROPERTY_SCALE, runs } from './support/property-runs.js';

const SCHEDULERS = ['first-fit', 'best-fit', 'worst-fit', 'random', 'kube-default'] as const;
const QUEUES = ['fifo', 'priority', 'kube'] as const;
const COMBOS = SCHEDULERS.flatMap((scheduler) => QUEUES.map((queue) => ({ scheduler, queue })));
/** The pass-mode queues wake parked pods at the instant capacity frees; kube-scheduler's queue backs off instead. */
const PASS_COMBOS = COMBOS.filter((c) => c.queue !== 'kube');

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/**
 * Each case of the properties below runs the generated scenario under all 15 schedulers × queues (a few
 * tenths of a second of one core); their counts keep each property to a few seconds. A property's time
 * grows with RACKBENCH_PROPERTY_SCALE (test/support/property-runs.ts).
 */
const TIMEOUT = 60_000 * PROPERTY_SCALE;

/**
 * Runs `scenario` under every scheduler and queue with an InvariantObserver
 * (which throws on any violation) and a tap counting what the workload hands
 * the simulator; checks the run's books balance; returns the runOne results.
 */
function checkEveryPolicy(s: GeneratedScenario, runSeed: number): { results: RunResult[]; observers: InvariantObserver[] } {
  // Work conservation has a property of its own below, so a failure there does not hide these checks.
  const parsed = scenarioFromData(s.data, 'generated');
  const until = parsed.simulation.until ?? Infinity;
  const results: RunResult[] = [];
  const observers: InvariantObserver[] = [];
  for (const { scheduler, queue } of COMBOS) {
    const where = `${scheduler}/${queue}, seed ${runSeed}`;
    const inv = new InvariantObserver({ workConserving: false, passQueue: queue !== 'kube' });
    const taken: Submission[] = [];
    const h = runHarness({ scenario: s.data, scheduler, queue, seed: runSeed, observers: [inv], tap: (x) => taken.push(x) });
    const c = h.census;
    expect(inv.ended, where).toBe(true);

    // (b) Every pod is accounted for, counted three ways: podArrived calls, the census, the metrics.
    expect(c.created, `${where}: census.created vs podArrived calls`).toBe(inv.arrived);
    expect(c.created, `${where}: created = completed + running + queued + parked + rejected + preempted + terminating`).toBe(
      c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating,
    );
    expect(c.completed, where).toBe(inv.finished);
    expect(c.preempted, where).toBe(inv.preempted);
    expect(c.running + c.terminating, where).toBe(inv.bound - inv.finished - inv.preempted);
    expect(c.rejected, where).toBe(inv.rejected);
    // Pass-mode queues try every pod at once; kube-scheduler's queue may still hold pods when `until` cuts the run.
    if (queue !== 'kube' || until === Infinity) expect(c.queued, `${where}: queued at the end`).toBe(0);

    // Pods (not jobs) the simulator took from the workload and was due to create, i.e. arriving by `until`.
    const due = taken.filter((x) => x.arrival <= until);
    const direct = due.filter((x) => x.kind === 'pod').length;
    const jobPods = [...inv.byOwner].filter(([owner]) => owner.startsWith('job-')).reduce((n, [, k]) => n + k.arrived, 0);
    // A preempted service or job pod is replaced by its controller as soon as it is deleted (preemption: kube-default with the kube queue).
    const deleted = (owner: string): number => (inv.byOwner.get(owner)?.preempted ?? 0) + terminating(h.sim.pods, owner);
    const serviceReplacements = [...inv.byOwner.keys()].filter((o) => o.startsWith('svc-')).reduce((n, o) => n + deleted(o), 0);
    expect(inv.arrived - jobPods - serviceReplacements, `${where}: pods created from services and streams vs submissions taken`).toBe(direct);
    // A job creates min(parallelism, completions) pods at once and one more per success, up to completions.
    for (const x of due) {
      if (x.kind !== 'job') continue;
      const k = inv.byOwner.get(x.template.owner) ?? { arrived: 0, bound: 0, finished: 0, rejected: 0, preempted: 0 };
      expect(k.arrived, `${where}: pods of ${x.template.owner}`).toBe(Math.min(x.completions, x.parallelism + k.finished) + deleted(x.template.owner));
    }

    const r = runOne({ scenario: scenarioFromData(s.data, 'generated'), source: 'generated', scheduler, queue, seed: runSeed });
    // The harness is run-one.ts's recipe: the same run gives the same census and metrics.
    expect(r.census, `${where}: harness vs runOne`).toEqual(c);
    expect(r.metrics, `${where}: harness vs runOne`).toEqual(h.metrics);
    const m = r.metrics;
    expect(m.pods_submitted, where).toBe(inv.arrived);
    expect(m.pods_submitted, `${where}: submitted = completed + running_end + pending_end + never_fit + preempted`).toBe(
      m.pods_completed! + m.pods_running_end! + m.pods_pending_end! + m.pods_never_fit! + m.pods_preempted!,
    );
    // …and each term matches the census, so the identity is not just the formula that defines pending_end.
    expect(m.pods_completed, where).toBe(c.completed);
    expect(m.pods_preempted, where).toBe(c.preempted);
    expect(m.pods_running_end, where).toBe(c.running + c.terminating);
    expect(m.pods_pending_end, where).toBe(c.queued + c.parked);
    expect(m.pods_never_fit, where).toBe(c.rejected);
    expect(m.pods_scheduled, where).toBe(inv.bound);
    expect(m.pods_unschedulable, where).toBe(c.parked + c.rejected);
    for (const [name, value] of Object.entries(m)) expect(Number.isFinite(value), `${where}: ${name} = ${value}`).toBe(true);
    results.push(r);
    observers.push(inv);
  }
  return { results, observers };
}

/** Pods of `owner` deleted by preemption and still terminating. */
function terminating(pods: PodTable, owner: string): number {
  let n = 0;
  for (let s = 0; s < pods.state.length; s++) if (pods.state[s] === PodState.Terminating && pods.template[s]!.owner === owner) n++;
  return n;
}

describe('simulation invariants over random clusters and workloads', () => {
  it('(a, b) no over-commit, only admitting nodes, every pod accounted for — every scheduler and queue', () => {
    fc.assert(
      fc.property(scenarioArbitrary, seed, (s, runSeed) => {
        checkEveryPolicy(s, runSeed);
      }),
      { numRuns: runs(12) },
    );
  }, TIMEOUT);

  it('(c) the same scenario and seed give byte-identical runs.csv', () => {
    fc.assert(
      fc.property(scenarioArbitrary, seed, (s, runSeed) => {
        const all = (k: number): RunResult[] =>
          COMBOS.map(({ scheduler, queue }) => runOne({ scenario: scenarioFromData(s.data, 'generated'), source: 'generated', scheduler, queue, seed: k }));
        const first = all(runSeed);
        const again = all(runSeed);
        expect(runsCsv(again)).toBe(runsCsv(first));
        // One row at a time too: rows must not depend on what else is in the file.
        first.forEach((r, i) => expect(runsCsv([again[i]!])).toBe(runsCsv([r])));
        expect(again.map((r) => r.census)).toEqual(first.map((r) => r.census));
        expect(again.map((r) => r.timing.events)).toEqual(first.map((r) => r.timing.events));
      }),
      { numRuns: runs(10) },
    );
  }, TIMEOUT);

  it('(c) a different seed changes a random workload (fixed scenario and seeds, so not flaky)', () => {
    const data = {
      name: 'seeded',
      cluster: { pools: [{ name: 'n', count: 4, capacity: { cpu: 8, memory: '32Gi' } }] },
      workload: {
        streams: [
          {
            name: 'st',
            arrival: { process: 'poisson', rate: '5/s' },
            count: 200,
            duration: { dist: 'exponential', mean: '3s' },
            requests: { cpu: { dist: 'uniform', min: '100m', max: '2' }, memory: { dist: 'lognormal', median: '1Gi', sigma: 0.5 } },
          },
        ],
      },
    };
    const csv = (seed: number): string =>
      runsCsv(COMBOS.map(({ scheduler, queue }) => runOne({ scenario: scenarioFromData(data, 'test'), source: 'test', scheduler, queue, seed })))
        .split('\n')
        // Drop the seed column so only the metrics are compared.
        .map((line) => line.split(',').filter((_, i) => i !== 3).join(','))
        .join('\n');
    expect(csv(1)).toBe(csv(1));
    expect(csv(2)).not.toBe(csv(1));
  });

  it('(d) pods larger than every node never crash a run: they are counted in pods_never_fit', () => {
    const withHuge = fc.tuple(scenarioArbitrary, fc.constantFrom<'cpu' | 'memory'>('cpu', 'memory'), fc.integer({ min: 1, max: 20 }));
    fc.assert(
      fc.property(withHuge, seed, ([s, dim, count], runSeed) => {
        const huge = hugeStream(s, dim, count);
        // No simulation.until: every huge pod arrives (at 0 s and 1 s).
        const data = { ...s.data, simulation: {}, workload: { ...s.data.workload, streams: [...s.data.workload.streams, huge] } };
        const g: GeneratedScenario = { ...s, data };
        const { results, observers } = checkEveryPolicy(g, runSeed);
        results.forEach((r, i) => {
          const where = `${r.scheduler}/${r.queue}`;
          expect(r.metrics.pods_never_fit, where).toBeGreaterThanOrEqual(count);
          expect(observers[i]!.byOwner.get('huge'), where).toEqual({ arrived: count, bound: 0, finished: 0, rejected: count, preempted: 0 });
        });
      }),
      { numRuns: runs(6) },
    );
  }, TIMEOUT);

  it('(d) a cluster where nothing fits: every pod is rejected and the metrics stay finite', () => {
    const data = {
      name: 'nothing-fits',
      cluster: { pools: [{ name: 'tiny', count: 3, capacity: { cpu: 1, memory: '1Gi' } }] },
      workload: {
        services: [{ name: 'svc', replicas: 2, requests: { cpu: 2 } }],
        jobs: [{ name: 'job', completions: 5, parallelism: 2, duration: '1s', requests: { memory: '2Gi' } }],
        streams: [{ name: 'st', arrival: { process: 'fixed', rate: '1/s' }, count: 4, duration: '1s', requests: { cpu: '1001m' } }],
      },
    };
    for (const { scheduler, queue } of COMBOS) {
      const r = runOne({ scenario: scenarioFromData(data, 'test'), source: 'test', scheduler, queue, seed: 1 });
      // 2 replicas + min(2, 5) job pods (rejections are not successes, so the job stops there) + 4 stream pods = 8.
      expect(r.census).toEqual({ created: 8, completed: 0, running: 0, queued: 0, parked: 0, rejected: 8, preempted: 0, terminating: 0, evicted: 0, lost: 0, failed: 0, failedJobs: 0 });
      expect(r.metrics.pods_submitted).toBe(8);
      expect(r.metrics.pods_never_fit).toBe(8);
      expect(r.metrics.pods_scheduled).toBe(0);
      for (const [name, value] of Object.entries(r.metrics)) expect(Number.isFinite(value), name).toBe(true);
    }
  });
});

describe('work conservation: a parked pod is woken once a node has room for it', () => {
  /** Runs every policy with a work-conservation check, which throws naming the pod, node and instant. */
  const conserves = (data: unknown, runSeed: number): void => {
    for (const { scheduler, queue } of PASS_COMBOS) {
      runHarness({ scenario: data, scheduler, queue, seed: runSeed, observers: [new InvariantObserver({ workConserving: true })] });
    }
  };

  it('(e) property: at the end of every instant, no parked pod fits on a node that admits it (random clusters)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, seed, (s, runSeed) => conserves(s.data, runSeed)),
      { numRuns: runs(20) },
    );
  }, TIMEOUT);

  it('(e) property: the same on small contended clusters with two eligibility classes and two priorities', () => {
    fc.assert(
      fc.property(contendedScenarioArbitrary, seed, (data, runSeed) => conserves(data, runSeed)),
      { numRuns: runs(30) },
    );
  }, TIMEOUT);

  /**
   * One node of 4 CPU, tier a. All pods but y share one eligibility class; y
   * (nodeSelector tier: a) is in another.
   *   t=0   h (4 CPU, 10 s) binds: the node is full.
   *   t=1   y (1 CPU, a service: runs forever) parks.   t=2  x (4 CPU) parks.   t=3  p (3 CPU) parks.
   *   t=10  h ends: 4 CPU free. In queue order (y, x, p all priority 0): y binds (3 free), x does not
   *         fit and parks again, p fits in the 3 CPU left and must bind (0 free).
   *   t=20  p ends: 3 CPU free, x (4 CPU) still cannot fit while y runs. No event is left.
   * Census: h and p completed, y running, x parked.
   */
  const crossClass = {
    name: 'cross-class-wake',
    cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 4, memory: '8Gi' }, labels: { tier: 'a' } }] },
    workload: {
      services: [{ name: 'y', replicas: 1, at: '1s', requests: { cpu: 1 }, nodeSelector: { tier: 'a' } }],
      streams: [
        { name: 'h', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 4 } },
        { name: 'x', arrival: { process: 'burst', at: ['2s'], size: 1 }, duration: '10s', requests: { cpu: 4 } },
        { name: 'p', arrival: { process: 'burst', at: ['3s'], size: 1 }, duration: '10s', requests: { cpu: 3 } },
      ],
    },
  };

  it.each(PASS_COMBOS)('a pod of another class taking the freed capacity does not strand a parked pod that fits ($scheduler/$queue)', ({ scheduler, queue }) => {
    const r = runOne({ scenario: scenarioFromData(crossClass, 'test'), source: 'test', scheduler, queue, seed: 1 });
    expect(r.census).toEqual({ created: 4, completed: 2, running: 1, queued: 0, parked: 1, rejected: 0, preempted: 0, terminating: 0, evicted: 0, lost: 0, failed: 0, failedJobs: 0 });
    expect(r.metrics.sim_seconds).toBe(20);
    expect(r.metrics.pods_pending_end).toBe(1);
  });

  /**
   * One node of 4 CPU, priority queue, one eligibility class.
   *   t=0   s (1 CPU, a service) and h (3 CPU, 10 s) bind: full.
   *   t=1   x (3 CPU) parks.   t=2  p (2 CPU) parks.
   *   t=10  h ends (3 CPU free) and n (1 CPU, priority 10, a service) arrives. The pass takes n first
   *         (2 free); x does not fit and parks again; p fits in the 2 CPU left and must bind.
   *   t=20  p ends: 2 CPU free; x (3 CPU) cannot fit. No event is left.
   * Census: h and p completed, s and n running, x parked.
   */
  const priorityArrival = {
    name: 'priority-arrival-wake',
    cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 4, memory: '8Gi' } }] },
    workload: {
      services: [
        { name: 's', replicas: 1, requests: { cpu: 1 } },
        { name: 'n', replicas: 1, at: '10s', priority: 10, requests: { cpu: 1 } },
      ],
      streams: [
        { name: 'h', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 3 } },
        { name: 'x', arrival: { process: 'burst', at: ['1s'], size: 1 }, duration: '10s', requests: { cpu: 3 } },
        { name: 'p', arrival: { process: 'burst', at: ['2s'], size: 1 }, duration: '10s', requests: { cpu: 2 } },
      ],
    },
  };

  it.each(SCHEDULERS)('a higher-priority arrival taking the freed capacity does not strand a parked pod that fits (%s/priority)', (scheduler) => {
    const r = runOne({ scenario: scenarioFromData(priorityArrival, 'test'), source: 'test', scheduler, queue: 'priority', seed: 1 });
    expect(r.census).toEqual({ created: 5, completed: 2, running: 2, queued: 0, parked: 1, rejected: 0, preempted: 0, terminating: 0, evicted: 0, lost: 0, failed: 0, failedJobs: 0 });
    expect(r.metrics.sim_seconds).toBe(20);
  });
});

describe('the invariant observer can fail', () => {
  /** A one-node cluster (cpu 1000m, memory 1Gi, pods 110) and a pod table with one pod of `requests`. */
  function fixture(requests: Record<string, number>, template: Partial<PodTemplate> = {}) {
    const scenario = scenarioFromData(
      {
        name: 'inv',
        cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 1, memory: '1Gi' }, labels: { tier: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }] }] },
        workload: {},
      },
      'test',
    );
    const space = resourceSpaceOf(scenario);
    const cluster = new ClusterState(space, buildNodes(scenario, space));
    const pods = new PodTable(4);
    const t: PodTemplate = { owner: 'p', kind: 'stream', priority: 0, tenant: 't', labels: {}, nodeSelector: {}, tolerations: [{ key: 'k', operator: 'Exists' }], missingRequests: { cpu: false, memory: false }, ...template };
    const slot = pods.add(t, toVector(space, { pods: 1, ...requests }), 0, 5, 0, -1);
    const inv = new InvariantObserver();
    inv.start({ cluster, pods });
    return { cluster, pods, slot, inv, space };
  }

  it('catches an over-committed node', () => {
    const { cluster, pods, slot, inv, space } = fixture({ cpu: 600 });
    inv.podArrived(slot, 0);
    cluster.reserve(asNode(0), pods.requests[slot]!);
    pods.state[slot] = PodState.Running;
    pods.node[slot] = 0;
    inv.podBound(slot, asNode(0), 0);
    // Bypass reserve's check to fake a bookkeeping bug: a second 600m on a 1000m node.
    cluster.requested[space.indexOf('cpu')!]![0]! += 600;
    const other = pods.add(pods.template[slot]!, pods.requests[slot]!, 0, 5, 0, -1);
    inv.podArrived(other, 0);
    pods.state[other] = PodState.Running;
    pods.node[other] = 0;
    expect(() => inv.podBound(other, asNode(0), 0)).toThrow(/over-committed in cpu: requested 1200 > allocatable 1000/);
  });

  it('catches requested drifting from the pods running on a node', () => {
    const { cluster, pods, slot, inv } = fixture({ cpu: 100 });
    inv.podArrived(slot, 0);
    cluster.reserve(asNode(0), pods.requests[slot]!);
    cluster.reserve(asNode(0), pods.requests[slot]!); // reserved twice, bound once
    pods.state[slot] = PodState.Running;
    pods.node[slot] = 0;
    expect(() => inv.podBound(slot, asNode(0), 0)).toThrow(/requested cpu = 200, but the pods running there request 100/);
  });

  it('catches a pod on a node whose taint it does not tolerate, or whose labels its selector does not match', () => {
    for (const template of [{ tolerations: [] }, { nodeSelector: { tier: 'b' } }]) {
      const { cluster, pods, slot, inv } = fixture({ cpu: 100 }, template);
      // No podArrived: that would already flag the pod as fitting no admitting node.
      cluster.reserve(asNode(0), pods.requests[slot]!);
      pods.state[slot] = PodState.Running;
      pods.node[slot] = 0;
      expect(() => inv.podBound(slot, asNode(0), 0)).toThrow(/does not admit it/);
    }
  });

  it('catches a parked pod that fits, and a rejected pod that fits', () => {
    const { pods, slot, inv } = fixture({ cpu: 100 });
    inv.podArrived(slot, 0);
    pods.state[slot] = PodState.Parked;
    expect(() => inv.podUnschedulable(slot, 0)).toThrow(/parked at 0 µs though n-1 has room/);
    expect(() => inv.podRejected(slot, 0, 'why')).toThrow(/rejected .* though an admitting node could hold it/);
    expect(() => inv.end(0)).toThrow(/parked at the end of the run \(0 µs\) though n-1 has room/);
  });

  it('catches time going back', () => {
    const { slot, inv } = fixture({ cpu: 100 });
    inv.podArrived(asSlot(slot), 0);
    expect(() => inv.end(-1)).toThrow(/time went back/);
  });
});

/**
 * InvariantObserver's room checks do not know local volumes: a pod turned
 * away because no admitting node has PVs for its claims is expected here.
 */
class VolumeAwareInvariants extends InvariantObserver {
  private table!: PodTable;
  override start(ctx: SimContext): void {
    this.table = ctx.pods;
    super.start(ctx);
  }
  override podRejected(slot: PodSlot, now: number, reason: string): void {
    if (this.table.volumes[slot]! >= 0 && /volume claims/.test(reason)) {
      (this as unknown as { expectReject: Map<number, boolean> }).expectReject.set(this.table.id[slot]!, true);
    }
    super.podRejected(slot, now, reason);
  }
}

/** PV bookkeeping at every bind and at the end: claims bound on their pod's node, no PV bound twice, none leaked. */
class VolumeChecker implements SimObserver {
  private ctx!: SimContext;
  start(ctx: SimContext): void {
    this.ctx = ctx;
  }
  podBound(slot: PodSlot, node: NodeIndex): void {
    const v = this.ctx.cluster.volumes!;
    const set = this.ctx.pods.volumes[slot]!;
    for (const c of set < 0 ? [] : v.claimsOf(set)) {
      const pv = v.claimPv[c]!;
      if (pv < 0 || v.pvNode[pv] !== node || v.pvClaim[pv] !== c || v.pvCapacity[pv]! < v.claimSize[c]! || v.pvClass[pv] !== v.claimClass[c]) {
        throw new Error(`claim ${c} of pod ${this.ctx.pods.id[slot]} is not bound to a fitting PV on node ${node} (PV ${pv})`);
      }
    }
    this.consistent();
  }
  end(): void {
    this.consistent();
    // Every bound PV belongs to a claim of a live pod (a pending replacement keeps its replica's claims).
    const { pods } = this.ctx;
    const v = this.ctx.cluster.volumes!;
    let held = 0;
    for (let s = 0; s < pods.state.length; s++) {
      if (pods.state[s] === PodState.Free || pods.volumes[s]! < 0) continue;
      for (const c of v.claimsOf(pods.volumes[s]!)) if (v.claimPv[c]! >= 0) held++;
    }
    if (held !== v.bound) throw new Error(`${v.bound} PVs bound, but live pods hold ${held}`);
  }
  private consistent(): void {
    const v = this.ctx.cluster.volumes!;
    let bound = 0;
    for (let pv = 0; pv < v.pvCount; pv++) {
      const c = v.pvClaim[pv]!;
      if (c < 0) continue;
      bound++;
      if (v.claimPv[c] !== pv) throw new Error(`PV ${pv} is bound to claim ${c}, which is bound to PV ${v.claimPv[c]}`);
    }
    if (bound !== v.bound) throw new Error(`${bound} PVs have a claim, but ${v.bound} are counted bound`);
  }
}

describe('local volumes over random clusters and workloads', () => {
  it('no PV double-bound or leaked, claims on their pod node, no over-commit, every pod accounted for — every scheduler and queue', () => {
    fc.assert(
      fc.property(volumeScenarioArbitrary, seed, (s, runSeed) => {
        const until = scenarioFromData(s.data, 'generated').simulation.until ?? Infinity;
        for (const { scheduler, queue } of COMBOS) {
          const where = `${scheduler}/${queue}, seed ${runSeed}`;
          const inv = new VolumeAwareInvariants({ workConserving: false, passQueue: false });
          const h = runHarness({ scenario: s.data, scheduler, queue, seed: runSeed, observers: [inv, new VolumeChecker()] });
          const c = h.census;
          expect(inv.ended, where).toBe(true);
          expect(c.created, where).toBe(inv.arrived);
          expect(c.created, where).toBe(c.completed + c.running + c.queued + c.parked + c.rejected + c.preempted + c.terminating);
          expect(c.running + c.terminating, where).toBe(inv.bound - inv.finished - inv.preempted);
          if (queue !== 'kube' || until === Infinity) expect(c.queued, `${where}: queued at the end`).toBe(0);
        }
      }),
      { numRuns: runs(8) },
    );
  }, TIMEOUT);
});
