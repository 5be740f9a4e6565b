/**
 * L2-norm placement, after Panigrahy, Talwar, Uyeda and Wieder, "Heuristics
 * for Vector Bin Packing" (Microsoft Research, 2011), section 3.2 (the
 * bin-centric L2 norm heuristic, as in vbp/bin-centric.ts): place the item that
 * minimizes the weighted squared distance between the bin's remaining
 * capacity and the item,
 *
 *   Σ_d w_d · (free_d / allocatable_d − request_d / allocatable_d)²,
 *
 * so that a node is left with capacity shaped like the demand still to
 * come. Online, the roles turn round: the pod the queue hands over goes to
 * the feasible node minimizing that distance. The weights are the paper's
 * `avg` weights (vbp/measures.ts `weightsOf`): the average demand of the
 * items in each dimension, here the pods bound so far, each request
 * divided by the mean allocatable of its dimension over the nodes; all 1
 * until a pod has been bound. Dimensions: every one but the pod count.
 * Ties go to the lowest node index. A full scan; nothing is allocated per
 * decision.
 */
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { NormalizedCapacity } from './normalized-capacity.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';
import { quantize } from './vbp/measures.js';

/** Σ_d w_d · ((free_d − request_d) / allocatable_d)² on `node`. */
export function l2Distance(cap: NormalizedCapacity, cluster: ClusterView, node: NodeIndex, request: Float64Array, weights: Float64Array): number {
  const { dims, inverse } = cap;
  const { allocatable, requested } = cluster;
  let sum = 0;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!;
    const x = (allocatable[d]![node]! - requested[d]![node]! - request[d]!) * inverse[i]![node]!;
    sum += weights[i]! * x * x;
  }
  return quantize(sum);
}

export function scanL2Norm(cap: NormalizedCapacity, pod: PodView, cluster: ClusterView, weights: Float64Array): NodeIndex {
  let best = NO_NODE;
  let bestDistance = Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    const distance = l2Distance(cap, cluster, node, pod.requests, weights);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = node;
    }
  }
  return best;
}

export const l2Norm: PolicyFactory = ({ cluster: own }): PlacementPolicy => {
  const cap = new NormalizedCapacity(own);
  const dims = cap.dims;
  // 1 / (mean allocatable over the nodes) per measured dimension, 0 where no node has the resource.
  const meanInverse = new Float64Array(dims.length);
  for (let i = 0; i < dims.length; i++) {
    let total = 0;
    for (let n = 0; n < own.nodeCount; n++) total += own.allocatable[dims[i]!]![n]!;
    meanInverse[i] = total > 0 ? own.nodeCount / total : 0;
  }
  const sums = new Float64Array(dims.length);
  const weights = new Float64Array(dims.length).fill(1);
  let bound = 0;
  return {
    name: 'l2-norm',
    place: (pod, cluster) => scanL2Norm(cap.on(cluster), pod, cluster, weights),
    onBind(pod) {
      bound++;
      for (let i = 0; i < dims.length; i++) {
        sums[i]! += pod.requests[dims[i]!]! * meanInverse[i]!;
        weights[i] = sums[i]! / bound;
      }
    },
  };
};
