/**
 * `rackbench run`, `validate`, the usage and `schedulers`: the command line's main() in this process,
 * runs on its worker pool. What takes a real process (the exit status, files left behind) is in
 * cli-e2e.test.ts.
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placementNames } from '../src/schedulers/registry.js';
import { fileTempDir, tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import type { MainResult } from './support/in-process.js';
import { writeRunSet } from './support/results.js';

const K8S = 'scenarios/k8s-bare-metal.yaml';

/** Non-empty lines of a CSV file, split on commas (rackbench's cells hold no commas or quotes). */
function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/** A user error is one or a few lines: no node stack trace, no uncaught-error header. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/^[A-Za-z]*Error: /m);
  expect(stderr).not.toContain('node:internal');
  expect(stderr).not.toMatch(/\.js:\d+/);
}

describe('rackbench run', () => {
  // One set of runs for the first two tests (tempDir()s are removed after each test).
  let out = '';
  let r: MainResult;
  beforeAll(async () => {
    out = fileTempDir();
    r = await runMain('run', K8S, '--scheduler', 'best-fit', '--scheduler', 'spread', '--seed', '1', '--seed', '2', '--out', out);
  });

  it('runs 2 schedulers × 2 seeds and writes runs.csv, summary.json and timings.csv', () => {
    expect(r.stderr).not.toMatch(/run failed|error:/);
    expect(r.code).toBe(0);

    // Exactly the three result files: nothing half-written (`*.tmp`) is left behind.
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toEqual(['runs.csv', 'sketches.json', 'summary.json', 'timings.csv']);

    const [header, ...rows] = csvRows(join(out, 'runs.csv'));
    expect(header?.join(',')).toMatch(/^scenario,scheduler,queue,seed,/);
    expect(header).toContain('pods_scheduled');
    expect(rows).toHaveLength(4);
    // Sorted by scheduler, then seed; every row has as many cells as the header.
    expect(rows.map((row) => [row[0], row[1], row[2], row[3]])).toEqual([
      ['k8s-bare-metal', 'best-fit', 'kube', '1'],
      ['k8s-bare-metal', 'best-fit', 'kube', '2'],
      ['k8s-bare-metal', 'spread', 'kube', '1'],
      ['k8s-bare-metal', 'spread', 'kube', '2'],
    ]);
    for (const row of rows) expect(row).toHaveLength(header?.length ?? -1);
    // The workload depends on the seed, not on the scheduler.
    const submitted = header?.indexOf('pods_submitted') ?? -1;
    expect(submitted).toBeGreaterThanOrEqual(4);
    expect(rows[0]?.[submitted]).toBe(rows[2]?.[submitted]);
    expect(Number(rows[0]?.[submitted])).toBeGreaterThan(0);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      format: string;
      runs: number;
      groups: { scenario: string; scheduler: string; queue: string; seeds: number[]; metrics: Record<string, { n: number }> }[];
    };
    expect(summary.format).toBe('rackbench-summary/1');
    expect(summary.runs).toBe(4);
    expect(summary.groups).toHaveLength(2);
    expect(summary.groups.map((g) => [g.scenario, g.scheduler, g.queue, g.seeds])).toEqual([
      ['k8s-bare-metal', 'best-fit', 'kube', [1, 2]],
      ['k8s-bare-metal', 'spread', 'kube', [1, 2]],
    ]);
    expect(summary.groups[0]?.metrics.pods_scheduled?.n).toBe(2);

    const [timingHeader, ...timings] = csvRows(join(out, 'timings.csv'));
    expect(timingHeader?.slice(0, 4)).toEqual(['scenario', 'scheduler', 'queue', 'seed']);
    expect(timings).toHaveLength(4);

    // The comparison table on stdout: the scenario, a header and one line per scheduler.
    expect(r.stdout).toContain('k8s-bare-metal');
    expect(r.stdout).toMatch(/^scheduler\s+queue\s+seeds\s/m);
    expect(r.stdout).toMatch(/^best-fit\s+kube\s+2\s/m);
    expect(r.stdout).toMatch(/^spread\s+kube\s+2\s/m);
    // Progress goes to stderr, one line per run.
    expect(r.stderr.split('\n').filter((l) => /^\[\d\/4\]/.test(l))).toHaveLength(4);
  });

  it('is deterministic: runs.csv and summary.json are byte for byte those of the same runs made one by one in this thread', () => {
    // The command ran them on two worker threads, in whatever order they finished.
    const again = tempDir();
    writeRunSet(again, [K8S], { schedulers: ['best-fit', 'spread'], seeds: [1, 2] });
    const runs = readFileSync(join(out, 'runs.csv'));
    expect(runs.length).toBeGreaterThan(100);
    expect(runs.equals(readFileSync(join(again, 'runs.csv')))).toBe(true);
    expect(readFileSync(join(out, 'summary.json')).equals(readFileSync(join(again, 'summary.json')))).toBe(true);
  });

  // Running every built-in scenario when no file is named: platform-compare.test.ts ('npm start').

  it('rejects an unknown scheduler with exit 2, listing the built-in ones, and writes nothing', async () => {
    const out = tempDir();
    const r = await runMain('run', K8S, '--scheduler', 'no-such-policy', '--seed', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-policy');
    const names = placementNames();
    expect(names).toEqual(expect.arrayContaining(['first-fit', 'best-fit', 'worst-fit', 'spread', 'random']));
    for (const name of names) expect(r.stderr).toContain(name);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects a missing scenario file with exit 2, naming the file', async () => {
    const out = tempDir();
    const missing = 'test/fixtures/does-not-exist.yaml';
    const r = await runMain('run', missing, '--seed', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${missing}: no such file`);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects a broken scenario with exit 2 before writing any results', async () => {
    const out = tempDir();
    const r = await runMain('run', K8S, 'test/fixtures/bad-quantity.yaml', '--seed', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('test/fixtures/bad-quantity.yaml:8: cluster.pools[0].capacity.cpu:');
    expectNoStackTrace(r.stderr);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('rejects a bad --seed with exit 2', async () => {
    const out = tempDir();
    const r = await runMain('run', K8S, '--seed', 'one', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed one');
    expectNoStackTrace(r.stderr);
  });
});

describe('rackbench validate', () => {
  it('accepts valid scenarios with exit 0', async () => {
    const r = await runMain('validate', 'test/fixtures/valid-small.yaml', K8S, 'scenarios/k3s-edge.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok test/fixtures/valid-small.yaml: scenario "valid-small", 2 nodes in 1 pools');
    expect(r.stdout).toContain(`ok ${K8S}: scenario "k8s-bare-metal", 4 nodes in 2 pools`);
    expect(r.stdout).toContain('ok scenarios/k3s-edge.yaml: scenario "k3s-edge", 4 nodes');
  });

  // [fixture, expected `file:LINE: path` prefix of an error line, a word the message must contain]
  const broken: [string, string, string][] = [
    ['bad-count-type.yaml', ':6: cluster.pools[0].count: ', 'expected number'],
    ['bad-quantity.yaml', ':8: cluster.pools[0].capacity.cpu: ', '"4 cores"'],
    ['bad-request-quantity.yaml', ':14: workload.streams[0].requests.cpu: ', '"4 cores"'],
    ['unknown-key.yaml', ':11: workload.services[0]: ', '"replcias"'],
    ['unknown-resource.yaml', ':14: workload.services[0].requests.gpu: ', '"gpu"'],
    ['missing-field.yaml', ':5: cluster.pools[0].count: ', 'expected number'],
    ['bad-yaml-syntax.yaml', ':7: ', 'not valid YAML'],
    ['duplicate-key.yaml', ':7: ', 'not valid YAML'],
  ];

  it.each(broken)('rejects %s with exit 2 and a `file:line: field` message', async (fixture, where, word) => {
    const file = `test/fixtures/${fixture}`;
    const r = await runMain('validate', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith(`${file}${where}`));
    expect(line, `stderr has a line starting "${file}${where}":\n${r.stderr}`).toBeDefined();
    expect(line).toContain(word);
  });

  it('reports the good files, then fails on the first bad one', async () => {
    const r = await runMain('validate', 'test/fixtures/valid-small.yaml', 'test/fixtures/bad-count-type.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('ok test/fixtures/valid-small.yaml');
    expect(r.stderr).toContain('test/fixtures/bad-count-type.yaml:6: cluster.pools[0].count: ');
  });

  it('rejects a missing file with exit 2, naming it', async () => {
    const r = await runMain('validate', 'test/fixtures/nope.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('test/fixtures/nope.yaml: no such file');
    expectNoStackTrace(r.stderr);
  });
});

describe('rackbench usage', () => {
  it.each([
    [['--help'], 'Usage: rackbench [options] [command]', ['run', 'validate', 'schedulers']],
    [['run', '--help'], 'Usage: rackbench run [options] [scenarios...]', ['--scheduler', '--seed', '--queue', '--out', '--quiet']],
    [['validate', '--help'], 'Usage: rackbench validate [options] <scenarios...>', ['scenarios']],
  ])('%j exits 0 and shows usage', async (args, usage, mentions) => {
    const r = await runMain(...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(usage);
    for (const m of mentions) expect(r.stdout).toContain(m);
    expect(r.stderr).toBe('');
  });

  it('lists the built-in policies', async () => {
    const r = await runMain('schedulers');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`placement: ${placementNames().join(', ')}`);
    expect(r.stdout).toContain('queue: fifo, priority');
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['run', '--frobnicate', '--out', 'OUT'], "unknown option '--frobnicate'"],
    [['validate', '--frobnicate', K8S], "unknown option '--frobnicate'"],
    [['run', '--queue', 'lifo', '--out', 'OUT'], 'lifo'],
    [['validate'], "missing required argument 'scenarios'"],
  ])('%j exits 2 with a usage error', async (args, message) => {
    // A `run` that wrongly went ahead would write into a temporary directory, not results/.
    const out = tempDir();
    const r = await runMain(...args.map((a) => (a === 'OUT' ? out : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });
});
