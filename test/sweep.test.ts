/**
 * Sweeps end to end through the command line: determinism across worker
 * counts, sharding and merging, failures, interruption and resume.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rackbench, rackbenchWith, startRackbench, tempDir } from './support/cli.js';

const POLICIES = 'scenarios/sweeps/policies.yaml';
const SMALL = 'test/fixtures/sweeps/small.yaml';
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const ndjsonKeys = (dir: string): string[] =>
  read(dir, 'runs.ndjson')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { key: string }).key);

describe('rackbench sweep', () => {
  it('gives byte-identical tables with 1 and with 2 workers', () => {
    const one = tempDir();
    const two = tempDir();
    const a = rackbench('sweep', POLICIES, '--workers', '1', '--out', one, '--quiet');
    const b = rackbench('sweep', POLICIES, '--workers', '2', '--out', two, '--quiet');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(read(one, 'runs.csv').split('\n')).toHaveLength(2 + 40); // header, 40 runs, final newline
    expect(read(two, 'runs.csv')).toBe(read(one, 'runs.csv'));
    expect(read(two, 'summary.json')).toBe(read(one, 'summary.json'));
    expect(ndjsonKeys(two).sort()).toEqual(ndjsonKeys(one).sort());
  });

  it('merges shards 1/3, 2/3 and 3/3 into exactly the unsharded result', () => {
    const whole = tempDir();
    expect(rackbench('sweep', SMALL, '--out', whole, '--quiet', '--record', 'all').status).toBe(0);
    const shards = [1, 2, 3].map((i) => {
      const dir = tempDir();
      const r = rackbench('sweep', SMALL, '--shard', `${i}/3`, '--workers', '1', '--out', dir, '--quiet', '--record', 'all');
      expect(r.status, r.stderr).toBe(0);
      return dir;
    });
    const sizes = shards.map((d) => ndjsonKeys(d).length);
    expect(sizes.reduce((a, b) => a + b)).toBe(12);
    expect(new Set(shards.flatMap(ndjsonKeys)).size).toBe(12);

    const merged = tempDir();
    const m = rackbench('merge', ...shards, '--out', merged);
    expect(m.status, m.stderr).toBe(0);
    expect(read(merged, 'runs.csv')).toBe(read(whole, 'runs.csv'));
    expect(read(merged, 'summary.json')).toBe(read(whole, 'summary.json'));
    // The recorded tables too: each run's records travel with its shard.
    for (const table of ['timeseries.csv', 'nodes.csv', 'pods.csv']) {
      expect(read(whole, table).split('\n').length).toBeGreaterThan(12);
      expect(read(merged, table), table).toBe(read(whole, table));
    }

    const missing = rackbench('merge', shards[0]!, shards[2]!, '--out', tempDir());
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing shard 2/3');
  });

  it('takes its shard from a Kubernetes Indexed Job environment', () => {
    const flag = tempDir();
    const env = tempDir();
    expect(rackbench('sweep', SMALL, '--shard', '2/3', '--out', flag, '--quiet').status).toBe(0);
    const r = rackbenchWith({ JOB_COMPLETION_INDEX: '1', JOB_COMPLETION_COUNT: '3' }, 'sweep', SMALL, '--out', env, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(read(env, 'runs.csv')).toBe(read(flag, 'runs.csv'));
    const noCount = rackbenchWith({ JOB_COMPLETION_INDEX: '1' }, 'sweep', SMALL, '--out', tempDir(), '--quiet');
    expect(noCount.status).toBe(2);
    expect(noCount.stderr).toContain('JOB_COMPLETION_COUNT');
  });

  it('refuses to merge shards of different sweeps', () => {
    const a = tempDir();
    const b = tempDir();
    expect(rackbench('sweep', SMALL, '--shard', '1/2', '--out', a, '--quiet').status).toBe(0);
    expect(rackbench('sweep', 'test/fixtures/sweeps/faults.yaml', '--shard', '2/2', '--out', b, '--quiet').status).toBe(1);
    const r = rackbench('merge', a, b, '--out', tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shards of different sweeps/);
  });

  it('completes the other runs when one fails, reports it, and retries only it on the next invocation', () => {
    const dir = tempDir();
    const r = rackbench('sweep', 'test/fixtures/sweeps/faults.yaml', '--workers', '2', '--out', dir, '--quiet');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deliberate failure: 4 nodes');
    const failures = read(dir, 'failures.csv').trim().split('\n');
    expect(failures).toHaveLength(2);
    expect(failures[1]).toMatch(/count=3\).*fails-on-small-clusters\.mjs seed 1,deliberate failure: 4 nodes$/);
    expect(read(dir, 'runs.csv').trim().split('\n')).toHaveLength(1 + 3);
    // Incomplete: no summary.json to vouch for it.
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);

    const again = rackbench('sweep', 'test/fixtures/sweeps/faults.yaml', '--out', dir, '--quiet');
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('4 runs (3 already done, 1 run now), 1 failed');
  });

  it('records a run over --run-timeout as failed and goes on', () => {
    const dir = tempDir();
    const r = rackbench(
      'run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', 'test/fixtures/plugins/spins.mjs', '--scheduler', 'first-fit',
      '--seed', '1', '--workers', '1', '--run-timeout', '10s', '--out', dir, '--quiet',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/spins\.mjs seed 1: exceeded the run timeout \(10000 ms wall clock\)/);
    expect(read(dir, 'runs.csv')).toContain('k8s-bare-metal,first-fit,');
  }, 60_000);

  it('records a run over --worker-memory as failed', () => {
    const dir = tempDir();
    const r = rackbench(
      'run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', 'test/fixtures/plugins/hoards.mjs', '--seed', '1', '--worker-memory', '64', '--out', dir, '--quiet',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ran out of memory in its worker thread \(limit 64 MiB\)/);
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`resumes after ${signal} without re-running finished runs`, async () => {
      const dir = tempDir();
      const child = startRackbench('sweep', 'test/fixtures/sweeps/resume.yaml', '--workers', '1', '--out', dir, '--quiet');
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      const file = join(dir, 'runs.ndjson');
      const lines = (): number => (existsSync(file) ? read(dir, 'runs.ndjson').split('\n').length - 1 : 0);
      while (lines() < 3) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      const code = await exited;
      if (signal === 'SIGINT') expect(code).toBe(130);
      const done = lines();
      expect(done).toBeLessThan(60);
      expect(existsSync(join(dir, 'summary.json'))).toBe(false);

      const r = rackbench('sweep', 'test/fixtures/sweeps/resume.yaml', '--workers', '2', '--out', dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`resuming: ${done} of 60 runs already done`);
      const keys = ndjsonKeys(dir);
      expect(keys).toHaveLength(60);
      expect(new Set(keys).size).toBe(60);

      const fresh = tempDir();
      expect(rackbench('sweep', 'test/fixtures/sweeps/resume.yaml', '--out', fresh, '--quiet').status).toBe(0);
      expect(read(dir, 'runs.csv')).toBe(read(fresh, 'runs.csv'));
    }, 120_000);
  }

  it('names the sweep file, line and parameter when an override path or value is wrong', () => {
    const path = rackbench('sweep', 'test/fixtures/sweeps/bad-path.yaml', '--out', tempDir());
    expect(path.status).toBe(2);
    expect(path.stderr).toContain('test/fixtures/sweeps/bad-path.yaml:5: parameters.cluster.pools[name=r640].count: in scenario k8s-bare-metal: there is no cluster.pools[name=r640]');
    const value = rackbench('sweep', 'test/fixtures/sweeps/bad-value.yaml', '--out', tempDir());
    expect(value.status).toBe(2);
    expect(value.stderr).toMatch(/bad-value\.yaml:5: parameters\.cluster\.pools\[0\]\.count: k8s-bare-metal with cluster\.pools\[0\]\.count=-1 is not a valid scenario: cluster\.pools\[0\]\.count: /);
    expect(value.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('policy plugins', () => {
  it('runs the example plugin given as --scheduler ./file.ts', () => {
    const dir = tempDir();
    const r = rackbench('run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', './examples/my-policy.ts', '--seed', '1', '--out', dir, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const row = read(dir, 'runs.csv').split('\n')[1]!;
    expect(row.startsWith('k8s-bare-metal,./examples/my-policy.ts,kube,1,3067,3067,')).toBe(true);
  });

  it('rejects a broken plugin before any run, naming the file', () => {
    const dir = tempDir();
    const r = rackbench('run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', 'test/fixtures/broken-policy.ts', '--seed', '1', '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/scheduler plugin .*test\/fixtures\/broken-policy\.ts: cannot load: .*broken-policy\.ts:\d+:\d+: ERROR/s);
    expect(existsSync(join(dir, 'runs.csv'))).toBe(false);
  });
});
