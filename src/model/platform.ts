/**
 * The platform model: what Kubernetes (kubeadm) or k3s takes from each node
 * before workloads do. A scenario's `stack:` section picks the datastore, CNI,
 * kube-proxy mode, ingress and node agents; the defaults and every figure
 * live in data (`scenarios/catalog/platforms.yaml`). From them this module
 * computes, per pool, the kube/system reserved resources (when the pool gives
 * none), server labels and taints, and the platform's own pods: static
 * control-plane pods on servers, DaemonSet pods on every node and the
 * cluster add-on Deployments (CoreDNS, metrics-server, ingress, …).
 */
import type { Arch } from './catalog-schema.js';
import type { StackInput } from './platform-schema.js';
import { formatQuantity } from './quantity.js';
import { DEFAULT_MAX_PODS, unitOf } from './resources.js';
import type { Labels, Taint, Toleration } from './labels.js';
import type { PoolSpec, Scenario } from './scenario.js';
import { loadPlatformData } from './platform-data.js';
import type { PlatformData } from './platform-data.js';

export type Platform = 'kubernetes' | 'k3s';
export type Datastore = 'etcd' | 'sqlite' | 'external';
export type Cni = 'calico' | 'cilium' | 'flannel';
export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none';
export type Ingress = 'nginx' | 'traefik' | 'none';

/** A stack with every default filled in. */
export interface Stack {
  readonly datastore: Datastore;
  readonly cni: Cni;
  readonly kubeProxy: KubeProxyMode;
  readonly ingress: Ingress;
  readonly serversSchedulable: boolean;
  readonly metricsServer: boolean;
  readonly reserved: 'recommended' | 'kubelet-default';
  readonly agents: readonly { readonly name: string; readonly requests: Readonly<Record<string, number>> }[];
}

/** One of the platform's own pods (or, for a Deployment, `replicas` of them). */
export interface PlatformPod {
  /** The component, used as the pod's owner (e.g. `calico-node`, `kube-apiserver`, `coredns`). */
  readonly name: string;
  /** static: a control-plane static (mirror) pod; daemonset: one per node; deployment: scheduled like any replica. */
  readonly kind: 'static' | 'daemonset' | 'deployment';
  /** The node a static or DaemonSet pod is pinned to; absent for Deployments. */
  readonly node?: string | undefined;
  readonly replicas: number;
  /** Requests by resource name (cpu in millicores, memory in bytes); pods = 1 is implied. */
  readonly requests: Readonly<Record<string, number>>;
  readonly priority: number;
  readonly tolerations: readonly Toleration[];
}

/** Every taint: what DaemonSets of CNI agents and kube-proxy tolerate (operator: Exists in their manifests). */
const TOLERATE_ALL: readonly Toleration[] = [{ operator: 'Exists' }];

/** `<pool>-<n>`, n from 1: the node names buildNodes gives (and the kubernetes.io/hostname label). */
export function nodeName(pool: string, i: number): string {
  return `${pool}-${i + 1}`;
}

export interface PlatformIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

function platformOf(s: Scenario): Platform | undefined {
  return s.platform === 'none' ? undefined : s.platform;
}

function serverCount(s: Scenario): number {
  return s.cluster.pools.reduce((n, p) => n + (p.role === 'server' ? p.count : 0), 0);
}

/** The stack with the platform's defaults filled in (k3s picks embedded etcd when it has more than one server). */
export function resolveStack(platform: Platform, input: StackInput, servers: number, data: PlatformData = loadPlatformData()): Stack {
  const d = data.platforms[platform].defaults;
  const datastore = input.datastore ?? (servers > 1 && d.haDatastore !== undefined ? d.haDatastore : d.datastore);
  return {
    datastore,
    cni: input.cni ?? d.cni,
    kubeProxy: input.kubeProxy ?? d.kubeProxy,
    ingress: input.ingress ?? d.ingress,
    serversSchedulable: input.serversSchedulable ?? d.serversSchedulable,
    metricsServer: input.metricsServer ?? d.metricsServer,
    reserved: input.reserved ?? 'recommended',
    agents: (input.agents ?? []).map((a) => (typeof a === 'string' ? { name: a, requests: data.agents[a]?.requests ?? {} } : a)),
  };
}

/** Σ share × (the part of `amount` inside each tier), tiers in ascending `upTo` order, the last unbounded. */
function tiered(amount: number, tiers: readonly { readonly upTo?: number | undefined; readonly share: number }[]): number {
  let total = 0;
  let lower = 0;
  for (const t of tiers) {
    const upper = t.upTo ?? Infinity;
    if (amount > lower) total += (Math.min(amount, upper) - lower) * t.share;
    lower = upper;
  }
  return total;
}

/** A pool's CPU architecture: its hardware's, else its kubernetes.io/arch label, else amd64. */
export function archOf(pool: PoolSpec): Arch {
  const label = pool.labels['kubernetes.io/arch'];
  return pool.hardware?.arch ?? (label === 'arm64' ? 'arm64' : 'amd64');
}

/**
 * kube-reserved + system-reserved + the hard eviction threshold for one node
 * of `pool`, by the platform's rule (platforms.yaml documents each figure).
 * kubernetes: GKE's tiers over the node's CPUs and memory; k3s: the measured
 * footprint of the k3s service (server or agent, by architecture and datastore).
 */
export function recommendedReserved(platform: Platform, stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): Record<string, number> {
  const eviction = data.evictionHard.memory ?? 0;
  if (stack.reserved === 'kubelet-default') return { cpu: 0, memory: eviction };
  const r = data.reserved;
  if (platform === 'kubernetes') {
    const cores = (pool.capacity.cpu ?? 0) / 1000;
    const memory = pool.capacity.memory ?? 0;
    const cpu = Math.round(tiered(cores, r.kubernetes.cpu) * 1000);
    const mem = memory < 2 ** 30 ? r.kubernetes.memoryUnder1Gi : Math.round(tiered(memory, r.kubernetes.memory));
    return { cpu, memory: mem + eviction };
  }
  const arch = archOf(pool);
  if (pool.role === 'server') {
    const f = r.k3s.server[arch];
    return { cpu: f.cpu, memory: f.memory[stack.datastore] + eviction };
  }
  const f = r.k3s.agent[arch];
  return { cpu: f.cpu, memory: f.memory + eviction };
}

/** The pods pinned to each node of `pool`: static control-plane pods on servers, then DaemonSet pods. */
export function pinnedPods(platform: Platform, stack: Stack, pool: PoolSpec, node: string, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const p = data.platforms[platform];
  const nodeCritical = data.priorities['system-node-critical'];
  const out: PlatformPod[] = [];
  const pin = (name: string, kind: 'static' | 'daemonset', requests: Readonly<Record<string, number>>): void => {
    out.push({ name, kind, node, replicas: 1, requests, priority: nodeCritical, tolerations: TOLERATE_ALL });
  };
  if (pool.role === 'server') {
    for (const sp of p.staticPods) if (sp.datastore === undefined || sp.datastore === stack.datastore) pin(sp.name, 'static', sp.requests);
  }
  const cni = data.cnis[stack.cni];
  if (!cni.embeddedIn.includes(platform)) pin(cni.daemonset.name, 'daemonset', cni.daemonset.requests);
  if (stack.kubeProxy !== 'none' && p.kubeProxy !== undefined) pin(p.kubeProxy.name, 'daemonset', p.kubeProxy.requests);
  const lb = stack.ingress === 'none' ? undefined : data.ingresses[stack.ingress].k3sServiceLb;
  if (platform === 'k3s' && lb !== undefined) pin(lb.name, 'daemonset', lb.requests);
  for (const a of stack.agents) pin(a.name, 'daemonset', a.requests);
  return out;
}

/** The cluster add-on Deployments the scheduler places like any replica. */
export function addonDeployments(platform: Platform, stack: Stack, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const p = data.platforms[platform];
  const out: PlatformPod[] = [];
  type PriorityClass = keyof PlatformData['priorities'];
  const add = (d: { name: string; replicas: number; requests: Readonly<Record<string, number>>; priority?: PriorityClass | undefined; tolerations: readonly Toleration[] }): void => {
    const priority = data.priorities[d.priority ?? 'system-cluster-critical'];
    out.push({ name: d.name, kind: 'deployment', replicas: d.replicas, requests: d.requests, priority, tolerations: d.tolerations });
  };
  add({ name: 'coredns', ...p.coredns });
  if (stack.metricsServer) add({ name: 'metrics-server', ...p.metricsServer });
  for (const d of data.cnis[stack.cni].deployments) add(d);
  if (stack.ingress !== 'none') {
    for (const d of data.ingresses[stack.ingress].deployments) {
      if (d.priority === undefined) out.push({ name: d.name, kind: 'deployment', replicas: d.replicas, requests: d.requests, priority: 0, tolerations: d.tolerations });
      else add(d);
    }
  }
  for (const d of p.addons) add(d);
  return out;
}

/**
 * Every platform pod of a scenario whose stack is set, in the order they are
 * created at time 0: per node (pool order) its static and DaemonSet pods, then
 * the add-on Deployments. Empty without a stack. Pure.
 */
export function platformPods(s: Scenario, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const platform = platformOf(s);
  if (platform === undefined || s.stack === undefined) return [];
  const stack = resolveStack(platform, s.stack, serverCount(s), data);
  const out: PlatformPod[] = [];
  for (const pool of s.cluster.pools) {
    for (let i = 0; i < pool.count; i++) out.push(...pinnedPods(platform, stack, pool, nodeName(pool.name, i), data));
  }
  out.push(...addonDeployments(platform, stack, data));
  return out;
}

function sumRequests(pods: readonly PlatformPod[]): Record<string, number> {
  const total: Record<string, number> = { pods: 0 };
  for (const p of pods) {
    for (const [r, v] of Object.entries(p.requests)) total[r] = (total[r] ?? 0) + v * p.replicas;
    total.pods! += p.replicas;
  }
  return total;
}

/** A quantity for a message: exact when it has a short form, else memory to 0.1 Mi. */
function fmt(resource: string, amount: number): string {
  const unit = unitOf(resource);
  const exact = formatQuantity(Math.round(amount), unit);
  return unit === 'bytes' && /^\d{7,}$/.test(exact) ? `${(amount / 2 ** 20).toFixed(1)}Mi` : exact;
}

/**
 * Applies the scenario's stack to its pools, in place (the scenario is a
 * freshly parsed value): fills in each pool's reserved resources when it gives
 * none, labels server nodes, taints them when they take no workloads, and
 * stores the resolved stack. Returns the issues (bad combinations, nodes that
 * cannot hold their own platform), each at its field path.
 */
export function applyStack(s: Scenario, data: PlatformData = loadPlatformData()): PlatformIssue[] {
  if (s.stack === undefined) return [];
  const platform = platformOf(s);
  if (platform === undefined) {
    return [{ path: ['stack'], message: 'a stack needs `platform: kubernetes` or `platform: k3s`' }];
  }
  const p = data.platforms[platform];
  const servers = serverCount(s);
  const stack = resolveStack(platform, s.stack, servers, data);
  const issues: PlatformIssue[] = [];
  if (!p.datastores.includes(stack.datastore)) {
    issues.push({ path: ['stack', 'datastore'], message: `${platform} does not support datastore ${stack.datastore}; use one of ${p.datastores.join(', ')}` });
  }
  if (stack.datastore === 'sqlite' && servers > 1) {
    issues.push({
      path: ['stack', 'datastore'],
      message: `SQLite serves a single k3s server, and the pools have ${servers} servers (role: server); use datastore etcd (embedded) or external for HA`,
    });
  }
  if (stack.datastore === 'etcd' && servers > 1 && servers % 2 === 0) {
    issues.push({
      path: ['stack', 'datastore'],
      message: `embedded/stacked etcd needs an odd number of servers to keep quorum, and the pools have ${servers} (role: server); use 1, 3 or 5`,
    });
  }
  if (stack.kubeProxy === 'none' && !data.cnis[stack.cni].replacesKubeProxy) {
    issues.push({ path: ['stack', 'kubeProxy'], message: `kubeProxy none needs a CNI that replaces kube-proxy (cilium); ${stack.cni} does not` });
  }
  for (const a of s.stack.agents ?? []) {
    if (typeof a === 'string' && data.agents[a] === undefined) {
      issues.push({ path: ['stack', 'agents'], message: `unknown node agent "${a}"; built-in agents: ${Object.keys(data.agents).join(', ')}; or give { name, requests }` });
    }
  }
  if (issues.length > 0) return issues;

  s.stack = { ...stack, agents: [...stack.agents] };
  s.cluster.pools = s.cluster.pools.map((pool, i) => {
    const server = pool.role === 'server';
    const reserved = Object.keys(pool.reserved).length > 0 ? pool.reserved : recommendedReserved(platform, stack, pool, data);
    let labels: Labels = pool.labels;
    let taints: readonly Taint[] = pool.taints;
    if (server) {
      labels = { ...p.serverLabels, ...(stack.datastore === 'etcd' ? p.etcdLabels : {}), ...pool.labels };
      const taint = p.serverTaint;
      if (!stack.serversSchedulable && !taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints = [...taints, taint];
    }
    const resolved = { ...pool, reserved, labels: { ...labels }, taints: [...taints] };
    const shortfall = shortfallOf(platform, stack, resolved, data);
    if (shortfall !== undefined) {
      issues.push({ path: ['cluster', 'pools', i, pool.profile !== undefined ? 'profile' : 'capacity'], message: shortfall });
    }
    return resolved;
  });
  return issues;
}

/**
 * Why a node of `pool` cannot hold its own platform, or undefined: the
 * reserved resources plus its pinned pods' requests exceed its capacity in
 * some resource, or (kubeadm) a control-plane node is below the preflight
 * minimum.
 */
export function shortfallOf(platform: Platform, stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): string | undefined {
  const what = `pool "${pool.name}"${pool.profile !== undefined ? ` (profile ${pool.profile})` : ''}`;
  const role = pool.role === 'server' ? `${platform} server` : `${platform} agent`;
  const pinned = pinnedPods(platform, stack, pool, nodeName(pool.name, 0), data);
  const needs = sumRequests(pinned);
  const capacity: Record<string, number> = { ...pool.capacity, pods: pool.capacity.pods ?? DEFAULT_MAX_PODS };
  const short: string[] = [];
  const min = data.platforms[platform].serverMinimum;
  if (pool.role === 'server' && min !== undefined) {
    for (const [r, v] of Object.entries(min) as [string, number][]) {
      const have = capacity[r] ?? 0;
      if (have < v) short.push(`${r} ${fmt(r, have)} is below kubeadm's preflight minimum ${fmt(r, v)} for control-plane nodes (short ${fmt(r, v - have)})`);
    }
  }
  const resources = new Set([...Object.keys(needs), ...Object.keys(pool.reserved)]);
  for (const r of resources) {
    const need = (needs[r] ?? 0) + (pool.reserved[r] ?? 0);
    const have = capacity[r] ?? 0;
    if (need > have) {
      const parts = [`reserved ${fmt(r, pool.reserved[r] ?? 0)}`, ...pinned.filter((q) => (r === 'pods' ? 1 : (q.requests[r] ?? 0)) > 0).map((q) => `${q.name} ${fmt(r, r === 'pods' ? 1 : q.requests[r]!)}`)];
      short.push(`${r} short by ${fmt(r, need - have)} (needs ${fmt(r, need)}: ${parts.join(' + ')}; capacity ${fmt(r, have)})`);
    }
  }
  return short.length === 0 ? undefined : `${what} cannot hold its own ${role}: ${short.join('; ')}`;
}


/** What each node of a pool offers the workload once the platform has taken its share. */
export interface PoolBudget {
  readonly pool: string;
  readonly profile?: string | undefined;
  readonly role: 'server' | 'agent';
  readonly count: number;
  /** Hardware capacity per resource (cpu in millicores, memory in bytes, pods; the kubelet's 110 when the pool gives none). */
  readonly capacity: Readonly<Record<string, number>>;
  /** kube/system reserved plus the eviction threshold: the pool's own, or the platform's rule (applyStack). */
  readonly reserved: Readonly<Record<string, number>>;
  /** capacity − reserved, as the kubelet reports it and buildNodes computes it. */
  readonly allocatable: Readonly<Record<string, number>>;
  /** The static and DaemonSet pods pinned to each node of the pool. */
  readonly pinned: readonly PlatformPod[];
  /** allocatable − the pinned pods' requests; each pinned pod takes one `pods` slot. */
  readonly left: Readonly<Record<string, number>>;
  /** Taints that keep pods off unless they tolerate them (NoSchedule, NoExecute), such as kubeadm's control-plane taint. */
  readonly taints: readonly Taint[];
}

/**
 * Per pool, the budget of one of its nodes: capacity, reserved, allocatable,
 * the platform pods pinned to it and what is left for the workload (before the
 * add-on Deployments, which the scheduler places like workload pods). Reads a
 * scenario whose stack has been applied (any parsed scenario); without a
 * stack nothing is pinned. Pure.
 */
export function poolBudgets(s: Scenario, data: PlatformData = loadPlatformData()): PoolBudget[] {
  const platform = platformOf(s);
  const stack = platform === undefined || s.stack === undefined ? undefined : resolveStack(platform, s.stack, serverCount(s), data);
  return s.cluster.pools.map((pool): PoolBudget => {
    const capacity: Record<string, number> = { ...pool.capacity, pods: pool.capacity.pods ?? DEFAULT_MAX_PODS };
    const allocatable: Record<string, number> = {};
    for (const [r, v] of Object.entries(capacity)) allocatable[r] = v - (pool.reserved[r] ?? 0);
    const pinned = platform === undefined || stack === undefined ? [] : pinnedPods(platform, stack, pool, nodeName(pool.name, 0), data);
    const taken = sumRequests(pinned);
    const left: Record<string, number> = {};
    for (const [r, v] of Object.entries(allocatable)) left[r] = v - (taken[r] ?? 0);
    return {
      pool: pool.name,
      profile: pool.profile,
      role: pool.role,
      count: pool.count,
      capacity,
      reserved: { ...pool.reserved },
      allocatable,
      pinned,
      left,
      taints: pool.taints.filter((t) => t.effect !== 'PreferNoSchedule'),
    };
  });
}

/** The add-on Deployments of a scenario's stack (CoreDNS, metrics-server, the CNI's and ingress's controllers, …); none without a stack. */
export function scenarioAddons(s: Scenario, data: PlatformData = loadPlatformData()): PlatformPod[] {
  return platformPods(s, data).filter((p) => p.kind === 'deployment');
}
