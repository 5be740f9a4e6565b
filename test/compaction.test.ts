/**
 * Compaction (Borg, EuroSys 2015, section 5.1): the peak snapshot, the
 * smallest node prefix by hand, determinism, and the command line's JSON
 * and errors (in process, through the same `main` the binary calls).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { compact } from '../src/compact/compaction.js';
import { scenarioFromData } from '../src/model/scenario-file.js';

/**
 * Five nodes of 4 CPU. Services: 6 replicas of 2 CPU (forever, from t = 0).
 * Streams: 4 pods of 1 CPU at 0 s for 10 s; 1 pod of 3 CPU at 20 s.
 * Load (CPU ÷ 20): t = 0: 12 + 4 = 16; t = 10: 12; t = 20: 15 → the peak is t = 0, 10 pods.
 * first-fit in arrival order (services first): 2+2 | 2+2 | 2+2 | 1+1+1+1 → 4 nodes; 16 CPU needs ≥ 4 anyway.
 */
const SCENARIO = {
  name: 'compact-by-hand',
  cluster: { pools: [{ name: 'n', count: 5, capacity: { cpu: 4, memory: '8Gi' } }] },
  workload: {
    services: [{ name: 'svc', replicas: 6, requests: { cpu: 2 } }],
    streams: [
      { name: 'short', arrival: { process: 'burst', at: ['0s'], size: 4 }, duration: '10s', requests: { cpu: 1 } },
      { name: 'late', arrival: { process: 'burst', at: ['20s'], size: 1 }, duration: '10s', requests: { cpu: 3 } },
    ],
  },
};

/** 6 pods of 2 CPU on 4-CPU nodes: 3 nodes under any policy that places them all (2 per node; 2 nodes hold only 8 CPU). */
const SIX = {
  name: 'six-pods',
  cluster: { pools: [{ name: 'n', count: 6, capacity: { cpu: 4, memory: '8Gi' } }] },
  workload: { services: [{ name: 'svc', replicas: 6, requests: { cpu: 2 } }] },
};

const DIR = mkdtempSync(join(tmpdir(), 'rackbench-compact-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('compaction by hand', () => {
  it.each(['first-fit', 'best-fit', 'worst-fit', 'best-fit-l2', 'worst-fit-linf', 'tetris', 'l2-norm', 'kube-default'])('6 pods of 2 CPU on 4-CPU nodes need 3 nodes (%s)', (scheduler) => {
    const r = compact({ scenario: scenarioFromData(SIX, 'test'), source: 'test', scheduler, seeds: 3 });
    expect(r.pods).toBe(6);
    expect(r.runs.map((x) => x.nodes)).toEqual([3, 3, 3]);
    expect([r.min, r.median, r.max, r.mean]).toEqual([3, 3, 3, 3]);
  });

  it('the peak snapshot is the instant of most demand', () => {
    const r = compact({ scenario: scenarioFromData(SCENARIO, 'test'), source: 'test', scheduler: 'first-fit', seeds: 2 });
    expect(r.peak_s).toBe(0);
    expect(r.pods).toBe(10);
    expect(r.nodes_total).toBe(5);
    expect(r.runs).toEqual([
      { seed: 1, nodes: 4 },
      { seed: 2, nodes: 4 },
    ]);
  });

  it('the placement order matters: first fit needs a node more unless big pods go first', () => {
    // 4-CPU nodes; pods in arrival order 1, 1, 1, 1, 3, 3, 3, 3 CPU (16 CPU: at least 4 nodes).
    // first-fit by arrival: 1+1+1+1 | 3 | 3 | 3 | 3 → 5 nodes.
    // by dominant share (first fit decreasing): 3 | 3 | 3 | 3, then a 1 on each → 4 nodes.
    // worst-fit by arrival spreads the 1s one per node, and the 3s fill them up → 4 nodes.
    // One tenant: DRF's order is arrival order → 5 nodes with first-fit.
    const data = {
      name: 'order',
      cluster: { pools: [{ name: 'n', count: 6, capacity: { cpu: 4, memory: '8Gi' } }] },
      workload: {
        services: [
          { name: 'small', replicas: 4, requests: { cpu: 1 } },
          { name: 'big', replicas: 4, requests: { cpu: 3 } },
        ],
      },
    };
    const nodes = (scheduler: string, order: 'arrival' | 'dominant-share' | 'drf'): number | null =>
      compact({ scenario: scenarioFromData(data, 'test'), source: 'test', scheduler, seeds: 1, order }).runs[0]!.nodes;
    expect(nodes('first-fit', 'arrival')).toBe(5);
    expect(nodes('first-fit', 'dominant-share')).toBe(4);
    expect(nodes('worst-fit', 'arrival')).toBe(4);
    expect(nodes('first-fit', 'drf')).toBe(5);
  });

  it('DRF order interleaves tenants by dominant share, which here costs a node', () => {
    // 6 nodes of 4 CPU: 24 CPU. Tenant a: 4 pods of 3 CPU (share 1/8 each), listed first; tenant b: 4 pods of 1 CPU (1/24).
    // DRF, shares (a, b) before each pick: (0, 0) → a (tie: a seen first); (1/8, 0) → b; (1/8, 1/24) → b;
    // (1/8, 2/24) → b; (1/8, 3/24) tie → a; (2/8, 1/8) → b; b has none left → a, a. Order a b b b a b a a.
    // First fit: 3+1 | 1+1+1 | 3 | 3 | 3 → 5 nodes; arrival order 3 | 3 | 3 | 3, then a 1 on each → 4.
    const data = {
      name: 'tenants',
      cluster: { pools: [{ name: 'n', count: 6, capacity: { cpu: 4, memory: '8Gi' } }] },
      workload: {
        services: [
          { name: 'big', replicas: 4, tenant: 'a', requests: { cpu: 3 } },
          { name: 'small', replicas: 4, tenant: 'b', requests: { cpu: 1 } },
        ],
      },
    };
    const nodes = (order: 'arrival' | 'drf'): number | null => compact({ scenario: scenarioFromData(data, 'test'), source: 'test', scheduler: 'first-fit', seeds: 1, order }).runs[0]!.nodes;
    expect(nodes('drf')).toBe(5);
    expect(nodes('arrival')).toBe(4);
  });

  it('a snapshot that does not fit even on every node gives null', () => {
    const data = { ...SIX, cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 4, memory: '8Gi' } }] } };
    const r = compact({ scenario: scenarioFromData(data, 'test'), source: 'test', scheduler: 'first-fit', seeds: 2 });
    expect(r.runs).toEqual([
      { seed: 1, nodes: null },
      { seed: 2, nodes: null },
    ]);
    expect(r.median).toBeNull();
  });

  it('is deterministic, and shuffles matter on mixed nodes', () => {
    const mixed = {
      name: 'mixed',
      cluster: {
        pools: [
          { name: 'small', count: 4, capacity: { cpu: 4, memory: '8Gi' } },
          { name: 'large', count: 2, capacity: { cpu: 16, memory: '32Gi' } },
        ],
      },
      workload: { services: [{ name: 'svc', replicas: 8, requests: { cpu: 2 } }] },
    };
    const a = compact({ scenario: scenarioFromData(mixed, 'test'), source: 'test', scheduler: 'best-fit-l1', seeds: 8 });
    const b = compact({ scenario: scenarioFromData(mixed, 'test'), source: 'test', scheduler: 'best-fit-l1', seeds: 8 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // 16 CPU: one large node, or a large and … — between 1 and 4 nodes, and not the same for every order.
    const counts = a.runs.map((x) => x.nodes!);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    expect(new Set(counts).size).toBeGreaterThan(1);
  });
});

describe('rackbench compact', () => {
  const file = join(DIR, 'six.yaml');
  writeFileSync(file, JSON.stringify(SIX));

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const r = await runMain(...args);
    return { code: r.code, out: r.stdout, err: r.stderr };
  }


  it('--json prints one object with the distribution', async () => {
    const r = await cli('compact', file, '--scheduler', 'tetris', '--seeds', '3', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['scenario', 'scheduler', 'order', 'workload_seed', 'pods', 'peak_s', 'nodes_total', 'runs', 'min', 'median', 'max', 'mean']);
    expect(json).toMatchObject({ scenario: 'six-pods', scheduler: 'tetris', order: 'arrival', pods: 6, nodes_total: 6, min: 3, median: 3, max: 3, mean: 3 });
    expect(json.runs).toHaveLength(3);
  });

  it('bad input exits 2 naming what was expected, without a stack trace', async () => {
    const unknown = await cli('compact', file, '--scheduler', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown scheduler "nope"/);
    const seeds = await cli('compact', file, '--scheduler', 'first-fit', '--seeds', '0');
    expect(seeds.code).toBe(2);
    expect(seeds.err).toMatch(/--seeds 0: expected an integer ≥ 1/);
    const order = await cli('compact', file, '--scheduler', 'first-fit', '--order', 'size');
    expect(order.code).toBe(2);
    expect(order.err).toMatch(/--order size: expected one of arrival, dominant-share, drf/);
    const missing = await cli('compact', join(DIR, 'none.yaml'), '--scheduler', 'first-fit');
    expect(missing.code).toBe(2);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });
});
