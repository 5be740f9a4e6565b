import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import { remainingAfter } from './fit.js';
import type { PlacementPolicy, PolicyFactory } from './types.js';

/**
 * Best fit: the feasible node with the least normalized capacity left after
 * placing the pod (see `remainingAfter`); ties go to the lowest index.
 */
export const bestFit: PolicyFactory = (): PlacementPolicy => ({
  name: 'best-fit',
  place(pod, cluster): NodeIndex {
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
  },
});
