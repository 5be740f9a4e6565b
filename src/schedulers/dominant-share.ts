/**
 * Dominant share (Ghodsi, Zaharia, Hindman, Konwinski, Shenker, Stoica,
 * "Dominant Resource Fairness: Fair Allocation of Multiple Resource Types",
 * NSDI 2011, section 4): the largest, over resources, of the fraction of the
 * total that a user (here a tenant, or a pod) holds. The one implementation
 * every DRF ordering uses — the drf queue, Tetris's fairness, compaction's
 * orders and the offline DRF allocation.
 *
 * The rounding rule: shares are compared through `shareKey`, rounded to a
 * multiple of 2^-40, so shares equal in exact arithmetic (3 × 4/18 and
 * 2 × 3/9) compare equal whatever the order of the floating-point
 * operations that produced them; ties then go to the lowest index.
 */
import { quantize } from './vbp/measures.js';

/** max over resources r ≠ `skip` of held[r] / totals[r], ignoring resources whose total is 0 (−1: skip none). */
export function dominantShare(held: ArrayLike<number>, totals: ArrayLike<number>, skip: number): number {
  let share = 0;
  for (let r = 0; r < held.length; r++) {
    if (r === skip || !(totals[r]! > 0)) continue;
    share = Math.max(share, held[r]! / totals[r]!);
  }
  return share;
}

/** The value shares are compared by (see the rounding rule above). */
export function shareKey(share: number): number {
  return quantize(share);
}
