import { resized } from './typed-arrays.js';

/**
 * A min-priority queue on parallel typed arrays, ordered by (primary,
 * secondary), and entries equal on both by their third payload, smallest
 * first. Every entry carries three payloads: two int32 and a double (the
 * tie-breaker, which may be a count past 2^31). Used for pending-pod queues
 * (priority key, arrival sequence); the event queue has its own
 * (event-heap.ts).
 *
 * A binary heap, with (when asked for) a sorted run beside it: an entry that
 * comes no earlier than the run's last one is appended to the run (a ring)
 * instead of the heap, and a pop takes the earlier of the run's first entry
 * and the heap's top. kube-scheduler's queues and a trace's reorder buffer
 * are mostly first in, first out (a pod requeued after its failure has the
 * latest timestamp; a trace is nearly sorted), which a heap serves with a full
 * sift-down per pop and the run with none. The order of pops is the same
 * either way. It is not the default: with it in the replanning queues' heap,
 * tetris-repro under the tetris queue took 2.7 s and 184 MiB instead of 1.6 s
 * and 105 MiB in most runs, with the same results; V8's GC trace showed a
 * young generation grown larger, not more work of the heap's own.
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
  // The sorted run: a ring of `runCount` entries from `runHead`, its capacity a power of two.
  private r1 = new Float64Array(16);
  private r2 = new Float64Array(16);
  private ra = new Int32Array(16);
  private rb = new Int32Array(16);
  private rc = new Float64Array(16);
  private runHead = 0;
  private runCount = 0;
  /** Whether the top entry is the run's first (else the heap's). */
  private runFirst = false;

  /** `sortedRun`: keep in-order pushes in the run (see above). */
  constructor(
    initialCapacity = 1024,
    private readonly sortedRun = false,
  ) {
    const c = Math.max(2, initialCapacity);
    this.k1 = new Float64Array(c);
    this.k2 = new Float64Array(c);
    this.p1 = new Int32Array(c);
    this.p2 = new Int32Array(c);
    this.p3 = new Float64Array(c);
  }

  get size(): number {
    return this.n + this.runCount;
  }

  clear(): void {
    this.n = 0;
    this.runHead = 0;
    this.runCount = 0;
    this.runFirst = false;
  }

  push(primary: number, secondary: number, a: number, b = 0, c = 0): void {
    if (this.sortedRun && (this.runCount === 0 || !this.beforeRunTail(primary, secondary, c))) this.append(primary, secondary, a, b, c);
    else this.heapPush(primary, secondary, a, b, c);
    this.pickTop();
  }

  /** Primary key of the top entry; undefined-free: call only when size > 0. */
  topPrimary(): number {
    return this.runFirst ? this.r1[this.runHead]! : this.k1[0]!;
  }
  topSecondary(): number {
    return this.runFirst ? this.r2[this.runHead]! : this.k2[0]!;
  }
  topA(): number {
    return this.runFirst ? this.ra[this.runHead]! : this.p1[0]!;
  }
  topB(): number {
    return this.runFirst ? this.rb[this.runHead]! : this.p2[0]!;
  }
  topC(): number {
    return this.runFirst ? this.rc[this.runHead]! : this.p3[0]!;
  }

  /** Removes the top entry (read it with top*() first); does nothing when empty. */
  pop(): void {
    if (this.runFirst) {
      this.runHead = (this.runHead + 1) & (this.r1.length - 1);
      this.runCount--;
    } else {
      this.heapPop();
    }
    this.pickTop();
  }

  /** Whether (primary, secondary, c) comes strictly before the run's last entry. */
  private beforeRunTail(primary: number, secondary: number, c: number): boolean {
    const t = (this.runHead + this.runCount - 1) & (this.r1.length - 1);
    const t1 = this.r1[t]!;
    if (primary !== t1) return primary < t1;
    const t2 = this.r2[t]!;
    return secondary !== t2 ? secondary < t2 : c < this.rc[t]!;
  }

  /** The top is the run's first entry unless the heap's top comes strictly before it. */
  private pickTop(): void {
    if (this.runCount === 0) {
      this.runFirst = false;
      return;
    }
    if (this.n === 0) {
      this.runFirst = true;
      return;
    }
    const h = this.runHead;
    const a1 = this.k1[0]!;
    const b1 = this.r1[h]!;
    if (a1 !== b1) {
      this.runFirst = b1 < a1;
      return;
    }
    const a2 = this.k2[0]!;
    const b2 = this.r2[h]!;
    this.runFirst = a2 !== b2 ? b2 < a2 : this.rc[h]! <= this.p3[0]!;
  }

  private append(primary: number, secondary: number, a: number, b: number, c: number): void {
    if (this.runCount === this.r1.length) this.growRun();
    const i = (this.runHead + this.runCount++) & (this.r1.length - 1);
    this.r1[i] = primary;
    this.r2[i] = secondary;
    this.ra[i] = a;
    this.rb[i] = b;
    this.rc[i] = c;
  }

  private heapPush(primary: number, secondary: number, a: number, b: number, c: number): void {
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

  private heapPop(): void {
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
      if (right < last) {
        // The right child first when it comes strictly before the left one (written out: this loop is hot).
        const r1 = k1[right]!;
        const l1 = k1[child]!;
        if (r1 < l1 || (r1 === l1 && (k2[right]! < k2[child]! || (k2[right] === k2[child] && p3[right]! < p3[child]!)))) child = right;
      }
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

  /** Doubles the run's ring, its entries moved to the front in order. */
  private growRun(): void {
    const size = this.r1.length;
    const head = this.runHead;
    const unwrap = <T extends Float64Array | Int32Array>(r: T): T => {
      const next = resized(r, 2 * size);
      next.set(r.subarray(head));
      next.set(r.subarray(0, head), size - head);
      return next;
    };
    this.r1 = unwrap(this.r1);
    this.r2 = unwrap(this.r2);
    this.ra = unwrap(this.ra);
    this.rb = unwrap(this.rb);
    this.rc = unwrap(this.rc);
    this.runHead = 0;
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

