/**
 * How a placement policy's decision is taken, as the simulator (and static
 * packing, like compaction) asks it: `place` alone when present, else every
 * node that fits and passes `filter`, scored, the highest `score` winning
 * with ties to the lowest index (the first feasible node without `score`).
 */
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import type { PlacementPolicy, PodView } from './types.js';

/** Returned by decideNode when `place` chose a node the pod does not fit on: the policy broke its contract. */
export const INVALID_NODE = -2 as NodeIndex;

export function decideNode(policy: PlacementPolicy, pod: PodView, cluster: ClusterView): NodeIndex {
  if (policy.place !== undefined) {
    const node = policy.place(pod, cluster);
    if (node !== NO_NODE && !(Number.isInteger(node) && node >= 0 && node < cluster.nodeCount && pod.fitsOn(node))) return INVALID_NODE;
    return node;
  }
  let best = NO_NODE;
  let bestScore = -Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    if (policy.filter !== undefined && !policy.filter(pod, node, cluster)) continue;
    if (policy.score === undefined) return node;
    const score = policy.score(pod, node, cluster);
    if (score > bestScore) {
      bestScore = score;
      best = node;
    }
  }
  return best;
}
