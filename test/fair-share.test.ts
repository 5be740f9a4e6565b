/** Fluid sharing of one resource: weighted max-min by hand, and as properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podQos } from '../src/model/qos.js';
import { cpuShares, weightedMaxMin } from '../src/sim/usage/fair-share.js';

const share = (capacity: number, demands: number[], weights = demands.map(() => 1)): number[] => {
  const out = new Float64Array(demands.length);
  weightedMaxMin(capacity, demands, weights, demands.length, out, new Int32Array(demands.length));
  return [...out];
};

describe('weightedMaxMin', () => {
  it('gives every pod its demand when they fit', () => {
    expect(share(4, [1, 2])).toEqual([1, 2]);
  });

  it('the worked example: A capped at 1 CPU by its limit, B takes the other 3', () => {
    // 4 CPUs, equal requests (equal cpu.shares). A demands 4 but its quota caps it at 1; B demands 4.
    // Water-filling: A's share 4 × 1/2 = 2 ≥ 1, so A gets 1; B gets what is left, 3.
    expect(share(4, [1, 4])).toEqual([1, 3]);
    // Without limits both demand 4: each gets 2.
    expect(share(4, [4, 4])).toEqual([2, 2]);
  });

  it('shares in proportion to the weights when all want more', () => {
    // cpu.shares 1024 and 3072 (1 and 3 CPUs requested) on 4 CPUs, both wanting 8: 1 and 3.
    expect(share(4, [8, 8], [cpuShares(1000), cpuShares(3000)])).toEqual([1, 3]);
  });

  it('max-min fair on a link: 10 Gb/s among demands 1, 4, 8 → 1, 4.5, 4.5', () => {
    // 1 is satisfied; 9 left for two flows: 4.5 each, both below their demands.
    expect(share(10, [1, 8, 8])).toEqual([1, 4.5, 4.5]);
    expect(share(10, [1, 4, 8])).toEqual([1, 4, 5]);
  });

  it('cpuShares follows MilliCPUToShares: 1024 per CPU, at least 2', () => {
    expect([cpuShares(0), cpuShares(1), cpuShares(1000), cpuShares(250)]).toEqual([2, 2, 1024, 256]);
  });

  const demandsArb = fc.array(fc.record({ d: fc.double({ min: 0, max: 100, noNaN: true }), w: fc.double({ min: 0.01, max: 10, noNaN: true }) }), { minLength: 1, maxLength: 20 });
  it('properties: no pod above its demand, no overbooking, work-conserving, max-min fair', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), demandsArb, (capacity, pods) => {
        const demands = pods.map((p) => p.d);
        const weights = pods.map((p) => p.w);
        const got = share(capacity, demands, weights);
        const total = got.reduce((a, b) => a + b, 0);
        const wanted = demands.reduce((a, b) => a + b, 0);
        const eps = 1e-9 * Math.max(1, capacity, wanted);
        for (let i = 0; i < got.length; i++) expect(got[i]!).toBeLessThanOrEqual(demands[i]! + eps);
        expect(total).toBeLessThanOrEqual(capacity + eps);
        // Work-conserving: either everyone is satisfied or the capacity is used up.
        expect(Math.abs(total - Math.min(capacity, wanted))).toBeLessThanOrEqual(eps);
        // Max-min: a pod below its demand gets at least the weighted rate of any other pod.
        for (let i = 0; i < got.length; i++) {
          if (got[i]! >= demands[i]! - eps) continue;
          for (let j = 0; j < got.length; j++) expect(got[i]! / weights[i]!).toBeGreaterThanOrEqual(got[j]! / weights[j]! - 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('podQos (ComputePodQOS)', () => {
  const c = (requests: { cpu?: number; memory?: number }, limits: { cpu?: number; memory?: number } = {}) => ({ requests, limits });
  it('classifies as upstream', () => {
    expect(podQos([c({})])).toBe('BestEffort');
    expect(podQos([c({ cpu: 0 }, { memory: 0 })])).toBe('BestEffort'); // zero counts as unset
    expect(podQos([c({ cpu: 500, memory: 1 }, { cpu: 500, memory: 1 })])).toBe('Guaranteed');
    expect(podQos([c({ cpu: 500, memory: 1 }, { cpu: 1000, memory: 1 })])).toBe('Burstable'); // request below limit
    expect(podQos([c({ cpu: 500 })])).toBe('Burstable'); // requests only
    expect(podQos([c({ cpu: 500, memory: 1 }, { cpu: 500, memory: 1 }), c({})])).toBe('Burstable'); // one container without limits
    expect(podQos([c({ cpu: 500 }, { cpu: 500, memory: 1 })])).toBe('Burstable'); // memory limited but not requested
    expect(podQos([c({ cpu: 200, memory: 1 }, { cpu: 200, memory: 1 }), c({ cpu: 300, memory: 2 }, { cpu: 300, memory: 2 })])).toBe('Guaranteed');
  });
});
