/**
 * End-to-end tests of the command line: `node bin/rackbench.js …` as a user runs it
 * (the vitest globalSetup compiles src/ to dist/ first).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placementNames } from '../src/schedulers/registry.js';
import { rackbench, tempDir } from './support/cli.js';

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
  it('runs 2 schedulers × 2 seeds and writes runs.csv, summary.json and timings.csv', () => {
    const out = tempDir();
    const r = rackbench('run', K8S, '--scheduler', 'best-fit', '--scheduler', 'spread', '--seed', '1', '--seed', '2', '--out', out);
    expect(r.stderr).not.toMatch(/run failed|error:/);
    expect(r.status).toBe(0);

    // Exactly the three result files: nothing half-written (`*.tmp`) is left behind.
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toEqual(['runs.csv', 'summary.json', 'timings.csv']);

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

  it('is deterministic: the same command gives byte-identical runs.csv and summary.json', () => {
    const args = ['run', K8S, '--scheduler', 'best-fit', '--scheduler', 'spread', '--seed', '1', '--seed', '2', '--quiet'];
    const a = tempDir();
    const b = tempDir();
    expect(rackbench(...args, '--out', a).status).toBe(0);
    expect(rackbench(...args, '--out', b).status).toBe(0);
    const runsA = readFileSync(join(a, 'runs.csv'));
    expect(runsA.length).toBeGreaterThan(100);
    expect(runsA.equals(readFileSync(join(b, 'runs.csv')))).toBe(true);
    expect(readFileSync(join(a, 'summary.json')).equals(readFileSync(join(b, 'summary.json')))).toBe(true);
  });

  it('runs every built-in scenario when given no scenario files', () => {
    const out = tempDir();
    const r = rackbench('run', '--seed', '1', '--scheduler', 'first-fit', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [, ...rows] = csvRows(join(out, 'runs.csv'));
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual([
      ['k3s-edge', 'first-fit', '1'],
      ['k8s-bare-metal', 'first-fit', '1'],
      // k8s-vs-k3s runs once per platform (its defaults.platforms); test/platform-compare.test.ts checks the comparison.
      ['k8s-vs-k3s (platform=k3s)', 'first-fit', '1'],
      ['k8s-vs-k3s (platform=kubernetes)', 'first-fit', '1'],
    ]);
    expect(r.stdout).toContain('k3s-edge');
    expect(r.stdout).toContain('k8s-bare-metal');
    expect(r.stdout).toContain('Kubernetes vs k3s: k8s-vs-k3s');
  });

  it('rejects an unknown scheduler with exit 2, listing the built-in ones, and writes nothing', () => {
    const out = tempDir();
    const r = rackbench('run', K8S, '--scheduler', 'no-such-policy', '--seed', '1', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-policy');
    const names = placementNames();
    expect(names).toEqual(expect.arrayContaining(['first-fit', 'best-fit', 'worst-fit', 'spread', 'random']));
    for (const name of names) expect(r.stderr).toContain(name);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects a missing scenario file with exit 2, naming the file', () => {
    const out = tempDir();
    const missing = 'test/fixtures/does-not-exist.yaml';
    const r = rackbench('run', missing, '--seed', '1', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${missing}: no such file`);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects a broken scenario with exit 2 before writing any results', () => {
    const out = tempDir();
    const r = rackbench('run', K8S, 'test/fixtures/bad-quantity.yaml', '--seed', '1', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('test/fixtures/bad-quantity.yaml:8: cluster.pools[0].capacity.cpu:');
    expectNoStackTrace(r.stderr);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('rejects a bad --seed with exit 2', () => {
    const out = tempDir();
    const r = rackbench('run', K8S, '--seed', 'one', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--seed one');
    expectNoStackTrace(r.stderr);
  });
});

describe('rackbench validate', () => {
  it('accepts valid scenarios with exit 0', () => {
    const r = rackbench('validate', 'test/fixtures/valid-small.yaml', K8S, 'scenarios/k3s-edge.yaml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
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

  it.each(broken)('rejects %s with exit 2 and a `file:line: field` message', (fixture, where, word) => {
    const file = `test/fixtures/${fixture}`;
    const r = rackbench('validate', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith(`${file}${where}`));
    expect(line, `stderr has a line starting "${file}${where}":\n${r.stderr}`).toBeDefined();
    expect(line).toContain(word);
  });

  it('reports the good files, then fails on the first bad one', () => {
    const r = rackbench('validate', 'test/fixtures/valid-small.yaml', 'test/fixtures/bad-count-type.yaml');
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('ok test/fixtures/valid-small.yaml');
    expect(r.stderr).toContain('test/fixtures/bad-count-type.yaml:6: cluster.pools[0].count: ');
  });

  it('rejects a missing file with exit 2, naming it', () => {
    const r = rackbench('validate', 'test/fixtures/nope.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('test/fixtures/nope.yaml: no such file');
    expectNoStackTrace(r.stderr);
  });
});

describe('rackbench usage', () => {
  it.each([
    [['--help'], 'Usage: rackbench [options] [command]', ['run', 'validate', 'schedulers']],
    [['run', '--help'], 'Usage: rackbench run [options] [scenarios...]', ['--scheduler', '--seed', '--queue', '--out', '--quiet']],
    [['validate', '--help'], 'Usage: rackbench validate [options] <scenarios...>', ['scenarios']],
  ])('%j exits 0 and shows usage', (args, usage, mentions) => {
    const r = rackbench(...args);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(usage);
    for (const m of mentions) expect(r.stdout).toContain(m);
    expect(r.stderr).toBe('');
  });

  it('lists the built-in policies', () => {
    const r = rackbench('schedulers');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`placement: ${placementNames().join(', ')}`);
    expect(r.stdout).toContain('queue: fifo, priority');
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['run', '--frobnicate', '--out', 'OUT'], "unknown option '--frobnicate'"],
    [['validate', '--frobnicate', K8S], "unknown option '--frobnicate'"],
    [['run', '--queue', 'lifo', '--out', 'OUT'], 'lifo'],
    [['validate'], "missing required argument 'scenarios'"],
  ])('%j exits 2 with a usage error', (args, message) => {
    // A `run` that wrongly went ahead would write into a temporary directory, not results/.
    const out = tempDir();
    const r = rackbench(...args.map((a) => (a === 'OUT' ? out : a)));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(out)).toEqual([]);
  });
});
