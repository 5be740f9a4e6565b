/**
 * Paired comparison with a baseline policy: for each seed, the ratio of a
 * policy's metric to the baseline's on the same scenario, queue and seed; the
 * mean of those ratios with a Student's t 95 % confidence interval. Pairing
 * removes the seed-to-seed variation of the workload, which both runs share.
 */
import { ci95HalfWidth, Welford } from '../core/stats.js';
import { metricColumns } from '../metrics/columns.js';
import { round6 } from './format.js';
import type { RunRow } from './runs-csv.js';
import { unionResources } from './runs-csv.js';
import type { GroupComparison, RatioStats } from './summary.js';
import { groupKey, groupRows } from './summary.js';

/**
 * policy ÷ baseline for one seed. A baseline of 0 has no ratio: 0 ÷ 0 counts
 * as 1 (both runs agree, e.g. no pod left unscheduled by either), and x ÷ 0
 * for x ≠ 0 is undefined, so that seed is left out of the metric's ratio.
 */
export function pairedRatio(policy: number, baseline: number): number | undefined {
  if (baseline === 0) return policy === 0 ? 1 : undefined;
  return policy / baseline;
}

/** Results are rounded to 1e-6, so an interval that misses 1 by less is not told apart from one that contains it. */
const TIE = 1e-6;

/**
 * Mean ratio, its 95 % CI half-width and whether the interval excludes 1;
 * `skipped` counts the seeds that had no ratio.
 */
export function ratioStats(ratios: readonly number[], skipped = 0): RatioStats {
  if (ratios.length === 0) return { n: 0, ratio: null, ci95: null, excludesOne: 0, skipped };
  const w = new Welford();
  for (const r of ratios) w.add(r);
  const ci = ci95HalfWidth(w.sd, w.n);
  let excludesOne: -1 | 0 | 1 = 0;
  if (!Number.isNaN(ci)) {
    if (w.mean - ci > 1 + TIE) excludesOne = 1;
    else if (w.mean + ci < 1 - TIE) excludesOne = -1;
  }
  return { n: w.n, ratio: round6(w.mean), ci95: Number.isNaN(ci) ? null : round6(ci), excludesOne, skipped };
}

/** Scheduler names per scenario, sorted. */
export function schedulersOf(rows: readonly RunRow[]): string[] {
  return [...new Set(rows.map((r) => r.scheduler))].sort();
}

/**
 * Every (scenario, scheduler, queue) group other than the baseline's,
 * compared seed by seed with the baseline on the same scenario and queue (or
 * the baseline's only queue in that scenario, when it ran with another one).
 * Scenarios without the baseline are left out.
 */
export function compareWithPolicy(rows: readonly RunRow[], baseline: string): GroupComparison[] {
  const columns = metricColumns(unionResources(rows));
  const groups = groupRows(rows);
  const out: GroupComparison[] = [];
  for (const runs of groups.values()) {
    const first = runs[0]!;
    if (first.scheduler === baseline) continue;
    const base = baselineRuns(groups, first.scenario, first.queue, baseline);
    if (base === undefined) continue;
    const bySeed = new Map(base.map((r) => [r.seed, r]));
    const metrics: Record<string, RatioStats> = {};
    for (const m of columns) {
      const ratios: number[] = [];
      let skipped = 0;
      let paired = 0;
      for (const r of runs) {
        const b = bySeed.get(r.seed);
        const x = r.metrics[m];
        const y = b?.metrics[m];
        if (x === undefined || y === undefined) continue;
        // The values as runs.csv holds them, so a report recomputed from runs.csv agrees.
        paired++;
        const ratio = pairedRatio(round6(x), round6(y));
        if (ratio === undefined) skipped++;
        else ratios.push(ratio);
      }
      if (paired > 0) metrics[m] = ratioStats(ratios, skipped);
    }
    out.push({ scenario: first.scenario, scheduler: first.scheduler, queue: first.queue, metrics });
  }
  return out;
}

function baselineRuns(groups: ReadonlyMap<string, RunRow[]>, scenario: string, queue: string, baseline: string): RunRow[] | undefined {
  const same = groups.get(groupKey({ scenario, scheduler: baseline, queue }));
  if (same) return same;
  const others = [...groups.values()].filter((g) => g[0]!.scenario === scenario && g[0]!.scheduler === baseline);
  return others.length === 1 ? others[0] : undefined;
}
