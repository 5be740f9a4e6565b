import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NonNegativeSamples, quantileSorted, SampleBuffer, Welford } from '../src/core/stats.js';
import { runs } from './support/property-runs.js';

function welfordOf(xs: readonly number[]): Welford {
  const w = new Welford();
  for (const x of xs) w.add(x);
  return w;
}

describe('Welford against hand-computed values', () => {
  it('[2, 4, 4, 4, 5, 5, 7, 9]: mean 5, sample variance 32/7', () => {
    // Σx = 2 + 4 + 4 + 4 + 5 + 5 + 7 + 9 = 40, n = 8, mean = 40 / 8 = 5.
    // Deviations −3, −1, −1, −1, 0, 0, 2, 4; squares 9, 1, 1, 1, 0, 0, 4, 16; Σ = 32.
    // Sample variance = 32 / (8 − 1) = 32/7 ≈ 4.571428…; sd = √(32/7) ≈ 2.138090.
    // (The population variance would be 32 / 8 = 4: the n − 1 is what is tested.)
    const w = welfordOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(w.n).toBe(8);
    expect(w.mean).toBe(5);
    expect(w.variance).toBeCloseTo(32 / 7, 14);
    expect(w.sd).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(w.min).toBe(2);
    expect(w.max).toBe(9);
  });

  it('[1, 2, 3, 4]: mean 2.5, sample variance 5/3', () => {
    // Deviations −1.5, −0.5, 0.5, 1.5; squares 2.25, 0.25, 0.25, 2.25; Σ = 5; 5 / 3.
    const w = welfordOf([4, 1, 3, 2]);
    expect(w.mean).toBe(2.5);
    expect(w.variance).toBeCloseTo(5 / 3, 14);
    expect(w.min).toBe(1);
    expect(w.max).toBe(4);
  });

  it('is stable where Σx² − (Σx)²/n is not: 1e9 + [4, 7, 13, 16]', () => {
    // Shifting does not change the variance: deviations from 10 are −6, −3, 3, 6;
    // squares 36, 9, 9, 36; Σ = 90; 90 / 3 = 30. The textbook formula loses every
    // digit here (Σx² ≈ 4e18, beyond 2^53), Welford keeps them.
    const w = welfordOf([4, 7, 13, 16].map((x) => 1e9 + x));
    expect(w.mean).toBe(1e9 + 10);
    expect(w.variance).toBe(30);
  });

  it('n = 0: mean 0, variance 0, min Infinity, max −Infinity', () => {
    const w = new Welford();
    expect(w.n).toBe(0);
    expect(w.mean).toBe(0);
    expect(w.variance).toBe(0);
    expect(w.sd).toBe(0);
    expect(w.min).toBe(Infinity);
    expect(w.max).toBe(-Infinity);
  });

  it('n = 1: mean is the value, variance 0 (not NaN from 0 / 0)', () => {
    const w = welfordOf([-3.5]);
    expect(w.n).toBe(1);
    expect(w.mean).toBe(-3.5);
    expect(w.variance).toBe(0);
    expect(w.sd).toBe(0);
    expect(w.min).toBe(-3.5);
    expect(w.max).toBe(-3.5);
  });

  it('n = 2: variance is (a − b)² / 2', () => {
    // (10 − 4)² / 2 = 36 / 2 = 18.
    const w = welfordOf([10, 4]);
    expect(w.mean).toBe(7);
    expect(w.variance).toBe(18);
  });
});

describe('quantileSorted (Hyndman–Fan type 7)', () => {
  // h = (n − 1)·q; Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
  it.each<[string, number[], number, number]>([
    // n = 4: h = 3·0.5 = 1.5 → 2 + 0.5·(3 − 2) = 2.5.
    ['median of [1,2,3,4]', [1, 2, 3, 4], 0.5, 2.5],
    // h = 3·0.9 = 2.7 → 3 + 0.7·(4 − 3) = 3.7.
    ['p90 of [1,2,3,4]', [1, 2, 3, 4], 0.9, 3.7],
    // h = 3·0.25 = 0.75 → 1 + 0.75·1 = 1.75.
    ['p25 of [1,2,3,4]', [1, 2, 3, 4], 0.25, 1.75],
    // h = 3·(1/3) = 1 exactly → x[1] = 2.
    ['q = 1/3 lands on a rank', [1, 2, 3, 4], 1 / 3, 2],
    // n = 5: h = 4·0.5 = 2 → x[2] = 30 (odd n: the middle value).
    ['median of odd n', [10, 20, 30, 40, 50], 0.5, 30],
    // h = 4·0.99 = 3.96 → 40 + 0.96·(50 − 40) = 49.6.
    ['p99 of [10..50]', [10, 20, 30, 40, 50], 0.99, 49.6],
    // Unequal gaps: [0, 1, 10, 100], h = 3·0.6 = 1.8 → 1 + 0.8·(10 − 1) = 8.2.
    ['interpolates within the right gap', [0, 1, 10, 100], 0.6, 8.2],
    // q = 0 and q = 1: the extremes.
    ['q = 0 is the minimum', [3, 5, 8], 0, 3],
    ['q = 1 is the maximum', [3, 5, 8], 1, 8],
    // Out-of-range q clamps to the extremes.
    ['q < 0 clamps', [3, 5, 8], -0.5, 3],
    ['q > 1 clamps', [3, 5, 8], 1.5, 8],
    // n = 1: every quantile is the value.
    ['one sample', [42], 0.37, 42],
    // Ties: [5, 5, 5, 9], h = 3·0.5 = 1.5 → 5 + 0.5·0 = 5.
    ['ties', [5, 5, 5, 9], 0.5, 5],
    // Negative values: [−4, −2], h = 0.25 → −4 + 0.25·2 = −3.5.
    ['negative values', [-4, -2], 0.25, -3.5],
  ])('%s', (_name, xs, q, expected) => {
    expect(quantileSorted(xs, q)).toBeCloseTo(expected, 12);
    expect(quantileSorted(Float64Array.from(xs), q)).toBeCloseTo(expected, 12);
  });

  it('is NaN for no samples', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(quantileSorted(new Float64Array(0), 0)).toBeNaN();
  });

  it('agrees with NumPy / R type 7 on a published example', () => {
    // numpy.percentile([7, 15, 36, 39, 40, 41], [25, 50, 75]) = [20.25, 37.5, 39.75]:
    // h = 5·0.25 = 1.25 → 15 + 0.25·21 = 20.25; h = 2.5 → 36 + 0.5·3 = 37.5; h = 3.75 → 39 + 0.75·1 = 39.75.
    const xs = [7, 15, 36, 39, 40, 41];
    expect(quantileSorted(xs, 0.25)).toBeCloseTo(20.25, 12);
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(37.5, 12);
    expect(quantileSorted(xs, 0.75)).toBeCloseTo(39.75, 12);
  });
});

describe('SampleBuffer', () => {
  it('sorts unsorted input before taking quantiles', () => {
    const b = new SampleBuffer();
    for (const x of [4, 1, 3, 2]) b.push(x);
    expect(b.length).toBe(4);
    expect(b.quantile(0)).toBe(1);
    expect(b.quantile(0.5)).toBeCloseTo(2.5, 12);
    expect(b.quantile(0.9)).toBeCloseTo(3.7, 12);
    expect(b.quantile(1)).toBe(4);
  });

  it('sorts numerically, not as strings (10 > 9, negatives below zero)', () => {
    const b = new SampleBuffer();
    for (const x of [10, 9, -1, 100, 2]) b.push(x);
    // Sorted: [−1, 2, 9, 10, 100]; median x[2] = 9.
    expect(b.quantile(0.5)).toBe(9);
    expect(b.quantile(0)).toBe(-1);
    expect(b.quantile(1)).toBe(100);
  });

  it('keeps quantiles right when samples arrive after a quantile was taken', () => {
    const b = new SampleBuffer();
    for (const x of [5, 1]) b.push(x);
    expect(b.quantile(1)).toBe(5);
    // Sorted so far: [1, 5]. Push 3 (below 5, so unsorted again) and 0.
    b.push(3);
    b.push(0);
    // [0, 1, 3, 5]: h = 3·0.5 = 1.5 → 1 + 0.5·2 = 2.
    expect(b.quantile(0.5)).toBeCloseTo(2, 12);
    expect(b.quantile(0)).toBe(0);
    b.push(7);
    // [0, 1, 3, 5, 7]: median 3, max 7.
    expect(b.quantile(0.5)).toBe(3);
    expect(b.quantile(1)).toBe(7);
  });

  it('is NaN when empty', () => {
    expect(new SampleBuffer().quantile(0.5)).toBeNaN();
  });

  it('grows past its initial capacity and keeps every sample', () => {
    const b = new SampleBuffer();
    // 5000 samples > 1024 (two doublings), pushed in descending order: 4999 … 0.
    for (let i = 4999; i >= 0; i--) b.push(i);
    expect(b.length).toBe(5000);
    expect(b.quantile(0)).toBe(0);
    expect(b.quantile(1)).toBe(4999);
    // h = 4999·0.5 = 2499.5 → 2499.5.
    expect(b.quantile(0.5)).toBe(2499.5);
  });

  it('property: quantiles equal quantileSorted of the sorted samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (xs, qs) => {
          const b = new SampleBuffer();
          for (const x of xs) b.push(x);
          const sorted = [...xs].sort((x, y) => x - y);
          for (const q of qs) expect(b.quantile(q)).toBe(quantileSorted(sorted, q));
        },
      ),
      { numRuns: runs(100) },
    );
  });
});

describe('Welford properties', () => {
  /** Two-pass reference: mean = Σx / n, then variance = Σ(x − mean)² / (n − 1). */
  function twoPass(xs: readonly number[]): { mean: number; variance: number } {
    const n = xs.length;
    let sum = 0;
    for (const x of xs) sum += x;
    const mean = sum / n;
    let ss = 0;
    for (const x of xs) ss += (x - mean) ** 2;
    return { mean, variance: n < 2 ? 0 : ss / (n - 1) };
  }

  /**
   * |actual − expected| ≤ 1e-9 · max(|expected|, floor). Both formulas round, so
   * when the true value is (nearly) zero a pure relative error is meaningless:
   * the floor is the rounding noise level of the data (scale · 1e-6 of it, far
   * above double rounding, far below any real mistake).
   */
  function close(actual: number, expected: number, floor: number): boolean {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), floor);
  }

  it('mean and variance equal the two-pass formulas within 1e-9 relative', () => {
    const values = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: -1000, max: 1000 }),
      // Latency-like: positive, spread over several orders of magnitude.
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 500 }), (xs) => {
        const w = welfordOf(xs);
        const ref = twoPass(xs);
        const scale = Math.max(...xs.map(Math.abs));
        expect(w.n).toBe(xs.length);
        expect(w.min).toBe(Math.min(...xs));
        expect(w.max).toBe(Math.max(...xs));
        // An absolute floor: for values near 1e-162 the variance underflows to subnormals, where relative error means nothing.
        expect(close(w.mean, ref.mean, scale * 1e-6 + 1e-300), `mean ${w.mean} vs ${ref.mean}`).toBe(true);
        expect(close(w.variance, ref.variance, scale * scale * 1e-6 + 1e-300), `variance ${w.variance} vs ${ref.variance}`).toBe(true);
        expect(w.variance).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it('variance is invariant under a shift of the data (to 1e-9 relative)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (xs, shift) => {
          const a = welfordOf(xs);
          const b = welfordOf(xs.map((x) => x + shift));
          expect(close(b.variance, a.variance, 1e-6)).toBe(true);
          expect(close(b.mean, a.mean + shift, Math.abs(shift) * 1e-6 + 1e-6)).toBe(true);
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

describe('NonNegativeSamples', () => {
  it('gives the quantiles of a SampleBuffer holding every sample, zeros counted rather than stored (property)', () => {
    const sample = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 300 }), fc.double({ min: -0.5, max: 1.5, noNaN: true }), (xs, q) => {
        const all = new SampleBuffer();
        const nn = new NonNegativeSamples();
        for (const x of xs) {
          all.push(x);
          nn.push(x);
        }
        expect(nn.length).toBe(xs.length);
        const want = all.quantile(q);
        const got = nn.quantile(q);
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(got).toBe(want);
      }),
      { numRuns: runs(300) },
    );
  });

  it('by hand: [0, 0, 0, 4, 10] → p50 0, p90 7.6, max 10', () => {
    const nn = new NonNegativeSamples();
    for (const x of [10, 0, 4, 0, 0]) nn.push(x);
    // h = 4 · 0.9 = 3.6: 4 + 0.6 · (10 − 4)
    expect(nn.quantile(0.5)).toBe(0);
    expect(nn.quantile(0.9)).toBeCloseTo(7.6, 12);
    expect(nn.quantile(1)).toBe(10);
  });
});
