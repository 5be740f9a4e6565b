/**
 * The availability profile backfilling plans with: for each node, how much
 * of every resource will be free at each future instant, from the running
 * pods' estimated ends and the reservations made for waiting pods.
 *
 * EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995;
 * analysed by Mu'alem and Feitelson, IEEE TPDS 12(6), 2001) reserves the
 * earliest start of the first waiting job only; a later job may start now
 * if it does not delay that reservation — it ends (by its estimate) before
 * the reservation starts, or fits beside it. Conservative backfilling
 * (the same papers) gives every waiting job a reservation, in queue order,
 * and starts a job now only if it delays none of them.
 *
 * On a cluster the classic single processor pool becomes a profile per node,
 * each a step function over all resource dimensions: a reservation is a
 * (node, start) pair, and a pod may use a node now only within what every
 * reservation on that node leaves during the pod's estimated run.
 */
import type { Micros, NodeIndex } from '../../core/ids.js';

/** A change of a node's free resources at `time`: +requests when a pod leaves, −requests when a reservation starts. */
interface Step {
  time: Micros;
  /** The pod's requests, shared, not copied: a pass builds thousands of steps. */
  requests: Float64Array;
  sign: 1 | -1;
}

export interface Reservation {
  readonly node: NodeIndex;
  readonly start: Micros;
}

export class AvailabilityProfile {
  /** Per node, its steps sorted by time (stable: equal times keep insertion order). */
  private readonly steps: Step[][];
  /** Nodes with at least one reservation: the only ones where a pod may see less than the free capacity now. */
  private readonly reserved: NodeIndex[] = [];
  private readonly isReserved: Uint8Array;
  private readonly avail: Float64Array;
  private readonly low: Float64Array;
  /** Steps of earlier plans, reused: a pass makes one per running pod. */
  private readonly pool: Step[] = [];

  /**
   * @param nodeCount nodes of the cluster
   * @param dims resource dimensions
   * @param free the free capacity of a node now (allocatable − requested), written into `out`
   */
  constructor(
    nodeCount: number,
    private readonly dims: number,
    private readonly free: (node: NodeIndex, out: Float64Array) => void,
  ) {
    this.steps = Array.from({ length: nodeCount }, () => []);
    this.isReserved = new Uint8Array(nodeCount);
    this.avail = new Float64Array(dims);
    this.low = new Float64Array(dims);
  }

  /** Forgets every step: a new plan from the cluster as it is now. */
  clear(): void {
    for (const s of this.steps) {
      for (const step of s) this.pool.push(step);
      s.length = 0;
    }
    for (const n of this.reserved) this.isReserved[n] = 0;
    this.reserved.length = 0;
  }

  /** A running pod's requests come back to `node` at `time` (its estimated end). */
  release(node: NodeIndex, time: Micros, requests: Float64Array): void {
    this.insert(node, time, requests, 1);
  }

  /** Reserves `requests` on `node` over [start, end); end = Infinity for a pod that runs until deleted. */
  reserve(node: NodeIndex, start: Micros, end: Micros, requests: Float64Array): void {
    this.insert(node, start, requests, -1);
    if (Number.isFinite(end)) this.insert(node, end, requests, 1);
    if (this.isReserved[node] === 0) {
      this.isReserved[node] = 1;
      this.reserved.push(node);
    }
  }

  /** Nodes holding a reservation. */
  reservedNodes(): readonly NodeIndex[] {
    return this.reserved;
  }

  /**
   * What a pod running from now (the free capacity's instant) until `end`
   * may use on `node` without delaying a reservation: per dimension, the
   * least free over [now, end). Written into `out`.
   */
  usable(node: NodeIndex, end: Micros, out: Float64Array): void {
    this.free(node, out);
    const avail = this.avail;
    avail.set(out);
    const steps = this.steps[node]!;
    for (let i = 0; i < steps.length && steps[i]!.time < end; ) {
      i = this.apply(steps, i, avail);
      for (let d = 0; d < this.dims; d++) if (avail[d]! < out[d]!) out[d] = avail[d]!;
    }
  }

  /**
   * The earliest instant after `after` at which `requests` fit on some node
   * `admits` accepts for `length` µs (Infinity: for good), and that node
   * (the lowest index among equals); null if no node ever has the room.
   * Candidate instants are the profile's steps, where free capacity changes.
   */
  earliest(requests: Float64Array, length: number, after: Micros, admits: (node: NodeIndex) => boolean): Reservation | null {
    let best: Reservation | null = null;
    for (let n = 0; n < this.steps.length; n++) {
      const node = n as NodeIndex;
      if (!admits(node)) continue;
      const start = this.earliestOn(node, requests, length, after, best === null ? Infinity : best.start);
      if (start < Infinity) best = { node, start };
    }
    return best;
  }

  /**
   * The earliest instant after `after`, and before `before`, at which
   * `requests` fit on `node` for `length` µs; Infinity if there is none.
   */
  earliestOn(node: NodeIndex, requests: Float64Array, length: number, after: Micros, before: number): number {
    const steps = this.steps[node]!;
    const avail = this.avail;
    this.free(node, avail);
    for (let i = 0; i < steps.length; ) {
      const start = steps[i]!.time;
      if (start >= before) break;
      i = this.apply(steps, i, avail);
      if (start > after && this.fitsFrom(steps, i, avail, requests, start + length)) return start;
    }
    return Infinity;
  }

  /** Adds the steps at the instant of steps[i] into `avail`; returns the index of the next instant's first step. */
  private apply(steps: readonly Step[], i: number, avail: Float64Array): number {
    const time = steps[i]!.time;
    for (; i < steps.length && steps[i]!.time === time; i++) {
      const { requests, sign } = steps[i]!;
      // sign × request is exact, so this adds what a copied delta would.
      for (let d = 0; d < this.dims; d++) avail[d]! += sign * requests[d]!;
    }
    return i;
  }

  /** Whether `requests` fit in `availAt` and after each later instant from steps[i] until `end`. */
  private fitsFrom(steps: readonly Step[], i: number, availAt: Float64Array, requests: Float64Array, end: Micros): boolean {
    const low = this.low;
    low.set(availAt);
    for (;;) {
      for (let d = 0; d < this.dims; d++) if (requests[d]! > low[d]!) return false;
      if (i >= steps.length || steps[i]!.time >= end) return true;
      i = this.apply(steps, i, low);
    }
  }

  private insert(node: NodeIndex, time: Micros, requests: Float64Array, sign: 1 | -1): void {
    const list = this.steps[node]!;
    let i = list.length;
    while (i > 0 && list[i - 1]!.time > time) i--;
    const step = this.pool.pop() ?? { time, requests, sign };
    step.time = time;
    step.requests = requests;
    step.sign = sign;
    if (i === list.length) list.push(step);
    else list.splice(i, 0, step);
  }
}
