import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainCases, scoreCaseData } from '../src/explain/cases.js';
import { brokenLinear } from '../src/schedulers/kube/plugins/node-resources-fit.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';
import { runs } from './support/property-runs.js';

const SHARED = sharedPath('fixtures', 'kube-score-vectors.json');
const OURS = new URL('./fixtures/kube-plugin-vectors.json', import.meta.url);

interface VectorFile {
  cases: { id: string; expected_scores: Record<string, number>; expected_normalized?: Record<string, number> }[];
  broken_linear_function_assertions?: { cases: { points: [number, number][]; assert: [number, number][] }[] };
}

const load = (file: URL | string): VectorFile => JSON.parse(readFileSync(file, 'utf8')) as VectorFile;

describeWithShared('upstream score vectors (../shared/fixtures/kube-score-vectors.json)', [SHARED], () => {
  const file = load(SHARED);
  const got = new Map(explainCases(SHARED).cases.map((c) => [c.id, c]));

  it.each(file.cases.map((c) => [c.id, c] as const))('%s reproduces the upstream raw scores', (id, c) => {
    expect(got.get(id)!.scores).toEqual(c.expected_scores);
  });

  it.each((file.broken_linear_function_assertions?.cases ?? []).map((c, i) => [i, c] as const))(
    'broken linear function, shape %i',
    (_i, c) => {
      const shape = c.points.map(([utilization, score]) => ({ utilization, score }));
      for (const [p, want] of c.assert) expect(brokenLinear(shape, p), `f(${p})`).toBe(want);
    },
  );
});

describe('score vectors transcribed from upstream plugin tests (test/fixtures/kube-plugin-vectors.json)', () => {
  const file = load(OURS);
  const got = new Map(explainCases(OURS.pathname).cases.map((c) => [c.id, c]));

  it.each(file.cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    expect(got.get(id)!.scores).toEqual(c.expected_scores);
    if (c.expected_normalized !== undefined) expect(got.get(id)!.normalized).toEqual(c.expected_normalized);
  });
});

/**
 * A deliberately naive reference for the resource scorers, in BigInt so it
 * cannot share a rounding mistake with the implementation.
 */
function naive(strategy: 'LeastAllocated' | 'MostAllocated', alloc: bigint[], req: bigint[], weights: bigint[]): number {
  let sum = 0n;
  let wsum = 0n;
  for (let i = 0; i < alloc.length; i++) {
    const a = alloc[i]!;
    if (a === 0n) continue;
    let r = req[i]!;
    let s: bigint;
    if (strategy === 'LeastAllocated') s = r > a ? 0n : ((a - r) * 100n) / a;
    else {
      if (r > a) r = a;
      s = (r * 100n) / a;
    }
    sum += s * weights[i]!;
    wsum += weights[i]!;
  }
  return wsum === 0n ? 0 : Number(sum / wsum);
}

describe('NodeResourcesFit scoring against a naive reference', () => {
  const node = fc.record({ cpu: fc.integer({ min: 0, max: 256_000 }), memory: fc.integer({ min: 0, max: 2 ** 40 }) });
  const container = fc.record(
    { cpu_milli: fc.integer({ min: 0, max: 64_000 }), memory_bytes: fc.integer({ min: 0, max: 2 ** 36 }) },
    { requiredKeys: [] },
  );
  it('LeastAllocated and MostAllocated equal the reference on random nodes and pods', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('LeastAllocated' as const, 'MostAllocated' as const),
        node,
        fc.array(container, { maxLength: 3 }),
        fc.array(container, { maxLength: 3 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (type, n, existing, incoming, wCpu, wMem) => {
          const c = {
            id: 'p',
            plugin: 'NodeResourcesFit',
            args: { scoringStrategy: { type, resources: [{ name: 'cpu', weight: wCpu }, { name: 'memory', weight: wMem }] } },
            nodes: [{ name: 'n', allocatable: { cpu_milli: n.cpu, memory_bytes: n.memory, pods: 1000 } }],
            existing_pods: existing.map((e) => ({ node: 'n', containers: [{ requests: e }] })),
            incoming_pod: { containers: incoming.map((r) => ({ requests: r })) },
          };
          // Missing requests count as 100m / 200Mi per container when scoring.
          const nz = (cs: (typeof incoming)[number][]): [bigint, bigint] =>
            cs.reduce<[bigint, bigint]>(
              ([cpu, mem], r) => [cpu + BigInt(r.cpu_milli ?? 100), mem + BigInt(r.memory_bytes ?? 200 * 1024 * 1024)],
              [0n, 0n],
            );
          const [eCpu, eMem] = nz(existing);
          const [pCpu, pMem] = nz(incoming);
          // Existing pods that do not fit their node are outside the model (reserve refuses them).
          const real = (cs: (typeof incoming)[number][], k: 'cpu_milli' | 'memory_bytes'): number => cs.reduce((s, r) => s + (r[k] ?? 0), 0);
          fc.pre(real(existing, 'cpu_milli') <= n.cpu && real(existing, 'memory_bytes') <= n.memory && existing.length < 1000);
          const want = naive(type, [BigInt(n.cpu), BigInt(n.memory)], [eCpu + pCpu, eMem + pMem], [BigInt(wCpu), BigInt(wMem)]);
          expect(scoreCaseData(c).scores.n).toBe(want);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});

