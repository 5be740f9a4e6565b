import { createRequire } from 'node:module';
import type TCdf from '@stdlib/stats-base-dists-t-cdf';
import type TQuantile from '@stdlib/stats-base-dists-t-quantile';
import { resized } from './typed-arrays.js';

// Required on first use: @stdlib's distributions take longer to load than a whole small run, and most runs never need them.
const require = createRequire(import.meta.url);
let tQuantile: typeof TQuantile | undefined;
let tCdf: typeof TCdf | undefined;

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
    return quantileSorted(this.sortedView(), q);
  }

  /** The i-th smallest sample. */
  sortedAt(i: number): number {
    return this.sortedView()[i]!;
  }

  private sortedView(): Float64Array {
    const view = this.data.subarray(0, this.n);
    if (!this.sorted) {
      view.sort();
      this.sorted = true;
    }
    return view;
  }
}

/**
 * Samples known to be ≥ 0 (delays, latencies), where zeros are common: they
 * are counted rather than stored, and sort before every other sample. The
 * same quantiles as a SampleBuffer of every sample, in less memory and time.
 */
export class NonNegativeSamples {
  private readonly rest = new SampleBuffer();
  private zeros = 0;

  get length(): number {
    return this.zeros + this.rest.length;
  }

  push(x: number): void {
    if (x === 0) this.zeros++;
    else this.rest.push(x);
  }

  /** Exact quantile (definition 7, as `quantileSorted`) of all samples; NaN when empty. */
  quantile(q: number): number {
    const n = this.length;
    if (n === 0) return NaN;
    const z = this.zeros;
    const at = (i: number): number => (i < z ? 0 : this.rest.sortedAt(i - z));
    if (q <= 0) return at(0);
    if (q >= 1) return at(n - 1);
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const frac = h - lo;
    const a = at(lo);
    return frac === 0 ? a : a + frac * (at(lo + 1) - a);
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

/**
 * Quantile (inverse CDF) of Student's t with `df` > 0 degrees of freedom: the
 * t with P(T ≤ t) = p (@stdlib/stats-base-dists-t-quantile). NaN outside
 * 0 < p < 1 or for df ≤ 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p > 0 && p < 1)) return NaN;
  tQuantile ??= require('@stdlib/stats-base-dists-t-quantile') as typeof TQuantile;
  return tQuantile(p, df);
}

/** CDF of Student's t with `df` > 0 degrees of freedom: P(T ≤ t) (@stdlib/stats-base-dists-t-cdf). NaN for df ≤ 0. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return NaN;
  tCdf ??= require('@stdlib/stats-base-dists-t-cdf') as typeof TCdf;
  return tCdf(t, df);
}

/**
 * Half-width of the two-sided 95 % confidence interval of a mean from n
 * samples with sample standard deviation sd: t(0.975, n − 1) · sd / √n.
 * NaN when n < 2 (one sample says nothing about the spread); 0 when sd = 0.
 */
export function ci95HalfWidth(sd: number, n: number): number {
  if (n < 2) return NaN;
  if (sd === 0) return 0;
  return (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
}
