import { resized } from './typed-arrays.js';

/**
 * The event queue's min-heap: ordered by (time, sequence), each entry
 * carrying three int32 payloads (event type, argument, tag).
 *
 * Four-ary, with an entry's two keys side by side in one array and its three
 * payloads side by side in another: a sift step reads four children's keys
 * from one or two cache lines, and the heap is half as deep as a binary one.
 * With a few hundred thousand pending events (every running pod's end) the
 * event loop waits on cache misses more than it compares. Sequences are
 * unique, so the order of pops is fully determined by the keys.
 *
 * Nothing is allocated per push or pop; the arrays grow by doubling.
 */
export class EventHeap {
  /** keys[2i] = time, keys[2i + 1] = sequence. */
  private keys: Float64Array;
  /** vals[3i], vals[3i + 1], vals[3i + 2] = the payloads. */
  private vals: Int32Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(4, initialCapacity);
    this.keys = new Float64Array(2 * c);
    this.vals = new Int32Array(3 * c);
  }

  get size(): number {
    return this.n;
  }

  push(time: number, seq: number, a: number, b: number, c: number): void {
    if (2 * this.n === this.keys.length) this.grow();
    const { keys, vals } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = keys[2 * parent]!;
      if (pt < time || (pt === time && keys[2 * parent + 1]! < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    vals[3 * i] = a;
    vals[3 * i + 1] = b;
    vals[3 * i + 2] = c;
  }

  /** The top entry's fields: call only when size > 0. */
  topTime(): number {
    return this.keys[0]!;
  }
  topA(): number {
    return this.vals[0]!;
  }
  topB(): number {
    return this.vals[1]!;
  }
  topC(): number {
    return this.vals[2]!;
  }

  /** Removes the top entry (read it first); does nothing on an empty heap. */
  pop(): void {
    if (this.n === 0) return;
    const keys = this.keys;
    const last = --this.n;
    if (last === 0) return;
    const xt = keys[2 * last]!;
    const xs = keys[2 * last + 1]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= last) break;
      // The least of up to four children.
      let child = first;
      let ct = keys[2 * first]!;
      let cs = keys[2 * first + 1]!;
      const end = first + 4 < last ? first + 4 : last;
      for (let k = first + 1; k < end; k++) {
        const kt = keys[2 * k]!;
        if (kt < ct || (kt === ct && keys[2 * k + 1]! < cs)) {
          child = k;
          ct = kt;
          cs = keys[2 * k + 1]!;
        }
      }
      if (xt < ct || (xt === ct && xs < cs)) break;
      this.move(child, i);
      i = child;
    }
    this.move(last, i);
  }

  /** Copies entry `from` into position `to`. */
  private move(from: number, to: number): void {
    const { keys, vals } = this;
    keys[2 * to] = keys[2 * from]!;
    keys[2 * to + 1] = keys[2 * from + 1]!;
    vals[3 * to] = vals[3 * from]!;
    vals[3 * to + 1] = vals[3 * from + 1]!;
    vals[3 * to + 2] = vals[3 * from + 2]!;
  }

  private grow(): void {
    this.keys = resized(this.keys, 2 * this.keys.length);
    this.vals = resized(this.vals, 2 * this.vals.length);
  }
}
