/**
 * Tetris over the resources tasks contend for (Grandl et al., "Multi-Resource
 * Packing for Cluster Schedulers", SIGCOMM 2014, §3.1 and §5.1): besides
 * CPU and memory, a task's demand for disk and network bandwidth, which no
 * request reserves. Its peak demand (the largest over its `usage:` phases)
 * is aligned with what the node's bandwidth has left,
 *
 *   a = Σ_{cpu, memory, …} (request_d / alloc_d)(free_d / alloc_d)
 *     + (disk / B_disk)(B_disk − disk in use) / B_disk + (net / B_net)(B_net − net in use) / B_net,
 *
 * where "in use" is what the node's working pods demand now; and a task is
 * placed only where its bandwidth fits too, so a node's disk and NIC are
 * never over-allocated (the paper's point: slot and DRF schedulers, blind to
 * them, over-allocate and tasks slow down). Disk bandwidth is the node's
 * storage bandwidth (hardware `storageBandwidth`), network its NIC; a node
 * without them is not limited by them.
 */
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import { NIC } from '../model/resources.js';
import type { PodUsage } from '../workload/pod.js';
import { NormalizedCapacity } from './normalized-capacity.js';
import { alignmentSum } from './tetris.js';
import type { PlacementPolicy, PolicyFactory } from './types.js';
import { quantize } from './vbp/measures.js';

/** The largest demand of a bandwidth over the profile's phases (0 without a profile). */
function peak(usage: PodUsage | undefined, what: 'nvme' | 'nic'): number {
  if (usage === undefined) return 0;
  let most = 0;
  for (const phase of usage.phases) most = Math.max(most, phase[what]);
  return most;
}

/** The alignment term of one bandwidth, or −1 when the demand does not fit in what is left (capacity ≤ 0: not limited). */
function bandwidthTerm(demand: number, capacity: number, inUse: number): number {
  if (demand <= 0 || !(capacity > 0) || !Number.isFinite(capacity)) return 0;
  const free = capacity - inUse;
  if (demand > free) return -1;
  return (demand / capacity) * (free / capacity);
}

export const tetrisUsage: PolicyFactory = ({ cluster: own }): PlacementPolicy => {
  const cap = new NormalizedCapacity(own);
  return {
    name: 'tetris-usage',
    needsUsage: true,
    place(pod, cluster): NodeIndex {
      const c = cap.on(cluster);
      const { usage, nodes } = cluster;
      const disk = peak(pod.usage, 'nvme');
      const net = peak(pod.usage, 'nic');
      let best = NO_NODE;
      let bestScore = -Infinity;
      for (let n = 0; n < cluster.nodeCount; n++) {
        const node = asNode(n);
        if (!pod.fitsOn(node)) continue;
        const spec = nodes[n]!;
        const d = bandwidthTerm(disk, spec.storageBandwidth ?? 0, usage.nvmeDemand[n]!);
        const x = bandwidthTerm(net, spec.allocatable[NIC] ?? 0, usage.nicDemand[n]!);
        if (d < 0 || x < 0) continue;
        const a = quantize(alignmentSum(c, cluster, node, pod.requests) + d + x);
        if (a > bestScore) {
          bestScore = a;
          best = node;
        }
      }
      return best;
    },
  };
};
