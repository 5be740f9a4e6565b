/**
 * Time-weighted means of several series over equal-width time buckets, in a
 * fixed amount of memory whatever the run's length. Buckets start 1 ms wide;
 * when a value lands past the last bucket, neighbouring buckets merge (by 2,
 * then 5, alternately) so widths stay round: 1, 2, 10, 20, 100 ms … 1, 2, 10 s.
 *
 * Series are integrated piecewise: `add(k, value, t0, t1)` says series k held
 * `value` over [t0, t1). Sums are additive over time, so a series may be
 * integrated late (after a merge) and still land in the right buckets.
 */
import type { Micros } from '../core/ids.js';

const FIRST_WIDTH: Micros = 1000;

export class Timeline {
  /** Bucket width in µs. */
  width: Micros = FIRST_WIDTH;
  /** value × µs per series and bucket: sums[k * capacity + b]. */
  private sums: Float64Array;
  private merges = 0;

  constructor(
    readonly series: number,
    readonly capacity: number,
  ) {
    if (capacity < 10) throw new Error('a timeline needs at least 10 buckets');
    this.sums = new Float64Array(series * capacity);
  }

  /** Series k held `value` over [t0, t1). */
  add(k: number, value: number, t0: Micros, t1: Micros): void {
    if (value === 0 || t1 <= t0) return;
    while (t1 > this.capacity * this.width) this.merge();
    const { width, sums } = this;
    const base = k * this.capacity;
    let b = Math.floor(t0 / width);
    let t = t0;
    while (t < t1) {
      const edge = Math.min(t1, (b + 1) * width);
      sums[base + b]! += value * (edge - t);
      t = edge;
      b++;
    }
  }

  /** Widens the buckets so the covered span grows by the merge factor. */
  private merge(): void {
    const factor = this.merges % 2 === 0 ? 2 : 5;
    const { capacity, sums } = this;
    for (let k = 0; k < this.series; k++) {
      const base = k * capacity;
      for (let b = 0; b < capacity; b++) {
        const from = base + b * factor;
        let s = 0;
        if (b * factor < capacity) for (let i = 0; i < factor && b * factor + i < capacity; i++) s += sums[from + i]!;
        sums[base + b] = s;
      }
    }
    this.width *= factor;
    this.merges++;
  }

  /** Buckets that hold time before `end`. */
  buckets(end: Micros): number {
    return Math.min(this.capacity, Math.ceil(end / this.width));
  }

  /** The mean of series k over bucket b, given the run ended at `end` (the last bucket may be cut short). */
  mean(k: number, b: number, end: Micros): number {
    const start = b * this.width;
    const span = Math.min(this.width, end - start);
    return span > 0 ? this.sums[k * this.capacity + b]! / span : 0;
  }
}
