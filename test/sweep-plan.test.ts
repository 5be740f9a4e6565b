/** Sweep planning without running anything: override paths, run keys, shards, expansion. */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { applyOverride, parsePath } from '../src/runner/overrides.js';
import { canonicalJson, hashKey } from '../src/runner/run-key.js';
import { parseShard, selectShard, shardFromEnv } from '../src/runner/shard.js';
import { loadSweep } from '../src/runner/sweep-file.js';
import { runs } from './support/property-runs.js';

describe('override paths', () => {
  it('parses keys, indexes and field selectors', () => {
    expect(parsePath('cluster.pools[0].count')).toEqual([{ key: 'cluster' }, { key: 'pools' }, { index: 0 }, { key: 'count' }]);
    expect(parsePath('workload.streams[name=analytics].arrival.rate')).toEqual([
      { key: 'workload' },
      { key: 'streams' },
      { field: 'name', equals: 'analytics' },
      { key: 'arrival' },
      { key: 'rate' },
    ]);
    for (const bad of ['', 'a..b', 'pools[x]', '[0]x']) expect(() => parsePath(bad), bad).toThrow(UsageError);
  });

  const scenario = { cluster: { pools: [{ name: 'a', count: 1 }, { name: 'b', count: 2 }] }, simulation: {} };

  it('replaces the addressed value in a copy', () => {
    const r = applyOverride(scenario, 'cluster.pools[name=b].count', 7);
    expect(r).toEqual({ data: { cluster: { pools: [{ name: 'a', count: 1 }, { name: 'b', count: 7 }] }, simulation: {} } });
    expect(scenario.cluster.pools[1]!.count).toBe(2);
    expect(applyOverride(scenario, 'cluster.pools[0]', { name: 'z', count: 3 })).toEqual({
      data: { cluster: { pools: [{ name: 'z', count: 3 }, { name: 'b', count: 2 }] }, simulation: {} },
    });
    // A missing last field of an existing mapping is added.
    expect(applyOverride(scenario, 'simulation.until', '1h')).toEqual({ data: { ...scenario, simulation: { until: '1h' } } });
  });

  it('says what is missing', () => {
    expect(applyOverride(scenario, 'cluster.pools[2].count', 1)).toEqual({ error: 'there is no cluster.pools[2]' });
    expect(applyOverride(scenario, 'cluster.pools[name=c].count', 1)).toEqual({ error: 'there is no cluster.pools[name=c]' });
    expect(applyOverride(scenario, 'workload.services', [])).toEqual({ error: 'there is no workload' });
    expect(applyOverride(scenario, 'cluster[0]', 1)).toEqual({ error: 'cluster is not a list' });
  });
});

describe('run keys', () => {
  it('do not depend on the order of fields in a file', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(hashKey({ x: 1, y: 2 })).toBe(hashKey({ y: 2, x: 1 }));
    expect(hashKey({ x: 1, y: 2 })).not.toBe(hashKey({ x: 1, y: 3 }));
    expect(hashKey({ x: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('shards', () => {
  it('parses i/n and the Indexed Job environment', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad), bad).toThrow(UsageError);
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETION_COUNT: '4' })).toEqual({ index: 1, count: 4 });
    expect(shardFromEnv({})).toBeUndefined();
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '3' })).toThrow(/JOB_COMPLETION_COUNT/);
  });

  fcTest.prop([fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{4}$/), { maxLength: 60 }), fc.integer({ min: 1, max: 9 })], { numRuns: runs(200) })(
    'split the runs into disjoint slices that cover them all, whatever their order',
    (keys, count) => {
      const runs = keys.map((key) => ({ key }));
      const slices = Array.from({ length: count }, (_, i) => selectShard(runs, { index: i + 1, count }).map((r) => r.key));
      const all = slices.flat();
      expect(all.length).toBe(keys.length);
      expect(new Set(all).size).toBe(keys.length);
      for (const s of slices) expect(s.length).toBeLessThanOrEqual(Math.ceil(keys.length / count));
      const shuffled = [...runs].reverse();
      expect(selectShard(shuffled, { index: 1, count }).map((r) => r.key)).toEqual(slices[0]);
    },
  );
});

describe('sweep files', () => {
  it('expands scenarios × parameters × schedulers × seeds with distinct keys', () => {
    const plan = loadSweep('scenarios/sweeps/cluster-size.yaml');
    expect(plan.runs).toHaveLength(1 * 3 * 2 * 3 * 3);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(plan.runs.length);
    expect(plan.runs[0]!.label).toBe(
      'k8s-bare-metal (workload.streams[name=analytics].arrival.rate=1/s, cluster.pools[name=r650].count=3) best-fit seed 1',
    );
    expect(loadSweep('scenarios/sweeps/cluster-size.yaml').id).toBe(plan.id);
    expect(loadSweep('scenarios/sweeps/policies.yaml').runs).toHaveLength(2 * 5 * 4);
  });

  it('names the file and line of a bad field', () => {
    expect(() => loadSweep('test/fixtures/sweeps/bad-path.yaml')).toThrow(
      'test/fixtures/sweeps/bad-path.yaml:5: parameters.cluster.pools[name=r640].count: in scenario k8s-bare-metal: there is no cluster.pools[name=r640]',
    );
    expect(() => loadSweep('test/fixtures/sweeps/missing.yaml')).toThrow('test/fixtures/sweeps/missing.yaml: no such file');
  });
});
