import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { FreeCapacityTree } from './index/free-capacity-tree.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';

/** The lowest-numbered node the pod fits on, by scanning every node: the definition first-fit's index must match. */
export function scanFirstFit(pod: PodView, cluster: ClusterView): NodeIndex {
  for (let n = 0; n < cluster.nodeCount; n++) {
    if (pod.fitsOn(asNode(n))) return asNode(n);
  }
  return NO_NODE;
}

/**
 * First fit: the lowest-numbered node the pod fits on, found by descending a
 * tree of per-dimension free capacity (kept current on every bind and release)
 * instead of scanning.
 */
export const firstFit: PolicyFactory = ({ cluster: own }): PlacementPolicy => {
  const tree = new FreeCapacityTree(own);
  return {
    name: 'first-fit',
    // The index describes the cluster it was built on; any other is scanned.
    place: (pod, cluster) => (cluster === own ? tree.firstFit(pod) : scanFirstFit(pod, cluster)),
    onBind: (_pod, node) => tree.update(node),
    onRelease: (_pod, node) => tree.update(node),
    onNodeChanged: (node) => tree.update(node),
  };
};
