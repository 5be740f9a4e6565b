/**
 * Size measures of vectors normalized by the bin capacity, after Panigrahy,
 * Talwar, Uyeda and Wieder, "Heuristics for Vector Bin Packing", Microsoft
 * Research (2011), section 3: an item (or a bin's remaining capacity) v in
 * [0, 1]^d is reduced to one number with weights w,
 *
 *   l1   = Σ_d w_d·v_d
 *   l2   = sqrt(Σ_d (w_d·v_d)²)
 *   linf = max_d w_d·v_d
 *
 * `unit` weights are all 1; `avg` weights are the average normalized demand
 * of the items in each dimension, w_d = (1/n) Σ_i size_{i,d} / cap_d, so a
 * dimension that many items use heavily counts for more.
 */
import type { VbpInstance } from './instance.js';

export type SizeMeasure = 'l1' | 'l2' | 'linf';
export type WeightScheme = 'unit' | 'avg';

export const SIZE_MEASURES: readonly SizeMeasure[] = ['l1', 'l2', 'linf'];
export const WEIGHT_SCHEMES: readonly WeightScheme[] = ['unit', 'avg'];

/** Item sizes divided by the bin capacity of their dimension (row-major, like `instance.sizes`). */
export function normalizedSizes(instance: VbpInstance): Float64Array {
  const { dims, capacity, sizes } = instance;
  const out = new Float64Array(sizes.length);
  for (let j = 0; j < sizes.length; j++) out[j] = sizes[j]! / capacity[j % dims]!;
  return out;
}

/** The weight of each dimension (length d). `avg` on an instance without items gives all 1. */
export function weightsOf(instance: VbpInstance, scheme: WeightScheme): Float64Array {
  const { dims, items } = instance;
  const w = new Float64Array(dims).fill(1);
  if (scheme === 'unit' || items === 0) return w;
  const norm = normalizedSizes(instance);
  w.fill(0);
  for (let i = 0; i < items; i++) for (let k = 0; k < dims; k++) w[k]! += norm[i * dims + k]!;
  for (let k = 0; k < dims; k++) w[k]! /= items;
  return w;
}

/**
 * Values equal in exact arithmetic can differ in the last bits depending on
 * the order of floating-point operations; rounding every measure to a
 * multiple of 2^-40 (about 1e-12) makes them tie, and ties go to the lowest
 * index, so results do not depend on how a sum happened to be evaluated.
 */
export function quantize(x: number): number {
  return Math.round(x * 2 ** 40) / 2 ** 40;
}

/** The measure of the normalized vector `v[offset .. offset + dims)` under weights `w` (quantized, see `quantize`). */
export function vectorSize(measure: SizeMeasure, w: Float64Array, v: Float64Array, offset: number): number {
  const dims = w.length;
  let acc = 0;
  switch (measure) {
    case 'l1':
      for (let k = 0; k < dims; k++) acc += w[k]! * v[offset + k]!;
      return quantize(acc);
    case 'l2':
      for (let k = 0; k < dims; k++) {
        const x = w[k]! * v[offset + k]!;
        acc += x * x;
      }
      return quantize(Math.sqrt(acc));
    case 'linf':
      for (let k = 0; k < dims; k++) acc = Math.max(acc, w[k]! * v[offset + k]!);
      return quantize(acc);
  }
}
