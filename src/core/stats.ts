import { resized } from './typed-arrays.js';

/**
 * Welford's one-pass mean and variance:
 *   δ = x − mean;  mean += δ / n;  m2 += δ · (x − mean);  variance = m2 / (n − 1).
 * Numerically stable where the textbook Σx² − (Σx)²/n is not.
 */
export class Welford {
  n = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    // Math.min/max order −0 below +0, as a comparison does not.
    this.min = Math.min(this.min, x);
    this.max = Math.max(this.max, x);
  }

  /** Sample variance (n − 1 in the denominator); 0 for n < 2. */
  get variance(): number {
    return this.n < 2 ? 0 : this.m2 / (this.n - 1);
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }
}

/** A growable array of doubles that keeps every sample, for exact quantiles. */
export class SampleBuffer {
  private data = new Float64Array(1024);
  private n = 0;
  private sorted = true;

  get length(): number {
    return this.n;
  }

  push(x: number): void {
    if (this.n === this.data.length) this.data = resized(this.data, this.data.length * 2);
    if (this.n > 0 && x < this.data[this.n - 1]!) this.sorted = false;
    this.data[this.n++] = x;
  }

  /** Exact quantile of the samples so far (see `quantileSorted`); NaN when empty. */
  quantile(q: number): number {
    const view = this.data.subarray(0, this.n);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return quantileSorted(view, q);
  }
}

/**
 * Quantile of ascending samples by linear interpolation between closest ranks
 * (Hyndman & Fan 1996, definition 7; the default of R and NumPy):
 *   h = (n − 1) · q;  Q = x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo]!;
  return frac === 0 ? a : a + frac * (sorted[lo + 1]! - a);
}
