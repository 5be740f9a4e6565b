import { describe, it, expect } from 'vitest';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { platformPods } from '../src/model/platform-budget.js';
import { measuredK3sService } from '../src/model/platform.js';
import type { Stack } from '../src/model/platform.js';
import { loadPlatformData } from '../src/model/platform-data.js';
import { parseScenario } from '../src/model/scenario-file.js';
import { InputError } from '../src/model/yaml-input.js';
import type { Scenario } from '../src/model/scenario.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { scenarioWorkload } from '../src/workload/generate.js';
import { RandomStreams } from '../src/core/random.js';
import type { PodSubmission } from '../src/workload/pod.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const CPU = 0;
const MEMORY = 1;
const PODS = 4;

/** One server pool and one agent pool of `profile` on `platform`, with `stack` (YAML flow text). */
function text(platform: string, profile: string, stack = '{}', extra = ''): string {
  return `name: t
platform: ${platform}
stack: ${stack}
cluster:
  pools:
    - name: server
      count: 1
      role: server
      profile: ${profile}
${extra}    - name: agent
      count: 2
      profile: ${profile}
workload: {}
`;
}

function parse(t: string): Scenario {
  return parseScenario(t, 'test.yaml');
}

/** What a node has left for the workload: allocatable − the requests of the pods pinned to it. */
function leftFor(s: Scenario, node: string): number[] {
  const space = resourceSpaceOf(s);
  const n = buildNodes(s, space).find((x) => x.name === node)!;
  const left = [...n.allocatable];
  for (const p of platformPods(s).filter((q) => q.node === node)) {
    left[CPU]! -= p.requests.cpu ?? 0;
    left[MEMORY]! -= p.requests.memory ?? 0;
    left[PODS]! -= 1;
  }
  return [left[CPU]!, left[MEMORY]!, left[PODS]!];
}

function allocatable(s: Scenario, node: string): number[] {
  const n = buildNodes(s, resourceSpaceOf(s)).find((x) => x.name === node)!;
  return [n.allocatable[CPU]!, n.allocatable[MEMORY]!, n.allocatable[PODS]!];
}

function inputError(t: string): InputError {
  try {
    parse(t);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('kubernetes (kubeadm) on a Dell R650, 2x Xeon Gold 6338 (128 CPUs, 512 GiB)', () => {
  const s = parse(text('kubernetes', 'r650-2x32c'));

  it("reserves what kubeadm's kubelet does: no kube-reserved or system-reserved, and the default memory.available<100Mi eviction threshold", () => {
    // kubeadm's KubeletConfiguration sets no evictionHard, kubeReserved or systemReserved, so the kubelet's
    // DefaultEvictionHard applies: memory.available 100Mi, the one threshold Node Allocatable subtracts for memory.
    expect(s.cluster.pools[1]!.reserved).toEqual({ cpu: 0, memory: 100 * Mi });
    // Allocatable = capacity − reserved: 128000m; 524288Mi − 100Mi = 524188Mi.
    expect(allocatable(s, 'agent-1')).toEqual([128_000, 524_188 * Mi, 110]);
  });

  it('runs calico-node (250m) and kube-proxy (no requests) on every node', () => {
    // Left for the workload on an agent: 128000 − 250 = 127750m; 524188Mi; 110 − 2 = 108 pods.
    expect(leftFor(s, 'agent-1')).toEqual([127_750, 524_188 * Mi, 108]);
    expect(platformPods(s).filter((p) => p.node === 'agent-2').map((p) => p.name)).toEqual(['calico-node', 'kube-proxy']);
  });

  it('runs the control plane as static pods on the server, and taints it', () => {
    // kube-apiserver 250m + kube-controller-manager 200m + kube-scheduler 100m + etcd 100m/100Mi
    // + calico-node 250m = 900m and 100Mi, in 6 pods: 128000 − 900 = 127100m; 524188 − 100 = 524088Mi; 104 pods.
    expect(leftFor(s, 'server-1')).toEqual([127_100, 524_088 * Mi, 104]);
    const server = s.cluster.pools[0]!;
    expect(server.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(server.labels['node-role.kubernetes.io/control-plane']).toBe('');
    expect(s.cluster.pools[1]!.taints).toEqual([]);
  });

  it('places CoreDNS (2 replicas, 100m/70Mi) and calico-kube-controllers as add-ons', () => {
    const addons = platformPods(s).filter((p) => p.kind === 'deployment');
    expect(addons.map((p) => [p.name, p.replicas, p.requests.cpu ?? 0, p.requests.memory ?? 0])).toEqual([
      ['coredns', 2, 100, 70 * Mi],
      ['calico-kube-controllers', 1, 0, 0],
    ]);
    expect(addons[0]!.priority).toBe(2_000_000_000);
  });

  it('fills in the stack defaults', () => {
    expect(s.stack).toEqual({
      datastore: 'etcd',
      cni: 'calico',
      kubeProxy: 'iptables',
      ingress: 'none',
      serversSchedulable: false,
      metricsServer: false,
      reserved: 'kubelet-default',
      agents: [],
    });
  });
});

describe('k3s on the same Dell R650', () => {
  const s = parse(text('k3s', 'r650-2x32c'));

  it("reserves what k3s's kubelet does: nothing (no kube/system-reserved, and no memory.available eviction threshold)", () => {
    // k3s's kubelet configuration sets evictionHard to imagefs.available<5% and nodefs.available<5% only; with
    // mergeDefaultEvictionSettings false (the default) the other signals get no threshold, so memory reserves 0.
    expect(s.cluster.pools[1]!.reserved).toEqual({ cpu: 0, memory: 0 });
    expect(s.cluster.pools[0]!.reserved).toEqual({ cpu: 0, memory: 0 });
    expect(allocatable(s, 'agent-1')).toEqual([128_000, 512 * Gi, 110]);
  });

  it('keeps the k3s service footprint measured on x86 as a figure beside the requests, never reserved (agent 3% of a core, 275M; server 6%, 1596M with SQLite)', () => {
    const stack = s.stack as Stack;
    expect(measuredK3sService(stack, s.cluster.pools[1]!)).toMatchObject({ cpu: 30, memory: 275e6 });
    expect(measuredK3sService(stack, s.cluster.pools[0]!)).toMatchObject({ cpu: 60, memory: 1596e6 });
  });

  it('runs only the svclb-traefik DaemonSet pod (no requests) on each node: flannel and kube-proxy are in the k3s binary', () => {
    expect(leftFor(s, 'agent-1')).toEqual([128_000, 512 * Gi, 109]);
    expect(leftFor(s, 'server-1')).toEqual([128_000, 512 * Gi, 109]);
    expect(platformPods(s).filter((p) => p.node === 'server-1').map((p) => p.name)).toEqual(['svclb-traefik']);
  });

  it('leaves servers schedulable and labels them', () => {
    expect(s.cluster.pools[0]!.taints).toEqual([]);
    expect(s.cluster.pools[0]!.labels).toMatchObject({ 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' });
  });

  it('deploys CoreDNS, metrics-server, Traefik and local-path-provisioner', () => {
    expect(platformPods(s).filter((p) => p.kind === 'deployment').map((p) => [p.name, p.replicas, p.requests.cpu ?? 0, p.requests.memory ?? 0])).toEqual([
      ['coredns', 1, 100, 70 * Mi],
      ['metrics-server', 1, 100, 70 * Mi],
      ['traefik', 1, 0, 0],
      ['local-path-provisioner', 1, 0, 0],
    ]);
  });
});

describe('k3s on a Raspberry Pi 4 4GB (4 CPUs, 3790Mi as the kubelet sees it)', () => {
  const s = parse(text('k3s', 'rpi4-4gb'));

  it('offers the whole board; the footprint measured on the Pi 4B (agent 10% of a core, 268M; server 30%, 1588M) is a figure beside it', () => {
    // 3790Mi = 3 974 103 040 bytes, all of it allocatable.
    expect(allocatable(s, 'agent-1')).toEqual([4000, 3_974_103_040, 110]);
    expect(leftFor(s, 'agent-1')).toEqual([4000, 3_974_103_040, 109]);
    expect(allocatable(s, 'server-1')).toEqual([4000, 3_974_103_040, 110]);
    const stack = s.stack as Stack;
    expect(measuredK3sService(stack, s.cluster.pools[1]!)).toMatchObject({ cpu: 100, memory: 268e6 });
    expect(measuredK3sService(stack, s.cluster.pools[0]!)).toMatchObject({ cpu: 300, memory: 1588e6 });
  });
});

describe('stack options', () => {
  it('cilium replaces kube-proxy; agents add DaemonSets', () => {
    const s = parse(text('kubernetes', 'r650-2x32c', '{ cni: cilium, kubeProxy: none, agents: [node-exporter, { name: fluent-bit, requests: { cpu: 50m, memory: 64Mi } }] }'));
    expect(platformPods(s).filter((p) => p.node === 'agent-1').map((p) => [p.name, p.requests.cpu ?? 0])).toEqual([
      ['cilium', 0],
      ['node-exporter', 112],
      ['fluent-bit', 50],
    ]);
  });

  it("reserved: gke applies GKE's tiers on either platform, plus that platform's eviction threshold", () => {
    // CPU: 6% of core 1 + 1% of core 2 + 0.5% of cores 3-4 + 0.25% of 124 cores = 60 + 10 + 10 + 310 = 390m.
    // Memory: 25% of 4Gi + 20% of 4Gi + 10% of 8Gi + 6% of 112Gi + 2% of 384Gi
    //       = 1 + 0.8 + 0.8 + 6.72 + 7.68 = 17Gi = 17408Mi; + 100Mi under kubeadm, + 0 on k3s.
    const k8s = parse(text('kubernetes', 'r650-2x32c', '{ reserved: gke }'));
    expect(k8s.cluster.pools[1]!.reserved).toEqual({ cpu: 390, memory: 17508 * Mi });
    const k3s = parse(text('k3s', 'r650-2x32c', '{ reserved: gke }'));
    expect(k3s.cluster.pools[1]!.reserved).toEqual({ cpu: 390, memory: 17408 * Mi });
    expect(k3s.cluster.pools[0]!.reserved).toEqual({ cpu: 390, memory: 17408 * Mi });
  });

  it('reserved: { cpu, memory } reserves those amounts on every node, plus the eviction threshold', () => {
    const s = parse(text('kubernetes', 'r650-2x32c', '{ reserved: { cpu: 500m, memory: 2Gi } }'));
    expect(s.cluster.pools[1]!.reserved).toEqual({ cpu: 500, memory: 2048 * Mi + 100 * Mi });
    expect(parse(text('k3s', 'r650-2x32c', '{ reserved: { memory: 1Gi } }')).cluster.pools[1]!.reserved).toEqual({ cpu: 0, memory: 1024 * Mi });
  });

  it('refuses reserved: recommended, the former per-platform rule, saying what replaced it', () => {
    expect(inputError(text('kubernetes', 'r650-2x32c', '{ reserved: recommended }')).message).toMatch(/stack.reserved: `recommended` is no longer a rule: .*kubelet-default.*`gke`/);
  });

  it("a pool's own reserved wins over the stack's rule", () => {
    const s = parse(text('kubernetes', 'rpi4-4gb', '{ reserved: gke }', '      reserved: { cpu: 250m, memory: 512Mi }\n'));
    expect(s.cluster.pools[0]!.reserved).toEqual({ cpu: 250, memory: 512 * Mi });
    // GKE on the Pi's 4 CPUs and 3790Mi: 60 + 10 + 10 = 80m; 25% of 3790Mi = 947.5Mi, + 100Mi.
    expect(s.cluster.pools[1]!.reserved).toEqual({ cpu: 80, memory: Math.round(0.25 * 3790 * Mi) + 100 * Mi });
  });

  it('k3s servers may be dedicated (tainted CriticalAddonsOnly), and HA picks embedded etcd', () => {
    const t = text('k3s', 'r650-2x32c', '{ serversSchedulable: false }').replace('role: server', 'role: server').replace('      count: 1\n      role: server', '      count: 3\n      role: server');
    const s = parse(t);
    expect(s.stack?.datastore).toBe('etcd');
    expect(s.cluster.pools[0]!.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoExecute' }]);
    expect(s.cluster.pools[0]!.labels['node-role.kubernetes.io/etcd']).toBe('true');
    // Nothing reserved; the measured footprint with embedded etcd is 1606M.
    expect(s.cluster.pools[0]!.reserved).toEqual({ cpu: 0, memory: 0 });
    expect(measuredK3sService(s.stack as Stack, s.cluster.pools[0]!)).toMatchObject({ cpu: 60, memory: 1606e6 });
  });

  it('rejects SQLite with three servers, an even etcd cluster, sqlite on kubernetes and kube-proxy none without cilium', () => {
    const three = (t: string) => t.replace('      count: 1\n      role: server', '      count: 3\n      role: server');
    const two = (t: string) => t.replace('      count: 1\n      role: server', '      count: 2\n      role: server');
    expect(inputError(three(text('k3s', 'r650-2x32c', '{ datastore: sqlite }'))).message).toMatch(/stack.datastore: SQLite serves a single k3s server.*3 servers/);
    expect(inputError(two(text('k3s', 'r650-2x32c'))).message).toMatch(/stack.datastore: .*odd number of servers.*2/);
    expect(inputError(text('kubernetes', 'r650-2x32c', '{ datastore: sqlite }')).message).toMatch(/kubernetes does not support datastore sqlite/);
    expect(inputError(text('kubernetes', 'r650-2x32c', '{ kubeProxy: none }')).message).toMatch(/stack.kubeProxy: kubeProxy none needs a CNI that replaces kube-proxy/);
    expect(inputError(text('none', 'r650-2x32c')).message).toMatch(/stack: a stack needs `platform: kubernetes` or `platform: k3s`/);
  });
});

describe('a node that cannot hold its own platform', () => {
  it('names the pool, the profile and the shortfall per resource', () => {
    // A Pi 4 4GB cut down to 1 CPU as a kubeadm control plane: below the preflight
    // minimum of 2 CPUs, and 650m static pods + 250m calico-node = 900m fits in 1000m.
    const e1 = inputError(text('kubernetes', 'r650-2x32c').replace('      profile: r650-2x32c\n    - name: agent', '      profile: rpi4-4gb\n      capacity: { cpu: 1 }\n    - name: agent'));
    const issue = e1.issues.find((i) => i.path === 'cluster.pools[0].profile');
    expect(issue?.message).toMatch(/pool "server" \(profile rpi4-4gb\) cannot hold its own kubernetes server: cpu 1 is below kubeadm's preflight minimum 2 for control-plane nodes \(short 1\)/);
    // 600m of CPU, with GKE's reservation: 6% of 0.6 core = 36m + 650m + 250m = 936m > 600m.
    const e2 = inputError(text('kubernetes', 'rpi4-4gb', '{ reserved: gke }').replace('      profile: rpi4-4gb\n    - name: agent', '      profile: rpi4-4gb\n      capacity: { cpu: 600m, pods: 4 }\n    - name: agent'));
    const m = e2.issues.find((i) => i.path === 'cluster.pools[0].profile')!.message;
    expect(m).toMatch(/cpu short by 336m \(needs 936m: reserved 36m \+ kube-apiserver 250m \+ kube-controller-manager 200m \+ kube-scheduler 100m \+ etcd 100m \+ calico-node 250m; capacity 600m\)/);
    expect(m).toMatch(/pods short by 2 \(needs 6: .*; capacity 4\)/);
  });

  it('checks agents too: a pool whose memory cannot hold its node agents', () => {
    // node-exporter requests 200Mi (102m/180Mi + kube-rbac-proxy 10m/20Mi): 56Mi more than a 144Mi node has.
    const e = inputError(text('k3s', 'rpi4-4gb', '{ agents: [node-exporter] }').replace('      count: 2\n      profile: rpi4-4gb', '      count: 2\n      profile: rpi4-4gb\n      capacity: { memory: 144Mi }'));
    expect(e.issues.find((i) => i.path === 'cluster.pools[1].profile')?.message).toMatch(/pool "agent" \(profile rpi4-4gb\) cannot hold its own k3s agent: memory short by 56Mi/);
  });
});

describe('platform pods in the workload', () => {
  it('come first, at time 0, pinned by hostname, tolerating every taint, at system-node-critical priority', () => {
    const s = parse(text('kubernetes', 'r650-2x32c'));
    const space = resourceSpaceOf(s);
    const subs = [...scenarioWorkload(s, space, new RandomStreams(1))] as PodSubmission[];
    expect(subs.length).toBe(6 + 2 + 2 + 2 + 1);
    const first = subs[0]!;
    expect(first.arrival).toBe(0);
    expect(first.template).toMatchObject({ owner: 'kube-apiserver', kind: 'static', priority: loadPlatformData().priorities['system-node-critical'], tenant: 'kube-system' });
    expect(first.template.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'server-1' });
    expect(first.template.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(first.requests[CPU]).toBe(250);
    expect(first.requests[PODS]).toBe(1);
    expect(subs.at(-1)!.template).toMatchObject({ owner: 'calico-kube-controllers', kind: 'service' });
  });

  it('use real capacity in a run: every pinned pod runs on its node, and the add-ons avoid the tainted control plane', () => {
    const data = { name: 't', platform: 'kubernetes', stack: {}, cluster: { pools: [
      { name: 'server', count: 1, role: 'server', profile: 'rpi5-8gb' },
      { name: 'agent', count: 2, profile: 'rpi5-8gb' },
    ] }, workload: {} };
    const run = prepareRun({ scenario: scenarioFromData(data, 't'), source: 't', scheduler: 'kube-default', queue: 'kube', seed: 1 });
    const census = run.sim.run();
    expect(census.running).toBe(13);
    // requested[dimension][node]; nodes server-1, agent-1, agent-2.
    const cpu = run.cluster.requested[CPU]!;
    const pods = run.cluster.requested[PODS]!;
    // server: 4 static pods (650m) + calico-node (250m) + kube-proxy = 900m, 6 pods.
    expect([cpu[0], pods[0]]).toEqual([900, 6]);
    // The agents share 2 CoreDNS (100m each) and calico-kube-controllers, beside their calico-node and kube-proxy.
    expect(cpu[1]! + cpu[2]!).toBe(2 * 250 + 2 * 100);
    expect(pods[1]! + pods[2]!).toBe(4 + 3);
  });
});
