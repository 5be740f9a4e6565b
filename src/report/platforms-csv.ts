/**
 * platforms.csv: per platform variant and node pool, what one node offers
 * the workload (from the platform model). Written by a run whose scenarios
 * ran on several platforms, read back by `rackbench report`.
 */
import { stringify } from 'csv-stringify/sync';
import type { ColumnDoc } from '../metrics/columns.js';

/** cpu in millicores, memory in bytes, pods as a count. */
export interface Amounts {
  readonly cpu: number;
  readonly memory: number;
  readonly pods?: number | undefined;
}

/** One node pool of one platform variant: the budget of each of its nodes. */
export interface PlatformNodeRow {
  /** The variant's scenario as results name it, e.g. `k8s-vs-k3s (platform=k3s)`. */
  readonly scenario: string;
  readonly platform: string;
  readonly pool: string;
  readonly profile: string;
  readonly role: string;
  readonly nodes: number;
  /** NoSchedule/NoExecute taints of the pool's nodes as `key[=value]:Effect`, space-separated; workload pods without a toleration stay off. */
  readonly taints: string;
  readonly capacity: Amounts;
  readonly reserved: Amounts;
  readonly allocatable: Amounts;
  /** The static and DaemonSet pods on each node: their names and summed requests (pods = how many). */
  readonly pinnedNames: string;
  readonly pinned: Amounts;
  readonly left: Amounts;
  /** The cluster's add-on Deployments (the same on every row of a variant): `name ×replicas`, and their summed requests. */
  readonly addonNames: string;
  readonly addons: Amounts;
}

/** platforms.csv's columns, in order. */
export const PLATFORM_COLUMNS: readonly ColumnDoc[] = [
  { name: 'scenario', unit: '', meaning: 'The scenario on one platform, as runs.csv names it (`name (platform=k3s)`).' },
  { name: 'platform', unit: '', meaning: 'kubernetes or k3s.' },
  { name: 'pool', unit: '', meaning: 'Node pool; each row describes one node of it.' },
  { name: 'profile', unit: '', meaning: 'Hardware profile of the pool (empty when it gives its capacity directly).' },
  { name: 'role', unit: '', meaning: 'server (control plane) or agent.' },
  { name: 'nodes', unit: 'nodes', meaning: 'Nodes in the pool.' },
  { name: 'taints', unit: '', meaning: 'NoSchedule/NoExecute taints of its nodes (`key[=value]:Effect`, space-separated), e.g. kubeadm\'s control-plane taint: workload pods without a toleration do not land there.' },
  { name: 'capacity_cpu', unit: 'CPUs', meaning: 'Hardware CPUs of one node.' },
  { name: 'capacity_memory', unit: 'bytes', meaning: 'Hardware memory of one node.' },
  { name: 'capacity_pods', unit: 'pods', meaning: 'Pod slots of one node (the kubelet\'s maxPods, 110 unless the pool says).' },
  { name: 'reserved_cpu', unit: 'CPUs', meaning: 'kube-reserved + system-reserved CPU: 0 on both platforms by default (neither kubeadm nor k3s sets any); the pool\'s own `reserved`, or the stack\'s reservation rule (`stack.reserved: gke` or `{ cpu, memory }`, the same on every platform; docs/platforms.md).' },
  { name: 'reserved_memory', unit: 'bytes', meaning: 'kube-reserved + system-reserved memory (0 by default, as reserved_cpu) plus the memory.available hard-eviction threshold the platform\'s kubelet applies: 100Mi under kubeadm (the kubelet\'s default), none on k3s (its kubelet configuration sets only disk thresholds). A process footprint no pod requests (the k3s service) is never here.' },
  { name: 'allocatable_cpu', unit: 'CPUs', meaning: 'capacity_cpu − reserved_cpu: what the kubelet reports as allocatable.' },
  { name: 'allocatable_memory', unit: 'bytes', meaning: 'capacity_memory − reserved_memory.' },
  { name: 'allocatable_pods', unit: 'pods', meaning: 'capacity_pods (nothing reserves pod slots).' },
  { name: 'platform_pods', unit: '', meaning: 'The static (control-plane) and DaemonSet pods pinned to each node of the pool, space-separated.' },
  { name: 'platform_pods_cpu', unit: 'CPUs', meaning: 'Their summed CPU requests.' },
  { name: 'platform_pods_memory', unit: 'bytes', meaning: 'Their summed memory requests.' },
  { name: 'platform_pods_count', unit: 'pods', meaning: 'How many there are: each takes a pod slot, requests or not.' },
  { name: 'left_cpu', unit: 'CPUs', meaning: 'allocatable_cpu − platform_pods_cpu: what each node leaves for the workload (and the add-ons).' },
  { name: 'left_memory', unit: 'bytes', meaning: 'allocatable_memory − platform_pods_memory.' },
  { name: 'left_pods', unit: 'pods', meaning: 'allocatable_pods − platform_pods_count.' },
  { name: 'addons', unit: '', meaning: 'The cluster\'s add-on Deployments (`name×replicas`, space-separated), which the scheduler places like workload pods; the same on every row of the scenario.' },
  { name: 'addons_cpu', unit: 'CPUs', meaning: 'Their summed CPU requests (all replicas).' },
  { name: 'addons_memory', unit: 'bytes', meaning: 'Their summed memory requests.' },
  { name: 'addons_count', unit: 'pods', meaning: 'Their replicas: pods that count in pods_submitted and pods_scheduled beside the workload\'s.' },
];

const cores = (m: number): number => m / 1000;

/** platforms.csv: one row per platform variant × pool, variants of one scenario together. */
export function platformsCsv(rows: readonly PlatformNodeRow[]): string {
  const records = rows.map((r) => [
    r.scenario,
    r.platform,
    r.pool,
    r.profile,
    r.role,
    r.nodes,
    r.taints,
    cores(r.capacity.cpu),
    r.capacity.memory,
    r.capacity.pods ?? '',
    cores(r.reserved.cpu),
    r.reserved.memory,
    cores(r.allocatable.cpu),
    r.allocatable.memory,
    r.allocatable.pods ?? '',
    r.pinnedNames,
    cores(r.pinned.cpu),
    r.pinned.memory,
    r.pinned.pods ?? 0,
    cores(r.left.cpu),
    r.left.memory,
    r.left.pods ?? '',
    r.addonNames,
    cores(r.addons.cpu),
    r.addons.memory,
    r.addons.pods ?? 0,
  ]);
  return stringify([PLATFORM_COLUMNS.map((c) => c.name), ...records], { escape_formulas: true, record_delimiter: 'unix' });
}

/** Rows of platforms.csv read back (each a record of column → cell); throws with the row and column on a bad number. */
export function platformRowsFromCsv(records: readonly Record<string, string>[], fail: (row: number, column: string, value: string) => never): PlatformNodeRow[] {
  return records.map((r, i) => {
    const num = (k: string): number => {
      const v = r[k] ?? '';
      const x = Number(v);
      return v === '' || !Number.isFinite(x) ? fail(i, k, v) : x;
    };
    const opt = (k: string): number | undefined => ((r[k] ?? '') === '' ? undefined : num(k));
    const amounts = (prefix: string, pods: string): Amounts => ({
      cpu: Math.round(num(`${prefix}_cpu`) * 1000),
      memory: num(`${prefix}_memory`),
      pods: opt(pods),
    });
    return {
      scenario: r.scenario ?? '',
      platform: r.platform ?? '',
      pool: r.pool ?? '',
      profile: r.profile ?? '',
      role: r.role ?? '',
      nodes: num('nodes'),
      taints: r.taints ?? '',
      capacity: amounts('capacity', 'capacity_pods'),
      reserved: { cpu: Math.round(num('reserved_cpu') * 1000), memory: num('reserved_memory') },
      allocatable: amounts('allocatable', 'allocatable_pods'),
      pinnedNames: r.platform_pods ?? '',
      pinned: amounts('platform_pods', 'platform_pods_count'),
      left: amounts('left', 'left_pods'),
      addonNames: r.addons ?? '',
      addons: amounts('addons', 'addons_count'),
    };
  });
}
