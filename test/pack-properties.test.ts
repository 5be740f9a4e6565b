/**
 * Properties of every vector bin packing heuristic on random instances: the
 * packing is valid (every item in exactly one bin, no bin over capacity in
 * any dimension, no empty bin) and uses at least the lower bound of bins.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEURISTIC_NAMES, packWith } from '../src/schedulers/vbp/heuristics.js';
import { vbpInstance } from '../src/schedulers/vbp/instance.js';
import type { Packing, VbpInstance } from '../src/schedulers/vbp/instance.js';
import { lowerBound } from '../src/schedulers/vbp/lower-bound.js';
import { parseVbp } from '../src/schedulers/vbp/read-vbp.js';
import { PROPERTY_SCALE, runs } from './support/property-runs.js';

/** A property's time grows with RACKBENCH_PROPERTY_SCALE (test/support/property-runs.ts). */
const TIMEOUT = 30_000 * PROPERTY_SCALE;

interface Generated {
  readonly capacity: number[];
  readonly items: number[][];
}

/** 1–4 dimensions, capacities 1–60, up to 40 items with integer sizes in [0, capacity] (zeros and full-bin items included). */
const instanceArbitrary: fc.Arbitrary<Generated> = fc
  .array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 })
  .chain((capacity) =>
    fc.record({
      capacity: fc.constant(capacity),
      items: fc.array(fc.tuple(...capacity.map((c) => fc.oneof(fc.integer({ min: 0, max: c }), fc.constantFrom(0, c)))), { maxLength: 40 }),
    }),
  );

/** Why `packing` is not a valid packing of `inst`, or undefined: checked from scratch, not with the heuristics' own bookkeeping. */
function violation(inst: VbpInstance, packing: Packing): string | undefined {
  const { dims, capacity, sizes } = inst;
  if (packing.assignment.length !== inst.items) return `assignment has ${packing.assignment.length} entries for ${inst.items} items`;
  const load = new Array<number>(packing.bins * dims).fill(0);
  const used = new Array<number>(packing.bins).fill(0);
  for (let i = 0; i < inst.items; i++) {
    const b = packing.assignment[i]!;
    if (!Number.isInteger(b) || b < 0 || b >= packing.bins) return `item ${i} in bin ${b} of ${packing.bins}`;
    used[b]!++;
    for (let k = 0; k < dims; k++) load[b * dims + k]! += sizes[i * dims + k]!;
  }
  for (let b = 0; b < packing.bins; b++) {
    if (used[b] === 0) return `bin ${b} is empty`;
    for (let k = 0; k < dims; k++) if (load[b * dims + k]! > capacity[k]!) return `bin ${b} holds ${load[b * dims + k]} > ${capacity[k]} in dimension ${k + 1}`;
  }
  return undefined;
}

describe('vector bin packing heuristics on random instances', () => {
  it(
    'every heuristic places every item exactly once, overfills no bin and uses at least the lower bound',
    () => {
      fc.assert(
        fc.property(instanceArbitrary, ({ capacity, items }) => {
          const inst = vbpInstance(capacity, items);
          const bound = lowerBound(inst);
          for (const name of HEURISTIC_NAMES) {
            const packing = packWith(inst, name);
            expect(violation(inst, packing), name).toBeUndefined();
            expect(packing.bins, name).toBeGreaterThanOrEqual(bound);
            expect(packing.bins, name).toBeLessThanOrEqual(inst.items);
          }
        }),
        { numRuns: runs(150) },
      );
    },
    TIMEOUT,
  );

  it(
    'a .vbp file round-trips: writing an instance as item types and reading it back gives the same packings',
    () => {
      fc.assert(
        fc.property(instanceArbitrary, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), ({ capacity, items }, demands) => {
          // Each generated item becomes a type with a demand (0–3), in order; expanding the demands gives the items back.
          const demandOf = (t: number): number => demands[t] ?? 1;
          const text = [String(capacity.length), capacity.join(' '), String(items.length), ...items.map((s, t) => `${s.join(' ')} ${demandOf(t)}`)].join('\n');
          const parsed = parseVbp(text, 'generated.vbp').instance;
          const expanded = items.flatMap((s, t) => Array.from({ length: demandOf(t) }, () => s));
          const direct = vbpInstance(capacity, expanded);
          expect(parsed).toEqual(direct);
          for (const name of ['ff', 'bfd-l2-avg', 'dot-product']) expect(packWith(parsed, name), name).toEqual(packWith(direct, name));
        }),
        { numRuns: runs(100) },
      );
    },
    TIMEOUT,
  );

  it(
    'a packing does not depend on the scale of the units: multiplying every size and capacity by k changes nothing',
    () => {
      fc.assert(
        fc.property(instanceArbitrary, fc.integer({ min: 2, max: 1000 }), ({ capacity, items }, k) => {
          const a = vbpInstance(capacity, items);
          const b = vbpInstance(
            capacity.map((c) => c * k),
            items.map((s) => s.map((x) => x * k)),
          );
          for (const name of HEURISTIC_NAMES) expect(packWith(b, name), name).toEqual(packWith(a, name));
        }),
        { numRuns: runs(60) },
      );
    },
    TIMEOUT,
  );
});
