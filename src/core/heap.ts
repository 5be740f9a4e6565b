import { resized } from './typed-arrays.js';

/**
 * A binary min-heap on parallel typed arrays, ordered by (primary, secondary),
 * and entries equal on both by their third payload, smallest first. Every
 * entry carries three payloads: two int32 and a double (the tie-breaker, which
 * may be a count past 2^31). Used for pending-pod queues (priority key, arrival
 * sequence); the event queue has its own (event-heap.ts).
 *
 * Nothing is allocated per push or pop; the arrays grow by doubling.
 */
export class PairHeap {
  private k1: Float64Array;
  private k2: Float64Array;
  private p1: Int32Array;
  private p2: Int32Array;
  private p3: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    const c = Math.max(2, initialCapacity);
    this.k1 = new Float64Array(c);
    this.k2 = new Float64Array(c);
    this.p1 = new Int32Array(c);
    this.p2 = new Int32Array(c);
    this.p3 = new Float64Array(c);
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  push(primary: number, secondary: number, a: number, b = 0, c = 0): void {
    if (this.n === this.k1.length) this.grow();
    const { k1, k2, p1, p2, p3 } = this;
    // Sift up, moving parents down into the hole.
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk1 = k1[parent]!;
      if (pk1 < primary) break;
      if (pk1 === primary) {
        const pk2 = k2[parent]!;
        if (pk2 < secondary || (pk2 === secondary && p3[parent]! <= c)) break;
      }
      k1[i] = pk1;
      k2[i] = k2[parent]!;
      p1[i] = p1[parent]!;
      p2[i] = p2[parent]!;
      p3[i] = p3[parent]!;
      i = parent;
    }
    k1[i] = primary;
    k2[i] = secondary;
    p1[i] = a;
    p2[i] = b;
    p3[i] = c;
  }

  /** Primary key of the top entry; undefined-free: call only when size > 0. */
  topPrimary(): number {
    return this.k1[0]!;
  }
  topSecondary(): number {
    return this.k2[0]!;
  }
  topA(): number {
    return this.p1[0]!;
  }
  topB(): number {
    return this.p2[0]!;
  }
  topC(): number {
    return this.p3[0]!;
  }

  /** Removes the top entry (read it with top*() first); does nothing on an empty heap. */
  pop(): void {
    if (this.n === 0) return;
    const { k1, k2, p1, p2, p3 } = this;
    const last = --this.n;
    if (last <= 0) return;
    const x1 = k1[last]!;
    const x2 = k2[last]!;
    const xa = p1[last]!;
    const xb = p2[last]!;
    const xc = p3[last]!;
    // Sift the last entry down from the root.
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && before(k1, k2, p3, right, child)) child = right;
      const c1 = k1[child]!;
      if (x1 < c1) break;
      if (x1 === c1) {
        const c2 = k2[child]!;
        if (x2 < c2 || (x2 === c2 && xc <= p3[child]!)) break;
      }
      k1[i] = c1;
      k2[i] = k2[child]!;
      p1[i] = p1[child]!;
      p2[i] = p2[child]!;
      p3[i] = p3[child]!;
      i = child;
    }
    k1[i] = x1;
    k2[i] = x2;
    p1[i] = xa;
    p2[i] = xb;
    p3[i] = xc;
  }

  private grow(): void {
    const c = this.k1.length * 2;
    this.k1 = resized(this.k1, c);
    this.k2 = resized(this.k2, c);
    this.p1 = resized(this.p1, c);
    this.p2 = resized(this.p2, c);
    this.p3 = resized(this.p3, c);
  }
}

/** Whether entry `i` comes strictly before entry `j`. */
function before(k1: Float64Array, k2: Float64Array, tie: Float64Array, i: number, j: number): boolean {
  const a = k1[i]!;
  const b = k1[j]!;
  if (a !== b) return a < b;
  const a2 = k2[i]!;
  const b2 = k2[j]!;
  return a2 !== b2 ? a2 < b2 : tie[i]! < tie[j]!;
}
