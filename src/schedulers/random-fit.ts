import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { PlacementPolicy, PolicyFactory } from './types.js';

/**
 * Random: a uniformly random feasible node, chosen in one pass by reservoir
 * sampling (the k-th feasible node replaces the choice with probability 1/k).
 */
export const randomFit: PolicyFactory = ({ rng }): PlacementPolicy => ({
  name: 'random',
  place(pod, cluster): NodeIndex {
    let chosen = NO_NODE;
    let seen = 0;
    for (let n = 0; n < cluster.nodeCount; n++) {
      const node = asNode(n);
      if (!pod.fitsOn(node)) continue;
      seen++;
      if (rng.int(seen) === 0) chosen = node;
    }
    return chosen;
  },
});
