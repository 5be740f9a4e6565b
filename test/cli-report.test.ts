/**
 * `rackbench report` and `compare` through the command line's main() in this process, on results
 * written as `rackbench run` writes them (test/support/results.ts). Colours, which a process chooses
 * from its environment at start-up, are tested in cli-e2e.test.ts.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { fileTempDir, K8S_SCENARIO, tempDir } from './support/report-fixtures.js';
import { writeRunSet } from './support/results.js';

// k8s-bare-metal with best-fit and kube-default on seeds 1, 2 and 3, made once; each test works on a copy.
let runs = '';
beforeAll(() => {
  runs = fileTempDir();
  writeRunSet(runs, [K8S_SCENARIO], { schedulers: ['best-fit', 'kube-default'], seeds: [1, 2, 3] });
});
function runSet(): string {
  const dir = tempDir();
  cpSync(runs, dir, { recursive: true });
  return dir;
}

interface SummaryFile {
  format: string;
  baseline?: string;
  groups: { scheduler: string; metrics: Record<string, { n: number; mean: number; sd: number; ci95: number | null }> }[];
  comparisons?: { scheduler: string; metrics: Record<string, { n: number; ratio: number | null; ci95: number | null; excludesOne: number }> }[];
}

describe('rackbench report', () => {
  it('writes report.html, report.md, groups.csv and summary.json with the comparison, byte-identical on a second run', async () => {
    const dir = runSet();
    const before = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile;
    // rackbench run's summary already holds the 95 % intervals, and no comparison.
    expect(before.groups[0]!.metrics.pods_scheduled!.ci95).not.toBeUndefined();
    expect(before.comparisons).toBeUndefined();

    const r = await runMain('report', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 runs, 2 groups, 3 charts, compared with kube-default; wrote .*report\.html/);
    expect(readdirSync(dir).sort()).toEqual(['groups.csv', 'report.html', 'report.md', 'runs.csv', 'sketches.json', 'summary.json', 'timings.csv']);

    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile;
    expect(summary.format).toBe('rackbench-summary/1');
    expect(summary.baseline).toBe('kube-default');
    // The groups are those rackbench run wrote: recomputed from runs.csv, they agree to the byte.
    expect(JSON.stringify(summary.groups)).toBe(JSON.stringify(before.groups));
    expect(summary.comparisons?.map((c) => c.scheduler)).toEqual(['best-fit']);
    const ratio = summary.comparisons![0]!.metrics.pods_submitted!;
    // Same workload per seed whatever the policy: every ratio is 1, with no spread.
    expect(ratio).toEqual({ n: 3, ratio: 1, ci95: 0, excludesOne: 0, skipped: 0 });

    const groups = parse(readFileSync(join(dir, 'groups.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const row = groups.find((g) => g.scheduler === 'best-fit' && g.metric === 'active_nodes_mean')!;
    expect(row).toMatchObject({ scenario: 'k8s-bare-metal', queue: 'kube', unit: 'nodes', n: '3', baseline: 'kube-default', ratio_n: '3' });
    expect(groups.filter((g) => g.scheduler === 'kube-default').every((g) => g.baseline === '')).toBe(true);

    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/^# rackbench: /);
    expect(md).toContain('## k8s-bare-metal');
    expect(md).toContain('| metric | kube-default (baseline) | best-fit |');

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(3);

    const files = ['report.html', 'report.md', 'groups.csv', 'summary.json'].map((f) => readFileSync(join(dir, f)));
    expect((await runMain('report', dir)).code).toBe(0);
    ['report.html', 'report.md', 'groups.csv', 'summary.json'].forEach((f, i) => expect(readFileSync(join(dir, f)).equals(files[i]!)).toBe(true));
  });

  it('--baseline chooses the reference; without kube-default and without --baseline there is no comparison', async () => {
    const dir = tempDir();
    writeRunSet(dir, [K8S_SCENARIO], { schedulers: ['best-fit', 'worst-fit'], seeds: [1] });
    const r = await runMain('report', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no baseline');
    expect((JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile).comparisons).toBeUndefined();
    expect((await runMain('report', dir, '--baseline', 'worst-fit', '--title', 'Packing <test>')).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile;
    expect(summary.baseline).toBe('worst-fit');
    // One seed: a ratio, but no interval.
    expect(summary.comparisons![0]!.metrics.pods_scheduled).toMatchObject({ n: 1, ci95: null, excludesOne: 0 });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<title>Packing &lt;test&gt;</title>');
  });

  it('reports an incomplete set without vouching for it with a summary.json', async () => {
    const dir = runSet();
    writeFileSync(join(dir, 'failures.csv'), 'key,run,error\nabc,"k8s-bare-metal/random/kube/seed 1",boom\n');
    const r = await runMain('report', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 run(s) failed');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('**Incomplete:** 1 run(s) failed');
    // The summary.json there is left as it was: the report does not refresh it for an incomplete set.
    expect((JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryFile).comparisons).toBeUndefined();
    expect(existsSync(join(dir, 'groups.csv'))).toBe(true);
  });

  it('exits 2 naming the problem: no such directory, no runs.csv, an unknown baseline', async () => {
    const missing = await runMain('report', join(tempDir(), 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: no such results directory/);
    const empty = await runMain('report', tempDir());
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('holds no runs.csv');
  });
});

describe('rackbench compare', () => {
  it('prints a table per scenario with ratios, intervals and markers', async () => {
    const r = await runMain('compare', runs, '--baseline', 'kube-default');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^k8s-bare-metal {2}baseline kube-default, queue kube, 3 seeds$/m);
    expect(r.stdout).toMatch(/^metric\s+kube-default \(baseline\)\s+best-fit$/m);
    // Every seed scheduled every pod: no interval to show. Elsewhere the bootstrap interval, in brackets.
    expect(r.stdout).toMatch(/^pods_scheduled \(pods\)\s+\d+\s+×1\.000$/m);
    expect(r.stdout).toMatch(/^delay_p99_s \(s\)\s+[\d.e+-]+ \[[\d.e+-]+, [\d.e+-]+\]\s+×\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/m);
    expect(r.stdout).toContain('▲/▼: the interval lies wholly above/below 1');
  });

  // Colours where the terminal supports them, none under NO_COLOR: cli-e2e.test.ts.

  it('exits 2 for an unknown baseline, listing the schedulers, and for an unknown metric', async () => {
    const r = await runMain('compare', runs, '--baseline', 'kube-defualt');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: baseline "kube-defualt" is not among the schedulers of these results: "best-fit", "kube-default"');
    const m = await runMain('compare', runs, '--metric', 'nope');
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('no metric "nope"');
    expect(existsSync(join(runs, 'report.html'))).toBe(false);
  });
});
