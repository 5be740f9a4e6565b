import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { remainingAfter } from './fit.js';
import { FreeCapacityTree } from './index/free-capacity-tree.js';
import { measurable, ScoreSearch } from './index/score-search.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';

/** Worst fit by scanning every node: the definition the indexed search must match. */
export function scanWorstFit(pod: PodView, cluster: ClusterView): NodeIndex {
  let best = NO_NODE;
  let bestLeft = -Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    const left = remainingAfter(cluster, node, pod.requests);
    if (left > bestLeft) {
      bestLeft = left;
      best = node;
    }
  }
  return best;
}

/**
 * Worst fit (spread): the feasible node with the most normalized capacity left
 * after placing the pod, which spreads load evenly; ties go to the lowest
 * index. Found by branch and bound over a free-capacity tree (see
 * ScoreSearch), which returns exactly the node the scan would.
 */
export const worstFit =
  (name: string): PolicyFactory =>
  ({ cluster: own }): PlacementPolicy => {
    const tree = new FreeCapacityTree(own);
    const search = new ScoreSearch(tree);
    return {
      name,
      place: (pod, cluster) =>
        cluster === own && measurable(pod.requests) ? search.search(pod, false) : scanWorstFit(pod, cluster),
      onBind: (_pod, node) => tree.update(node),
      onRelease: (_pod, node) => tree.update(node),
      onNodeChanged: (node) => tree.update(node),
    };
  };
