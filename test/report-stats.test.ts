import { describe, expect, it } from 'vitest';
import { ci95HalfWidth, studentTQuantile } from '../src/core/stats.js';
import { compareWithPolicy, pairedRatio, ratioStats } from '../src/report/compare.js';
import { groupsCsv } from '../src/report/groups-csv.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { summarize } from '../src/report/summary.js';
import { buildReport } from '../src/report/report-model.js';

const row = (scheduler: string, seed: number, metrics: Record<string, number>, scenario = 'demo', queue = 'kube'): RunRow => ({
  scenario,
  scheduler,
  queue,
  seed,
  resources: ['cpu', 'memory', 'nvme', 'nic', 'pods'],
  metrics,
  timing: { wallMs: 1, events: 1 },
});

describe("Student's t quantiles against published tables", () => {
  // Two-sided 95 % critical values, t(0.975, df), as printed in every statistics table.
  it.each([
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [5, 2.571],
    [10, 2.228],
    [30, 2.042],
    [120, 1.98],
  ])('t(0.975, %i) = %f', (df, table) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(table, 3);
  });

  it('matches the closed forms for 1 and 2 degrees of freedom to full precision', () => {
    // df = 1 is the Cauchy distribution: t = tan(π (p − ½)).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 12);
    // df = 2: t = (2p − 1) / √(2 p (1 − p)).
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
    expect(studentTQuantile(0.995, 2)).toBeCloseTo(0.99 / Math.sqrt(2 * 0.995 * 0.005), 11);
  });

  it('approaches the normal 1.959964 for many degrees of freedom and is symmetric', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 12);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(0.975, 0)).toBeNaN();
  });
});

describe('95 % confidence interval of a mean', () => {
  it('[1, 2, 3, 4]: mean 2.5, sd √(5/3), half-width t(0.975, 3) · sd / 2 = 2.05426', () => {
    // sd = √(5/3) = 1.2909944; t(0.975, 3) = 3.1824463; 3.1824463 × 1.2909944 / √4 = 2.0542603.
    expect(ci95HalfWidth(Math.sqrt(5 / 3), 4)).toBeCloseTo(2.0542603, 6);
  });

  it('is undefined for n = 1 and 0 for zero variance', () => {
    expect(ci95HalfWidth(0, 1)).toBeNaN();
    expect(ci95HalfWidth(0, 5)).toBe(0);
  });
});

describe('summary.json statistics', () => {
  it('per group: n, mean, sd, min, max and ci95, by hand', () => {
    // a: [1, 2, 3, 4] → mean 2.5, sd 1.290994, ci95 2.05426. b: one seed → sd 0, ci95 null.
    const rows = [1, 2, 3, 4].map((x) => row('a', x, { pods_scheduled: x })).concat([row('b', 1, { pods_scheduled: 7 })]);
    const s = summarize(rows);
    expect(s.format).toBe('rackbench-summary/1');
    const [a, b] = s.groups;
    expect(a!.metrics.pods_scheduled).toEqual({ n: 4, mean: 2.5, sd: 1.290994, min: 1, max: 4, ci95: 2.05426 });
    expect(b!.metrics.pods_scheduled).toEqual({ n: 1, mean: 7, sd: 0, min: 7, max: 7, ci95: null });
  });

  it('zero variance: sd 0 and an interval of width 0', () => {
    const s = summarize([1, 2, 3].map((seed) => row('a', seed, { delay_p50_s: 0.25 })));
    expect(s.groups[0]!.metrics.delay_p50_s).toEqual({ n: 3, mean: 0.25, sd: 0, min: 0.25, max: 0.25, ci95: 0 });
  });

  it('is computed from the values as runs.csv rounds them', () => {
    const s = summarize([row('a', 1, { makespan_s: 1.0000004 })]);
    expect(s.groups[0]!.metrics.makespan_s!.mean).toBe(1);
  });
});

describe('paired comparison with a baseline policy', () => {
  it('per-seed ratios: a baseline of 0 gives 1 for 0 ÷ 0 and no ratio otherwise', () => {
    expect(pairedRatio(3, 4)).toBe(0.75);
    expect(pairedRatio(0, 0)).toBe(1);
    expect(pairedRatio(2, 0)).toBeUndefined();
  });

  it('ratios 0.5, 0.5, 0.75: mean 0.583333, CI ± 0.358554, wholly below 1', () => {
    // Baseline 10, 20, 40; policy 5, 10, 30 on the same seeds → 0.5, 0.5, 0.75.
    // Mean 1.75 / 3 = 0.583333. Deviations −1/12, −1/12, 1/6; Σ squares = 1/144 + 1/144 + 4/144 = 6/144;
    // variance = (6/144) / 2 = 1/48, sd = 0.1443376. Half-width = t(0.975, 2) · sd / √3 = 4.3026527 × 0.0833333 = 0.3585544.
    // Interval [0.224779, 0.941888] lies below 1.
    const rows = [
      ...[10, 20, 40].map((x, i) => row('kube-default', i + 1, { delay_p99_s: x })),
      ...[5, 10, 30].map((x, i) => row('best-fit', i + 1, { delay_p99_s: x })),
    ];
    const [c] = compareWithPolicy(rows, 'kube-default');
    expect(c).toMatchObject({ scenario: 'demo', scheduler: 'best-fit', queue: 'kube' });
    expect(c!.metrics.delay_p99_s).toEqual({ n: 3, ratio: 0.583333, ci95: 0.358554, excludesOne: -1, skipped: 0 });
  });

  it('pairs by seed, not by position, and leaves out seeds missing on either side', () => {
    const rows = [row('base', 1, { m: 2 }), row('base', 2, { m: 4 }), row('base', 3, { m: 8 }), row('p', 3, { m: 4 }), row('p', 1, { m: 1 }), row('p', 9, { m: 100 })];
    const [c] = compareWithPolicy(rows.map((r) => ({ ...r, metrics: { pods_scheduled: r.metrics.m! } })), 'base');
    // Seeds 1 and 3: 1/2 and 4/8, both 0.5.
    expect(c!.metrics.pods_scheduled).toEqual({ n: 2, ratio: 0.5, ci95: 0, excludesOne: -1, skipped: 0 });
  });

  it('zero variance above 1 excludes 1; a single seed has no interval; equal runs do not differ', () => {
    expect(ratioStats([1.2, 1.2, 1.2])).toEqual({ n: 3, ratio: 1.2, ci95: 0, excludesOne: 1, skipped: 0 });
    expect(ratioStats([1.2])).toEqual({ n: 1, ratio: 1.2, ci95: null, excludesOne: 0, skipped: 0 });
    expect(ratioStats([1, 1])).toEqual({ n: 2, ratio: 1, ci95: 0, excludesOne: 0, skipped: 0 });
    // Within the 1e-6 rounding of result files: not a difference.
    expect(ratioStats([0.9999995, 0.9999995]).excludesOne).toBe(0);
    expect(ratioStats([], 3)).toEqual({ n: 0, ratio: null, ci95: null, excludesOne: 0, skipped: 3 });
  });

  it('counts the seeds whose baseline is 0', () => {
    const rows = [row('base', 1, { stranded_cpu: 0 }), row('base', 2, { stranded_cpu: 0 }), row('p', 1, { stranded_cpu: 0 }), row('p', 2, { stranded_cpu: 0.1 })];
    const [c] = compareWithPolicy(rows, 'base');
    expect(c!.metrics.stranded_cpu).toEqual({ n: 1, ratio: 1, ci95: null, excludesOne: 0, skipped: 1 });
  });

  it('compares within a scenario and queue; scenarios without the baseline get none', () => {
    const rows = [row('base', 1, { pods_scheduled: 2 }, 'x'), row('p', 1, { pods_scheduled: 4 }, 'x'), row('p', 1, { pods_scheduled: 4 }, 'y')];
    const cs = compareWithPolicy(rows, 'base');
    expect(cs.map((c) => [c.scenario, c.scheduler, c.metrics.pods_scheduled?.ratio])).toEqual([['x', 'p', 2]]);
  });
});

describe('groups.csv', () => {
  it('one row per group × metric with the comparison, formula cells escaped', () => {
    const evil = '=HYPERLINK("http://x","y"),1';
    const rows = [1, 2].flatMap((seed) => [row('kube-default', seed, { pods_scheduled: 10 }), row(evil, seed, { pods_scheduled: 12 })]);
    const model = buildReport({ title: 't', source: 'dir', rows, baseline: 'kube-default', failed: 0 });
    const csv = groupsCsv(model.summary).split('\n');
    expect(csv[0]).toBe('scenario,scheduler,queue,metric,unit,n,mean,sd,ci95,min,max,baseline,ratio_n,ratio,ratio_ci95,ratio_excludes_1,ratio_skipped');
    // The policy's name begins with = and holds a quote and a comma: prefixed with ' and quoted.
    expect(csv[1]).toBe(`demo,"'=HYPERLINK(""http://x"",""y""),1",kube,pods_scheduled,pods,2,12,0,0,12,12,kube-default,2,1.2,0,above,0`);
    expect(csv[2]).toBe('demo,kube-default,kube,pods_scheduled,pods,2,10,0,0,10,10,,,,,,');
  });
});
