/**
 * Sweeps through the command line's main() in this process, on the worker pool: determinism across
 * worker counts, sharding and merging, failures and retries, bad sweep files, plugins. Interrupting and
 * resuming with signals, and the time and memory limits of worker threads, take a real process: they are
 * in cli-e2e.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { podParquetFiles } from '../src/runner/parquet.js';
import { selectShard } from '../src/runner/shard.js';
import { loadSweep } from '../src/runner/sweep-file.js';
import { fileTempDir, tempDir } from './support/cli.js';
import { runMain, runMainWith } from './support/in-process.js';

const POLICIES = 'scenarios/sweeps/policies.yaml';
const SMALL = 'test/fixtures/sweeps/small.yaml';
const FAULTS = 'test/fixtures/sweeps/faults.yaml';
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const ndjsonKeys = (dir: string): string[] =>
  read(dir, 'runs.ndjson')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { key: string }).key);

/** `rackbench sweep …` in this process; fails the test, showing stderr, unless it exits `code`. */
async function sweep(code: number, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runMain('sweep', ...args);
  expect(r.code, r.stderr).toBe(code);
  return r;
}

describe('rackbench sweep', () => {
  it('gives byte-identical tables with 1 and with 2 workers', async () => {
    // The shipped example: 2 scenarios × 5 policies (random among them) × 4 seeds.
    const one = tempDir();
    const two = tempDir();
    await sweep(0, POLICIES, '--workers', '1', '--out', one, '--quiet');
    await sweep(0, POLICIES, '--workers', '2', '--out', two, '--quiet');
    expect(read(one, 'runs.csv').split('\n')).toHaveLength(2 + 40); // header, 40 runs, final newline
    expect(read(two, 'runs.csv')).toBe(read(one, 'runs.csv'));
    expect(read(two, 'summary.json')).toBe(read(one, 'summary.json'));
    expect(ndjsonKeys(two).sort()).toEqual(ndjsonKeys(one).sort());
  });

  describe('shards', () => {
    // small.yaml (12 runs) whole, and as shards 1/3, 2/3 and 3/3, each with every record table. Shard 2/3
    // is the one a Kubernetes Indexed Job's pod with JOB_COMPLETION_INDEX=1 runs: the merge checks it too.
    let whole = '';
    let shards: string[] = [];
    beforeAll(async () => {
      whole = fileTempDir();
      await sweep(0, SMALL, '--out', whole, '--quiet', '--record', 'all');
      shards = [fileTempDir(), fileTempDir(), fileTempDir()];
      await sweep(0, SMALL, '--shard', '1/3', '--workers', '1', '--out', shards[0]!, '--quiet', '--record', 'all');
      const fromEnv = await runMainWith({ JOB_COMPLETION_INDEX: '1', JOB_COMPLETION_COUNT: '3' }, 'sweep', SMALL, '--workers', '1', '--out', shards[1]!, '--quiet', '--record', 'all');
      expect(fromEnv.code, fromEnv.stderr).toBe(0);
      await sweep(0, SMALL, '--shard', '3/3', '--workers', '1', '--out', shards[2]!, '--quiet', '--record', 'all');
    });

    it('merges shards 1/3, 2/3 and 3/3 into exactly the unsharded result', async () => {
      const sizes = shards.map((d) => ndjsonKeys(d).length);
      expect(sizes.reduce((a, b) => a + b)).toBe(12);
      expect(new Set(shards.flatMap(ndjsonKeys)).size).toBe(12);

      const merged = tempDir();
      const m = await runMain('merge', ...shards, '--out', merged);
      expect(m.code, m.stderr).toBe(0);
      expect(read(merged, 'runs.csv')).toBe(read(whole, 'runs.csv'));
      expect(read(merged, 'summary.json')).toBe(read(whole, 'summary.json'));
      // The recorded tables too: each run's records travel with its shard.
      for (const table of ['timeseries.csv', 'nodes.csv']) {
        expect(read(whole, table).split('\n').length).toBeGreaterThan(12);
        expect(read(merged, table), table).toBe(read(whole, table));
      }
      // Pod records are stored once, as each run's records/<key>/pods.parquet: the same bytes merged as unsharded.
      const pods = podParquetFiles(whole);
      expect(pods).toHaveLength(12);
      expect(podParquetFiles(merged).map((f) => f.slice(merged.length))).toEqual(pods.map((f) => f.slice(whole.length)));
      for (const f of pods) expect(readFileSync(merged + f.slice(whole.length)).equals(readFileSync(f)), f).toBe(true);
      expect(existsSync(join(merged, 'pods.csv'))).toBe(false);

      const missing = await runMain('merge', shards[0]!, shards[2]!, '--out', tempDir());
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('missing shard 2/3');
    });

    it('takes its shard from a Kubernetes Indexed Job environment', async () => {
      // JOB_COMPLETION_INDEX is 0-based: index 1 of 3 is shard 2/3, the runs --shard 2/3 selects.
      const manifest = JSON.parse(read(shards[1]!, 'sweep.json')) as { shard: unknown; runs: { key: string }[] };
      expect(manifest.shard).toEqual({ index: 2, count: 3 });
      const plan = loadSweep(SMALL);
      expect(manifest.runs.map((r) => r.key)).toEqual(selectShard(plan.runs, { index: 2, count: 3 }).map((r) => r.key));
      expect(ndjsonKeys(shards[1]!).sort()).toEqual(manifest.runs.map((r) => r.key));

      const noCount = await runMainWith({ JOB_COMPLETION_INDEX: '1', JOB_COMPLETION_COUNT: undefined }, 'sweep', SMALL, '--out', tempDir(), '--quiet');
      expect(noCount.code).toBe(2);
      expect(noCount.stderr).toContain('JOB_COMPLETION_COUNT');
    });

    it('refuses to merge shards of different sweeps', async () => {
      const faults = tempDir();
      // The faults sweep's shard 2/2 holds its failing run: exit 1, but its directory is a shard all the same.
      await sweep(1, FAULTS, '--shard', '2/2', '--out', faults, '--quiet');
      const r = await runMain('merge', shards[0]!, faults, '--out', tempDir());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/shards of different sweeps/);
    });
  });

  it('completes the other runs when one fails, reports it, and retries only it on the next invocation', async () => {
    const dir = tempDir();
    const r = await sweep(1, FAULTS, '--workers', '2', '--out', dir, '--quiet');
    expect(r.stderr).toContain('deliberate failure: 4 nodes');
    const failures = read(dir, 'failures.csv').trim().split('\n');
    expect(failures).toHaveLength(2);
    expect(failures[1]).toMatch(/count=3\).*fails-on-small-clusters\.mjs seed 1,deliberate failure: 4 nodes$/);
    expect(read(dir, 'runs.csv').trim().split('\n')).toHaveLength(1 + 3);
    // Incomplete: no summary.json to vouch for it.
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);

    const again = await sweep(1, FAULTS, '--out', dir, '--quiet');
    expect(again.stdout).toContain('4 runs (3 already done, 1 run now), 1 failed');
  });

  it('names the sweep file, line and parameter when an override path or value is wrong', async () => {
    const path = await sweep(2, 'test/fixtures/sweeps/bad-path.yaml', '--out', tempDir());
    expect(path.stderr).toContain('test/fixtures/sweeps/bad-path.yaml:5: parameters.cluster.pools[name=r640].count: in scenario k8s-bare-metal: there is no cluster.pools[name=r640]');
    const value = await sweep(2, 'test/fixtures/sweeps/bad-value.yaml', '--out', tempDir());
    expect(value.stderr).toMatch(/bad-value\.yaml:5: parameters\.cluster\.pools\[0\]\.count: k8s-bare-metal with cluster\.pools\[0\]\.count=-1 is not a valid scenario: cluster\.pools\[0\]\.count: /);
    expect(value.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('policy plugins', () => {
  // A TypeScript plugin run by the compiled command line: cli-e2e.test.ts.

  it('rejects a broken plugin before any run, naming the file', async () => {
    const dir = tempDir();
    const r = await runMain('run', 'scenarios/k8s-bare-metal.yaml', '--scheduler', 'test/fixtures/broken-policy.ts', '--seed', '1', '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scheduler plugin .*test\/fixtures\/broken-policy\.ts: cannot load: .*broken-policy\.ts:\d+:\d+: ERROR/s);
    expect(existsSync(join(dir, 'runs.csv'))).toBe(false);
  });
});
