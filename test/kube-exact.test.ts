/**
 * kube-scheduler v1.34.1 on untidy cluster states and configurations: each
 * case follows the upstream source file named with it, with the arithmetic
 * worked by hand (test/fixtures/kube-exact-vectors.json gives the score
 * cases' arithmetic in `why`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { explainCases, filterCaseData } from '../src/explain/cases.js';
import { explainPod } from '../src/explain/pod.js';
import { runOne } from '../src/runner/run-one.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { DEFAULT_CONFIGURATION, resolveProfile } from '../src/schedulers/kube/config.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import type { KubePod } from '../src/schedulers/kube/pod.js';
import { KUBE_PLUGINS } from '../src/schedulers/kube/registry.js';
import { emptyTrace, KubeScheduler } from '../src/schedulers/kube/scheduler.js';
import { EVENT_NODE_ADD, EVENT_POD_ADD, EVENT_POD_DELETE } from '../src/schedulers/types.js';
import type { PodTemplate } from '../src/workload/pod.js';

const VECTORS = new URL('./fixtures/kube-exact-vectors.json', import.meta.url);

interface Vector {
  id: string;
  expected_scores: Record<string, number>;
  expected_normalized?: Record<string, number>;
}

describe('worked score cases (test/fixtures/kube-exact-vectors.json)', () => {
  const got = new Map(explainCases(VECTORS.pathname).cases.map((c) => [c.id, c]));
  const cases = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { cases: Vector[] }).cases;
  it.each(cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    expect(got.get(id)!.scores).toEqual(c.expected_scores);
    if (c.expected_normalized !== undefined) expect(got.get(id)!.normalized).toEqual(c.expected_normalized);
  });
});

const node = (name: string, allocatable: Record<string, number>, extra: object = {}) => ({ name, allocatable, ...extra });
const containers = (requests: Record<string, number>) => [{ requests }];

describe('NodeResourcesFit Filter on untidy nodes (noderesources/fit.go, fitsRequest)', () => {
  it('an over-committed node rejects a pod that requests the over-committed resource, resolvably, and takes one that does not', () => {
    // 5000m of pods on a 4000m node: room −1000m. A request of 100m fails (100 > −1000) but is no larger than
    // allocatable, so preemption could help: Unschedulable. A pod requesting only memory fits.
    const nodes = [node('over', { cpu_milli: 4000, memory_bytes: 8000, pods: 32 })];
    const existing = [{ node: 'over', containers: containers({ cpu_milli: 5000, memory_bytes: 1000 }) }];
    const cpu = filterCaseData({ id: 'cpu', plugin: 'NodeResourcesFit', nodes, existing_pods: existing, incoming_pod: { containers: containers({ cpu_milli: 100 }) } });
    expect(cpu.nodes.over!.status).toBe('Unschedulable');
    const memory = filterCaseData({ id: 'mem', plugin: 'NodeResourcesFit', nodes, existing_pods: existing, incoming_pod: { containers: containers({ memory_bytes: 1000 }) } });
    expect(memory.nodes.over!.status).toBe('Success');
  });

  it('checks the pod count whatever ignoredResources and ignoredResourceGroups say', () => {
    // allowedPodNumber 1 with one pod bound: len(Pods) + 1 = 2 > 1, "Too many pods", Unschedulable (never Unresolvable).
    const full = {
      id: 'full',
      plugin: 'NodeResourcesFit',
      args: { ignoredResources: ['pods', 'example.com/gpu'], ignoredResourceGroups: ['example.com', 'kubernetes.io'] },
      nodes: [node('full', { cpu_milli: 4000, memory_bytes: 8000, pods: 1 }), node('free', { cpu_milli: 4000, memory_bytes: 8000, pods: 2 })],
      existing_pods: [{ node: 'full' }, { node: 'free' }],
      incoming_pod: { containers: containers({ cpu_milli: 100, 'example.com/gpu': 1 }) },
    };
    const r = filterCaseData(full);
    expect(r.nodes.full!.status).toBe('Unschedulable');
    expect(KUBE_PLUGINS.get('NodeResourcesFit')!.factory(full.args, new KubeCluster(stateOf(1))).reason!(r.nodes.full!.code)).toBe('Too many pods');
    // The gpu is an ignored extended resource (no node has any): the free node takes the pod.
    expect(r.nodes.free!.status).toBe('Success');
  });

  it('a node that allows zero pods rejects every pod, even one requesting nothing', () => {
    const r = filterCaseData({ id: 'zero', plugin: 'NodeResourcesFit', nodes: [node('none', { cpu_milli: 4000, memory_bytes: 8000, pods: 0 })], incoming_pod: {} });
    expect(r.nodes.none!.status).toBe('Unschedulable');
  });

  it('a node with zero allocatable of a requested resource rejects the pod as unresolvable', () => {
    // 1 > 0 − 0, and 1 > allocatable 0: no preemption can help.
    const r = filterCaseData({
      id: 'gpu',
      plugin: 'NodeResourcesFit',
      nodes: [node('none', { cpu_milli: 4000, memory_bytes: 8000, 'example.com/gpu': 0 }), node('two', { cpu_milli: 4000, memory_bytes: 8000, 'example.com/gpu': 2 })],
      incoming_pod: { containers: containers({ 'example.com/gpu': 1 }) },
    });
    expect(r.nodes.none!.status).toBe('UnschedulableAndUnresolvable');
    expect(r.nodes.two!.status).toBe('Success');
  });
});

describe('terminating pods, per plugin', () => {
  const twoNodes = [node('a', { cpu_milli: 4000, memory_bytes: 8000 }), node('b', { cpu_milli: 4000, memory_bytes: 8000 })];

  it('InterPodAffinity Filter counts a terminating pod: its anti-affinity target still rejects the node (interpodaffinity/filtering.go)', () => {
    const r = filterCaseData({
      id: 'ipa',
      plugin: 'InterPodAffinity',
      nodes: twoNodes,
      existing_pods: [{ node: 'a', labels: { app: 'db' }, terminating: true }],
      incoming_pod: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } },
      },
    });
    expect(r.nodes.a!.status).toBe('Unschedulable');
    expect(r.nodes.b!.status).toBe('Success');
  });

  it('PodTopologySpread Filter leaves terminating pods out (podtopologyspread/common.go, countPodsMatchSelector)', () => {
    // Two terminating web pods on a: counted, a's skew would be 2 + 1 − 0 = 3 > 1; not counted, 1 ≤ 1.
    const r = filterCaseData({
      id: 'pts',
      plugin: 'PodTopologySpread',
      nodes: twoNodes,
      existing_pods: [
        { node: 'a', labels: { app: 'web' }, terminating: true },
        { node: 'a', labels: { app: 'web' }, terminating: true },
      ],
      incoming_pod: {
        labels: { app: 'web' },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      },
    });
    expect(r.nodes.a!.status).toBe('Success');
  });

  it('NodeResourcesFit and NodePorts keep a terminating pod\'s requests and ports until it is gone', () => {
    const existing = [{ node: 'a', containers: containers({ cpu_milli: 3500 }), hostPorts: [{ port: 80 }], terminating: true }];
    const fit = filterCaseData({ id: 'fit', plugin: 'NodeResourcesFit', nodes: twoNodes, existing_pods: existing, incoming_pod: { containers: containers({ cpu_milli: 1000 }) } });
    expect(fit.nodes.a!.status).toBe('Unschedulable');
    const ports = filterCaseData({ id: 'ports', plugin: 'NodePorts', nodes: twoNodes, existing_pods: existing, incoming_pod: { hostPorts: [{ port: 80 }] } });
    expect(ports.nodes.a!.status).toBe('Unschedulable');
  });
});

describe('tolerations with an empty effect (core/v1 Toleration.ToleratesTaint)', () => {
  it.each(['NoSchedule', 'NoExecute'])('effect "" tolerates a %s taint in TaintToleration Filter', (effect) => {
    const r = filterCaseData({
      id: 'taint',
      plugin: 'TaintToleration',
      nodes: [node('tainted', { cpu_milli: 4000 }, { taints: [{ key: 'foo', value: 'bar', effect }] })],
      incoming_pod: { tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: '' }] },
    });
    expect(r.nodes.tainted!.status).toBe('Success');
    const without = filterCaseData({
      id: 'taint',
      plugin: 'TaintToleration',
      nodes: [node('tainted', { cpu_milli: 4000 }, { taints: [{ key: 'foo', value: 'bar', effect }] })],
      incoming_pod: { tolerations: [{ key: 'foo', operator: 'Equal', value: 'other', effect: '' }] },
    });
    expect(without.nodes.tainted!.status).toBe('UnschedulableAndUnresolvable');
  });
});

describe("NodeAffinity's addedAffinity (nodeaffinity/node_affinity.go)", () => {
  it('filters every pod, even one without a selector, with its own reason', () => {
    const args = { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } };
    const c = { id: 'added', plugin: 'NodeAffinity', args, nodes: [node('in-a', {}, { labels: { zone: 'a' } }), node('in-b', {}, { labels: { zone: 'b' } })], incoming_pod: {} };
    const r = filterCaseData(c);
    expect(r.nodes['in-a']!.status).toBe('Success');
    expect(r.nodes['in-b']!.status).toBe('UnschedulableAndUnresolvable');
    const plugin = KUBE_PLUGINS.get('NodeAffinity')!.factory(args, new KubeCluster(stateOf(1)));
    expect(plugin.reason!(r.nodes['in-b']!.code)).toBe("node(s) didn't match scheduler-enforced node affinity");
  });

  it('is validated as a NodeAffinity', () => {
    expect(() => filterCaseData({ id: 'bad', plugin: 'NodeAffinity', args: { addedAffinity: { nodeSelector: {} } }, nodes: [node('n', {})], incoming_pod: {} })).toThrow();
  });
});

function scenario(nodes: number, cpu = 4) {
  return scenarioFromData({ name: 't', cluster: { pools: [{ name: 'n', count: nodes, capacity: { cpu, memory: '32Gi' } }] }, workload: {} }, 't');
}

function stateOf(nodes: number, cpu = 4) {
  const s = scenario(nodes, cpu);
  const space = resourceSpaceOf(s);
  return new ClusterState(space, buildNodes(s, space));
}

function kubePod(space: ClusterState['space'], cpu: number, extra: Partial<KubePod> = {}): KubePod {
  const requests = space.zeros();
  requests[CPU] = cpu;
  requests[MEMORY] = 2 ** 20;
  requests[PODS] = 1;
  return makeKubePod({ requests, nonZeroCpu: cpu, nonZeroMemory: 2 ** 20, ...extra });
}

describe('nextStartNodeIndex (schedule_one.go, findNodesThatFitPod)', () => {
  it('advances by the nodes processed, failed ones included', () => {
    // 1,000 nodes: numFeasibleNodesToFind is 420. The first 100 in walk order are full, so the first cycle
    // processes 100 failed + 420 feasible = 520 nodes; the next starts at walk position 520.
    const state = stateOf(1000);
    const kube = new KubeCluster(state);
    const full = state.space.zeros();
    full[CPU] = 4000;
    for (let i = 0; i < 100; i++) state.reserve(asNode(kube.order[i]!), full);
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 't'));
    const p = kubePod(state.space, 100);
    const first = emptyTrace();
    s.schedule(p, first);
    expect(first.feasible).toHaveLength(420);
    expect(first.feasible[0]).toBe(kube.order[100]);
    const second = emptyTrace();
    s.schedule(p, second);
    expect(second.feasible[0]).toBe(kube.order[520]);
  });

  it('counts a failed nominated node the walk did not reach (its status is in NodeToStatus)', () => {
    // The pod is nominated to walk position 900, now full: evaluateNominatedNode fails there. The walk then
    // processes 420 feasible nodes from 0; 420 + 1 = 421.
    const state = stateOf(1000);
    const kube = new KubeCluster(state);
    const full = state.space.zeros();
    full[CPU] = 4000;
    const nominatedNode = asNode(kube.order[900]!);
    state.reserve(nominatedNode, full);
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 't'));
    const p = kubePod(state.space, 100, { slot: 7, priority: 10 });
    s.nominator.set(7, nominatedNode, 10, p.requests, []);
    s.schedule(p, emptyTrace());
    s.nominator.clear(7);
    const other = kubePod(state.space, 100);
    const second = emptyTrace();
    s.schedule(other, second);
    expect(second.feasible[0]).toBe(kube.order[421]);
  });
});

describe('ImageLocality sees the images on each node at the cycle (imagelocality/image_locality.go)', () => {
  it('scores an image pulled after the start and forgets a collected one', () => {
    // 4 nodes, a 500 MiB image. On one node: scaled 500 · 1/4 = 125 MiB; score trunc(100 · (125 − 23) / (1000 − 23)) = 10.
    // On two nodes: 250 MiB each, trunc(100 · 227 / 977) = 23.
    const MiB = 2 ** 20;
    const state = stateOf(4);
    const kube = new KubeCluster(state);
    const plugin = KUBE_PLUGINS.get('ImageLocality')!.factory(undefined, kube);
    const p = kubePod(state.space, 100, { images: ['app:v1'] });
    const scores = () => [0, 1, 2, 3].map((n) => plugin.score!(p, n as NodeIndex));
    expect(scores()).toEqual([0, 0, 0, 0]);
    state.images.add(asNode(0), 'app:v1', 500 * MiB);
    expect(scores()).toEqual([10, 0, 0, 0]);
    state.images.add(asNode(2), 'app:v1', 500 * MiB);
    expect(scores()).toEqual([23, 0, 23, 0]);
    state.images.remove(asNode(0), 'app:v1');
    expect(scores()).toEqual([0, 0, 10, 0]);
  });
});

describe('queueing hints as v1.34 has them', () => {
  const state = stateOf(2);
  const kube = new KubeCluster(state);
  const template = (extra: Partial<PodTemplate>): PodTemplate => ({ tenant: 'default', labels: {}, ...extra }) as PodTemplate;
  const plugin = (name: string, args?: unknown) => KUBE_PLUGINS.get(name)!.factory(args, kube);

  it('NodePorts requeues on the deletion of a pod that held a wanted port (isSchedulableAfterPodDeleted)', () => {
    const ports = plugin('NodePorts');
    const p = kubePod(state.space, 100, { hostPorts: [{ port: 80, protocol: 'TCP', hostIP: '0.0.0.0' }] });
    expect(ports.events).toEqual({ queue: EVENT_NODE_ADD, hint: EVENT_POD_DELETE });
    expect(ports.queueingHint!(p, { kind: EVENT_POD_DELETE, node: 0, pod: template({ hostPorts: [{ port: 80, protocol: 'TCP', hostIP: '0.0.0.0' }] }) })).toBe(true);
    expect(ports.queueingHint!(p, { kind: EVENT_POD_DELETE, node: 0, pod: template({ hostPorts: [{ port: 81, protocol: 'TCP', hostIP: '0.0.0.0' }] }) })).toBe(false);
    expect(ports.queueingHint!(p, { kind: EVENT_POD_DELETE, node: 0, pod: template({}) })).toBe(false);
  });

  it('NodeResourcesFit queues on any pod deletion, and on a node added only if the pod fits it empty (isSchedulableAfterNodeChange)', () => {
    const fit = plugin('NodeResourcesFit');
    expect(fit.events).toEqual({ queue: EVENT_POD_DELETE, hint: EVENT_NODE_ADD });
    // Nodes have 4 CPUs: a 3-CPU pod fits an added node, a 5-CPU pod never does.
    expect(fit.queueingHint!(kubePod(state.space, 3000), { kind: EVENT_NODE_ADD, node: 1 })).toBe(true);
    expect(fit.queueingHint!(kubePod(state.space, 5000), { kind: EVENT_NODE_ADD, node: 1 })).toBe(false);
  });

  it('PodTopologySpread queues for an assigned pod its DoNotSchedule selectors match, of its namespace (isSchedulableAfterPodChange)', () => {
    const pts = plugin('PodTopologySpread');
    const p = kubePod(state.space, 100, {
      labels: { app: 'web' },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
    });
    expect(pts.queueingHint!(p, { kind: EVENT_POD_ADD, node: 0, pod: template({ labels: { app: 'web' } }) })).toBe(true);
    expect(pts.queueingHint!(p, { kind: EVENT_POD_DELETE, node: 0, pod: template({ labels: { app: 'db' } }) })).toBe(false);
    expect(pts.queueingHint!(p, { kind: EVENT_POD_ADD, node: 0, pod: template({ tenant: 'other', labels: { app: 'web' } }) })).toBe(false);
  });

  it('InterPodAffinity queues for an added pod matching its required affinity, a deleted one matching its anti-affinity', () => {
    const ipa = plugin('InterPodAffinity');
    const term = [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }];
    const wantsDb = kubePod(state.space, 100, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term } } });
    const avoidsDb = kubePod(state.space, 100, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term } } });
    const db = template({ labels: { app: 'db' } });
    const web = template({ labels: { app: 'web' } });
    expect(ipa.queueingHint!(wantsDb, { kind: EVENT_POD_ADD, node: 0, pod: db })).toBe(true);
    expect(ipa.queueingHint!(wantsDb, { kind: EVENT_POD_ADD, node: 0, pod: web })).toBe(false);
    expect(ipa.queueingHint!(avoidsDb, { kind: EVENT_POD_DELETE, node: 0, pod: db })).toBe(true);
    expect(ipa.queueingHint!(avoidsDb, { kind: EVENT_POD_DELETE, node: 0, pod: web })).toBe(false);
  });

  it('the scheduler asks only the plugins that rejected the pod', () => {
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 't'));
    // A 5-CPU pod on 4-CPU nodes: NodeResourcesFit rejects it everywhere; a node added never helps, a pod deletion always.
    const big = kubePod(state.space, 5000);
    expect(s.schedule(big)).toBeLessThan(0);
    expect(s.requeueOn & EVENT_POD_DELETE).toBe(EVENT_POD_DELETE);
    expect(s.hintOn & EVENT_NODE_ADD).toBe(EVENT_NODE_ADD);
    expect(s.queueingHint(big, s.rejectors, { kind: EVENT_NODE_ADD, node: 1 })).toBe(false);
  });
});

describe('a cluster that starts over-committed (boundAtStart: an imported cluster as it is)', () => {
  // n-1 (4 CPUs) already runs two 3-CPU pods: 6 CPUs requested, 2 over. A 1-CPU web pod arrives at 1 s.
  const data = {
    name: 'overcommitted',
    cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 4, memory: '32Gi' } }] },
    workload: {
      services: [
        { name: 'static', replicas: 2, requests: { cpu: 3, memory: '1Gi' }, boundAtStart: 'n-1', nodeSelector: { 'kubernetes.io/hostname': 'n-1' } },
        { name: 'web', replicas: 1, at: '1s', requests: { cpu: 1, memory: '1Gi' } },
      ],
    },
    simulation: { until: '1m' },
  };

  it('explain explains the web pod there instead of refusing the state: NodeResourcesFit rejects n-1 (room −2 CPUs)', () => {
    const loaded = { file: 'overcommitted', data, scenario: scenarioFromData(data, 'overcommitted') };
    const e = explainPod(loaded, { owner: 'web', scheduler: 'kube-default', seed: 1 });
    expect(e.chosen).toBe('n-2');
    const over = e.nodes.find((n) => n.node === 'n-1')!;
    expect([over.status, over.plugin]).toEqual(['rejected', 'NodeResourcesFit']);
  });

  it('runs with both static pods on n-1 from time 0 and the web pod on n-2', () => {
    const m = runOne({ scenario: scenarioFromData(data, 'overcommitted'), source: 'overcommitted', scheduler: 'kube-default', queue: 'priority', seed: 1 }).metrics;
    expect(m.pods_scheduled).toBe(3);
    expect(m.pods_pending_end).toBe(0);
  });

  it('refuses a boundAtStart that names no node, naming the field', () => {
    const bad = { ...data, workload: { services: [{ ...data.workload.services[0]!, boundAtStart: 'n-9' }] } };
    expect(() => scenarioFromData(bad, 'bad.yaml')).toThrow(/boundAtStart/);
  });
});

describe('a pod that starts terminating leaves PodTopologySpread\'s counts, not InterPodAffinity\'s (KubeCluster.regroup)', () => {
  it('two web pods on a stop counting for a DoNotSchedule spread once they terminate', () => {
    const state = stateOf(2);
    const kube = new KubeCluster(state);
    const pts = KUBE_PLUGINS.get('PodTopologySpread')!.factory(undefined, kube);
    const live = kube.group('default', { app: 'web' });
    for (let i = 0; i < 2; i++) kube.bind(asNode(0), 100, 2 ** 20, live);
    const p = kubePod(state.space, 100, {
      labels: { app: 'web' },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
    });
    // Counted: node 0 has 2 + 1 − 0 = 3 > maxSkew 1.
    pts.preFilter!(p);
    expect(pts.filter!(p, asNode(0))).not.toBe(0);
    const gone = kube.group('default', { app: 'web' }, undefined, true);
    for (let i = 0; i < 2; i++) kube.regroup(asNode(0), live, gone);
    pts.preFilter!(p);
    expect(pts.filter!(p, asNode(0))).toBe(0);
  });
});
