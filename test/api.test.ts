/**
 * The library API (src/index.ts, docs/api.md): run and sweep as a Promise of
 * the set and an async iterator of runs, metrics under the runs.csv column
 * names, the CLI's files, report and diff.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { diff, loadScenario, report, run, sweep } from '../src/index.js';
import type { RunOutcome } from '../src/index.js';
import { runStream } from '../src/api/run-stream.js';
import { InputError } from '../src/model/yaml-input.js';
import { ROOT, tempDir } from './support/cli.js';

const SMALL = 'test/fixtures/valid-small.yaml';
const FAILS = 'test/fixtures/plugins/fails-on-small-clusters.mjs';

describe('runStream', () => {
  it('is a Promise of the result and an iterator of every item, however late the iterator starts', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stream = runStream<string, number>(async (emit) => {
      emit(1);
      emit(2);
      await gate;
      emit(3);
      return 'done';
    });
    const early: number[] = [];
    const iterating = (async () => {
      for await (const x of stream) early.push(x);
    })();
    await Promise.resolve();
    release();
    await iterating;
    expect(early).toEqual([1, 2, 3]);
    expect(await stream).toBe('done');
    const late: number[] = [];
    for await (const x of stream) late.push(x);
    expect(late).toEqual([1, 2, 3]);
  });

  it('rejects the Promise and throws from the iterator after the items before the failure; a synchronous throw too', async () => {
    const stream = runStream<string, number>(async (emit) => {
      emit(1);
      throw new Error('boom');
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of stream) seen.push(x);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
    await expect(stream).rejects.toThrow('boom');
    const sync = runStream<string, number>(() => {
      throw new Error('at once');
    });
    await expect(sync).rejects.toThrow('at once');
  });
});

describe('run', () => {
  it('iterates each run as it finishes and resolves to the set in plan order, with the metrics of runs.csv under its column names', async () => {
    const out = tempDir();
    const stream = run(SMALL, { schedulers: ['first-fit', 'best-fit'], seeds: [1, 2], workers: 1, out });
    const iterated: RunOutcome[] = [];
    for await (const r of stream) iterated.push(r);
    const set = await stream;
    expect(iterated).toHaveLength(4);
    expect(set.interrupted).toBe(false);
    expect(set.failed).toEqual([]);
    expect(set.results.map((r) => `${r.scheduler}/${r.seed}`)).toEqual(['first-fit/1', 'first-fit/2', 'best-fit/1', 'best-fit/2']);
    expect(new Set(iterated.map((r) => r.key))).toEqual(new Set(set.results.map((r) => r.key)));
    expect(set.files.map((f) => f.slice(out.length + 1))).toEqual(['runs.csv', 'timings.csv', 'summary.json', 'runs.parquet', 'groups.parquet']);
    expect(set.summary?.runs).toBe(4);

    const rows = parse(readFileSync(join(out, 'runs.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const header = Object.keys(rows[0]!).filter((c) => !['scenario', 'scheduler', 'queue', 'seed'].includes(c));
    expect(header).toContain('delay_p99_s');
    for (const row of rows) {
      const r = set.results.find((x) => x.scheduler === row.scheduler && String(x.seed) === row.seed)!;
      for (const column of header) {
        if (row[column] === '') continue;
        expect(r.metrics[column], column).toBeCloseTo(Number(row[column]), 5);
      }
    }
  });

  it('writes nothing without out; a failing policy is a FailedRun, not a rejection', async () => {
    const set = await run(loadScenario(SMALL), { schedulers: [FAILS, 'first-fit'], seeds: [1], workers: 1 });
    expect(set.files).toEqual([]);
    expect(set.results.map((r) => r.scheduler)).toEqual(['first-fit']);
    expect(set.failed).toHaveLength(1);
    expect(set.failed[0]!.error).toContain('deliberate failure');
  });

  it('takes scenario data built in a program, and keeps recorded tables on the result when nothing is written', async () => {
    const data = { name: 'from-code', cluster: { pools: [{ name: 'w', count: 1, capacity: { cpu: 2, memory: '4Gi' } }] }, workload: { services: [{ name: 'a', replicas: 1, requests: { cpu: 1, memory: '1Gi' } }] } };
    const scenario = loadScenario(data);
    expect(scenario.name).toBe('from-code');
    const set = await run(scenario, { schedulers: ['first-fit'], seeds: [1], workers: 1, record: ['nodes'] });
    expect(set.results[0]!.metrics.pods_scheduled).toBe(1);
    expect(set.results[0]!.records?.nodes).toBeDefined();
  });

  it('rejects bad input with the error naming the file, field and line, through the Promise and the iterator', async () => {
    await expect(run('test/fixtures/bad-quantity.yaml')).rejects.toBeInstanceOf(InputError);
    await expect(run('test/fixtures/bad-quantity.yaml')).rejects.toThrow(/bad-quantity\.yaml:8: cluster\.pools\[0\]\.capacity\.cpu/);
    await expect(
      (async () => {
        for await (const _ of run(SMALL, { schedulers: ['no-such-policy'] })) void _;
      })(),
    ).rejects.toThrow('unknown scheduler "no-such-policy"');
    expect(() => loadScenario('test/fixtures/missing-field.yaml')).toThrow(InputError);
  });
});

describe('sweep, report and diff', () => {
  it('runs a sweep into a directory, resumes it, reports it and diffs two sets', async () => {
    const out = tempDir();
    const stream = sweep('test/fixtures/sweeps/small.yaml', { out, workers: 2, shard: '1/3' });
    let iterated = 0;
    for await (const r of stream) {
      expect(r.ok).toBe(true);
      iterated++;
    }
    const first = await stream;
    expect(first.name).toBe('small');
    expect(first.total).toBe(4);
    expect(iterated).toBe(4);
    expect(first.results).toHaveLength(4);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);

    const again = sweep('test/fixtures/sweeps/small.yaml', { out, workers: 1, shard: { index: 1, count: 3 } });
    const rerun: RunOutcome[] = [];
    for await (const r of again) rerun.push(r);
    const second = await again;
    expect(rerun).toEqual([]);
    expect([second.resumed, second.ran, second.results.length]).toEqual([4, 0, 4]);

    const written = await report(out);
    expect(written.files.map((f) => f.slice(out.length + 1))).toContain('report.html');
    expect(written.summary.runs).toBe(4);

    expect(diff(out, first).passed).toBe(true);
    const changed = first.results.map((r, i) => (i === 0 ? { ...r, metrics: { ...r.metrics, delay_p99_s: (r.metrics.delay_p99_s ?? 0) + 1 } } : r));
    const d = diff(out, changed);
    expect(d.passed).toBe(false);
    expect(d.findings.map((f) => f.metric)).toEqual(['delay_p99_s']);
    expect(diff(out, changed, { tolerances: { delay_p99_s: { abs: 1 } } }).passed).toBe(true);
    expect(diff(out, first, { stat: { alpha: 0.05 } }).passed).toBe(true);
  });
});

describe("the package's main export", () => {
  it("resolves `import ... from 'rackbench'` through package.json exports to the built API, with its types beside it", () => {
    const script = "const m = await import('rackbench'); console.log(['loadScenario','run','sweep','report','diff'].map((k) => typeof m[k]).join(','))";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function,function,function,function,function');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    expect(existsSync(join(ROOT, pkg.exports['.']!.types))).toBe(true);
  });
});
