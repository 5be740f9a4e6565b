import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { remainingAfter } from './fit.js';
import { FreeCapacityTree } from './index/free-capacity-tree.js';
import { FreeGrid } from './index/free-grid.js';
import { measurable, ScoreSearch } from './index/score-search.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';

/** Best fit by scanning every node: the definition the indexed search must match. */
export function scanBestFit(pod: PodView, cluster: ClusterView): NodeIndex {
  let best = NO_NODE;
  let bestLeft = Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    const left = remainingAfter(cluster, node, pod.requests);
    if (left < bestLeft) {
      bestLeft = left;
      best = node;
    }
  }
  return best;
}

/**
 * Best fit: the feasible node with the least normalized capacity left after
 * placing the pod (see `remainingAfter`); ties go to the lowest index. Found
 * through a grid of nodes by free CPU and memory (FreeGrid), or, for
 * fractional amounts or many node shapes, by branch and bound over a
 * free-capacity tree (ScoreSearch); both return exactly the node the scan would.
 */
export const bestFit: PolicyFactory = ({ cluster: own }): PlacementPolicy => {
  const grid = new FreeGrid(own);
  // Built on first need, from the cluster as it is then, and kept current from there on.
  let tree: FreeCapacityTree | undefined;
  let search: ScoreSearch | undefined;
  return {
    name: 'best-fit',
    place(pod, cluster) {
      if (cluster !== own || !measurable(pod.requests)) return scanBestFit(pod, cluster);
      if (grid.usable(pod.requests)) return grid.search(pod);
      tree ??= new FreeCapacityTree(own, true);
      search ??= new ScoreSearch(tree);
      return search.search(pod, true);
    },
    onBind(_pod, node) {
      grid.update(node);
      tree?.update(node);
    },
    onRelease(_pod, node) {
      grid.update(node);
      tree?.update(node);
    },
    onNodeChanged(node) {
      grid.update(node);
      tree?.update(node);
    },
  };
};

