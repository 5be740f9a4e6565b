/** Turning a scenario's node pools into concrete nodes. */
import type { NodeIndex } from '../core/ids.js';
import type { NodeImage } from './container.js';
import type { Labels, Taint } from './labels.js';
import { DEFAULT_MAX_PODS, PODS, ResourceSpace } from './resources.js';
import type { ResolvedScenario } from './scenario.js';
import type { LocalVolumeSpec } from './volumes.js';

export interface NodeSpec {
  readonly index: NodeIndex;
  /** `<pool>-<n>`, n counting from 1 within the pool. */
  readonly name: string;
  readonly pool: string;
  readonly zone: string;
  readonly rack: string;
  readonly labels: Labels;
  readonly taints: readonly Taint[];
  /** Cordoned (spec.unschedulable): only pods tolerating node.kubernetes.io/unschedulable may land. */
  readonly unschedulable: boolean;
  /** Hardware capacity per dimension of the resource space. */
  readonly capacity: Float64Array;
  /** capacity − reserved: what pods may request. */
  readonly allocatable: Float64Array;
  /** The container images present on the node (node.status.images); none when absent. */
  readonly images?: readonly NodeImage[] | undefined;
  /** Static local PVs with node affinity to this node; none when absent. */
  readonly localVolumes?: readonly LocalVolumeSpec[] | undefined;
  /** Bytes per second its local storage reads and writes in all; absent when not modelled (never a bottleneck). */
  readonly storageBandwidth?: number | undefined;
}

/** Every resource named by any pool's capacity, any request or the probe, beyond the built-ins. */
export function resourceSpaceOf(scenario: ResolvedScenario): ResourceSpace {
  const names: string[] = [];
  for (const p of scenario.cluster.pools) names.push(...Object.keys(p.capacity));
  return new ResourceSpace(names);
}

/** A resource map (name → integer amount) as a vector in `space`; absent names are 0. */
export function toVector(space: ResourceSpace, map: Readonly<Record<string, number>>): Float64Array {
  const v = space.zeros();
  for (const [name, amount] of Object.entries(map)) {
    const dim = space.indexOf(name);
    if (dim !== undefined) v[dim] = amount;
  }
  return v;
}

/** The nodes of a scenario in pool order; node labels include the well-known topology labels. */
export function buildNodes(scenario: ResolvedScenario, space: ResourceSpace): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (const pool of scenario.cluster.pools) {
    const capacity = toVector(space, pool.capacity);
    if (pool.capacity.pods === undefined) capacity[PODS] = DEFAULT_MAX_PODS;
    const reserved = toVector(space, pool.reserved);
    const allocatable = capacity.map((c, d) => c - reserved[d]!);
    for (let i = 0; i < pool.count; i++) {
      const name = `${pool.name}-${i + 1}`;
      const zone = pool.zones ? pool.zones[i % pool.zones.length]! : '';
      const rack = pool.racks ? pool.racks[i % pool.racks.length]! : '';
      const labels: Record<string, string> = { ...pool.labels, 'kubernetes.io/hostname': name, 'rackbench.io/pool': pool.name };
      if (zone !== '') labels['topology.kubernetes.io/zone'] = zone;
      if (rack !== '') labels['topology.rackbench.io/rack'] = rack;
      nodes.push({
        index: nodes.length as NodeIndex,
        name,
        pool: pool.name,
        zone,
        rack,
        labels,
        taints: pool.taints,
        unschedulable: pool.unschedulable,
        capacity,
        allocatable,
        images: pool.images,
        localVolumes: pool.localVolumes,
        storageBandwidth: pool.hardware?.storageBandwidth,
      });
    }
  }
  return nodes;
}
