/**
 * The gate across seeds (--stat, --alpha), the roll-up per scenario × metric,
 * --summary and the full table in a file.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, makeBaseline } from '../src/report/gate.js';
import { gateSummaryMarkdown, rollUp } from '../src/report/gate-rollup.js';
import { ciHalfWidth, compareAcrossSeeds, pairedTTestP } from '../src/report/gate-stat.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { writeRunSet } from './support/results.js';

const row = (scenario: string, seed: number, metrics: Record<string, number>, scheduler = 'best-fit'): RunRow => ({
  scenario,
  scheduler,
  queue: 'kube',
  seed,
  resources: ['cpu'],
  metrics,
  timing: { wallMs: 100, events: 1000 },
});
const series = (values: readonly number[], metric = 'delay_p99_s', scenario = 's'): RunRow[] => values.map((v, i) => row(scenario, i + 1, { [metric]: v }));

describe('statistics of the gate across seeds', () => {
  it('gives the t-interval of a mean by hand: 1..5 → 3 ± t(0.975, 4) · sd / √5 = 2.776445 · 1.581139 / 2.236068', () => {
    expect(ciHalfWidth([1, 2, 3, 4, 5], 0.05)).toBeCloseTo((2.776445 * Math.sqrt(2.5)) / Math.sqrt(5), 5);
    expect(ciHalfWidth([7, 7, 7], 0.05)).toBe(0);
    expect(ciHalfWidth([7], 0.05)).toBeNaN();
  });

  it('gives the paired t-test p by the closed form for 2 degrees of freedom: p = 1 − t / √(t² + 2)', () => {
    // Differences 1, 2, 3: mean 2, sd 1, t = 2 / (1 / √3) = √12.
    const t = Math.sqrt(12);
    expect(pairedTTestP([[0, 1], [10, 12], [20, 23]])).toBeCloseTo(1 - t / Math.sqrt(t * t + 2), 6);
    expect(pairedTTestP([[1, 1], [2, 2]])).toBe(1);
    expect(pairedTTestP([[1, 2], [5, 6]])).toBe(0);
  });
});

describe('compareAcrossSeeds', () => {
  const base = makeBaseline(series([10, 11, 9, 10, 10]));

  it('passes noise within the seeds\' spread that exact mode flags', () => {
    const now = series([10, 10, 10, 10, 10]);
    expect(compareWithBaseline(now, base, false).findings).toHaveLength(2);
    expect(compareAcrossSeeds(now, base, 0.05).passed).toBe(true);
  });

  it('flags a mean outside the baseline interval, and a small shift on every seed by the paired test', () => {
    const far = compareAcrossSeeds(series([15, 16, 14, 15, 15]), base, 0.05);
    expect(far.findings).toHaveLength(1);
    expect(far.findings[0]).toMatchObject({ run: 's/best-fit/kube', metric: 'delay_p99_s', baseline: 10, current: 15 });
    expect(far.findings[0]!.note).toMatch(/outside the baseline's 95 % CI 10 ± /);
    const shifted = compareAcrossSeeds(series([10.1, 11.1, 9.1, 10.1, 10.1]), base, 0.05);
    expect(shifted.findings).toHaveLength(1);
    expect(shifted.findings[0]!.note).toMatch(/within the baseline's 95 % CI.*paired t-test p = \S+ < α = 0.05/);
  });

  it('changes its verdict with alpha where p lies between the levels (p ≈ 0.074)', () => {
    const wide = makeBaseline(series([0, 10, 20]));
    const now = series([1, 12, 23]);
    expect(compareAcrossSeeds(now, wide, 0.05).passed).toBe(true);
    expect(compareAcrossSeeds(now, wide, 0.1).passed).toBe(false);
  });

  it('compares one seed exactly, and reports groups only on one side', () => {
    const one = makeBaseline([row('s', 1, { m: 1 }), row('gone', 1, { m: 1 })]);
    const r = compareAcrossSeeds([row('s', 1, { m: 2 }), row('new', 1, { m: 1 })], one, 0.05);
    expect(r.findings.map((f) => [f.run, f.metric, f.note.split(':')[0]])).toEqual([
      ['gone/best-fit/kube', '(runs)', 'in the baseline but not run'],
      ['s/best-fit/kube', 'm', 'one seed, compared exactly'],
      ['new/best-fit/kube', '(runs)', 'not in the baseline'],
    ]);
  });
});

describe('the roll-up', () => {
  // 3 scenarios × 2 metrics × 10 seeds, every metric moved: a = +1 % everywhere, b = +50 % on scenario y.
  const before = ['x', 'y', 'z'].flatMap((s) => Array.from({ length: 10 }, (_, i) => row(s, i + 1, { a: 100, b: 10 })));
  const after = before.map((r) => ({ ...r, metrics: { a: 101, b: r.scenario === 'y' ? 15 : 10.1 } }));
  const report = compareWithBaseline(after, makeBaseline(before), false);

  it('has one row per scenario × metric with its count, largest change first (ties: larger absolute change, then name)', () => {
    expect(report.findings).toHaveLength(60);
    const rows = rollUp(report);
    expect(rows.map((r) => `${r.scenario} ${r.metric} ${r.changed}`)).toEqual(['y b 10', 'x a 10', 'y a 10', 'z a 10', 'x b 10', 'z b 10']);
  });

  it('prints the roll-up and names the file with the full table when it is too long to print', () => {
    const md = gateSummaryMarkdown(report, { mode: 'exact', details: 'full.md' });
    expect(md).toContain('**rackbench gate: failed** — 60 difference(s) from the baseline in 30 runs (exact), in 6 scenario × metric pair(s); largest first:');
    expect(md).toContain('| y | b | 10 | +5 (+50.00 %) | y/best-fit/kube/seed 1 | 10 | 15 |');
    expect(md).toContain('The full table (60 rows) is in full.md.');
    expect(md.split('\n').length).toBeLessThan(20);
  });
});

describe('rackbench gate --stat, --alpha, --summary', () => {
  it('appends markdown to --summary, writes the full table to --details, and rejects a bad --alpha with exit 2', async () => {
    const dir = tempDir();
    const out = join(dir, 'results');
    writeRunSet(out, ['scenarios/k8s-bare-metal.yaml'], { schedulers: ['best-fit', 'first-fit'], seeds: [1, 2] });
    const baseline = join(dir, 'baseline.json');
    const summary = join(dir, 'summary.md');
    const details = join(dir, 'details.md');
    expect((await runMain('gate', out, '--baseline', baseline, '--update')).code).toBe(0);
    const same = await runMain('gate', out, '--baseline', baseline, '--stat', '--summary', summary);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('passed');
    expect(same.stdout).toContain('across seeds at α = 0.05');

    // Every metric of every run moved by 1 %: far more rows than a terminal should show.
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as { runs: { metrics: Record<string, number> }[] };
    for (const r of b.runs) for (const m of Object.keys(r.metrics)) r.metrics[m] = r.metrics[m]! * 1.01 + 1;
    writeFileSync(baseline, JSON.stringify(b));
    const changed = await runMain('gate', out, '--baseline', baseline, '--summary', summary, '--details', details);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`is in ${details}`);
    expect(readFileSync(details, 'utf8')).toMatch(/^\*\*rackbench gate: failed\*\*/);
    const appended = readFileSync(summary, 'utf8');
    expect(appended.indexOf('passed')).toBeLessThan(appended.indexOf('failed'));

    expect((await runMain('gate', out, '--baseline', baseline, '--alpha', '0.1')).code).toBe(2);
    const bad = await runMain('gate', out, '--baseline', baseline, '--stat', '--alpha', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--alpha 1.5: expected a significance level between 0 and 1');
    expect(existsSync(join(dir, 'rackbench-gate.md'))).toBe(false);
  });

  it('without --details, writes the full table beside the results it judges, not in the working directory', async () => {
    const dir = tempDir();
    const out = join(dir, 'results');
    writeRunSet(out, ['scenarios/k8s-bare-metal.yaml'], { schedulers: ['best-fit', 'first-fit'], seeds: [1, 2] });
    const baseline = join(dir, 'baseline.json');
    expect((await runMain('gate', out, '--baseline', baseline, '--update')).code).toBe(0);
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as { runs: { metrics: Record<string, number> }[] };
    for (const r of b.runs) for (const m of Object.keys(r.metrics)) r.metrics[m] = r.metrics[m]! * 1.01 + 1;
    writeFileSync(baseline, JSON.stringify(b));
    const inCwd = (): string[] => readdirSync(process.cwd()).filter((f) => f.startsWith('rackbench-gate') || f === 'gate.md');
    const before = inCwd();
    const changed = await runMain('gate', out, '--baseline', baseline);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`is in ${join(out, 'gate.md')}`);
    expect(readFileSync(join(out, 'gate.md'), 'utf8')).toMatch(/^\*\*rackbench gate: failed\*\*/);
    expect(inCwd()).toEqual(before);
  });
});
