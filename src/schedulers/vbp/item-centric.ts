/**
 * Item-centric heuristics for vector bin packing (Panigrahy, Talwar, Uyeda,
 * Wieder, "Heuristics for Vector Bin Packing", Microsoft Research, 2011,
 * section 3.1): take the items one at a time in a fixed order and put each
 * into an open bin it fits in, opening a new bin only when none fits.
 *
 * - first fit: the lowest-numbered bin that fits;
 * - best fit: the fitting bin with the least remaining capacity, measured
 *   with the same norm and weights as the item sizes (`measures.ts`);
 * - worst fit: the fitting bin with the most remaining capacity.
 *
 * The "decreasing" variants (FFD, BFD, WFD) take the items by decreasing
 * size. Ties go to the lowest index: equal sizes keep input order, equal
 * bin measures prefer the lower bin. Remaining capacities are kept in the
 * instance's own units, so with integer sizes (the `.vbp` format) the fit
 * test is exact.
 */
import { assertItemsFit } from './instance.js';
import type { Packing, VbpInstance } from './instance.js';
import { normalizedSizes, vectorSize } from './measures.js';
import type { SizeMeasure } from './measures.js';

export type BinChoice = 'first' | 'best' | 'worst';

/** The item indices by decreasing size under `measure` and weights `w`; equal sizes keep input order. */
export function decreasingOrder(instance: VbpInstance, measure: SizeMeasure, w: Float64Array): Int32Array {
  const norm = normalizedSizes(instance);
  const key = new Float64Array(instance.items);
  for (let i = 0; i < instance.items; i++) key[i] = vectorSize(measure, w, norm, i * instance.dims);
  const order = Array.from({ length: instance.items }, (_, i) => i);
  order.sort((a, b) => key[b]! - key[a]! || a - b);
  return Int32Array.from(order);
}

/**
 * Packs the items in `order` (a permutation of 0 … n−1) choosing bins by
 * `choice`; `measure` and `w` rank bins for best and worst fit and are
 * ignored by first fit. Throws a RangeError if an item fits in no bin.
 */
export function packInOrder(
  instance: VbpInstance,
  order: ArrayLike<number>,
  choice: BinChoice,
  measure: SizeMeasure = 'l1',
  w: Float64Array = new Float64Array(instance.dims).fill(1),
): Packing {
  assertItemsFit(instance);
  const { dims, capacity, sizes } = instance;
  const n = instance.items;
  if (order.length !== n) throw new RangeError(`order has ${order.length} items, the instance ${n}`);
  const assignment = new Int32Array(n).fill(-1);
  // At most one bin per item: remaining capacity per bin and dimension, and its measure.
  const remaining = new Float64Array(n * dims);
  const binMeasure = new Float64Array(n);
  const scratch = new Float64Array(dims);
  let bins = 0;
  for (let t = 0; t < n; t++) {
    const item = order[t]!;
    if (assignment[item] !== -1) throw new RangeError(`order lists item ${item} twice`);
    const at = item * dims;
    let chosen = -1;
    let chosenMeasure = choice === 'best' ? Infinity : -Infinity;
    for (let b = 0; b < bins; b++) {
      let fits = true;
      for (let k = 0; k < dims; k++) {
        if (sizes[at + k]! > remaining[b * dims + k]!) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      if (choice === 'first') {
        chosen = b;
        break;
      }
      const m = binMeasure[b]!;
      if (choice === 'best' ? m < chosenMeasure : m > chosenMeasure) {
        chosen = b;
        chosenMeasure = m;
      }
    }
    if (chosen === -1) {
      chosen = bins++;
      remaining.set(capacity, chosen * dims);
    }
    for (let k = 0; k < dims; k++) {
      remaining[chosen * dims + k]! -= sizes[at + k]!;
      scratch[k] = remaining[chosen * dims + k]! / capacity[k]!;
    }
    if (choice !== 'first') binMeasure[chosen] = vectorSize(measure, w, scratch, 0);
    assignment[item] = chosen;
  }
  return { bins, assignment };
}
