import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { asNode } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { buildNodes, resourceSpaceOf, toVector } from '../src/model/cluster.js';
import type { NodeSpec } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { CPU, MEMORY, NVME, PODS, ResourceSpace } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { runs } from './support/property-runs.js';

const Gi = 2 ** 30;

/**
 * Two pools from a scenario:
 *   small-1, small-2: cpu 4 − 0.5 = 3.5 cores (3500m), memory 8Gi − 1Gi = 7Gi, nvme 100Gi, pods 3, gpu 0;
 *   big-1:            cpu 16 cores (16000m), memory 64Gi, nvme 0, pods 110 (the default), gpu 2.
 */
function twoPools(): ClusterState {
  const scenario = scenarioFromData(
    {
      name: 'cluster-state-test',
      cluster: {
        pools: [
          { name: 'small', count: 2, capacity: { cpu: 4, memory: '8Gi', nvme: '100Gi', pods: 3 }, reserved: { cpu: '500m', memory: '1Gi' } },
          { name: 'big', count: 1, capacity: { cpu: 16, memory: '64Gi', gpu: 2 } },
        ],
      },
      workload: {},
    },
    'test',
  );
  const space = resourceSpaceOf(scenario);
  return new ClusterState(space, buildNodes(scenario, space));
}

const SMALL1 = asNode(0);
const SMALL2 = asNode(1);
const BIG = asNode(2);

/** A request vector in the state's space; pods defaults to 1. */
function req(state: ClusterState, r: Record<string, number>): Float64Array {
  return toVector(state.space, { pods: 1, ...r });
}

/** Every byte of the requested and allocatable arrays, to compare states exactly. */
function snapshot(state: ClusterState): string {
  const bytes = (arrs: readonly Float64Array[]): string =>
    arrs.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')).join('|');
  return `${bytes(state.allocatable)}#${bytes(state.requested)}`;
}

function requestedOn(state: ClusterState, node: NodeIndex): number[] {
  return state.requested.map((dim) => dim[node]!);
}

describe('ClusterState construction', () => {
  it('copies allocatable = capacity − reserved per node and dimension, requested all zero', () => {
    const s = twoPools();
    expect(s.space.names).toEqual(['cpu', 'memory', 'nvme', 'nic', 'pods', 'gpu']);
    expect(s.nodeCount).toBe(3);
    // small: 4000m − 500m = 3500m; 8Gi − 1Gi = 7Gi; nvme 100Gi; nic 0; pods 3; gpu 0.
    expect(s.allocatable.map((d) => d[SMALL1])).toEqual([3500, 7 * Gi, 100 * Gi, 0, 3, 0]);
    expect(s.allocatable.map((d) => d[SMALL2])).toEqual([3500, 7 * Gi, 100 * Gi, 0, 3, 0]);
    // big: nothing reserved; pods defaults to 110.
    expect(s.allocatable.map((d) => d[BIG])).toEqual([16000, 64 * Gi, 0, 0, 110, 2]);
    for (const d of s.requested) expect([...d]).toEqual([0, 0, 0]);
  });
});

describe('ClusterState.reserve', () => {
  it('accepts a request that fits and adds it in every dimension', () => {
    const s = twoPools();
    expect(s.reserve(SMALL1, req(s, { cpu: 1000, memory: 2 * Gi, nvme: 10 * Gi }))).toBe(true);
    expect(requestedOn(s, SMALL1)).toEqual([1000, 2 * Gi, 10 * Gi, 0, 1, 0]);
    expect(requestedOn(s, SMALL2)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(s.reserve(SMALL1, req(s, { cpu: 500, memory: Gi }))).toBe(true);
    // 1000 + 500 = 1500m; 2Gi + 1Gi = 3Gi; pods 1 + 1 = 2.
    expect(requestedOn(s, SMALL1)).toEqual([1500, 3 * Gi, 10 * Gi, 0, 2, 0]);
  });

  it('accepts a request that fills a node exactly (≤, not <)', () => {
    const s = twoPools();
    // 3500m and 7Gi are exactly small-1's allocatable.
    expect(s.reserve(SMALL1, req(s, { cpu: 3500, memory: 7 * Gi, nvme: 100 * Gi }))).toBe(true);
    expect(s.fits(SMALL1, req(s, { cpu: 1 }))).toBe(false);
    expect(s.fits(SMALL1, req(s, { pods: 0 }))).toBe(true); // a zero request always fits
  });

  // Each case over-commits exactly one dimension by the smallest unit; the rest fit.
  it.each<[string, NodeIndex, Record<string, number>, Record<string, number>]>([
    // Held 3000m; 3000 + 501 = 3501 > 3500.
    ['cpu', SMALL1, { cpu: 3000 }, { cpu: 501 }],
    // Held 6Gi; 6Gi + 1Gi + 1 byte > 7Gi.
    ['memory', SMALL1, { memory: 6 * Gi }, { memory: Gi + 1 }],
    // Held 100Gi − 1; 1 more fits, 2 do not.
    ['nvme', SMALL2, { nvme: 100 * Gi - 1 }, { nvme: 2 }],
    // big-1 has no nvme at all: any nvme request over-commits it.
    ['nvme on a node without any', BIG, {}, { nvme: 1 }],
    // small nodes take 3 pods; the held request counts 1, so ask for 3 more.
    ['pods', SMALL2, {}, { pods: 3 }],
    // big-1 has 2 GPUs; held 2, one more over-commits.
    ['gpu (extended)', BIG, { gpu: 2 }, { gpu: 1 }],
    // small nodes have no GPU.
    ['gpu on a node without any', SMALL1, {}, { gpu: 1 }],
    // nic allocatable is 0 everywhere in this scenario.
    ['nic', BIG, {}, { nic: 1 }],
  ])('refuses over-commit in one dimension (%s) and changes nothing', (_dim, node, held, extra) => {
    const s = twoPools();
    expect(s.reserve(node, req(s, held))).toBe(true);
    const before = snapshot(s);
    const r = req(s, { ...extra, pods: extra.pods ?? 0 });
    expect(s.fits(node, r)).toBe(false);
    expect(s.reserve(node, r)).toBe(false);
    expect(snapshot(s)).toBe(before);
  });

  it('refuses the 4th pod on a node with pods = 3, and the 111th on the default 110', () => {
    const s = twoPools();
    const pod = req(s, {});
    for (let i = 0; i < 3; i++) expect(s.reserve(SMALL1, pod)).toBe(true);
    expect(s.reserve(SMALL1, pod)).toBe(false);
    for (let i = 0; i < 110; i++) expect(s.reserve(BIG, pod)).toBe(true);
    expect(s.reserve(BIG, pod)).toBe(false);
    expect(s.requested[PODS]![BIG]).toBe(110);
  });

  it('refuses a node index outside the cluster', () => {
    const s = twoPools();
    const before = snapshot(s);
    expect(s.reserve(asNode(-1), req(s, {}))).toBe(false);
    expect(s.reserve(asNode(3), req(s, {}))).toBe(false);
    expect(snapshot(s)).toBe(before);
  });

  it('refuses a node index that is not an integer (it would be accepted and recorded nowhere)', () => {
    const s = twoPools();
    const before = snapshot(s);
    // Typed arrays ignore writes at index 0.5 or NaN, so "true" here would be a reservation that is not held.
    expect(s.reserve(asNode(0.5), req(s, { cpu: 100 }))).toBe(false);
    expect(s.reserve(asNode(NaN), req(s, { cpu: 100 }))).toBe(false);
    expect(snapshot(s)).toBe(before);
  });

  it('works on hand-made NodeSpecs', () => {
    const space = new ResourceSpace();
    const node = (index: number, cpu: number, memory: number): NodeSpec => {
      const allocatable = space.zeros();
      allocatable[CPU] = cpu;
      allocatable[MEMORY] = memory;
      allocatable[PODS] = 10;
      return { index: asNode(index), name: `n-${index + 1}`, pool: 'n', zone: '', rack: '', labels: {}, taints: [], unschedulable: false, capacity: allocatable, allocatable };
    };
    const s = new ClusterState(space, [node(0, 1000, 4 * Gi), node(1, 8000, Gi)]);
    const pod = toVector(space, { cpu: 2000, memory: 2 * Gi, pods: 1 });
    // Node 0 lacks cpu (2000 > 1000), node 1 lacks memory (2Gi > 1Gi): neither fits.
    expect(s.fits(asNode(0), pod)).toBe(false);
    expect(s.fits(asNode(1), pod)).toBe(false);
    expect(s.reserve(asNode(0), pod)).toBe(false);
    expect(s.reserve(asNode(1), pod)).toBe(false);
    expect(requestedOn(s, asNode(0))).toEqual([0, 0, 0, 0, 0]);
    expect(requestedOn(s, asNode(1))).toEqual([0, 0, 0, 0, 0]);
    // NVME is not part of this pod; the node has no nvme and that is fine.
    expect(s.allocatable[NVME]![0]).toBe(0);
  });
});

describe('ClusterState.unreserve', () => {
  it('removes exactly what reserve added', () => {
    const s = twoPools();
    const a = req(s, { cpu: 1000, memory: Gi });
    const b = req(s, { cpu: 250, nvme: 5 * Gi });
    s.reserve(SMALL1, a);
    s.reserve(SMALL1, b);
    s.unreserve(SMALL1, a);
    // Left: b only.
    expect(requestedOn(s, SMALL1)).toEqual([250, 0, 5 * Gi, 0, 1, 0]);
  });

  it('throws below zero in any dimension and changes nothing', () => {
    const s = twoPools();
    s.reserve(SMALL1, req(s, { cpu: 1000, memory: Gi }));
    const before = snapshot(s);
    // cpu 1000 − 1001 < 0, even though memory alone would be fine.
    expect(() => s.unreserve(SMALL1, req(s, { cpu: 1001 }))).toThrow(/cpu.*small-1.*below zero/);
    // memory 1Gi − (1Gi + 1) < 0; cpu first would be fine.
    expect(() => s.unreserve(SMALL1, req(s, { cpu: 1, memory: Gi + 1 }))).toThrow(/memory.*below zero/);
    // A second pod's worth of the pods dimension.
    expect(() => s.unreserve(SMALL1, req(s, { pods: 2 }))).toThrow(/pods.*below zero/);
    // Nothing reserved on small-2 at all.
    expect(() => s.unreserve(SMALL2, req(s, {}))).toThrow(/small-2/);
    expect(snapshot(s)).toBe(before);
  });

  it('throws for a node outside the cluster, where nothing can have been reserved', () => {
    const s = twoPools();
    s.reserve(SMALL1, req(s, { cpu: 1000 }));
    const before = snapshot(s);
    expect(() => s.unreserve(asNode(3), req(s, { cpu: 1000 }))).toThrow();
    expect(() => s.unreserve(asNode(-1), req(s, { cpu: 1000 }))).toThrow();
    expect(snapshot(s)).toBe(before);
  });
});

// ---- properties -------------------------------------------------------------

/** One random operation: reserve a request on a node, or unreserve the k-th live reservation. */
type Op =
  | { readonly kind: 'reserve'; readonly node: number; readonly r: readonly number[] }
  | { readonly kind: 'unreserve'; readonly k: number };

/**
 * Requests in the units of twoPools(): cpu up to 5000m, memory up to 9Gi,
 * nvme up to 120Gi, nic 0 or 1, pods 0–2, gpu 0–2. Each bound is above the
 * small nodes' allocatable so refusals happen in every dimension.
 */
const request = fc.tuple(
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 * Gi })),
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 * Gi })),
  fc.constantFrom(0, 0, 0, 1),
  fc.integer({ min: 0, max: 2 }),
  fc.constantFrom(0, 0, 1, 2),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reserve' as const), node: fc.integer({ min: 0, max: 2 }), r: request }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unreserve' as const), k: fc.nat() }) },
);

describe('ClusterState properties', () => {
  it('no sequence of reserve/unreserve makes requested exceed allocatable; requested equals a naive sum', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const s = twoPools();
        const dims = s.space.size;
        // The naive model: the accepted reservations, and their sums per node and dimension.
        const live: { node: number; r: Float64Array }[] = [];
        const held = Array.from({ length: s.nodeCount }, () => new Array<number>(dims).fill(0));
        for (const o of ops) {
          if (o.kind === 'reserve') {
            const r = Float64Array.from(o.r);
            // Reference: fits iff for every dimension, held + r ≤ allocatable.
            const fits = o.r.every((x, d) => held[o.node]![d]! + x <= s.allocatable[d]![o.node]!);
            expect(s.reserve(asNode(o.node), r)).toBe(fits);
            if (fits) {
              live.push({ node: o.node, r });
              o.r.forEach((x, d) => (held[o.node]![d]! += x));
            }
          } else if (live.length > 0) {
            const [x] = live.splice(o.k % live.length, 1);
            s.unreserve(asNode(x!.node), x!.r);
            x!.r.forEach((v, d) => (held[x!.node]![d]! -= v));
          }
          for (let n = 0; n < s.nodeCount; n++) {
            for (let d = 0; d < dims; d++) {
              const requested = s.requested[d]![n]!;
              if (requested > s.allocatable[d]![n]! || requested !== held[n]![d]) {
                expect.fail(
                  `node ${n} ${s.space.names[d]}: requested ${requested}, allocatable ${s.allocatable[d]![n]}, naive sum ${held[n]![d]}`,
                );
              }
            }
          }
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('reserve then unreserve leaves the state arrays byte-identical (and a refused reserve changes nothing)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 2 }), request, (ops, node, r) => {
        const s = twoPools();
        // Reach a random state first.
        const live: { node: number; r: Float64Array }[] = [];
        for (const o of ops) {
          if (o.kind === 'reserve') {
            const v = Float64Array.from(o.r);
            if (s.reserve(asNode(o.node), v)) live.push({ node: o.node, r: v });
          } else if (live.length > 0) {
            const [x] = live.splice(o.k % live.length, 1);
            s.unreserve(asNode(x!.node), x!.r);
          }
        }
        const before = snapshot(s);
        const v = Float64Array.from(r);
        const copy = Float64Array.from(v);
        if (s.reserve(asNode(node), v)) {
          // An accepted non-zero request must show in the arrays before it is undone.
          if (v.some((x) => x > 0)) expect(snapshot(s)).not.toBe(before);
          s.unreserve(asNode(node), v);
        }
        expect(snapshot(s)).toBe(before);
        // The request vector itself is never written to.
        expect([...v]).toEqual([...copy]);
      }),
      { numRuns: runs(300) },
    );
  });
});
