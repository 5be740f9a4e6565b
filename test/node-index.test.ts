/**
 * The indexed first-fit, best-fit and worst-fit policies choose exactly the
 * node the plain scans choose, at every decision of random sequences of
 * placements and releases on random clusters: small integer capacities (so
 * equal scores, and the lowest-index tie-break, are common), node shapes
 * beyond what the best-fit grid takes, fractional amounts (the tree's
 * fallback), extended resources and pods that only some nodes admit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asNode, NO_NODE } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import type { NodeSpec } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { CPU, MEMORY, PODS, ResourceSpace } from '../src/model/resources.js';
import { bestFit, scanBestFit } from '../src/schedulers/best-fit.js';
import { firstFit, scanFirstFit } from '../src/schedulers/first-fit.js';
import type { PlacementPolicy, PodView } from '../src/schedulers/types.js';
import { scanWorstFit, worstFit } from '../src/schedulers/worst-fit.js';
import { runs } from './support/property-runs.js';


/** cpu, memory, nvme, nic, pods, gpu. */
const DIMS = 6;
const GPU = 5;

interface ClusterData {
  /** allocatable per node, per dimension. */
  readonly nodes: number[][];
  /** Eligibility masks pods may carry (bit n: node n admits); -1 admits every node. */
  readonly masks: number[];
}

type Op =
  | { readonly kind: 'place'; readonly request: number[]; readonly mask: number; readonly bind: 'first' | 'best' | 'worst' | 'none' }
  | { readonly kind: 'release'; readonly which: number };

/**
 * Quantities from a small set, so many nodes and pods share values and scores
 * tie. Fractions are sixteenths, whose sums are exact, so releases in any order
 * bring a node back to exactly what it had (ClusterState refuses to go below zero).
 */
const amount = (fractional: boolean, max: number): fc.Arbitrary<number> =>
  fractional ? fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: 0, max: 16 * max }).map((k) => k / 16)) : fc.integer({ min: 0, max });

const clusterArbitrary = (fractional: boolean): fc.Arbitrary<ClusterData> =>
  fc
    .record({
      // A few shapes, repeated (the grid's case), or each node its own (beyond its shape limit when many).
      shapes: fc.array(fc.tuple(amount(fractional, 16), amount(fractional, 64), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 4 }),
      count: fc.integer({ min: 1, max: 70 }),
      distinct: fc.boolean(),
      pods: fc.integer({ min: 1, max: 6 }),
      masks: fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { maxLength: 3 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ shapes, count, distinct, pods, masks, seed }) => {
      const rng = rngFor(seed, 'node-index-test');
      const nodes: number[][] = [];
      for (let n = 0; n < count; n++) {
        const [cpu, memory, gpu] = distinct ? [1 + rng.int(40), 1 + rng.int(200), rng.int(3)] : shapes[rng.int(shapes.length)]!;
        nodes.push([cpu, memory, rng.int(3) === 0 ? 0 : 100, 0, pods, gpu]);
      }
      return { nodes, masks: [-1, ...masks] };
    });

const opArbitrary = (fractional: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('place' as const),
        request: fc.tuple(amount(fractional, 10), amount(fractional, 40), fc.constantFrom(0, 0, 30), fc.constant(0), fc.constantFrom(1, 1, 1, 0), fc.constantFrom(0, 0, 1)),
        mask: fc.nat(),
        bind: fc.constantFrom('first' as const, 'best' as const, 'worst' as const, 'none' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), which: fc.nat() }) },
  );

function buildCluster(data: ClusterData): ClusterState {
  const space = new ResourceSpace(['gpu']);
  const nodes: NodeSpec[] = data.nodes.map((alloc, i) => ({
    index: asNode(i),
    name: `n-${i}`,
    pool: 'p',
    zone: '',
    rack: '',
    labels: {},
    taints: [],
    unschedulable: false,
    capacity: Float64Array.from(alloc),
    allocatable: Float64Array.from(alloc),
  }));
  return new ClusterState(space, nodes);
}

/** A pod view as the simulator's: eligibility from a mask, fit read from the cluster. */
function podView(cluster: ClusterState, requests: Float64Array, mask: number): PodView {
  const eligible = (node: NodeIndex): boolean => mask === -1 || (mask & (1 << node % 31)) !== 0;
  return {
    requests,
    priority: 0,
    tenant: 't',
    owner: 'o',
    labels: {},
    arrival: 0,
    duration: -1,
    template: { owner: 'o', kind: 'stream', priority: 0, tenant: 't', labels: {}, nodeSelector: {}, tolerations: [], missingRequests: { cpu: false, memory: false } },
    eligible,
    fitsOn: (node) => eligible(node) && cluster.fits(node, requests),
  };
}

/** Replays `ops`, checking each indexed policy against its scan at every decision; returns how many decisions found a node. */
function replay(data: ClusterData, ops: readonly Op[]): number {
  const cluster = buildCluster(data);
  const rng = rngFor(1, 'unused');
  const policies: Record<'first' | 'best' | 'worst', PlacementPolicy> = {
    first: firstFit({ cluster, rng }),
    best: bestFit({ cluster, rng }),
    worst: worstFit('worst-fit')({ cluster, rng }),
  };
  const scans = { first: scanFirstFit, best: scanBestFit, worst: scanWorstFit };
  const all = Object.values(policies);
  const bound: { node: NodeIndex; requests: Float64Array; pod: PodView }[] = [];
  let found = 0;
  ops.forEach((op, step) => {
    if (op.kind === 'release') {
      if (bound.length === 0) return;
      const [b] = bound.splice(op.which % bound.length, 1);
      cluster.unreserve(b!.node, b!.requests);
      for (const p of all) p.onRelease!(b!.pod, b!.node);
      return;
    }
    const requests = Float64Array.from(op.request);
    expect(requests.length).toBe(DIMS);
    const pod = podView(cluster, requests, data.masks[op.mask % data.masks.length]!);
    const chosen = { first: NO_NODE, best: NO_NODE, worst: NO_NODE };
    for (const k of ['first', 'best', 'worst'] as const) {
      chosen[k] = policies[k].place!(pod, cluster);
      expect(chosen[k], `${k}-fit, step ${step}, request [${op.request.join(', ')}]`).toBe(scans[k](pod, cluster));
    }
    if (chosen.first !== NO_NODE) found++;
    if (op.bind === 'none') return;
    const node = chosen[op.bind];
    if (node === NO_NODE) return;
    expect(cluster.reserve(node, requests)).toBe(true);
    bound.push({ node, requests, pod });
    for (const p of all) p.onBind!(pod, node);
  });
  return found;
}

describe('node index: indexed policies choose what the scans choose', () => {
  it('integer capacities and requests (the best-fit grid)', () => {
    let found = 0;
    fc.assert(
      fc.property(clusterArbitrary(false), fc.array(opArbitrary(false), { minLength: 1, maxLength: 300 }), (data, ops) => {
        found += replay(data, ops);
      }),
      { numRuns: runs(150) },
    );
    // The property is not vacuous: pods do get placed.
    expect(found).toBeGreaterThan(0);
  });

  it('fractional amounts (the tree search)', () => {
    fc.assert(
      fc.property(clusterArbitrary(true), fc.array(opArbitrary(true), { minLength: 1, maxLength: 200 }), (data, ops) => {
        replay(data, ops);
      }),
      { numRuns: runs(100) },
    );
  });

  it('a larger cluster filled to the brim by best fit, then churned', () => {
    // Many identical nodes: long runs of equal scores, where only the tie-break decides.
    const nodes = Array.from({ length: 600 }, (_, i) => [i % 3 === 0 ? 16_000 : 32_000, i % 3 === 0 ? 64 : 128, 0, 0, 110, 0]);
    const rng = rngFor(3, 'node-index-test/fill');
    const ops: Op[] = [];
    for (let i = 0; i < 6000; i++) {
      if (i > 2000 && rng.int(3) === 0) ops.push({ kind: 'release', which: rng.int(1 << 30) });
      else ops.push({ kind: 'place', request: [[500, 1000, 2000, 4000][rng.int(4)]!, 1 + rng.int(16), 0, 0, 1, 0], mask: 0, bind: (['first', 'best', 'worst'] as const)[rng.int(3)]! });
    }
    expect(replay({ nodes, masks: [-1] }, ops)).toBeGreaterThan(1000);
  });
});

// Guard against the dimension constants drifting from the layout the generators assume.
it('dimension layout', () => {
  expect([CPU, MEMORY, PODS, GPU]).toEqual([0, 1, 4, new ResourceSpace(['gpu']).indexOf('gpu')]);
});
