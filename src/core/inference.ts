/**
 * Inference across seeds, from maintained libraries: a seeded percentile
 * bootstrap of the mean (simple-statistics draws the resamples from a
 * seedrandom stream), the Wilcoxon signed-rank test (@stdlib/stats-wilcoxon:
 * exact null distribution for fewer than 50 pairs without ties, else the
 * normal approximation) and Holm's step-down correction
 * (@stdlib/stats-padjust). Pure: the same values give the same numbers.
 */
import { createRequire } from 'node:module';
import type Padjust from '@stdlib/stats-padjust';
import type Wilcoxon from '@stdlib/stats-wilcoxon';
import seedrandom from 'seedrandom';
import { mean, quantileSorted, sampleWithReplacement } from 'simple-statistics';

// Required on first use, as in stats.ts: loading @stdlib costs more than a small run, and a run never tests.
const require = createRequire(import.meta.url);
let wilcoxonFn: typeof Wilcoxon | undefined;
let padjustFn: typeof Padjust | undefined;

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

export interface BootstrapOptions {
  /** Seed of the resampling stream (a string: the group and metric, so each interval has its own). */
  readonly seed: string;
  /** Resamples drawn (default 2,000). */
  readonly resamples?: number;
  /** Coverage (default 0.95). */
  readonly level?: number;
}

/**
 * Percentile bootstrap interval of the mean (Efron and Tibshirani, An
 * Introduction to the Bootstrap, 1993, §13.3): resample the values with
 * replacement, take each resample's mean, and read the (1 − level)/2 and
 * (1 + level)/2 quantiles of those means. Every resample mean lies within
 * [min, max] of the values, so the interval never leaves the metric's domain
 * (no negative delay or count). Null for fewer than 2 values.
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): Interval | null {
  if (values.length < 2) return null;
  const first = values[0]!;
  if (values.every((v) => v === first)) return { lo: first, hi: first };
  const rng = seedrandom.xor4096(`rackbench-bootstrap:${options.seed}`);
  const random = (): number => rng.double();
  const b = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const means = new Float64Array(b);
  const data = [...values];
  for (let i = 0; i < b; i++) means[i] = mean(sampleWithReplacement(data, data.length, random));
  means.sort();
  const sorted = Array.from(means);
  return { lo: quantileSorted(sorted, (1 - level) / 2), hi: quantileSorted(sorted, (1 + level) / 2) };
}

export interface SignedRankResult {
  /** Pairs with a non-zero difference (zero differences are dropped, Wilcoxon's own rule). */
  readonly n: number;
  /** W+, the sum of the ranks of the positive differences. */
  readonly wPlus: number;
  /** Two-sided p-value; 1 when every difference is 0. */
  readonly p: number;
}

/** Wilcoxon signed-rank test of paired differences d = a − b against "symmetric about 0", two-sided. */
export function signedRank(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0);
  if (nonZero.length === 0) return { n: 0, wPlus: 0, p: 1 };
  // One pair: the exact two-sided p is 1 (both signs equally likely); the library wants two or more.
  if (nonZero.length === 1) return { n: 1, wPlus: nonZero[0]! > 0 ? 1 : 0, p: 1 };
  const r = (wilcoxonFn ??= require('@stdlib/stats-wilcoxon') as typeof Wilcoxon)([...differences], { zeroMethod: 'wilcox', correction: true });
  return { n: nonZero.length, wPlus: r.statistic, p: Math.min(1, r.pValue) };
}

/**
 * The smallest two-sided p-value the exact signed-rank test can give with n
 * pairs: every difference of one sign, 2 · 2^−n. Below 6 pairs it is above
 * 0.05, so no difference can be called significant at that level.
 */
export function smallestSignedRankP(n: number): number {
  return Math.min(1, 2 / 2 ** n);
}

/** Holm's step-down adjustment of p-values (Holm, Scand. J. Statist. 1979), in the order given. */
export function holm(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return [];
  return (padjustFn ??= require('@stdlib/stats-padjust') as typeof Padjust)([...pValues], 'holm');
}

/**
 * Percentile bootstrap interval of mean(b) − mean(a) for two independent
 * samples: each resample draws a and b apart, with replacement. Null when
 * either has fewer than 2 values.
 */
export function bootstrapDifferenceInterval(a: readonly number[], b: readonly number[], options: BootstrapOptions): Interval | null {
  if (a.length < 2 || b.length < 2) return null;
  const rng = seedrandom.xor4096(`rackbench-bootstrap:${options.seed}`);
  const random = (): number => rng.double();
  const n = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const xs = [...a];
  const ys = [...b];
  const diffs: number[] = [];
  for (let i = 0; i < n; i++) diffs.push(mean(sampleWithReplacement(ys, ys.length, random)) - mean(sampleWithReplacement(xs, xs.length, random)));
  diffs.sort((x, y) => x - y);
  return { lo: quantileSorted(diffs, (1 - level) / 2), hi: quantileSorted(diffs, (1 + level) / 2) };
}
