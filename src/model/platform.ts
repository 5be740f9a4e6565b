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
import { loadPlatformData } from './platform-data.js';
import type { PlatformData } from './platform-data.js';
import type { ParsedScenario, PoolSpec } from './scenario-schema.js';
import type { FieldIssue } from './yaml-input.js';

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
  /** kube-reserved + system-reserved per node: none (kubelet-default), GKE's tiers, or these amounts (cpu in millicores, memory in bytes). */
  readonly reserved: ReservedRule;
  readonly agents: readonly { readonly name: string; readonly requests: Readonly<Record<string, number>> }[];
}

/** kube-reserved + system-reserved on each node: none, GKE's tiers, or fixed amounts. */
export type ReservedRule = 'kubelet-default' | 'gke' | { readonly cpu?: number | undefined; readonly memory?: number | undefined };

/** What part of the platform a pod is, for attributing a platform's share (the Kubernetes vs k3s comparison). */
export type PlatformCategory = 'control-plane' | 'datastore' | 'cni' | 'kube-proxy' | 'ingress' | 'dns' | 'metrics' | 'addon' | 'agent';

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
  readonly category: PlatformCategory;
  /** Where its requests come from (the upstream manifest), from the platform data. */
  readonly source: string;
}

/**
 * The platform's own pods of a scenario with a stack, as resolving takes
 * them from the platform data, so that a run reads no file.
 */
export interface PlatformPods {
  /** Per pool, in pool order: the pods pinned to each node of the pool (`node` unset). */
  readonly pinned: readonly (readonly PlatformPod[])[];
  /** The cluster add-on Deployments. */
  readonly addons: readonly PlatformPod[];
}

/** Every taint: what DaemonSets of CNI agents and kube-proxy tolerate (operator: Exists in their manifests). */
const TOLERATE_ALL: readonly Toleration[] = [{ operator: 'Exists' }];

/** `<pool>-<n>`, n from 1: the node names buildNodes gives (and the kubernetes.io/hostname label). */
export function nodeName(pool: string, i: number): string {
  return `${pool}-${i + 1}`;
}

function platformOf(s: ParsedScenario): Platform | undefined {
  return s.platform === 'none' ? undefined : s.platform;
}

function serverCount(s: ParsedScenario): number {
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
    reserved: input.reserved ?? 'kubelet-default',
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

/** The memory.available hard-eviction threshold the platform's kubelet applies, in bytes (0: none), and where that is set. */
export function evictionThreshold(platform: Platform, data: PlatformData = loadPlatformData()): { memory: number; source: string } {
  const e = data.evictionHard[platform];
  return { memory: e.memory, source: e.source ?? '' };
}

/**
 * kube-reserved + system-reserved + the hard eviction threshold for one node
 * of `pool` (platforms.yaml documents each figure): the stack's reservation
 * rule (none by default, as both kubeadm and k3s install; GKE's tiers; or
 * fixed amounts), the same on every platform, plus the memory.available
 * threshold of the platform's own kubelet (100Mi under kubeadm, none on k3s).
 */
export function reservedFor(platform: Platform, stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): Record<string, number> {
  const eviction = evictionThreshold(platform, data).memory;
  const rule = stack.reserved;
  if (rule === 'kubelet-default') return { cpu: 0, memory: eviction };
  if (rule === 'gke') {
    const g = data.reserved.gke;
    const cores = (pool.capacity.cpu ?? 0) / 1000;
    const memory = pool.capacity.memory ?? 0;
    const cpu = Math.round(tiered(cores, g.cpu) * 1000);
    const mem = memory < 2 ** 30 ? g.memoryUnder1Gi : Math.round(tiered(memory, g.memory));
    return { cpu, memory: mem + eviction };
  }
  return { cpu: rule.cpu ?? 0, memory: (rule.memory ?? 0) + eviction };
}

/**
 * The published measurement of the k3s service on one node of `pool` (server
 * or agent, by architecture and datastore): what the process uses beyond any
 * pod's requests. The kubelet does not reserve it; the comparison shows it.
 */
export function measuredK3sService(stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): { cpu: number; memory: number; source: string } {
  const m = data.measured;
  const arch = archOf(pool);
  if (pool.role === 'server') {
    const f = m.k3s.server[arch];
    return { cpu: f.cpu, memory: f.memory[stack.datastore], source: m.source };
  }
  const f = m.k3s.agent[arch];
  return { cpu: f.cpu, memory: f.memory, source: m.source };
}

/** The pods pinned to each node of `pool` (their `node` unset): static control-plane pods on servers, then DaemonSet pods. */
export function pinnedPods(platform: Platform, stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const p = data.platforms[platform];
  const nodeCritical = data.priorities['system-node-critical'];
  const out: PlatformPod[] = [];
  const pin = (c: { name: string; requests: Readonly<Record<string, number>>; source?: string | undefined }, kind: 'static' | 'daemonset', category: PlatformCategory): void => {
    out.push({ name: c.name, kind, replicas: 1, requests: c.requests, priority: nodeCritical, tolerations: TOLERATE_ALL, category, source: c.source ?? '' });
  };
  if (pool.role === 'server') {
    for (const sp of p.staticPods) {
      if (sp.datastore === undefined) pin(sp, 'static', 'control-plane');
      else if (sp.datastore === stack.datastore) pin(sp, 'static', 'datastore');
    }
  }
  const cni = data.cnis[stack.cni];
  if (!cni.embeddedIn.includes(platform)) pin(cni.daemonset, 'daemonset', 'cni');
  if (stack.kubeProxy !== 'none' && p.kubeProxy !== undefined) pin(p.kubeProxy, 'daemonset', 'kube-proxy');
  const lb = stack.ingress === 'none' ? undefined : data.ingresses[stack.ingress].k3sServiceLb;
  if (platform === 'k3s' && lb !== undefined) pin(lb, 'daemonset', 'ingress');
  for (const a of stack.agents) {
    const builtIn = data.agents[a.name];
    const source = builtIn !== undefined && JSON.stringify(builtIn.requests) === JSON.stringify(a.requests) ? builtIn.source : 'the scenario (stack.agents)';
    pin({ ...a, source }, 'daemonset', 'agent');
  }
  return out;
}

/** The cluster add-on Deployments the scheduler places like any replica. */
export function addonDeployments(platform: Platform, stack: Stack, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const p = data.platforms[platform];
  const out: PlatformPod[] = [];
  type PriorityClass = keyof PlatformData['priorities'];
  type Deployment = {
    name: string;
    replicas: number;
    requests: Readonly<Record<string, number>>;
    priority?: PriorityClass | undefined;
    tolerations: readonly Toleration[];
    source?: string | undefined;
  };
  const add = (d: Deployment, category: PlatformCategory, priority = data.priorities[d.priority ?? 'system-cluster-critical']): void => {
    out.push({ name: d.name, kind: 'deployment', replicas: d.replicas, requests: d.requests, priority, tolerations: d.tolerations, category, source: d.source ?? '' });
  };
  add({ name: 'coredns', ...p.coredns }, 'dns');
  if (stack.metricsServer) add({ name: 'metrics-server', ...p.metricsServer }, 'metrics');
  for (const d of data.cnis[stack.cni].deployments) add(d, 'cni');
  if (stack.ingress !== 'none') {
    // An ingress controller without a priority class runs at priority 0.
    for (const d of data.ingresses[stack.ingress].deployments) add(d, 'ingress', d.priority === undefined ? 0 : undefined);
  }
  for (const d of p.addons) add(d, 'addon');
  return out;
}

/** Σ requests × replicas per resource, and the pod count under `pods`. */
export function sumRequests(pods: readonly PlatformPod[]): Record<string, number> {
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

/** The stack section and pools of a scenario once its stack is applied, and the platform's pods. */
export interface AppliedStack {
  readonly stack: ParsedScenario['stack'];
  readonly pools: PoolSpec[];
  /** Absent without a stack. */
  readonly pods?: PlatformPods | undefined;
  readonly issues: FieldIssue[];
}

/**
 * Applies the scenario's stack to its pools (profiles already applied):
 * fills in each pool's reserved resources when it gives none, labels server
 * nodes, taints them when they take no workloads, fills in the stack's
 * defaults and lists the platform's own pods. Issues for bad combinations and for nodes that cannot hold their
 * own platform, each at its field path.
 */
export function applyStack(s: ParsedScenario, given?: PlatformData): AppliedStack {
  const unchanged = { stack: s.stack, pools: s.cluster.pools };
  if (s.stack === undefined) return { ...unchanged, issues: [] };
  // Read the platforms file only for a scenario with a stack: most runs have none.
  const data = given ?? loadPlatformData();
  const platform = platformOf(s);
  if (platform === undefined) {
    return { ...unchanged, issues: [{ path: ['stack'], message: 'a stack needs `platform: kubernetes` or `platform: k3s`' }] };
  }
  const p = data.platforms[platform];
  const servers = serverCount(s);
  const stack = resolveStack(platform, s.stack, servers, data);
  const issues: FieldIssue[] = [];
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
  if (issues.length > 0) return { ...unchanged, issues };

  const pools = s.cluster.pools.map((pool, i) => {
    const server = pool.role === 'server';
    const reserved = Object.keys(pool.reserved).length > 0 ? pool.reserved : reservedFor(platform, stack, pool, data);
    let labels: Labels = pool.labels;
    let taints: readonly Taint[] = pool.taints;
    if (server) {
      labels = { ...p.serverLabels, ...(stack.datastore === 'etcd' ? p.etcdLabels : {}), ...pool.labels };
      const { key, value, effect } = p.serverTaint;
      const taint: Taint = value === undefined ? { key, effect } : { key, value, effect };
      if (!stack.serversSchedulable && !taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints = [...taints, taint];
    }
    const resolved = { ...pool, reserved, labels: { ...labels }, taints: [...taints] };
    const shortfall = shortfallOf(platform, stack, resolved, data);
    if (shortfall !== undefined) {
      issues.push({ path: ['cluster', 'pools', i, pool.profile !== undefined ? 'profile' : 'capacity'], message: shortfall });
    }
    return resolved;
  });
  const pods = { pinned: pools.map((pool) => pinnedPods(platform, stack, pool, data)), addons: addonDeployments(platform, stack, data) };
  return { stack: { ...stack, agents: [...stack.agents] }, pools, pods, issues };
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
  const pinned = pinnedPods(platform, stack, pool, data);
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

