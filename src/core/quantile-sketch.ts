/**
 * A mergeable quantile sketch with a relative-accuracy guarantee: DDSketch
 * (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable quantile
 * sketch with relative-error guarantees", VLDB 2019), from Datadog's
 * @datadog/sketches-js. A value x > 0 lands in bin ⌈log_γ x⌉ with
 * γ = (1 + α) / (1 − α); any quantile read back is within a factor (1 ± α)
 * of the true one (α = 1 % here). Zeros are counted apart. Sketches of the
 * same α merge exactly (bin counts add), so seeds combine into one
 * distribution.
 *
 * The plain-data form (SketchData) is what runs return across the worker
 * boundary and what sketches.json holds: non-empty bins as [index, count].
 */
import { DDSketch } from '@datadog/sketches-js';

/** The relative accuracy of every sketch rackbench keeps. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

export interface SketchData {
  /** Values added (zeros included). */
  readonly count: number;
  /** Values exactly 0. */
  readonly zeros: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  /** Non-empty bins of positive values, by ascending index: [bin index, count]. */
  readonly bins: readonly (readonly [number, number])[];
}

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

export function sketchData(s: DDSketch): SketchData {
  const bins: [number, number][] = [];
  const store = s.store;
  for (let i = 0; i < store.bins.length; i++) {
    const c = store.bins[i]!;
    if (c > 0) bins.push([i + store.offset, c]);
  }
  return { count: s.count, zeros: s.zeroCount, min: s.count === 0 ? 0 : s.min, max: s.count === 0 ? 0 : s.max, sum: s.sum, bins };
}

/** A DDSketch holding the data's bins (throws on a malformed bin list). */
export function sketchFrom(d: SketchData): DDSketch {
  const s = newSketch();
  let positive = 0;
  for (const [key, count] of d.bins) {
    if (!Number.isInteger(key) || !(count > 0)) throw new Error(`bad sketch bin [${key}, ${count}]`);
    s.store.add(key, count);
    positive += count;
  }
  s.zeroCount = d.zeros;
  s.count = positive + d.zeros;
  if (s.count > 0) {
    s.min = d.min;
    s.max = d.max;
  }
  s.sum = d.sum;
  return s;
}

/** The sketches merged into one (bin counts added); an empty sketch for none. */
export function mergeSketches(list: readonly SketchData[]): SketchData {
  const s = newSketch();
  for (const d of list) if (d.count > 0) s.merge(sketchFrom(d));
  return sketchData(s);
}

/** The q-quantile (0 ≤ q ≤ 1) to within the sketch's relative accuracy; NaN when empty. */
export function sketchQuantile(d: SketchData, q: number): number {
  if (d.count === 0) return NaN;
  return sketchFrom(d).getValueAtQuantile(q);
}

/** The representative value of a bin: within α of every value it holds. */
export function binValue(index: number): number {
  return newSketch().mapping.value(index);
}

/**
 * The empirical CDF the sketch holds, as steps: for zeros and then each
 * non-empty bin, its representative value and the share of values at or below it.
 */
export function sketchEcdf(d: SketchData): { value: number; share: number }[] {
  if (d.count === 0) return [];
  const mapping = newSketch().mapping;
  const out: { value: number; share: number }[] = [];
  let seen = d.zeros;
  if (d.zeros > 0) out.push({ value: 0, share: seen / d.count });
  for (const [key, c] of d.bins) {
    seen += c;
    out.push({ value: mapping.value(key), share: seen / d.count });
  }
  return out;
}
