/** Shared measures of how full a node would be after placing a pod. */
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { CPU, MEMORY, PODS } from '../model/resources.js';

/**
 * Σ over the measured dimensions of (free − request) / allocatable on `node`,
 * i.e. the normalized capacity left after placing the pod. The measured
 * dimensions are those the pod requests, other than the pod count; a pod that
 * requests nothing is measured on CPU and memory.
 */
export function remainingAfter(cluster: ClusterView, node: NodeIndex, request: Float64Array): number {
  const dims = request.length;
  let sum = 0;
  let measured = 0;
  for (let d = 0; d < dims; d++) {
    if (d === PODS || request[d]! <= 0) continue;
    const alloc = cluster.allocatable[d]![node]!;
    sum += (alloc - cluster.requested[d]![node]! - request[d]!) / alloc;
    measured++;
  }
  if (measured > 0) return sum;
  return freeShare(cluster, node, CPU) + freeShare(cluster, node, MEMORY);
}

/** Free share of one dimension on a node; 0 where the node has none of it. */
function freeShare(cluster: ClusterView, node: NodeIndex, d: number): number {
  const alloc = cluster.allocatable[d]![node]!;
  return alloc > 0 ? (alloc - cluster.requested[d]![node]!) / alloc : 0;
}
