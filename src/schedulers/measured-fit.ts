/**
 * Best fit and worst fit over every resource, under the size measures of
 * Panigrahy, Talwar, Uyeda and Wieder, "Heuristics for Vector Bin Packing"
 * (Microsoft Research, 2011), section 3.1 (item-centric heuristics: "best
 * fit" and "worst fit" choose the bin whose remaining capacity, reduced to
 * one number by a size measure, is least or greatest after the item is
 * placed), used online: each pod, as it comes, goes to the feasible node
 * whose normalized remaining capacity after placing it,
 *
 *   r_d = (allocatable_d − requested_d − request_d) / allocatable_d
 *
 * over every dimension d of the resource space but the pod count, is least
 * (best fit) or greatest (worst fit) by
 *
 *   l1 = Σ_d r_d,   l2 = √(Σ_d r_d²),   linf = max_d r_d.
 *
 * Unlike `best-fit`/`worst-fit`, which measure only the dimensions the pod
 * requests, these measure all of them, so a node's idle NVMe or NIC counts
 * as capacity left. A dimension the node does not have counts 0. Measures
 * are quantized (vbp/measures.ts) so that equal values tie, and ties go to
 * the lowest node index. A full scan: O(nodes × dimensions) per decision,
 * no allocation.
 */
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { NormalizedCapacity } from './normalized-capacity.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';
import { vectorSize } from './vbp/measures.js';
import type { SizeMeasure } from './vbp/measures.js';

export type FitKind = 'best' | 'worst';

/** The normalized remaining capacity of `node` after placing `request`, into `out` (one entry per measured dimension). */
export function remainingVector(cap: NormalizedCapacity, cluster: ClusterView, node: NodeIndex, request: Float64Array, out: Float64Array): void {
  const { dims, inverse } = cap;
  const { allocatable, requested } = cluster;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!;
    out[i] = (allocatable[d]![node]! - requested[d]![node]! - request[d]!) * inverse[i]![node]!;
  }
}

/** Scans every node for the best (least) or worst (most) remaining capacity after placing the pod under `measure`. */
export function scanMeasuredFit(
  kind: FitKind,
  measure: SizeMeasure,
  cap: NormalizedCapacity,
  pod: PodView,
  cluster: ClusterView,
  scratch: Float64Array,
  unit: Float64Array,
): NodeIndex {
  let best = NO_NODE;
  let bestSize = kind === 'best' ? Infinity : -Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    remainingVector(cap, cluster, node, pod.requests, scratch);
    const size = vectorSize(measure, unit, scratch, 0);
    if (kind === 'best' ? size < bestSize : size > bestSize) {
      bestSize = size;
      best = node;
    }
  }
  return best;
}

/** `best-fit-l1`, `worst-fit-linf`, …: a factory for one (kind, measure). */
export const measuredFit =
  (kind: FitKind, measure: SizeMeasure): PolicyFactory =>
  ({ cluster: own }): PlacementPolicy => {
    const cap = new NormalizedCapacity(own);
    const scratch = new Float64Array(cap.dims.length);
    const unit = new Float64Array(cap.dims.length).fill(1);
    return {
      name: `${kind}-fit-${measure}`,
      place: (pod, cluster) => scanMeasuredFit(kind, measure, cap.on(cluster), pod, cluster, scratch, unit),
    };
  };
