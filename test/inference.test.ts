/**
 * The statistics of the reports against hand calculation and brute force: the
 * Wilcoxon signed-rank test's exact p-value (every sign pattern enumerated),
 * Holm's adjustment, the percentile bootstrap's bounds, the DDSketch's
 * relative accuracy and merging, and the Pareto frontier.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, holm, signedRank, smallestSignedRankP } from '../src/core/inference.js';
import { mergeSketches, newSketch, sketchData, sketchEcdf, sketchQuantile, SKETCH_RELATIVE_ACCURACY } from '../src/core/quantile-sketch.js';
import { dominates, paretoFrontier } from '../src/report/pareto.js';
import { runs } from './support/property-runs.js';

/** Exact two-sided p of the signed-rank test for distinct non-zero |d|: enumerate the 2^n sign patterns. */
function bruteSignedRankP(d: readonly number[]): number {
  const ranks = d.map((x) => [...d].map(Math.abs).sort((a, b) => a - b).indexOf(Math.abs(x)) + 1);
  const w = d.reduce((s, x, i) => s + (x > 0 ? ranks[i]! : 0), 0);
  const n = d.length;
  let low = 0;
  let high = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s += i + 1;
    if (s <= w) low++;
    if (s >= w) high++;
  }
  return Math.min(1, (2 * Math.min(low, high)) / (1 << n));
}

describe('signed-rank test', () => {
  it.each([
    [[1.5, -0.2, 3.1, 2.2, 0.7, -1.1, 4.5, 2.9]],
    [[0.3, 0.9, 1.4, 2.0, 2.6, 3.3]],
    [[-5, 4.1, -3.2, 2.5, -1.9, 1.2, -0.6]],
    [[1, 2]],
  ])('gives the exact p-value of %j (brute force over sign patterns)', (d) => {
    expect(signedRank(d).p).toBeCloseTo(bruteSignedRankP(d), 10);
  });

  it('all of one sign over n pairs: p = 2 · 2^−n, the smallest the test can give', () => {
    expect(signedRank([1, 2, 3, 4, 5, 6]).p).toBeCloseTo(2 / 64, 12);
    expect(smallestSignedRankP(6)).toBeCloseTo(0.03125, 12);
    // Five pairs cannot reach 0.05.
    expect(smallestSignedRankP(5)).toBeCloseTo(0.0625, 12);
    expect(signedRank([0, 0, 0]).p).toBe(1);
  });
});

describe('Holm correction', () => {
  it('matches the step-down by hand', () => {
    // Sorted 0.01, 0.03, 0.04 → 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
    const adjusted = holm([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });
});

describe('percentile bootstrap of the mean', () => {
  it('stays within the values (never below 0 for a non-negative metric) and is the same for the same seed', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 12 }), fc.string(), (xs, seed) => {
        const ci = bootstrapMeanInterval(xs, { seed, resamples: 200 })!;
        // Within the values up to the rounding of a mean (an ulp or so), and never below 0.
        expect(ci.lo).toBeGreaterThanOrEqual(0);
        expect(ci.lo).toBeGreaterThanOrEqual(Math.min(...xs) * (1 - 1e-12));
        expect(ci.hi).toBeLessThanOrEqual(Math.max(...xs) * (1 + 1e-12));
        expect(ci.lo).toBeLessThanOrEqual(ci.hi);
        expect(bootstrapMeanInterval(xs, { seed, resamples: 200 })).toEqual(ci);
      }),
      { numRuns: runs(50) },
    );
    expect(bootstrapMeanInterval([3], { seed: 's' })).toBeNull();
  });
});

describe('DDSketch', () => {
  it('answers every quantile within its relative accuracy of the exact one, and merges as the union', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-4, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 1e-4, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (a, b) => {
          const sa = newSketch();
          const sb = newSketch();
          const all = newSketch();
          for (const x of a) {
            sa.accept(x);
            all.accept(x);
          }
          for (const x of b) {
            sb.accept(x);
            all.accept(x);
          }
          const merged = mergeSketches([sketchData(sa), sketchData(sb)]);
          expect(merged.bins).toEqual(sketchData(all).bins);
          const sorted = [...a, ...b].sort((x, y) => x - y);
          for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) {
            // DDSketch reads rank ⌊q (n − 1)⌋ (Masson et al. 2019, §2).
            const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
            expect(Math.abs(sketchQuantile(merged, q) - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact * (1 + 1e-9));
          }
          const ecdf = sketchEcdf(merged);
          expect(ecdf.at(-1)!.share).toBe(1);
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('counts zeros apart', () => {
    const s = newSketch();
    for (const x of [0, 0, 1, 2]) s.accept(x);
    const d = sketchData(s);
    expect(d.zeros).toBe(2);
    expect(sketchEcdf(d)[0]).toEqual({ value: 0, share: 0.5 });
  });
});

describe('Pareto frontier', () => {
  it('holds exactly the points no other point dominates (brute force)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.integer({ min: 0, max: 9 }), y: fc.integer({ min: 0, max: 9 }) }), { maxLength: 30 }), (pts) => {
        const expected = pts.map((p, i) => i).filter((i) => !pts.some((q) => dominates(q, pts[i]!)));
        expect(paretoFrontier(pts).sort((a, b) => a - b)).toEqual(expected);
      }),
      { numRuns: runs(100) },
    );
  });
});
