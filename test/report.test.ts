/**
 * Reports on a sweep's results: `rackbench report` and `compare` through the
 * command line's main() in this process, and user strings escaped in HTML and
 * markdown. The browser test of report.html is in report-html.test.ts.
 */
import { expectSelfContained } from './support/html-page.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { htmlReport } from '../src/report/html.js';
import { markdownReport } from '../src/report/markdown.js';
import { buildReport } from '../src/report/report-model.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { fileTempDir, tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

let results: string;
// One sweep for the whole file (tempDir() directories go after each test).
beforeAll(async () => {
  results = fileTempDir();
  const r = await runMain('sweep', 'test/fixtures/sweeps/small.yaml', '--out', results, '--quiet');
  if (r.code !== 0) throw new Error(r.stderr);
});

describe('rackbench report', () => {
  it('writes a self-contained report.html, report.md, groups.csv and summary.json', async () => {
    const r = await runMain('report', results);
    expect(r.code, r.stderr).toBe(0);
    const html = read(results, 'report.html');
    // Outside the inline scripts (which the CSP allows by hash) the only URLs are the SVG namespaces, which no browser fetches.
    expectSelfContained(html);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    for (const svg of svgs) expect(svg).toMatch(/<(path|rect|line|circle|symbol)\b/);
    expect(read(results, 'report.md')).toMatch(/^# rackbench: small/);
    expect(read(results, 'groups.csv').split('\n')[0]).toBe(
      'scenario,scheduler,queue,metric,unit,n,mean,sd,ci95,min,max,baseline,ratio_n,ratio,ratio_ci95,ratio_excludes_1,ratio_skipped',
    );
    const summary = JSON.parse(read(results, 'summary.json')) as { groups: { metrics: Record<string, { ci95: number | null }> }[] };
    expect(summary.groups[0]!.metrics.pods_scheduled!.ci95).toBe(0);
    // Deterministic: the same results give the same report, byte for byte.
    const before = read(results, 'report.html');
    expect((await runMain('report', results)).code).toBe(0);
    expect(read(results, 'report.html')).toBe(before);
  });

  it('names a missing directory and an unknown baseline (exit 2)', async () => {
    const missing = await runMain('report', join(tempDir(), 'nowhere'));
    expect(missing.code).toBe(2);
    const unknown = await runMain('compare', results, '--baseline', 'no-such-policy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('baseline "no-such-policy" is not among the schedulers of these results: "best-fit", "first-fit", "kube-default"');
  });

  // Without colour under NO_COLOR, which a process reads at start-up: cli-e2e.test.ts.
  it('compare prints the paired ratios', async () => {
    const r = await runMain('compare', results, '--baseline', 'kube-default');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kube-default (baseline)');
    expect(r.stdout).toMatch(/×\d\.\d{3} \[\d+\.\d{3}, \d+\.\d{3}\]/);
  });
});

describe('user strings in reports', () => {
  const row = (scheduler: string, seed: number, scheduled: number): RunRow => ({
    scenario: 'demo',
    scheduler,
    queue: 'kube',
    seed,
    resources: ['cpu', 'memory', 'nvme', 'nic', 'pods'],
    metrics: { pods_scheduled: scheduled, active_nodes_mean: 2 },
    timing: { wallMs: 1, events: 1 },
  });
  const evil = './<img src=x onerror=alert(1)>|x.ts';
  const model = buildReport({ title: 'a <b>title</b>', source: 'r&d', rows: [row(evil, 1, 3), row(evil, 2, 4), row('best-fit', 1, 3), row('best-fit', 2, 3)], baseline: 'best-fit', failed: 0 });

  it('are escaped in HTML', () => {
    const html = htmlReport(model, []);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>title');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('r&amp;d');
  });

  it('cannot break a markdown table', () => {
    const md = markdownReport(model);
    for (const line of md.split('\n').filter((l) => l.includes('img'))) expect(line).not.toMatch(/[^\\]\|x\.ts/);
  });
});
