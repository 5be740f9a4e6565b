import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, gateMarkdown, makeBaseline } from '../src/report/gate.js';
import type { RunRow } from '../src/report/runs-csv.js';

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
    expect(r.findings).toEqual([{ run: 's/best-fit/kube/seed 1', metric: 'delay_p99_s', baseline: 1.5, current: 1.8, note: '+0.3 (+20.00 %)' }]);
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

describe('rackbench gate (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/rackbench.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('exits 0 on an unchanged run and 1, naming the metric, on a crafted regression', () => {
    const out = join(dir, 'results');
    expect(cli('run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', 'best-fit', '--seed', '1', '--out', out, '--quiet').status).toBe(0);
    const baseline = join(dir, 'baseline.json');
    expect(cli('gate', out, '--baseline', baseline, '--update').status).toBe(0);
    const same = cli('gate', out, '--baseline', baseline);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/passed/);
    const b = JSON.parse(readFileSync(baseline, 'utf8')) as { runs: { metrics: Record<string, number> }[] };
    b.runs[0]!.metrics.pods_scheduled! += 1;
    writeFileSync(baseline, JSON.stringify(b));
    const changed = cli('gate', out, '--baseline', baseline);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/\| k8s-bare-metal\/best-fit\/kube\/seed 1 \| pods_scheduled \|/);
  });
});
