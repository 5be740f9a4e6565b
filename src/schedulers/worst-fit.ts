import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import { remainingAfter } from './fit.js';
import type { PlacementPolicy, PolicyFactory } from './types.js';

/**
 * Worst fit (spread): the feasible node with the most normalized capacity left
 * after placing the pod, which spreads load evenly; ties go to the lowest index.
 */
export const worstFit =
  (name: string): PolicyFactory =>
  (): PlacementPolicy => ({
    name,
    place(pod, cluster): NodeIndex {
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
    },
  });
