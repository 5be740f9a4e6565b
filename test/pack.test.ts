/**
 * Offline vector bin packing (src/schedulers/vbp): the .vbp reader, the
 * lower bound, the size measures and every heuristic on tiny instances whose
 * packings are worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { InputError } from '../src/model/yaml-input.js';
import { packBinCentric } from '../src/schedulers/vbp/bin-centric.js';
import { HEURISTIC_NAMES, heuristicSpec, packWith } from '../src/schedulers/vbp/heuristics.js';
import { vbpInstance } from '../src/schedulers/vbp/instance.js';
import type { VbpInstance } from '../src/schedulers/vbp/instance.js';
import { decreasingOrder, packInOrder } from '../src/schedulers/vbp/item-centric.js';
import { lowerBound } from '../src/schedulers/vbp/lower-bound.js';
import { normalizedSizes, vectorSize, weightsOf } from '../src/schedulers/vbp/measures.js';
import { parseVbp } from '../src/schedulers/vbp/read-vbp.js';

const F = 'tiny.vbp';
const parse = (text: string): VbpInstance => parseVbp(text, F).instance;
const sizesOf = (inst: VbpInstance): number[][] =>
  Array.from({ length: inst.items }, (_, i) => Array.from(inst.sizes.subarray(i * inst.dims, (i + 1) * inst.dims)));
const pack = (inst: VbpInstance, name: string): { bins: number; assignment: number[] } => {
  const p = packWith(inst, name);
  return { bins: p.bins, assignment: Array.from(p.assignment) };
};

/** The message of the InputError that parsing `text` throws. */
function parseError(text: string): string {
  try {
    parseVbp(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('parseVbp', () => {
  it('reads d, the capacities, m and the item types, expanding each type by its demand', () => {
    const inst = parse('2\n10 8\n2\n3 4 2\n5 1 1\n');
    expect(inst.dims).toBe(2);
    expect(Array.from(inst.capacity)).toEqual([10, 8]);
    expect(inst.items).toBe(3);
    expect(sizesOf(inst)).toEqual([
      [3, 4],
      [3, 4],
      [5, 1],
    ]);
  });

  it('skips blank lines and extra spaces, accepts CRLF and a missing final newline, and drops types of demand 0', () => {
    const inst = parse('\r\n 1 \r\n\r\n  7\r\n2\r\n3  0\r\n  4 2');
    expect(inst.dims).toBe(1);
    expect(sizesOf(inst)).toEqual([[4], [4]]);
  });

  it('keeps a negative size (as the published triplet files have one) and notes its line', () => {
    const { instance, notes } = parseVbp('2\n100 100\n1\n15 -2 1\n', F);
    expect(sizesOf(instance)).toEqual([[15, -2]]);
    expect(notes).toEqual(['tiny.vbp:4: item type 1 has the negative size -2 in dimension 2; kept as is (it frees capacity)']);
  });

  it.each([
    ['', 'tiny.vbp:1: expected the number of dimensions d (one positive integer), found an empty file'],
    ['0\n', 'tiny.vbp:1: expected the number of dimensions d (one positive integer), found "0"'],
    ['2 3\n', 'tiny.vbp:1: expected the number of dimensions d (one positive integer), found 2 values'],
    ['3\n10 10 x\n', 'tiny.vbp:2: expected 3 bin capacities (positive integers), found "x"'],
    ['3\n10 10\n', 'tiny.vbp:2: expected 3 bin capacities (positive integers), found 2 values'],
    ['2\n10 0\n', 'tiny.vbp:2: expected 2 bin capacities (positive integers), found "0"'],
    ['2\n10 10\n', 'tiny.vbp:2: expected the number of item types m (one non-negative integer) after this line, found the end of the file'],
    ['2\n10 10\n1.5\n', 'tiny.vbp:3: expected the number of item types m (one non-negative integer), found "1.5"'],
    ['2\n10 10\n2\n3 4 1\n', 'tiny.vbp:4: expected item type 2 of 2: 2 sizes and a demand (3 integers, the demand non-negative) after this line, found the end of the file'],
    ['2\n10 10\n1\n\n3 4\n', 'tiny.vbp:5: expected item type 1 of 1: 2 sizes and a demand (3 integers, the demand non-negative), found 2 values'],
    ['2\n10 10\n1\n3 4 -1\n', 'tiny.vbp:4: expected item type 1 of 1: 2 sizes and a demand (3 integers, the demand non-negative), found "-1"'],
    ['2\n10 10\n1\n3 4 1\n5 5 1\n', 'tiny.vbp:5: expected the end of the file after 1 item type, found "5 5 1"'],
    ['2\n10 10\n1\n3 14 1\n', 'tiny.vbp:4: item type 1: size 14 in dimension 2 exceeds the bin capacity 10, so it fits in no bin'],
  ])('rejects %j naming the line', (text, message) => {
    expect(parseError(text)).toBe(message);
  });
});

describe('lowerBound', () => {
  it('is the largest ⌈total size / capacity⌉ over the dimensions', () => {
    // dimension 1: 6 + 6 + 6 = 18 → ⌈18/10⌉ = 2; dimension 2: 1 + 1 + 1 = 3 → 1
    expect(
      lowerBound(
        vbpInstance(
          [10, 10],
          [
            [6, 1],
            [6, 1],
            [6, 1],
          ],
        ),
      ),
    ).toBe(2);
    // dimension 2 decides: 9 + 9 + 9 = 27 → ⌈27/20⌉ = 2, dimension 1: 3 → 1
    expect(
      lowerBound(
        vbpInstance(
          [10, 20],
          [
            [1, 9],
            [1, 9],
            [1, 9],
          ],
        ),
      ),
    ).toBe(2);
  });

  it('is exact on multiples, 0 without items, and not raised by rounding of fractional sizes', () => {
    expect(lowerBound(vbpInstance([10], [[5], [5], [5], [5]]))).toBe(2);
    expect(lowerBound(vbpInstance([10, 10], []))).toBe(0);
    // 0.1 added ten times is 0.9999999999999999 in floating point, but one bin.
    expect(lowerBound(vbpInstance([1], Array.from({ length: 10 }, () => [0.1])))).toBe(1);
    expect(lowerBound(vbpInstance([1], Array.from({ length: 11 }, () => [0.1])))).toBe(2);
  });
});

describe('size measures', () => {
  const inst = vbpInstance(
    [10, 20],
    [
      [6, 0],
      [4, 16],
    ],
  );

  it('normalizes by capacity and weighs dimensions by the average normalized demand', () => {
    expect(Array.from(normalizedSizes(inst))).toEqual([0.6, 0, 0.4, 0.8]);
    expect(Array.from(weightsOf(inst, 'unit'))).toEqual([1, 1]);
    // dimension 1: (0.6 + 0.4) / 2 = 0.5; dimension 2: (0 + 0.8) / 2 = 0.4
    expect(Array.from(weightsOf(inst, 'avg'))).toEqual([0.5, 0.4]);
  });

  it('computes l1, l2 and linf of the weighted vector', () => {
    const w = Float64Array.from([0.5, 0.4]);
    const v = Float64Array.from([0.4, 0.8]);
    // weighted: (0.2, 0.32) → l1 0.52, l2 sqrt(0.04 + 0.1024) = 0.377359…, linf 0.32
    expect(vectorSize('l1', w, v, 0)).toBeCloseTo(0.52, 12);
    expect(vectorSize('l2', w, v, 0)).toBeCloseTo(Math.sqrt(0.1424), 12);
    expect(vectorSize('linf', w, v, 0)).toBeCloseTo(0.32, 12);
  });

  it('treats sums equal in exact arithmetic as ties, whatever the order of the additions', () => {
    const unit = Float64Array.from([1, 1, 1]);
    // 0.1 + 0.2 + 0.3 = 0.6000000000000001 but 0.3 + 0.2 + 0.1 = 0.6 in floating point.
    expect(vectorSize('l1', unit, Float64Array.from([0.1, 0.2, 0.3]), 0)).toBe(vectorSize('l1', unit, Float64Array.from([0.3, 0.2, 0.1]), 0));
  });
});

describe('heuristic names', () => {
  it('are ff, the 18 decreasing variants and the two bin-centric ones', () => {
    expect(HEURISTIC_NAMES).toHaveLength(21);
    expect(HEURISTIC_NAMES.slice(0, 3)).toEqual(['ff', 'ffd-l1-unit', 'ffd-l1-avg']);
    expect(HEURISTIC_NAMES).toContain('bfd-linf-avg');
    expect(HEURISTIC_NAMES).toContain('wfd-l2-unit');
    expect(HEURISTIC_NAMES.slice(-2)).toEqual(['dot-product', 'l2-norm']);
    expect(heuristicSpec('bfd-l2-avg')).toEqual({ kind: 'decreasing', choice: 'best', measure: 'l2', weights: 'avg' });
    expect(heuristicSpec('ffd-l3-unit')).toBeUndefined();
  });

  it('an unknown name is a usage error listing the valid ones', () => {
    const inst = vbpInstance([10], [[1]]);
    expect(() => packWith(inst, 'fdd')).toThrow(UsageError);
    expect(() => packWith(inst, 'fdd')).toThrow(/unknown heuristic "fdd"; valid heuristics: ff, ffd-l1-unit, .*, l2-norm$/);
  });

  it('an item larger than the bin is refused by every heuristic', () => {
    expect(() => vbpInstance([10, 10], [[3, 11]])).toThrow('item 0: size 11 in dimension 2 exceeds the bin capacity 10; it fits in no bin');
    const oversized: VbpInstance = { dims: 1, capacity: Float64Array.of(10), items: 1, sizes: Float64Array.of(12) };
    for (const name of HEURISTIC_NAMES) expect(() => packWith(oversized, name), name).toThrow(RangeError);
  });

  it('no items need no bins', () => {
    for (const name of HEURISTIC_NAMES) expect(pack(vbpInstance([5, 5], []), name), name).toEqual({ bins: 0, assignment: [] });
  });
});

describe('first fit and first fit decreasing (one dimension, capacity 10)', () => {
  const inst = vbpInstance([10], [[2], [5], [4], [7], [1], [3]]);

  it('ff: each item, in input order, into the lowest bin it fits', () => {
    // 2 → b0 (8 left); 5 → b0 (3); 4 → b1 (6); 7 → b2 (3); 1 → b0 (2); 3 → b0 has 2, b1 has 6 → b1 (3)
    expect(pack(inst, 'ff')).toEqual({ bins: 3, assignment: [0, 0, 1, 2, 0, 1] });
  });

  it('ffd: the same by decreasing size (every measure agrees in one dimension)', () => {
    // order 7, 5, 4, 3, 2, 1: 7 → b0 (3); 5 → b1 (5); 4 → b1 (1); 3 → b0 (0); 2 → b2 (8); 1 → b1 (0)
    for (const name of ['ffd-l1-unit', 'ffd-l2-avg', 'ffd-linf-unit']) {
      expect(pack(inst, name), name).toEqual({ bins: 3, assignment: [2, 1, 1, 0, 1, 0] });
    }
  });
});

describe('first fit decreasing: the size measure decides the order (capacity 10 × 10)', () => {
  // Normalized sizes and their measures (unit weights):
  //   item 0 (6, 0): l1 0.6, l2 0.6,    linf 0.6
  //   item 1 (4, 4): l1 0.8, l2 0.5657, linf 0.4
  //   item 2 (5, 3): l1 0.8, l2 0.5831, linf 0.5
  //   item 3 (1, 5): l1 0.6, l2 0.5099, linf 0.5
  const inst = vbpInstance(
    [10, 10],
    [
      [6, 0],
      [4, 4],
      [5, 3],
      [1, 5],
    ],
  );
  const unit = weightsOf(inst, 'unit');

  it('orders by decreasing size, equal sizes in input order', () => {
    expect(Array.from(decreasingOrder(inst, 'l1', unit))).toEqual([1, 2, 0, 3]);
    expect(Array.from(decreasingOrder(inst, 'l2', unit))).toEqual([0, 2, 1, 3]);
    expect(Array.from(decreasingOrder(inst, 'linf', unit))).toEqual([0, 2, 3, 1]);
    // avg weights: (0.6+0.4+0.5+0.1)/4 = 0.4 and (0+0.4+0.3+0.5)/4 = 0.3;
    // l1: item 0 0.24, item 1 0.28, item 2 0.29, item 3 0.19
    expect(Array.from(decreasingOrder(inst, 'l1', weightsOf(inst, 'avg')))).toEqual([2, 1, 0, 3]);
  });

  it('ffd-l1-unit', () => {
    // 1 (4,4) → b0 (6,6); 2 (5,3) → b0 (1,3); 0 (6,0) → b1 (4,10); 3 (1,5) → b0 lacks 5 in dim 2 → b1 (3,5)
    expect(pack(inst, 'ffd-l1-unit')).toEqual({ bins: 2, assignment: [1, 0, 0, 1] });
  });

  it('ffd-l2-unit', () => {
    // 0 (6,0) → b0 (4,10); 2 (5,3) → b1 (5,7); 1 (4,4) → b0 (0,6); 3 (1,5) → b0 has 0 in dim 1 → b1 (4,2)
    expect(pack(inst, 'ffd-l2-unit')).toEqual({ bins: 2, assignment: [0, 0, 1, 1] });
  });

  it('ffd-linf-unit', () => {
    // 0 (6,0) → b0 (4,10); 2 (5,3) → b1 (5,7); 3 (1,5) → b0 (3,5); 1 (4,4) → b0 has 3 in dim 1 → b1 (1,3)
    expect(pack(inst, 'ffd-linf-unit')).toEqual({ bins: 2, assignment: [0, 1, 1, 0] });
  });

  it('ffd-l1-avg', () => {
    // 2 (5,3) → b0 (5,7); 1 (4,4) → b0 (1,3); 0 (6,0) → b1 (4,10); 3 (1,5) → b1 (3,5)
    expect(pack(inst, 'ffd-l1-avg')).toEqual({ bins: 2, assignment: [1, 0, 0, 1] });
  });
});

describe('best and worst fit decreasing: the norm of the remaining capacity decides the bin (capacity 10 × 10)', () => {
  // X (5,5), Y (2,9), Z (1,1): every measure orders them Y, X, Z. Y opens b0, leaving (0.8, 0.1);
  // X does not fit there (5 > 1 in dim 2) and opens b1, leaving (0.5, 0.5). Z fits both:
  //   remaining  l1    l2      linf   l1-avg (w = (0.2667, 0.5))
  //   b0         0.9   0.8062  0.8    0.2633
  //   b1         1.0   0.7071  0.5    0.3833
  // Best fit takes the smaller, worst fit the larger; first fit takes b0.
  const inst = vbpInstance(
    [10, 10],
    [
      [5, 5],
      [2, 9],
      [1, 1],
    ],
  );
  it.each([
    ['ffd-l1-unit', 0],
    ['bfd-l1-unit', 0],
    ['wfd-l1-unit', 1],
    ['bfd-l2-unit', 1],
    ['wfd-l2-unit', 0],
    ['bfd-linf-unit', 1],
    ['wfd-linf-unit', 0],
    ['bfd-l1-avg', 0],
    ['wfd-l1-avg', 1],
  ])('%s puts Z into bin %i', (name, binOfZ) => {
    expect(pack(inst, name)).toEqual({ bins: 2, assignment: [1, 0, binOfZ] });
  });

  it('equal remaining capacities go to the lower bin', () => {
    // A (6,6) and B (6,6) open b0 and b1, both left with (0.4, 0.4); C (4,4) fits either.
    const tie = vbpInstance(
      [10, 10],
      [
        [6, 6],
        [6, 6],
        [4, 4],
      ],
    );
    for (const name of ['bfd-l2-unit', 'wfd-l2-unit', 'bfd-linf-avg', 'wfd-l1-avg']) expect(pack(tie, name), name).toEqual({ bins: 2, assignment: [0, 1, 0] });
  });

  it('packInOrder takes any order and refuses a repeated item', () => {
    const unit = weightsOf(inst, 'unit');
    // Z first: Z → b0 (9,9); X → b0 (4,4); Y (2,9) → b1
    expect(Array.from(packInOrder(inst, [2, 0, 1], 'best', 'l1', unit).assignment)).toEqual([0, 1, 0]);
    expect(() => packInOrder(inst, [2, 2, 1], 'first')).toThrow('order lists item 2 twice');
  });
});

describe('bin-centric heuristics (capacity 10 × 10)', () => {
  // Items 0 (8,2), 1 (2,8), 2 (5,5), 3 (3,3); avg weights (0.45, 0.45).
  const inst = vbpInstance(
    [10, 10],
    [
      [8, 2],
      [2, 8],
      [5, 5],
      [3, 3],
    ],
  );

  it('dot-product fills a bin with the fitting item of largest weighted s·r', () => {
    // b0, free (1, 1): scores 0.45·(s1+s2) = 0.45, 0.45, 0.45, 0.27 → tie, lowest index: item 0; free (0.2, 0.8).
    // Only item 1 fits: 0.45·(0.2·0.2 + 0.8·0.8) = 0.306; free (0, 0). Nothing fits: b1.
    // b1, free (1, 1): item 2 0.45 beats item 3 0.27; free (0.5, 0.5); item 3 fits.
    expect(pack(inst, 'dot-product')).toEqual({ bins: 2, assignment: [0, 0, 1, 1] });
  });

  it('l2-norm fills a bin with the fitting item leaving the smallest weighted Σ (r − s)²', () => {
    // b0, free (1, 1): item 0 0.45·(0.04 + 0.64) = 0.306, item 1 0.306, item 2 0.45·(0.25 + 0.25) = 0.225,
    // item 3 0.45·(0.49 + 0.49) = 0.441 → item 2; free (0.5, 0.5). Only item 3 fits; free (0.2, 0.2).
    // b1, free (1, 1): items 0 and 1 tie at 0.306 → item 0; free (0.2, 0.8); item 1 fits exactly.
    expect(pack(inst, 'l2-norm')).toEqual({ bins: 2, assignment: [1, 1, 0, 0] });
  });

  it('the weights steer the choice', () => {
    // Items a (7,1), b (1,7), c (3,3).
    const three = vbpInstance(
      [10, 10],
      [
        [7, 1],
        [1, 7],
        [3, 3],
      ],
    );
    // weights (1, 0): a 0.7 beats c 0.3 and b 0.1; free (0.3, 0.9): c 0.3·0.3 = 0.09 beats b 0.1·0.3 = 0.03;
    // free (0, 0.6): b does not fit → b1.
    expect(Array.from(packBinCentric(three, 'dot-product', Float64Array.of(1, 0)).assignment)).toEqual([0, 1, 0]);
    // weights (0, 1): the mirror image: b, then c, and a goes to b1.
    expect(Array.from(packBinCentric(three, 'dot-product', Float64Array.of(0, 1)).assignment)).toEqual([1, 0, 0]);
  });
});

describe('every heuristic', () => {
  it('is deterministic', () => {
    const inst = parse('3\n20 20 20\n5\n9 3 7 2\n4 8 8 1\n10 10 1 1\n5 5 5 3\n1 19 2 1\n');
    for (const name of HEURISTIC_NAMES) expect(pack(inst, name), name).toEqual(pack(inst, name));
  });
});
