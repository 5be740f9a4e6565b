import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, gateMarkdown, makeBaseline } from '../src/report/gate.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { writeRunSet } from './support/results.js';

const row = (seed: number, metrics: Record<string, number>, wallMs = 100, events = 1000): RunRow => ({
  scenario: 's',
  scheduler: 'best-fit',
  queue: 'kube',
  seed,
  resources: ['cpu'],
  metrics,
  timing: { wallMs, events },
});

describe('compareWithBaseline', () => {
  const base = makeBaseline([row(1, { pods_scheduled: 10, delay_p99_s: 1.5 }), row(2, { pods_scheduled: 12, delay_p99_s: 2 })]);

  it('passes identical runs', () => {
    const r = compareWithBaseline([row(2, { pods_scheduled: 12, delay_p99_s: 2 }), row(1, { pods_scheduled: 10, delay_p99_s: 1.5 })], base, false);
    expect(r.passed).toBe(true);
    expect(gateMarkdown(r)).toMatch(/passed/);
  });

  it('names the metric, the run and the change of a regression', () => {
    const r = compareWithBaseline([row(1, { pods_scheduled: 10, delay_p99_s: 1.8 }), row(2, { pods_scheduled: 12, delay_p99_s: 2 })], base, false);
    expect(r.passed).toBe(false);
    expect(r.findings).toEqual([{ scenario: 's', run: 's/best-fit/kube/seed 1', metric: 'delay_p99_s', baseline: 1.5, current: 1.8, note: '+0.3 (+20.00 %)' }]);
    expect(gateMarkdown(r)).toContain('| s/best-fit/kube/seed 1 | delay_p99_s | 1.5 | 1.8 | +0.3 (+20.00 %) |');
  });

  it('honours per-metric tolerances, absolute or relative', () => {
    const tolerant = { ...base, tolerances: { delay_p99_s: { rel: 0.25 } } };
    expect(compareWithBaseline([row(1, { pods_scheduled: 10, delay_p99_s: 1.8 }), row(2, { pods_scheduled: 12, delay_p99_s: 2 })], tolerant, false).passed).toBe(true);
    expect(compareWithBaseline([row(1, { pods_scheduled: 10, delay_p99_s: 1.9 }), row(2, { pods_scheduled: 12, delay_p99_s: 2 })], tolerant, false).passed).toBe(false);
  });

  it('reports missing and new runs', () => {
    const r = compareWithBaseline([row(1, { pods_scheduled: 10, delay_p99_s: 1.5 }), row(3, { pods_scheduled: 1, delay_p99_s: 0 })], base, false);
    expect(r.findings.map((f) => [f.run, f.note])).toEqual([
      ['s/best-fit/kube/seed 2', 'in the baseline but not run'],
      ['s/best-fit/kube/seed 3', 'not in the baseline'],
    ]);
  });

  it('compares speed only when asked, as a ratio', () => {
    const slow = [row(1, { pods_scheduled: 10, delay_p99_s: 1.5 }, 1000), row(2, { pods_scheduled: 12, delay_p99_s: 2 }, 100)];
    expect(compareWithBaseline(slow, base, false).passed).toBe(true);
    const r = compareWithBaseline(slow, base, true);
    expect(r.findings.map((f) => f.metric)).toEqual(['events_per_s']);
  });
});

describe('rackbench gate', () => {
  // Through the command line's main() in this process; CI runs the real thing on the default suite (.ci/run).
  it('exits 0 on an unchanged run and 1, naming the metric, on a crafted regression', async () => {
    const dir = tempDir();
    const out = join(dir, 'results');
    writeRunSet(out, ['scenarios/k8s-bare-metal.yaml'], { schedulers: ['best-fit'], seeds: [1] });
    const baseline = join(dir, 'baseline.json');
    expect((await runMain('gate', out, '--baseline', baseline, '--update')).code).toBe(0);
    const same = await runMain('gate', out, '--baseline', baseline);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/passed/);
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as { runs: { metrics: Record<string, number> }[] };
    b.runs[0]!.metrics.pods_scheduled! += 1;
    writeFileSync(baseline, JSON.stringify(b));
    const changed = await runMain('gate', out, '--baseline', baseline);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/\| k8s-bare-metal\/best-fit\/kube\/seed 1 \| pods_scheduled \|/);
  });
});
