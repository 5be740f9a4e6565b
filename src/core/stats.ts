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
 * ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 coefficients; the
 * table of Numerical Recipes 3rd ed. §6.1 / Boost), relative error < 1e-15.
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized incomplete beta I_x(a, b), by its continued fraction (modified
 * Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction
 * converges slowly (x > (a + 1) / (a + b + 2)).
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 1000; m++) {
    // Even step, then odd step, of the continued fraction's terms.
    let num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return f;
}

/** CDF of Student's t distribution with `df` degrees of freedom: P(T ≤ t) = 1 − ½ I_{df/(df+t²)}(df/2, ½) for t > 0. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (t === 0) return 0.5;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Quantile (inverse CDF) of Student's t with `df` > 0 degrees of freedom:
 * the t with P(T ≤ t) = p. Bisection on the CDF after bracketing, to full
 * double precision; exact closed forms are not needed at this cost (≈100
 * CDF evaluations per call, a few per group of a report).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p > 0 && p < 1)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
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
