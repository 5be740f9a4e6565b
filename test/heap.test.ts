import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PairHeap } from '../src/core/heap.js';
import { runs } from './support/property-runs.js';

/** One heap entry: keys and the three payloads (c also breaks ties on both keys). */
interface Entry {
  readonly primary: number;
  readonly secondary: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

const byKeys = (x: Entry, y: Entry): number => x.primary - y.primary || x.secondary - y.secondary || x.c - y.c;

function push(heap: PairHeap, e: Entry): void {
  heap.push(e.primary, e.secondary, e.a, e.b, e.c);
}

/** Reads and removes the top entry. */
function pop(heap: PairHeap): Entry {
  const e = { primary: heap.topPrimary(), secondary: heap.topSecondary(), a: heap.topA(), b: heap.topB(), c: heap.topC() };
  heap.pop();
  return e;
}

function drain(heap: PairHeap): Entry[] {
  const out: Entry[] = [];
  while (heap.size > 0) out.push(pop(heap));
  return out;
}

const entry = (primary: number, secondary: number, a: number, b = 0, c = 0): Entry => ({ primary, secondary, a, b, c });

describe('PairHeap tables', () => {
  it.each<[string, Entry[], number[]]>([
    // Expected: the `a` payloads in pop order.
    ['one entry', [entry(5, 0, 1)], [1]],
    ['ascending primaries', [entry(1, 0, 1), entry(2, 0, 2), entry(3, 0, 3)], [1, 2, 3]],
    ['descending primaries', [entry(3, 0, 3), entry(2, 0, 2), entry(1, 0, 1)], [1, 2, 3]],
    // Equal primary 7: secondaries 2 < 5 < 9 decide, whatever the push order.
    ['ties broken by secondary', [entry(7, 9, 90), entry(7, 2, 20), entry(7, 5, 50)], [20, 50, 90]],
    // Primary first: (1, 100) before (2, 0) though 100 > 0.
    ['primary before secondary', [entry(2, 0, 20), entry(1, 100, 1100)], [1100, 20]],
    // The event queue's shape: (time, sequence); equal times in sequence order.
    ['event queue', [entry(10, 0, 0), entry(5, 1, 1), entry(10, 2, 2), entry(5, 3, 3), entry(0, 4, 4)], [4, 1, 3, 0, 2]],
    // The priority queue's shape: (−priority, id): priority 1000 first, then 0, then −5.
    ['negative keys', [entry(0, 0, 0), entry(-1000, 1, 1), entry(5, 2, 2), entry(-1000, 0, 3)], [3, 1, 0, 2]],
    // backoffQ's shape: (expiry, −priority, timestamp order as c): equal on both keys, the smaller c first.
    ['ties on both keys broken by c', [entry(3, -1, 30, 0, 7), entry(3, -1, 10, 0, 2), entry(3, -2, 99, 0, 9), entry(3, -1, 20, 0, 5)], [99, 10, 20, 30]],
    ['fractional and infinite keys', [entry(Infinity, 0, 1), entry(0.5, 0, 2), entry(-Infinity, 0, 3), entry(0.25, 1, 4), entry(0.25, 0.5, 5)], [3, 5, 4, 2, 1]],
  ])('%s', (_name, entries, expected) => {
    for (const sortedRun of [false, true]) {
      const heap = new PairHeap(4, sortedRun);
      for (const e of entries) push(heap, e);
      expect(heap.size).toBe(entries.length);
      expect(drain(heap).map((e) => e.a)).toEqual(expected);
      expect(heap.size).toBe(0);
    }
  });

  it('carries all three payloads with their keys, including int32 extremes', () => {
    const heap = new PairHeap(2);
    push(heap, entry(3, 0, 2 ** 31 - 1, -(2 ** 31), 0));
    push(heap, entry(1, 0, -1, 7, 8));
    push(heap, entry(2, 0, 0, 2 ** 31 - 1, -(2 ** 31)));
    expect(drain(heap)).toEqual([entry(1, 0, -1, 7, 8), entry(2, 0, 0, 2 ** 31 - 1, -(2 ** 31)), entry(3, 0, 2 ** 31 - 1, -(2 ** 31), 0)]);
  });

  it('keeps c exact past 2^31 (a count that has outgrown int32) and orders by it', () => {
    const heap = new PairHeap(2);
    push(heap, entry(1, 1, 1, 0, 2 ** 31 + 1));
    push(heap, entry(1, 1, 2, 0, 2 ** 31));
    push(heap, entry(1, 1, 3, 0, 2 ** 40));
    expect(drain(heap).map((e) => [e.a, e.c])).toEqual([[2, 2 ** 31], [1, 2 ** 31 + 1], [3, 2 ** 40]]);
  });

  it('keeps first-in, first-out order when its run outgrows its ring after pops moved the ring\'s start', () => {
    const heap = new PairHeap(2, true);
    const popped: number[] = [];
    for (let i = 0; i < 10; i++) push(heap, entry(i, 0, i));
    for (let i = 0; i < 5; i++) popped.push(pop(heap).a);
    for (let i = 10; i < 60; i++) push(heap, entry(i, 0, i));
    popped.push(...drain(heap).map((e) => e.a));
    expect(popped).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('defaults b and c to 0', () => {
    const heap = new PairHeap();
    heap.push(1, 2, 3);
    expect(pop(heap)).toEqual(entry(1, 2, 3, 0, 0));
  });

  it('top*() reads the minimum without removing it', () => {
    const heap = new PairHeap();
    push(heap, entry(4, 1, 41, 42, 43));
    push(heap, entry(4, 0, 40, 0, 1));
    expect([heap.topPrimary(), heap.topSecondary(), heap.topA(), heap.topB(), heap.topC()]).toEqual([4, 0, 40, 0, 1]);
    expect(heap.size).toBe(2);
    expect([heap.topPrimary(), heap.topSecondary(), heap.topA()]).toEqual([4, 0, 40]);
  });

  it('grows by doubling past its initial capacity and keeps every entry', () => {
    for (const initial of [0, 1, 2, 3, 16]) {
      const heap = new PairHeap(initial);
      // 1000 entries pushed in descending order (the worst case for sift-up),
      // with secondaries counting down so ties need them too: primary = ⌊i / 3⌋.
      const n = 1000;
      const entries: Entry[] = [];
      for (let i = n - 1; i >= 0; i--) entries.push(entry(Math.floor(i / 3), i % 3, i, -i, i * 2));
      for (const e of entries) push(heap, e);
      expect(heap.size).toBe(n);
      const popped = drain(heap);
      expect(popped.map((e) => e.a)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(popped.every((e) => e.b === -e.a && e.c === 2 * e.a)).toBe(true);
    }
  });

  it('keeps working after clear()', () => {
    const heap = new PairHeap(2);
    for (let i = 0; i < 10; i++) push(heap, entry(i, 0, i));
    heap.clear();
    expect(heap.size).toBe(0);
    push(heap, entry(5, 0, 50));
    push(heap, entry(3, 0, 30));
    expect(drain(heap).map((e) => e.a)).toEqual([30, 50]);
  });

  it('pops to empty and refills', () => {
    const heap = new PairHeap(2);
    push(heap, entry(1, 0, 1));
    expect(pop(heap).a).toBe(1);
    expect(heap.size).toBe(0);
    push(heap, entry(9, 0, 9));
    push(heap, entry(8, 0, 8));
    expect(drain(heap).map((e) => e.a)).toEqual([8, 9]);
  });
});

// ---- properties against a naive reference: an array kept sorted by keys ----

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/**
 * Entries with pairwise distinct (primary, secondary, c), so the pop order is
 * unique. Small key ranges force ties on primary, and on both keys (c decides).
 */
function entries(keys: fc.Arbitrary<number>, maxLength: number): fc.Arbitrary<Entry[]> {
  return fc.uniqueArray(
    fc.record({ primary: keys, secondary: fc.integer({ min: -3, max: 3 }), a: int32, b: int32, c: fc.integer({ min: -4, max: 4 }) }),
    { maxLength, selector: (e) => `${e.primary}/${e.secondary}/${e.c}` },
  );
}

/** A naive priority queue: linear scan for the minimum. */
class NaiveQueue {
  private readonly items: Entry[] = [];
  push(e: Entry): void {
    this.items.push(e);
  }
  get size(): number {
    return this.items.length;
  }
  pop(): Entry {
    let best = 0;
    for (let i = 1; i < this.items.length; i++) if (byKeys(this.items[i]!, this.items[best]!) < 0) best = i;
    return this.items.splice(best, 1)[0]!;
  }
}

/** Pushes entry i, then pops pops[i] times (while not empty), then drains: the heap must pop what the naive queue pops. */
function popsAsNaive(initial: number, es: readonly Entry[], pops: readonly number[]): void {
  for (const sortedRun of [false, true]) popsAsNaiveWith(new PairHeap(initial, sortedRun), es, pops);
}

function popsAsNaiveWith(heap: PairHeap, es: readonly Entry[], pops: readonly number[]): void {
  const naive = new NaiveQueue();
  const got: Entry[] = [];
  const want: Entry[] = [];
  es.forEach((e, i) => {
    push(heap, e);
    naive.push(e);
    for (let k = 0; k < pops[i]! && naive.size > 0; k++) {
      got.push(pop(heap));
      want.push(naive.pop());
    }
    expect(heap.size).toBe(naive.size);
  });
  got.push(...drain(heap));
  while (naive.size > 0) want.push(naive.pop());
  expect(got).toEqual(want);
}

describe('PairHeap properties', () => {
  it('push all, then pop all gives the entries sorted by (primary, secondary, c), payloads included', () => {
    fc.assert(
      fc.property(entries(fc.integer({ min: -5, max: 5 }), 300), fc.integer({ min: 0, max: 8 }), fc.boolean(), (es, initial, sortedRun) => {
        const heap = new PairHeap(initial, sortedRun);
        for (const e of es) push(heap, e);
        expect(drain(heap)).toEqual([...es].sort(byKeys));
      }),
      { numRuns: runs(300) },
    );
  });

  it('interleaved push/pop sequences pop in the same order as a naive queue', () => {
    // After pushing entry i, pop pops[i] times (when not empty); drain at the end.
    const scenario = entries(fc.integer({ min: 0, max: 10 }), 200).chain((es) =>
      fc.tuple(fc.constant(es), fc.array(fc.nat(3), { minLength: es.length, maxLength: es.length }), fc.integer({ min: 0, max: 8 })),
    );
    fc.assert(
      fc.property(scenario, ([es, pops, initial]) => popsAsNaive(initial, es, pops)),
      { numRuns: runs(300) },
    );
  });

  it('first in, first out with stragglers (the sorted run wraps and grows while the heap holds the rest) pops as a naive queue', () => {
    // Keys mostly rise (each push appended to the run), some fall back (into the heap); pops interleave.
    const step = fc.record({ back: fc.boolean(), rise: fc.integer({ min: 0, max: 3 }), pops: fc.oneof(fc.nat(1), fc.nat(2)) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), fc.integer({ min: 0, max: 4 }), (steps, initial) => {
        let key = 0;
        const es = steps.map((s, i) => {
          key += s.rise;
          return entry(s.back ? key - 5 : key, i % 3, i, -(i + 1), i);
        });
        popsAsNaive(initial, es, steps.map((s) => s.pops));
      }),
      { numRuns: runs(300) },
    );
  });

  it('orders doubles (no NaN, infinities included) the same way as a sort', () => {
    // -0 and 0 are the same key (the selector above treats them as one), so compare with -0 read as 0.
    const norm = (e: Entry): Entry => ({ ...e, primary: e.primary === 0 ? 0 : e.primary });
    fc.assert(
      fc.property(entries(fc.double({ noNaN: true }), 100), (es) => {
        const heap = new PairHeap(2);
        for (const e of es) push(heap, e);
        const byValue = (x: Entry, y: Entry): number =>
          x.primary < y.primary ? -1 : x.primary > y.primary ? 1 : x.secondary - y.secondary || x.c - y.c;
        expect(drain(heap).map(norm)).toEqual([...es].sort(byValue).map(norm));
      }),
      { numRuns: runs(200) },
    );
  });
});
