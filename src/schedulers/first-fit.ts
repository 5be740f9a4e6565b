import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { PlacementPolicy, PolicyFactory } from './types.js';

/** First fit: the lowest-numbered node the pod fits on. */
export const firstFit: PolicyFactory = (): PlacementPolicy => ({
  name: 'first-fit',
  place(pod, cluster): NodeIndex {
    for (let n = 0; n < cluster.nodeCount; n++) {
      if (pod.fitsOn(asNode(n))) return asNode(n);
    }
    return NO_NODE;
  },
});
