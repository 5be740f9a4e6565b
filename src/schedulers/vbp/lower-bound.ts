/**
 * The volume lower bound on the number of bins: max over dimensions d of
 * ⌈Σ_i size_{i,d} / cap_d⌉ (no packing can put more than cap_d of dimension d
 * in one bin). It is the L1 bound of Caprara and Toth (2001), as used by
 * Panigrahy et al. (2011) to report gaps. A quotient within 1e-9 (relative)
 * of an integer counts as that integer, so fractional sizes whose sum is an
 * exact multiple of the capacity do not gain a bin from rounding; integer
 * sizes (the `.vbp` format) with a total below 1e9 are unaffected.
 */
import type { VbpInstance } from './instance.js';

export function lowerBound(instance: VbpInstance): number {
  const { dims, capacity, sizes } = instance;
  let bound = 0;
  for (let k = 0; k < dims; k++) {
    let total = 0;
    for (let i = 0; i < instance.items; i++) total += sizes[i * dims + k]!;
    const q = total / capacity[k]!;
    const nearest = Math.round(q);
    bound = Math.max(bound, Math.abs(q - nearest) <= 1e-9 * Math.max(1, q) ? nearest : Math.ceil(q));
  }
  return bound;
}
