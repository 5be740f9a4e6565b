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

/** The pods pinned to each node of `pool` (their `node` unset): static control-plane pods on servers, then DaemonSet pods. */
export function pinnedPods(platform: Platform, stack: Stack, pool: PoolSpec, data: PlatformData = loadPlatformData()): PlatformPod[] {
  const p = data.platforms[platform];
  const nodeCritical = data.priorities['system-node-critical'];
  const out: PlatformPod[] = [];
  const pin = (name: string, kind: 'static' | 'daemonset', requests: Readonly<Record<string, number>>): void => {
    out.push({ name, kind, replicas: 1, requests, priority: nodeCritical, tolerations: TOLERATE_ALL });
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
export function applyStack(s: ParsedScenario, data: PlatformData = loadPlatformData()): AppliedStack {
  const unchanged = { stack: s.stack, pools: s.cluster.pools };
  if (s.stack === undefined) return { ...unchanged, issues: [] };
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

