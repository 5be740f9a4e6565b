/**
 * Parquet beside the CSVs and `rackbench query` over them (docs/query.md),
 * through the command line's main() in this process.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../src/runner/parquet.js';
import { fileTempDir, ROOT } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { writeRunSet } from './support/results.js';

let dir = '';
/** Rows of every run's pods.csv before the Parquet conversion replaced them. */
let podRows = 0;
beforeAll(async () => {
  dir = join(fileTempDir(), 'results');
  const results = writeRunSet(dir, ['scenarios/k8s-bare-metal.yaml'], { schedulers: ['best-fit', 'first-fit'], seeds: [1, 2], record: ['timeseries', 'nodes', 'pods'] });
  const records = join(dir, 'records');
  podRows = readdirSync(records).reduce((n, key) => n + csvRows(join('records', key, 'pods.csv')).length, 0);
  await writeParquet(dir, results);
});

const csvRows = (file: string): Record<string, string>[] => parse(readFileSync(join(dir, file), 'utf8'), { columns: true }) as Record<string, string>[];

describe('Parquet files', () => {
  it('hold the rows of each CSV, and groups', async () => {
    for (const t of ['runs', 'groups', 'timeseries', 'nodes']) expect(existsSync(join(dir, `${t}.parquet`)), t).toBe(true);
    // Pod records are stored once: one Parquet file per run, the CSVs gone.
    for (const key of readdirSync(join(dir, 'records'))) {
      expect(readdirSync(join(dir, 'records', key)).filter((f) => f.startsWith('pods.'))).toEqual(['pods.parquet']);
    }
    expect(existsSync(join(dir, 'pods.csv'))).toBe(false);
    const r = await runMain('query', dir, "select (select count(*) from runs) as runs, (select count(*) from pods) as pods, (select count(*) from nodes) as nodes, (select count(*) from groups where metric = 'delay_p99_s') as groups", '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ runs: 4, pods: podRows, nodes: csvRows('nodes.csv').length, groups: 2 }]);
  });

  it('keep the metric values of runs.csv under the same column names', async () => {
    const r = await runMain('query', dir, 'select scheduler, seed, delay_p99_s, pods_scheduled from runs order by scheduler, seed', '--json');
    const expected = csvRows('runs.csv')
      .sort((a, b) => (a.scheduler! < b.scheduler! ? -1 : a.scheduler! > b.scheduler! ? 1 : Number(a.seed) - Number(b.seed)))
      .map((row) => ({ scheduler: row.scheduler, seed: Number(row.seed), delay_p99_s: Number(row.delay_p99_s), pods_scheduled: Number(row.pods_scheduled) }));
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });
});

describe('rackbench query', () => {
  it('prints a table, CSV or JSON', async () => {
    const sql = 'select scheduler, count(*) as runs from runs group by scheduler order by scheduler';
    expect((await runMain('query', dir, sql)).stdout).toBe('scheduler  runs\n---------  ----\nbest-fit      2\nfirst-fit     2\n(2 rows)\n');
    expect((await runMain('query', dir, sql, '--csv')).stdout).toBe('scheduler,runs\nbest-fit,2\nfirst-fit,2\n');
    expect(JSON.parse((await runMain('query', dir, sql, '--json')).stdout)).toEqual([{ scheduler: 'best-fit', runs: 2 }, { scheduler: 'first-fit', runs: 2 }]);
  });

  it('exits 2 with the reason on a bad query or a directory without runs', async () => {
    const bad = await runMain('query', dir, 'select nope from runs');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/query failed: .*nope/s);
    expect(bad.stderr).toContain('tables: runs, groups, timeseries, nodes, pods');
    const none = await runMain('query', join(dir, 'records'), 'select 1');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('holds no runs.parquet or runs.csv');
  });

  const examples = [...readFileSync(join(ROOT, 'docs/query.md'), 'utf8').matchAll(/```sh\nrackbench query \S+ \\\n\s*"([\s\S]*?)"( --json)?\n```/g)];
  it('runs every example of docs/query.md', async () => {
    expect(examples.length).toBe(4);
    for (const [, sql, json] of examples) {
      const r = await runMain('query', dir, sql!, ...(json ? ['--json'] : []));
      expect(r.stderr, sql).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('(0 rows)');
    }
  });
});
