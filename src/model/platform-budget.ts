/**
 * What the platform takes of each node of a resolved scenario: its pods per
 * node, and each pool's node budget (capacity, reserved, allocatable, the
 * pods pinned to it, what is left). Reads only the scenario, which carries
 * the platform's pods since it was resolved.
 */
import { nodeName, sumRequests } from './platform.js';
import type { PlatformPod } from './platform.js';
import type { Taint } from './labels.js';
import { DEFAULT_MAX_PODS } from './resources.js';
import type { ResolvedScenario } from './scenario.js';

/**
 * Every platform pod of a scenario whose stack is set, in the order they are
 * created at time 0: per node (pool order) its static and DaemonSet pods, then
 * the add-on Deployments. Empty without a stack. Pure.
 */
export function platformPods(s: ResolvedScenario): PlatformPod[] {
  if (s.platformPods === undefined) return [];
  const out: PlatformPod[] = [];
  s.cluster.pools.forEach((pool, p) => {
    const pinned = s.platformPods!.pinned[p] ?? [];
    for (let i = 0; i < pool.count; i++) {
      const node = nodeName(pool.name, i);
      for (const pod of pinned) out.push({ ...pod, node });
    }
  });
  out.push(...s.platformPods.addons);
  return out;
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
 * add-on Deployments, which the scheduler places like workload pods). Without
 * a stack nothing is pinned. Pure.
 */
export function poolBudgets(s: ResolvedScenario): PoolBudget[] {
  return s.cluster.pools.map((pool, p): PoolBudget => {
    const capacity: Record<string, number> = { ...pool.capacity, pods: pool.capacity.pods ?? DEFAULT_MAX_PODS };
    const allocatable: Record<string, number> = {};
    for (const [r, v] of Object.entries(capacity)) allocatable[r] = v - (pool.reserved[r] ?? 0);
    const pinned = s.platformPods?.pinned[p] ?? [];
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
export function scenarioAddons(s: ResolvedScenario): readonly PlatformPod[] {
  return s.platformPods?.addons ?? [];
}
