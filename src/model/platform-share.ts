/**
 * What the platform takes from the workload across a whole cluster, part by
 * part: the kubelet's eviction threshold and any reservation rule, the
 * control plane, the datastore, the CNI, kube-proxy, ingress, DNS,
 * metrics-server, other add-ons, node agents, and the room the server taint
 * keeps from the workload. Laid side by side for two platforms, the parts
 * attribute the difference between them (the Kubernetes vs k3s comparison).
 * Each part names its source: the upstream manifest of its pods' requests,
 * the kubelet configuration of its threshold, or that the component runs
 * inside the k3s binary with no pod. Pure, apart from reading the platform
 * data file once per process.
 */
import { poolBudgets, scenarioAddons } from './platform-budget.js';
import { evictionThreshold, measuredK3sService } from './platform.js';
import type { Platform, PlatformCategory, Stack } from './platform.js';
import { loadPlatformData } from './platform-data.js';
import type { PlatformData } from './platform-data.js';
import type { ResolvedScenario } from './scenario.js';

/** cpu in millicores, memory in bytes, pods as a count; summed over the cluster. */
export interface ShareAmounts {
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

export type SharePart = 'eviction' | 'reserved' | PlatformCategory | 'server-taint';

/** One part of the platform's share of a cluster. */
export interface ShareRow {
  readonly part: SharePart;
  readonly amounts: ShareAmounts;
  /** The components behind it (pod names ×count, or what runs without a pod); empty when nothing. */
  readonly what: string;
  /** Where the figures come from. */
  readonly source: string;
}

/** The platform's share of one scenario's cluster. */
export interface PlatformShare {
  readonly platform: Platform;
  /** In the order of SHARE_PARTS; every part, zero or not. */
  readonly rows: readonly ShareRow[];
  /** Σ rows: what the platform keeps from the workload. */
  readonly total: ShareAmounts;
  /** Σ capacity over every node. */
  readonly capacity: ShareAmounts;
  /** A published measurement of what the platform's processes use beyond any request (k3s: the k3s service); undefined where none is published. */
  readonly measured?: { readonly amounts: ShareAmounts; readonly source: string } | undefined;
}

/** The parts in reading order, with their labels. */
export const SHARE_PARTS: readonly { readonly part: SharePart; readonly label: string }[] = [
  { part: 'eviction', label: 'kubelet memory.available hard-eviction threshold (reserved)' },
  { part: 'reserved', label: 'kube-reserved + system-reserved' },
  { part: 'control-plane', label: 'control plane (API server, controller manager, scheduler)' },
  { part: 'datastore', label: 'datastore' },
  { part: 'cni', label: 'CNI' },
  { part: 'kube-proxy', label: 'kube-proxy' },
  { part: 'ingress', label: 'ingress (controller, service load balancer)' },
  { part: 'dns', label: 'CoreDNS' },
  { part: 'metrics', label: 'metrics-server' },
  { part: 'addon', label: 'other add-ons' },
  { part: 'agent', label: 'node agents' },
  { part: 'server-taint', label: 'server taint: room on tainted control-plane nodes the workload cannot use' },
];

const ZERO: ShareAmounts = { cpu: 0, memory: 0, pods: 0 };
const plus = (a: ShareAmounts, b: ShareAmounts): ShareAmounts => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, pods: a.pods + b.pods });
const times = (a: ShareAmounts, k: number): ShareAmounts => ({ cpu: a.cpu * k, memory: a.memory * k, pods: a.pods * k });

/** Components the k3s binary runs without a pod, by the part they belong to. */
const EMBEDDED_PART: Readonly<Record<string, SharePart>> = {
  flannel: 'cni',
  'kube-proxy': 'kube-proxy',
  'kube-apiserver': 'control-plane',
  'kube-controller-manager': 'control-plane',
  'kube-scheduler': 'control-plane',
  etcd: 'datastore',
  sqlite: 'datastore',
};

function reservedSource(rule: Stack['reserved']): string {
  if (rule === 'kubelet-default') return 'none: neither kubeadm nor k3s sets kube-reserved or system-reserved (stack.reserved: kubelet-default)';
  if (rule === 'gke') return "GKE's tiers (stack.reserved: gke; cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes)";
  return 'the scenario (stack.reserved)';
}

/**
 * The platform's share of a resolved scenario's cluster, part by part, or
 * undefined when the scenario has no stack (then the platform takes nothing).
 */
export function platformShare(s: ResolvedScenario, given?: PlatformData): PlatformShare | undefined {
  if (s.platformPods === undefined || s.stack === undefined || s.platform === 'none') return undefined;
  const data = given ?? loadPlatformData();
  const platform: Platform = s.platform;
  const stack = s.stack as Stack;
  const parts = new Map<SharePart, { amounts: ShareAmounts; what: Map<string, number>; embedded: string[]; sources: Set<string> }>();
  for (const { part } of SHARE_PARTS) parts.set(part, { amounts: ZERO, what: new Map(), embedded: [], sources: new Set() });
  const add = (part: SharePart, amounts: ShareAmounts, what?: string, count = 1, source?: string): void => {
    const p = parts.get(part)!;
    p.amounts = plus(p.amounts, amounts);
    if (what !== undefined) p.what.set(what, (p.what.get(what) ?? 0) + count);
    if (source !== undefined && source !== '') p.sources.add(source);
  };
  const eviction = evictionThreshold(platform, data);
  add('eviction', ZERO, undefined, 0, eviction.source);
  add('reserved', ZERO, undefined, 0, reservedSource(stack.reserved));

  const budgets = poolBudgets(s);
  let capacity = ZERO;
  let measured = ZERO;
  s.cluster.pools.forEach((pool, i) => {
    const b = budgets[i]!;
    const n = pool.count;
    capacity = plus(capacity, times({ cpu: b.capacity.cpu ?? 0, memory: b.capacity.memory ?? 0, pods: b.capacity.pods ?? 0 }, n));
    const reservedMemory = b.reserved.memory ?? 0;
    const evicted = Math.min(eviction.memory, reservedMemory);
    add('eviction', times({ cpu: 0, memory: evicted, pods: 0 }, n));
    add('reserved', times({ cpu: b.reserved.cpu ?? 0, memory: reservedMemory - evicted, pods: 0 }, n));
    for (const p of b.pinned) add(p.category, times({ cpu: p.requests.cpu ?? 0, memory: p.requests.memory ?? 0, pods: 1 }, n), p.name, n, p.source);
    const serverTaint = data.platforms[platform].serverTaint;
    if (pool.role === 'server' && b.taints.some((t) => t.key === serverTaint.key && t.effect === serverTaint.effect)) {
      add('server-taint', times({ cpu: b.left.cpu ?? 0, memory: b.left.memory ?? 0, pods: b.left.pods ?? 0 }, n), `${pool.name} (${b.taints.map((t) => t.key).join(', ')})`, n, serverTaint.source);
    }
    if (platform === 'k3s') {
      const m = measuredK3sService(stack, pool, data);
      measured = plus(measured, times({ cpu: m.cpu, memory: m.memory, pods: 0 }, n));
    }
  });
  for (const a of scenarioAddons(s)) {
    add(a.category, times({ cpu: a.requests.cpu ?? 0, memory: a.requests.memory ?? 0, pods: 1 }, a.replicas), a.name, a.replicas, a.source);
  }
  const p = data.platforms[platform];
  for (const name of p.embedded) {
    const part = EMBEDDED_PART[name];
    if (part === undefined) continue;
    if (part === 'datastore' && name !== (stack.datastore === 'etcd' ? 'etcd' : 'sqlite')) continue;
    if (part === 'cni' && !data.cnis[stack.cni].embeddedIn.includes(platform)) continue;
    if (part === 'kube-proxy' && stack.kubeProxy === 'none') continue;
    parts.get(part)!.embedded.push(name);
    add(part, ZERO, undefined, 0, p.embeddedSource);
  }
  if (platform === 'k3s' && stack.serversSchedulable) add('server-taint', ZERO, 'servers take workload pods', 0, 'k3s default (servers schedulable)');

  const rows = SHARE_PARTS.map(({ part }): ShareRow => {
    const x = parts.get(part)!;
    const pods = [...x.what].map(([name, count]) => (count > 1 ? `${name}×${count}` : name));
    const what = [...pods, ...(x.embedded.length === 0 ? [] : [`${x.embedded.join(', ')} in the k3s binary, no pod`])].join(', ');
    return { part, amounts: x.amounts, what, source: [...x.sources].join('; ') };
  });
  const total = rows.reduce((t, r) => plus(t, r.amounts), ZERO);
  return {
    platform,
    rows,
    total,
    capacity,
    measured: platform === 'k3s' ? { amounts: measured, source: data.measured.source } : undefined,
  };
}
