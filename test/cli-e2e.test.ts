/**
 * End to end: `node bin/rackbench.js …` as a user runs it, on the code the vitest globalSetup compiled to
 * dist/. Only what takes a real process is here: the exit code the process ends with, the files it leaves,
 * its streams, signals, colours chosen from the environment at start-up, and the compiled worker threads
 * (time and memory limits, TypeScript plugins). Everything else a command does is tested in this process,
 * through the same `main()` (test/support/in-process.ts), in the test file of the command.
 */
import { expectSelfContained } from './support/html-page.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacityCsv, capacityJson } from '../src/report/capacity-report.js';
import { inProcessRunner, planCapacity } from '../src/capacity/plan.js';
import { writeTables } from '../src/runner/result-store.js';
import { runOne } from '../src/runner/run-one.js';
import { loadSweep } from '../src/runner/sweep-file.js';
import { runMain } from './support/in-process.js';
import { BIN, fileTempDir, rackbench, ROOT, startRackbench, tempDir } from './support/cli.js';
import { writeRunSet } from './support/results.js';

const K8S = 'scenarios/k8s-bare-metal.yaml';
const SMALL = 'test/fixtures/valid-small.yaml';
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

/** A user error is one or a few lines: no node stack trace, no uncaught-error header. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/^[A-Za-z]*Error: /m);
  expect(stderr).not.toContain('node:internal');
  expect(stderr).not.toMatch(/\.js:\d+/);
}

describe('rackbench run, as a process', () => {
  it('exits 0 leaving exactly runs.csv, summary.json and timings.csv; the table on stdout, one progress line per run on stderr', () => {
    const out = tempDir();
    const r = rackbench('run', K8S, '--scheduler', 'best-fit', '--scheduler', 'spread', '--seed', '1', '--out', out);
    expect(r.stderr).not.toMatch(/run failed|error:/);
    expect(r.status).toBe(0);
    // Nothing half-written (`*.tmp`) is left behind.
    expect(readdirSync(out).sort()).toEqual(['runs.csv', 'sketches.json', 'summary.json', 'timings.csv']);
    expect(read(out, 'runs.csv').split('\n')).toHaveLength(1 + 2 + 1); // header, 2 runs, final newline
    expect(r.stdout).toMatch(/^best-fit\s+kube\s+1\s/m);
    expect(r.stdout).toMatch(/^spread\s+kube\s+1\s/m);
    expect(r.stderr.split('\n').filter((l) => /^\[\d\/2\] k8s-bare-metal /.test(l))).toHaveLength(2);
  });

  it('exits 2 on bad input with a short message and no stack trace, from commander and from a scenario file', () => {
    const usage = rackbench('frobnicate');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("unknown command 'frobnicate'");
    expectNoStackTrace(usage.stderr);

    const out = tempDir();
    const input = rackbench('run', K8S, 'test/fixtures/bad-quantity.yaml', '--seed', '1', '--out', out);
    expect(input.status).toBe(2);
    expect(input.stderr).toContain('test/fixtures/bad-quantity.yaml:8: cluster.pools[0].capacity.cpu:');
    expectNoStackTrace(input.stderr);
    expect(readdirSync(out)).toEqual([]);
  });

  it('loads a TypeScript policy plugin given as --scheduler ./file.ts', () => {
    const dir = tempDir();
    const r = rackbench('run', K8S, '--scheduler', './examples/my-policy.ts', '--seed', '1', '--out', dir, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const row = read(dir, 'runs.csv').split('\n')[1]!;
    expect(row.startsWith('k8s-bare-metal,./examples/my-policy.ts,kube,1,3067,3067,')).toBe(true);
  });
});

describe('worker threads of the compiled runner', () => {
  it('records a run over --run-timeout as failed, exits 1, and still runs and writes the others', () => {
    // One worker: the spinning run is stopped after 10 s, and first-fit runs next on a fresh thread, whose
    // start counts against its own 10 s (a loaded machine takes seconds to start one).
    const dir = tempDir();
    const r = rackbench('run', SMALL, '--scheduler', 'test/fixtures/plugins/spins.mjs', '--scheduler', 'first-fit', '--seed', '1', '--workers', '1', '--run-timeout', '10s', '--out', dir, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/spins\.mjs seed 1: exceeded the run timeout \(10000 ms wall clock\)/);
    expect(read(dir, 'runs.csv')).toContain('\nvalid-small,first-fit,');
  });

  it('records a run over --worker-memory as failed', () => {
    const dir = tempDir();
    const r = rackbench('run', K8S, '--scheduler', 'test/fixtures/plugins/hoards.mjs', '--seed', '1', '--worker-memory', '64', '--out', dir, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ran out of memory in its worker thread \(limit 64 MiB\)/);
  });
});

describe('rackbench capacity, as a process', () => {
  const TINY = 'test/fixtures/capacity/tiny.yaml';

  it('ranks the options and writes capacity.csv, capacity.json and capacity.html, on 2 workers as run one by one in this thread', async () => {
    const out = tempDir();
    const r = rackbench('capacity', TINY, '--growth', '1,2', '--workers', '2', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/growth ×1:\n#\s+profile\s+platform\s+nodes/);
    const rows = read(out, 'capacity.csv').trim().split('\n');
    expect(rows[0]).toMatch(/^growth,profile,platform,status,nodes,survive,total_nodes,lower_bound_nodes,/);
    // growth 1 then 2; within each the cheaper option first: 2 × tiny-8c before 3 × tiny-4c
    expect(rows.slice(1).map((row) => row.split(',').slice(0, 5).join(','))).toEqual([
      '1,tiny-8c,none,found,2',
      '1,tiny-4c,none,found,3',
      '2,tiny-8c,none,found,3',
      '2,tiny-4c,none,found,5',
    ]);
    const json = JSON.parse(read(out, 'capacity.json'));
    expect(json).toMatchObject({ scenario: 'capacity-tiny', pool: 'workers', scheduler: 'first-fit', seeds: [1], slos: ['unschedulable=0'] });
    expect(json.options[0]).toMatchObject({ profile: 'tiny-8c', nodes: 2, lowerBound: 2, compacted: 2, racks: 1, monotonic: true });
    // Each count tried carries the SLO metric's worst value over the seeds run: the answer meets unschedulable=0.
    const answer = json.options[0].evaluations.find((e: { nodes: number }) => e.nodes === 2);
    expect(answer).toMatchObject({ pass: true, values: { 'unschedulable=0': 0 } });
    // capacity.html: self-contained, the ranking and two charts (cost; the SLO metric with its threshold), each with drawn marks.
    const html = read(out, 'capacity.html');
    expectSelfContained(html);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2);
    expect(html).toContain('data-kind="capacity-cost"');
    expect(html).toContain('data-kind="capacity-slo"');
    for (const fig of html.split('<figure').slice(1)) expect(fig).toMatch(/role-mark/);
    expect(html).toContain('<h3>growth ×1</h3>');

    // The same search with its runs made one after another in this thread: the results do not depend on
    // the worker threads (capacity.html is drawn from what capacity.json holds).
    const { report } = await planCapacity(TINY, { growth: [1, 2], runner: inProcessRunner });
    expect(read(out, 'capacity.csv')).toBe(capacityCsv(report.options));
    expect(read(out, 'capacity.json')).toBe(capacityJson(report));
  });

  it('exits 1 when an SLO is unmet at --max-nodes, and still writes the results', () => {
    const out = tempDir();
    const r = rackbench('capacity', TINY, '--profiles', 'tiny-4c', '--max-nodes', '2', '--out', out, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/tiny-4c on none, growth ×1: the SLOs are not met even at 2 nodes \(seed 1: pods_unschedulable=2 \(unschedulable=0\)\)/);
    expect(read(out, 'capacity.csv')).toMatch(/\n1,tiny-4c,none,impossible,/);
  });
});

describe('rackbench sweep, interrupted', () => {
  // 2 schedulers × 10 seeds: long enough to stop part-way.
  const RESUME = 'test/fixtures/sweeps/resume.yaml';
  // What the sweep gives uninterrupted: its runs made one after another in this thread, and their tables.
  let fresh = '';
  beforeAll(() => {
    fresh = fileTempDir();
    const runs = loadSweep(RESUME).runs.map((r) => ({ key: r.key, label: r.label, ok: true as const, result: runOne(r.spec) }));
    writeTables(fresh, runs);
  });

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`resumes after ${signal} without re-running finished runs`, async () => {
      const dir = tempDir();
      const child = startRackbench('sweep', RESUME, '--workers', '1', '--out', dir, '--quiet');
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      const file = join(dir, 'runs.ndjson');
      const lines = (): number => (existsSync(file) ? read(dir, 'runs.ndjson').split('\n').length - 1 : 0);
      while (lines() < 3) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      const code = await exited;
      if (signal === 'SIGINT') expect(code).toBe(130);
      const done = lines();
      expect(done).toBeLessThan(20);
      expect(existsSync(join(dir, 'summary.json'))).toBe(false);

      const r = await runMain('sweep', RESUME, '--workers', '2', '--out', dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`resuming: ${done} of 20 runs already done`);
      const keys = read(dir, 'runs.ndjson')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { key: string }).key);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
      expect(read(dir, 'runs.csv')).toBe(read(fresh, 'runs.csv'));
    });
  }
});

describe('colours', () => {
  it('compare colours under FORCE_COLOR and prints none under NO_COLOR', () => {
    const dir = tempDir();
    writeRunSet(dir, [K8S], { schedulers: ['best-fit', 'kube-default'], seeds: [1, 2] });
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '1' };
    delete env.NO_COLOR;
    const args = [BIN, 'compare', dir, '--metric', 'active_nodes_mean', '--metric', 'delay_p99_s'];
    const coloured = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
    expect(coloured.status).toBe(0);
    expect(coloured.stdout).toContain('\u001b[1m');
    expect(coloured.stdout).toMatch(/^.*active_nodes_mean \(nodes\)/m);
    expect(coloured.stdout).not.toMatch(/pods_scheduled/);

    // rackbench() sets NO_COLOR=1.
    const plain = rackbench('compare', dir, '--baseline', 'kube-default');
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('kube-default (baseline)');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
