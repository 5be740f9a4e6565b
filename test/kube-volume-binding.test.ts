import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { MICROS_PER_SECOND } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { parseScenario, scenarioFromData } from '../src/model/scenario-file.js';
import { InputError } from '../src/model/yaml-input.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
import { BIND_CONFLICT, ERR_REASON_BIND_CONFLICT, ERR_REASON_NODE_CONFLICT, LocalVolumes, NODE_CONFLICT } from '../src/model/volumes.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { DEFAULT_CONFIGURATION, kubeSchedulerConfigurationSchema, resolveProfile } from '../src/schedulers/kube/config.js';
import { SKIP, SUCCESS } from '../src/schedulers/kube/framework.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import { volumeBinding } from '../src/schedulers/kube/plugins/volume-binding.js';
import { emptyTrace, KubeScheduler } from '../src/schedulers/kube/scheduler.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { runHarness } from './support/sim-harness.js';

const Gi = 2 ** 30;
const WAIT = { name: 'wait-sc', volumeBindingMode: 'WaitForFirstConsumer' };
const WAIT_HDD = { name: 'wait-hdd-sc', volumeBindingMode: 'WaitForFirstConsumer' };

interface PoolData {
  name: string;
  count?: number;
  cpu?: number;
  localVolumes?: { storageClass: string; capacity: string; count: number }[];
}

/** A cluster of one-node pools (node i is pools[i] unless counts say otherwise), with the upstream test's storage classes. */
function cluster(pools: PoolData[]) {
  const scenario = scenarioFromData(
    {
      name: 't',
      cluster: {
        storageClasses: [WAIT, WAIT_HDD],
        pools: pools.map((p) => ({ name: p.name, count: p.count ?? 1, capacity: { cpu: p.cpu ?? 4, memory: '32Gi' }, localVolumes: p.localVolumes })),
      },
      workload: {},
    },
    't',
  );
  const space = resourceSpaceOf(scenario);
  return new ClusterState(space, buildNodes(scenario, space));
}

const claim = (name: string, storageClass: string, size: number) => ({ name, storageClass, size });

describe('LocalVolumes: FindMatchingVolume and findMatchingVolumes', () => {
  it('binds a claim to the smallest available PV of its class on the node that is large enough', () => {
    const v = new LocalVolumes([
      [
        { storageClass: 'a', capacity: 500 * Gi, count: 1 },
        { storageClass: 'a', capacity: 100 * Gi, count: 1 },
        { storageClass: 'b', capacity: 60 * Gi, count: 1 },
        { storageClass: 'a', capacity: 200 * Gi, count: 1 },
      ],
    ]);
    const set = v.createSet([claim('x', 'a', 50 * Gi)]);
    expect(v.bind(set, 0 as NodeIndex)).toBe(1);
    const pv = v.claimPv[v.claimsOf(set)[0]!]!;
    expect(v.pvCapacity[pv]).toBe(100 * Gi);
    expect(v.classOf(pv)).toBe('a');
    // The next claim of 150Gi skips the bound 100Gi and the too small ones, and takes 200Gi, not 500Gi.
    const next = v.createSet([claim('y', 'a', 150 * Gi)]);
    expect(v.bind(next, 0 as NodeIndex)).toBe(1);
    expect(v.pvCapacity[v.claimPv[v.claimsOf(next)[0]!]!]).toBe(200 * Gi);
    expect(v.bound).toBe(2);
  });

  it('matches claims in increasing size, each to a distinct PV (chosenPVs)', () => {
    const v = new LocalVolumes([[{ storageClass: 'a', capacity: 100 * Gi, count: 1 }, { storageClass: 'a', capacity: 200 * Gi, count: 1 }]]);
    // Declared large first; sorted by size, the 90Gi claim takes 100Gi and the 150Gi one 200Gi.
    const set = v.createSet([claim('big', 'a', 150 * Gi), claim('small', 'a', 90 * Gi)]);
    expect(v.check(set, 0 as NodeIndex)).toBe(0);
    expect(v.bind(set, 0 as NodeIndex)).toBe(2);
    const [small, big] = v.claimsOf(set);
    expect(v.pvCapacity[v.claimPv[small!]!]).toBe(100 * Gi);
    expect(v.pvCapacity[v.claimPv[big!]!]).toBe(200 * Gi);
    // Two claims cannot share one PV.
    const two = new LocalVolumes([[{ storageClass: 'a', capacity: 1000 * Gi, count: 1 }]]);
    const s2 = two.createSet([claim('p', 'a', Gi), claim('q', 'a', Gi)]);
    expect(two.check(s2, 0 as NodeIndex)).toBe(BIND_CONFLICT);
    expect(two.bind(s2, 0 as NodeIndex)).toBe(-1);
    expect(two.bound).toBe(0);
  });

  it('a bound claim checks its PV node; deleting the set makes the PV available again', () => {
    const v = new LocalVolumes([[{ storageClass: 'a', capacity: 10 * Gi, count: 1 }], [{ storageClass: 'a', capacity: 10 * Gi, count: 1 }]]);
    const set = v.createSet([claim('x', 'a', Gi)]);
    expect(v.bind(set, 1 as NodeIndex)).toBe(1);
    expect(v.check(set, 1 as NodeIndex)).toBe(0);
    expect(v.check(set, 0 as NodeIndex)).toBe(NODE_CONFLICT);
    // Binding again (a replacement pod) binds nothing new.
    expect(v.bind(set, 1 as NodeIndex)).toBe(0);
    const other = v.createSet([claim('y', 'a', Gi)]);
    expect(v.check(other, 1 as NodeIndex)).toBe(BIND_CONFLICT);
    expect(v.check(other, 1 as NodeIndex, true)).toBe(0);
    expect(v.deleteSet(set)).toBe(1);
    expect(v.check(other, 1 as NodeIndex)).toBe(0);
    expect(v.bound).toBe(0);
  });
});

describe('VolumeBinding plugin (volume_binding_test.go TestVolumeBinding, local static PVs)', () => {
  /** Runs PreFilter, then Filter on every node, as the upstream test does; returns the PreFilter code and per-node reasons ('' for success). */
  function run(state: ClusterState, setup: (v: LocalVolumes) => number) {
    const kube = new KubeCluster(state);
    const plugin = volumeBinding({ bindTimeoutSeconds: 300 }, kube);
    const set = setup(state.volumes);
    const pod = makeKubePod({ volumeSet: set });
    const pre = plugin.preFilter!(pod);
    if (pre !== SUCCESS) return { pre, filter: [] as string[] };
    const filter = state.nodes.map((n) => {
      const code = plugin.filter!(pod, n.index);
      if (code !== SUCCESS) expect(plugin.unresolvable!(code), 'every VolumeBinding rejection is UnschedulableAndUnresolvable').toBe(true);
      return code === SUCCESS ? '' : plugin.reason!(code);
    });
    return { pre, filter, plugin };
  }

  it('pod has not pvcs: PreFilter skips', () => {
    const state = cluster([{ name: 'node-a' }]);
    expect(run(state, () => -1).pre).toBe(SKIP);
  });

  it('all bound: the bound claim PV node affinity matches', () => {
    const state = cluster([{ name: 'node-a', localVolumes: [{ storageClass: 'wait-sc', capacity: '1Gi', count: 1 }] }]);
    const got = run(state, (v) => {
      const set = v.createSet([claim('pvc-a', 'wait-sc', 1)]);
      v.bind(set, 0 as NodeIndex);
      return set;
    });
    expect(got.filter).toEqual(['']);
  });

  it('unbound claims no matches: ErrReasonBindConflict', () => {
    const state = cluster([{ name: 'node-a' }]);
    expect(run(state, (v) => v.createSet([claim('pvc-a', 'wait-sc', 1)])).filter).toEqual([ERR_REASON_BIND_CONFLICT]);
  });

  it('bound and unbound unsatisfied: both reasons, node conflict first', () => {
    // pv-a's node affinity names another node; pvc-b finds no PV.
    const state = cluster([{ name: 'node-a' }, { name: 'other', localVolumes: [{ storageClass: 'wait-sc', capacity: '1Gi', count: 1 }] }]);
    const got = run(state, (v) => {
      const bound = v.createSet([claim('pvc-a', 'wait-sc', 1)]);
      v.bind(bound, 1 as NodeIndex);
      // The pod mounts pvc-a (bound to pv-a) and pvc-b (unbound): one set holding both is built by binding pvc-a first.
      const set = v.createSet([claim('pvc-a', 'wait-sc', 1), claim('pvc-b', 'wait-sc', 1)]);
      const [a] = v.claimsOf(set);
      const pv = v.claimPv[v.claimsOf(bound)[0]!]!;
      v.deleteSet(bound);
      v.pvClaim[pv] = a!;
      v.claimPv[a!] = pv;
      return set;
    });
    expect(got.filter[0]).toBe(`${ERR_REASON_NODE_CONFLICT}, ${ERR_REASON_BIND_CONFLICT}`);
    expect(got.filter[0]).toBe("node(s) didn't match PersistentVolume's node affinity, node(s) didn't find available persistent volumes to bind");
  });

  it('local volumes with close capacity: nodes with PVs pass, a node without fails', () => {
    const state = cluster([
      { name: 'node-a', localVolumes: [{ storageClass: 'wait-sc', capacity: '200Gi', count: 2 }] },
      { name: 'node-b', localVolumes: [{ storageClass: 'wait-sc', capacity: '100Gi', count: 2 }] },
      { name: 'node-c' },
    ]);
    expect(run(state, (v) => v.createSet([claim('pvc-a', 'wait-sc', 50 * Gi)])).filter).toEqual(['', '', ERR_REASON_BIND_CONFLICT]);
  });

  it('local volumes with close capacity (multiple pvcs, two classes)', () => {
    const state = cluster([
      { name: 'node-a', localVolumes: [{ storageClass: 'wait-sc', capacity: '200Gi', count: 2 }, { storageClass: 'wait-hdd-sc', capacity: '200Gi', count: 2 }] },
      { name: 'node-b', localVolumes: [{ storageClass: 'wait-sc', capacity: '100Gi', count: 2 }, { storageClass: 'wait-hdd-sc', capacity: '100Gi', count: 2 }] },
      { name: 'node-c' },
    ]);
    const set = (v: LocalVolumes) => v.createSet([claim('pvc-0', 'wait-sc', 50 * Gi), claim('pvc-1', 'wait-hdd-sc', 100 * Gi)]);
    expect(run(state, set).filter).toEqual(['', '', ERR_REASON_BIND_CONFLICT]);
    // One class short on node-b (hdd PVs too small) fails it.
    const small = cluster([{ name: 'node-b', localVolumes: [{ storageClass: 'wait-sc', capacity: '100Gi', count: 2 }, { storageClass: 'wait-hdd-sc', capacity: '99Gi', count: 2 }] }]);
    expect(run(small, set).filter).toEqual([ERR_REASON_BIND_CONFLICT]);
  });

  it('Score: StorageCapacityScoring is off by default in v1.34, so PreScore skips and no shape is accepted', () => {
    const state = cluster([{ name: 'node-a', localVolumes: [{ storageClass: 'wait-sc', capacity: '200Gi', count: 2 }] }, { name: 'node-b', localVolumes: [{ storageClass: 'wait-sc', capacity: '100Gi', count: 2 }] }]);
    const kube = new KubeCluster(state);
    const scheduler = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 'policy/kube-default'));
    const set = state.volumes.createSet([claim('pvc-a', 'wait-sc', 50 * Gi)]);
    const r = state.space.zeros();
    r[CPU] = 100;
    r[MEMORY] = Gi;
    r[PODS] = 1;
    const trace = emptyTrace();
    scheduler.schedule(makeKubePod({ requests: r, nonZeroCpu: 100, nonZeroMemory: Gi, volumeSet: set }), trace);
    expect(trace.skippedScore).toContain('VolumeBinding');
    expect(trace.scores.map((s) => s.plugin)).not.toContain('VolumeBinding');
    expect(() => volumeBinding({ shape: [{ utilization: 0, score: 0 }] }, kube)).toThrow(/unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring/);
    expect(() => volumeBinding({ bindTimeoutSeconds: -1 }, kube)).toThrow(/invalid BindTimeoutSeconds, should not be a negative value/);
    expect(() => volumeBinding({ bindTimeoutSeconds: 0 }, kube)).not.toThrow();
  });

  it('is in the default profile between NodeVolumeLimits and VolumeZone, and no default plugin is skipped', () => {
    const p = resolveProfile(DEFAULT_CONFIGURATION);
    expect(p.filter).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity']);
    expect(p.preFilter).toContain('VolumeBinding');
    expect(p.skipped).toEqual([]);
    // A profile may still disable it; then claims are ignored by the kube policy's filters.
    const off = resolveProfile(kubeSchedulerConfigurationSchema.parse({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', profiles: [{ plugins: { multiPoint: { disabled: [{ name: 'VolumeBinding' }] } } }] }));
    expect(off.filter).not.toContain('VolumeBinding');
  });

  it('explain: the scheduler trace names VolumeBinding and its reason for nodes without PVs', () => {
    const state = cluster([{ name: 'plain', count: 3, cpu: 64 }, { name: 'disk', count: 2, localVolumes: [{ storageClass: 'wait-sc', capacity: '1T', count: 1 }] }]);
    const kube = new KubeCluster(state);
    const scheduler = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 'policy/kube-default'));
    const set = state.volumes.createSet([claim('data', 'wait-sc', 500 * Gi)]);
    const r = state.space.zeros();
    r[CPU] = 1000;
    r[PODS] = 1;
    const trace = emptyTrace();
    const node = scheduler.schedule(makeKubePod({ requests: r, nonZeroCpu: 1000, nonZeroMemory: 200 * 2 ** 20, volumeSet: set }), trace);
    expect([3, 4]).toContain(node);
    for (const n of [0, 1, 2]) expect(trace.rejected.get(n)).toEqual({ plugin: 'VolumeBinding', reason: ERR_REASON_BIND_CONFLICT });
    expect(trace.feasible.sort()).toEqual([3, 4]);
  });
});

/** Records, per pod id, its owner, the nodes it was bound to, and preemptions; checks PV bookkeeping at every bind. */
class VolumeWatch implements SimObserver {
  binds: { id: number; owner: string; node: string; at: number; claims: number[] }[] = [];
  preempted: { id: number; owner: string; node: string; claims: number[] }[] = [];
  private pods!: PodTable;
  private cluster!: ClusterState;
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
    this.cluster = ctx.cluster as ClusterState;
  }
  private claims(slot: PodSlot): number[] {
    const set = this.pods.volumes[slot]!;
    return set < 0 ? [] : Array.from(this.cluster.volumes.claimsOf(set));
  }
  podBound(slot: PodSlot, node: NodeIndex, now: number): void {
    const v = this.cluster.volumes;
    const claims = this.claims(slot);
    for (const c of claims) {
      const pv = v.claimPv[c]!;
      expect(pv, 'every claim is bound once its pod is').toBeGreaterThanOrEqual(0);
      expect(v.pvNode[pv], 'a claim PV is on its pod node').toBe(node);
      expect(v.pvClaim[pv], 'PV and claim agree').toBe(c);
      expect(v.pvCapacity[pv]).toBeGreaterThanOrEqual(v.claimSize[c]!);
    }
    let bound = 0;
    for (let pv = 0; pv < v.pvCount; pv++) {
      const c = v.pvClaim[pv]!;
      if (c < 0) continue;
      bound++;
      expect(v.claimPv[c], 'no PV bound to two claims').toBe(pv);
    }
    expect(bound).toBe(v.bound);
    this.binds.push({ id: this.pods.id[slot]!, owner: this.pods.template[slot]!.owner, node: this.cluster.nodes[node]!.name, at: now, claims });
  }
  podPreempted(slot: PodSlot, node: NodeIndex): void {
    this.preempted.push({ id: this.pods.id[slot]!, owner: this.pods.template[slot]!.owner, node: this.cluster.nodes[node]!.name, claims: this.claims(slot) });
  }
}

const STORAGE = [{ name: 'local-nvme', volumeBindingMode: 'WaitForFirstConsumer' }];

describe('local volumes in the simulation', () => {
  const pools = [
    // Listed first, large and without PVs: first-fit would choose these nodes but for the volumes.
    { name: 'plain', count: 3, capacity: { cpu: 64, memory: '256Gi' } },
    { name: 'disk', count: 2, capacity: { cpu: 16, memory: '64Gi' }, localVolumes: [{ storageClass: 'local-nvme', capacity: '1.92T', count: 2 }] },
  ];
  const scenario = (replicas: number) => ({
    name: 'vol',
    cluster: { storageClasses: STORAGE, pools },
    workload: { services: [{ name: 'db', replicas, requests: { cpu: 1, memory: '1Gi' }, volumeClaims: [{ name: 'data', storageClass: 'local-nvme', size: '500Gi' }] }] },
    simulation: { until: '10m' },
  });

  for (const [scheduler, queue] of [
    ['kube-default', 'kube'],
    ['first-fit', 'priority'],
    ['first-fit', 'kube'],
    ['best-fit', 'fifo'],
    ['worst-fit', 'priority'],
    ['random', 'kube'],
  ] as const) {
    it(`${scheduler}/${queue}: replicas land only on nodes with PVs, one PV each; the fifth waits`, () => {
      const watch = new VolumeWatch();
      const h = runHarness({ scenario: scenario(5), scheduler, queue, seed: 3, observers: [watch] });
      expect(watch.binds.length).toBe(4);
      for (const b of watch.binds) expect(b.node).toMatch(/^disk-/);
      expect(new Set(watch.binds.map((b) => b.node))).toEqual(new Set(['disk-1', 'disk-2']));
      expect(h.cluster.volumes.bound).toBe(4);
      expect(h.census.running).toBe(4);
      expect(h.census.queued + h.census.parked).toBe(1);
      expect(h.census.rejected).toBe(0);
    });
  }

  it('a claim larger than every PV is turned away on arrival (pods_never_fit)', () => {
    const data = scenario(1);
    data.workload.services[0]!.volumeClaims[0]!.size = '2T';
    const h = runHarness({ scenario: data, scheduler: 'first-fit', queue: 'priority', seed: 1 });
    expect(h.census.rejected).toBe(1);
    expect(h.metrics.pods_never_fit).toBe(1);
    expect(h.cluster.volumes.bound).toBe(0);
  });

  it('a preempted replica is replaced by a pod with the same claims, which returns to its PV node', () => {
    const data = {
      name: 'preempt',
      cluster: {
        storageClasses: STORAGE,
        pools: [
          { name: 'disk', count: 2, capacity: { cpu: 4, memory: '16Gi' }, localVolumes: [{ storageClass: 'local-nvme', capacity: '1T', count: 1 }] },
          // Room for the replacement elsewhere, but no PV.
          { name: 'spare', count: 1, capacity: { cpu: 64, memory: '256Gi' } },
        ],
      },
      workload: {
        services: [{ name: 'db', replicas: 2, priority: 0, requests: { cpu: 3, memory: '1Gi' }, volumeClaims: [{ name: 'data', storageClass: 'local-nvme', size: '100Gi' }] }],
        // Needs 3 of a disk node's 4 CPUs: it preempts a db replica there, then ends.
        jobs: [{ name: 'urgent', at: '10s', completions: 1, priority: 1000, duration: '60s', requests: { cpu: 3, memory: '1Gi' }, nodeSelector: { 'rackbench.io/pool': 'disk' } }],
      },
      simulation: { until: '10m' },
    };
    const watch = new VolumeWatch();
    const h = runHarness({ scenario: data, scheduler: 'kube-default', queue: 'kube', seed: 1, observers: [watch] });
    expect(watch.preempted.length).toBe(1);
    const victim = watch.preempted[0]!;
    expect(victim.owner).toBe('db');
    const db = watch.binds.filter((b) => b.owner === 'db');
    expect(db.length).toBe(3);
    const replacement = db[2]!;
    // Same claim (the victim's passed to its replacement when it was deleted), same node, and only after the urgent job (60 s from its start) freed the node.
    expect(victim.claims).toEqual([]);
    const victimBind = db.find((b) => b.id === victim.id)!;
    expect(replacement.claims).toEqual(victimBind.claims);
    expect(replacement.claims.length).toBe(1);
    expect(replacement.node).toBe(victim.node);
    const urgent = watch.binds.find((b) => b.owner === 'urgent')!;
    expect(urgent.node).toBe(victim.node);
    expect(replacement.at).toBeGreaterThanOrEqual(urgent.at + 60 * MICROS_PER_SECOND);
    expect(h.cluster.volumes.bound).toBe(2);
    expect(h.census.running).toBe(2);
  });

  it('job and stream pods release their claims when they end; PV events requeue pods VolumeBinding rejected', () => {
    const data = {
      name: 'ephemeral',
      cluster: { storageClasses: STORAGE, pools: [{ name: 'disk', count: 1, capacity: { cpu: 16, memory: '64Gi' }, localVolumes: [{ storageClass: 'local-nvme', capacity: '1T', count: 1 }] }] },
      workload: {
        streams: [{ name: 'scratch', arrival: { process: 'burst', size: 3, at: [0] }, duration: '60s', requests: { cpu: 1 }, volumeClaims: [{ name: 'tmp', storageClass: 'local-nvme', size: '10Gi' }] }],
      },
    };
    for (const [scheduler, queue] of [
      ['kube-default', 'kube'],
      ['first-fit', 'priority'],
    ] as const) {
      const watch = new VolumeWatch();
      const h = runHarness({ scenario: data, scheduler, queue, seed: 1, observers: [watch] });
      expect(h.census.completed).toBe(3);
      expect(h.cluster.volumes.bound).toBe(0);
      const at = watch.binds.map((b) => b.at / MICROS_PER_SECOND);
      // One at a time on the one PV; each waits only for the PV to be released (and, on the kube queue, at most its backoff), never for the 5-minute flush.
      expect(at[1]! - 60, `${scheduler}: ${at.join(', ')}`).toBeGreaterThanOrEqual(0);
      expect(at[1]! - 60, `${scheduler}: ${at.join(', ')}`).toBeLessThan(11);
      expect(at[2]! - at[1]! - 60, `${scheduler}: ${at.join(', ')}`).toBeLessThan(11);
    }
  });
});

describe('scenario fields for local volumes', () => {
  const text = (storageClasses: string, claimClass = 'local-nvme') => `name: t
cluster:
${storageClasses}  pools:
    - name: w
      count: 1
      capacity: { cpu: 4, memory: 8Gi }
      localVolumes: [{ storageClass: local-nvme, capacity: 1.92T, count: 4 }]
workload:
  services:
    - name: db
      replicas: 1
      requests: { cpu: 1 }
      volumeClaims: [{ name: data, storageClass: ${claimClass}, size: 500Gi }]
`;
  const issues = (t: string) => {
    try {
      parseScenario(t, 'test.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).issues;
    }
    return [];
  };

  it('parses pools localVolumes, storageClasses and volumeClaims into bytes', () => {
    const s = parseScenario(text('  storageClasses: [{ name: local-nvme, volumeBindingMode: WaitForFirstConsumer }]\n'), 'test.yaml');
    expect(s.cluster.pools[0]!.localVolumes).toEqual([{ storageClass: 'local-nvme', capacity: 1.92e12, count: 4 }]);
    expect(s.workload.services[0]!.volumeClaims).toEqual([{ name: 'data', storageClass: 'local-nvme', size: 500 * Gi }]);
    expect(s.cluster.storageClasses[0]!.provisioner).toBe('kubernetes.io/no-provisioner');
  });

  it('names the file, line and field of an undeclared class or an Immediate class', () => {
    expect(issues(text(''))).toEqual([
      { path: 'cluster.pools[0].localVolumes[0].storageClass', line: 7, message: 'storage class "local-nvme" is not declared under cluster.storageClasses' },
      { path: 'workload.services[0].volumeClaims[0].storageClass', line: 13, message: 'storage class "local-nvme" is not declared under cluster.storageClasses' },
    ]);
    const immediate = issues(text('  storageClasses: [{ name: local-nvme, volumeBindingMode: Immediate }]\n'));
    expect(immediate.map((i) => [i.path, i.line])).toEqual([['cluster.storageClasses[0].volumeBindingMode', 3]]);
    expect(immediate[0]!.message).toMatch(/Immediate is not modelled/);
    expect(issues(text('  storageClasses: [{ name: local-nvme, volumeBindingMode: WaitForFirstConsumer }]\n', 'other')).map((i) => i.path)).toEqual([
      'workload.services[0].volumeClaims[0].storageClass',
    ]);
  });
});
