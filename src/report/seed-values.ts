/**
 * Per group and metric, the values of each seed as runs.csv holds them, and
 * the percentile bootstrap interval of their mean (core/inference.ts). Every
 * interval the HTML report draws comes from here, seeded by the group and
 * metric, so a report is the same each time it is made.
 */
import { bootstrapMeanInterval } from '../core/inference.js';
import type { Interval } from '../core/inference.js';
import { pairedRatio } from './compare.js';
import { round6 } from './format.js';
import type { RunRow } from './runs-csv.js';
import type { GroupSummary } from './summary.js';
import { groupKey } from './summary.js';

export interface SeedValue {
  readonly seed: number;
  readonly value: number;
}

export interface SeedSpread {
  readonly values: readonly SeedValue[];
  readonly mean: number;
  /** 95 % percentile bootstrap interval of the mean; null for one seed. */
  readonly ci: Interval | null;
}

/** A policy's per-seed ratios to the baseline: their mean and bootstrap interval; seeds with no ratio (baseline 0) counted apart. */
export interface RatioSpread {
  readonly n: number;
  readonly mean: number;
  readonly ci: Interval | null;
  readonly skipped: number;
}

/** Rows of a results set indexed by group, for reading per-seed values. */
export class SeedIndex {
  private readonly byGroup = new Map<string, RunRow[]>();
  private readonly cache = new Map<string, SeedSpread | undefined>();

  constructor(rows: readonly RunRow[]) {
    for (const r of rows) {
      const k = groupKey(r);
      const list = this.byGroup.get(k);
      if (list) list.push(r);
      else this.byGroup.set(k, [r]);
    }
    for (const list of this.byGroup.values()) list.sort((a, b) => a.seed - b.seed);
  }

  /** The group's runs, by seed. */
  runs(g: Pick<GroupSummary, 'scenario' | 'scheduler' | 'queue'>): readonly RunRow[] {
    return this.byGroup.get(groupKey(g)) ?? [];
  }

  /** The metric's value on each seed, its mean and bootstrap interval; undefined when no run has it. */
  spread(g: Pick<GroupSummary, 'scenario' | 'scheduler' | 'queue'>, metric: string): SeedSpread | undefined {
    const key = `${groupKey(g)}\u0000${metric}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const values = this.runs(g).flatMap((r) => (r.metrics[metric] === undefined ? [] : [{ seed: r.seed, value: round6(r.metrics[metric]) }]));
    let out: SeedSpread | undefined;
    if (values.length > 0) {
      const xs = values.map((v) => v.value);
      const ci = bootstrapMeanInterval(xs, { seed: key });
      out = { values, mean: round6(xs.reduce((a, b) => a + b, 0) / xs.length), ci: ci === null ? null : { lo: round6(ci.lo), hi: round6(ci.hi) } };
    }
    this.cache.set(key, out);
    return out;
  }

  /**
   * policy ÷ baseline seed by seed (pairedRatio: 0 ÷ 0 is 1, x ÷ 0 has no
   * ratio), the mean of those ratios and its percentile bootstrap interval,
   * which stays within the ratios seen and so above 0. Undefined when no seed
   * pairs.
   */
  ratioSpread(g: Pick<GroupSummary, 'scenario' | 'scheduler' | 'queue'>, base: Pick<GroupSummary, 'scenario' | 'scheduler' | 'queue'>, metric: string): RatioSpread | undefined {
    const baseBySeed = new Map(this.runs(base).map((r) => [r.seed, r.metrics[metric]]));
    const ratios: number[] = [];
    let skipped = 0;
    for (const r of this.runs(g)) {
      const x = r.metrics[metric];
      const y = baseBySeed.get(r.seed);
      if (x === undefined || y === undefined) continue;
      const ratio = pairedRatio(round6(x), round6(y));
      if (ratio === undefined) skipped++;
      else ratios.push(ratio);
    }
    if (ratios.length === 0 && skipped === 0) return undefined;
    const mean = ratios.length === 0 ? NaN : ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const ci = bootstrapMeanInterval(ratios, { seed: `${groupKey(g)}\u0000${groupKey(base)}\u0000${metric}` });
    return { n: ratios.length, mean: round6(mean), ci: ci === null ? null : { lo: round6(ci.lo), hi: round6(ci.hi) }, skipped };
  }
}
