/** The event queue's four-ary heap: pops in (time, sequence) order, interleaved with pushes, with its payloads. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventHeap } from '../src/core/event-heap.js';
import { runs } from './support/property-runs.js';

describe('EventHeap', () => {
  it('pops equal times in sequence order, each with its own payloads', () => {
    const h = new EventHeap(4);
    [
      [7, 3],
      [5, 4],
      [7, 1],
      [5, 0],
      [6, 2],
    ].forEach(([t, s]) => h.push(t!, s!, s! * 10, -s!, t!));
    const out: number[][] = [];
    while (h.size > 0) {
      out.push([h.topTime(), h.topA(), h.topB(), h.topC()]);
      h.pop();
    }
    expect(out).toEqual([
      [5, 0, 0, 5],
      [5, 40, -4, 5],
      [6, 20, -2, 6],
      [7, 10, -1, 7],
      [7, 30, -3, 7],
    ]);
  });

  it('property: any mix of pushes and pops gives what a sorted list gives', () => {
    // An op is a push of a time (the sequence is its order) or, for −1, a pop.
    const op = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const h = new EventHeap(4);
        const model: [number, number][] = [];
        let seq = 0;
        for (const o of ops) {
          if (o >= 0) {
            h.push(o, seq, seq, o, seq % 7);
            model.push([o, seq++]);
            continue;
          }
          if (model.length === 0) {
            h.pop();
            expect(h.size).toBe(0);
            continue;
          }
          model.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          const [t, s] = model.shift()!;
          expect([h.topTime(), h.topA(), h.topB(), h.topC()]).toEqual([t, s, t, s % 7]);
          h.pop();
        }
        expect(h.size).toBe(model.length);
      }),
      { numRuns: runs(200) },
    );
  });
});
