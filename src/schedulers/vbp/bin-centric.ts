/**
 * Bin-centric heuristics for vector bin packing (Panigrahy, Talwar, Uyeda,
 * Wieder, "Heuristics for Vector Bin Packing", Microsoft Research, 2011,
 * section 3.2): open one bin at a time and fill it, choosing at each step
 * among the items that still fit the one that suits the bin best; open the
 * next bin when no item fits.
 *
 * With s the item's size and r the bin's remaining capacity, both
 * normalized by the bin capacity, and w the per-dimension weights (the
 * paper weighs dimensions by their average demand, `avg` in `measures.ts`):
 *
 * - dot product: maximize Σ_d w_d·s_d·r_d (put in the item that points the
 *   way the bin's free space does, and is large);
 * - L2 norm: minimize Σ_d w_d·(r_d − s_d)², the squared weighted L2 norm of
 *   what the bin would have left (same choice as minimizing the norm).
 *
 * Scores are quantized (`quantize`) and ties go to the lowest item index.
 */
import { assertItemsFit } from './instance.js';
import type { Packing, VbpInstance } from './instance.js';
import { normalizedSizes, quantize } from './measures.js';

export type BinScore = 'dot-product' | 'l2-norm';

/** Packs every item, filling one bin at a time by `score` with weights `w`. Throws a RangeError if an item fits in no bin. */
export function packBinCentric(instance: VbpInstance, score: BinScore, w: Float64Array): Packing {
  assertItemsFit(instance);
  const { dims, capacity, sizes } = instance;
  const norm = normalizedSizes(instance);
  const assignment = new Int32Array(instance.items).fill(-1);
  // Unplaced items in input order; removing one shifts the rest, so the scan order stays the index order.
  const pending = Int32Array.from({ length: instance.items }, (_, i) => i);
  let count = instance.items;
  const remaining = new Float64Array(dims);
  const free = new Float64Array(dims);
  let bins = 0;
  while (count > 0) {
    const bin = bins++;
    remaining.set(capacity);
    free.fill(1);
    for (;;) {
      let best = -1;
      let bestScore = score === 'dot-product' ? -Infinity : Infinity;
      for (let p = 0; p < count; p++) {
        const at = pending[p]! * dims;
        let fits = true;
        for (let k = 0; k < dims; k++) {
          if (sizes[at + k]! > remaining[k]!) {
            fits = false;
            break;
          }
        }
        if (!fits) continue;
        let value = 0;
        if (score === 'dot-product') {
          for (let k = 0; k < dims; k++) value += w[k]! * norm[at + k]! * free[k]!;
        } else {
          for (let k = 0; k < dims; k++) {
            const left = free[k]! - norm[at + k]!;
            value += w[k]! * left * left;
          }
        }
        value = quantize(value);
        if (score === 'dot-product' ? value > bestScore : value < bestScore) {
          best = p;
          bestScore = value;
        }
      }
      if (best === -1) break;
      const item = pending[best]!;
      for (let k = 0; k < dims; k++) {
        remaining[k]! -= sizes[item * dims + k]!;
        free[k] = remaining[k]! / capacity[k]!;
      }
      assignment[item] = bin;
      pending.copyWithin(best, best + 1, count);
      count--;
    }
  }
  return { bins, assignment };
}
