/** `rackbench diff`: the change per scenario × policy × metric, worked by hand, and the command's files and exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anyChange, diffResults } from '../src/report/results-diff.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { runsCsv } from '../src/report/runs-csv.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

const row = (scheduler: string, seed: number, metrics: Record<string, number>): RunRow => ({
  scenario: 'demo',
  scheduler,
  queue: 'kube',
  seed,
  resources: ['cpu', 'memory'],
  metrics,
  timing: { wallMs: 1, events: 1 },
});

describe('diffResults', () => {
  it('pairs seeds: a shift of the same size on every seed is significant, with that shift as its interval', () => {
    const a = [1, 2, 3].map((s) => row('best-fit', s, { delay_p99_s: s, pods_scheduled: 10 }));
    const b = [1, 2, 3].map((s) => row('best-fit', s, { delay_p99_s: s + 0.5, pods_scheduled: 10 }));
    const d = diffResults(a, b);
    const delay = d.changes.find((c) => c.metric === 'delay_p99_s')!;
    // Means 2 and 2.5; every paired difference is 0.5, so every resample's mean is 0.5.
    expect(delay).toMatchObject({ meanA: 2, meanB: 2.5, delta: 0.5, relative: 0.25, ci: { lo: 0.5, hi: 0.5 }, paired: 3, status: 'significant' });
    expect(d.changes.find((c) => c.metric === 'pods_scheduled')!.status).toBe('unchanged');
    // Significant first.
    expect(d.changes[0]!.metric).toBe('delay_p99_s');
    expect(anyChange(d)).toBe(true);
  });

  it('a difference whose paired interval holds 0 is not significant; the same values are unchanged', () => {
    const a = [1, 2, 3, 4].map((s) => row('p', s, { delay_p99_s: 10 }));
    const b = [1, 2, 3, 4].map((s) => row('p', s, { delay_p99_s: s % 2 === 0 ? 11 : 9.5 }));
    const d = diffResults(a, b);
    expect(d.changes[0]).toMatchObject({ status: 'not-significant', delta: 0.25 });
    expect(d.changes[0]!.ci!.lo).toBeLessThan(0);
    expect(d.changes[0]!.ci!.hi).toBeGreaterThan(0);
    expect(anyChange(d)).toBe(false);
    expect(anyChange(diffResults(a, a))).toBe(false);
  });

  it('one seed: no interval, and a different value is a change; groups on one side are listed', () => {
    const d = diffResults([row('p', 1, { delay_p99_s: 1 }), row('q', 1, { delay_p99_s: 1 })], [row('p', 1, { delay_p99_s: 2 }), row('r', 1, { delay_p99_s: 1 })]);
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({ status: 'changed', ci: null });
    expect(d.onlyA).toEqual(['demo · q · kube']);
    expect(d.onlyB).toEqual(['demo · r · kube']);
  });

  it('different seeds: A and B resampled apart; the interval stays between the extreme differences', () => {
    const a = [1, 2, 3].map((s) => row('p', s, { delay_p99_s: s }));
    const b = [4, 5, 6].map((s) => row('p', s, { delay_p99_s: s + 10 }));
    const c = diffResults(a, b).changes[0]!;
    expect(c.paired).toBe(0);
    expect(c.delta).toBe(13);
    // Every resample's mean of b lies in [14, 16] and of a in [1, 3].
    expect(c.ci!.lo).toBeGreaterThanOrEqual(11);
    expect(c.ci!.hi).toBeLessThanOrEqual(15);
    expect(c.status).toBe('significant');
  });
});

describe('rackbench diff', () => {
  const write = (dir: string, rows: RunRow[]): void => {
    writeFileSync(join(dir, 'runs.csv'), runsCsv(rows));
  };

  it('prints markdown and writes diff.html; exits 0, or 1 with --fail-on-change when something changed, 2 on bad input', async () => {
    const a = tempDir();
    const b = tempDir();
    const out = tempDir();
    write(a, [1, 2, 3].map((s) => row('best-fit', s, { delay_p99_s: s, pods_scheduled: 10 })));
    write(b, [1, 2, 3].map((s) => row('best-fit', s, { delay_p99_s: 2 * s, pods_scheduled: 10 })));
    const r = await runMain('diff', a, b, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Significant changes');
    expect(r.stdout).toMatch(/\| demo \| best-fit \| kube \| delay\\_p99\\_s \| 2\.000 \| 4\.000 \| \+2\.000 \(\+100\.0 %\) \| \\\[\+1\.000, \+3\.000\\\] \| 3\/3 \(3\) \| significant \|/);
    const html = readFileSync(join(out, 'diff.html'), 'utf8');
    expect(html).toContain('<table class="sortable">');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-/);
    expect((await runMain('diff', a, b, '--out', out, '--fail-on-change')).code).toBe(1);
    expect((await runMain('diff', a, a, '--out', out, '--fail-on-change')).code).toBe(0);
    const missing = await runMain('diff', a, join(out, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such results directory');
    const other = tempDir();
    write(other, [row('spread', 1, { delay_p99_s: 1 })]);
    const unrelated = await runMain('diff', a, other, '--out', out);
    expect(unrelated.code).toBe(2);
    expect(unrelated.stderr).toContain('nothing to compare');
    // Default --out: resultsB.
    expect((await runMain('diff', a, b)).code).toBe(0);
    expect(existsSync(join(b, 'diff.html'))).toBe(true);
  });
});
