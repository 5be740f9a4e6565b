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
 *
 * The profile persists between passes and is changed per event, never
 * rebuilt: each running pod's release is set when it is planned, moved when
 * its estimated end moves and dropped when it leaves (release-plan.ts), and
 * each reservation stays until its pod's plan changes. A pass still decides
 * as a plan from scratch in queue order, where a pod sees only the
 * reservations of the pods before it: every reservation is tagged with its
 * pod's queue position (key, id), and a query made for a pod (see `viewAs`)
 * skips the reservations of pods at or after it. Steps at one instant are
 * added in the order a rebuilt profile would add them — the releases by pod
 * slot, then the pass's steps in queue order — so every sum is the same to
 * the last bit.
 */
import { resized } from '../../core/typed-arrays.js';
import type { Micros, NodeIndex } from '../../core/ids.js';

/** A change of a node's free resources at `time`: +requests when a pod leaves, −requests when a reservation starts. */
interface Step {
  time: Micros;
  /** The pod's requests, shared, not copied. */
  requests: Float64Array;
  sign: 1 | -1;
  /** The node whose list holds the step. */
  node: NodeIndex;
  /** Whether it is in the node's `base` list (a release planned before the pass). */
  inBase: boolean;
  /** The owning pod's slot: the order of releases at one instant. */
  owner: number;
  /** The owning pod's queue position, for the steps of a pass: which pods see it, and the order at one instant. */
  key: number;
  id: number;
}

export interface Reservation {
  readonly node: NodeIndex;
  readonly start: Micros;
}

export class AvailabilityProfile {
  /** Per node: the running pods' releases, sorted by (time, owner). */
  private readonly base: Step[][];
  /** Per node: the reservations' steps and the releases of pods started during the current pass, sorted by (time, key, id). */
  private readonly pass: Step[][];
  /** Per owner: its release step (in `base`, or in `pass` when `passRelease` made it), its reservation's start and end steps. */
  private readonly releaseOf: (Step | undefined)[] = [];
  private readonly startOf: (Step | undefined)[] = [];
  private readonly endOf: (Step | undefined)[] = [];
  /** Releases made during the pass, moved out of `pass` when the next begins. */
  private readonly passReleases: Step[] = [];
  /** The nodes reserved during the current pass, in the order of their first reservation. */
  private readonly reserved: NodeIndex[] = [];
  private readonly reservedIn: Float64Array;
  private passes = 1;
  /** The queue position a query is made for: steps of the pass tagged at or after it are not seen. */
  private viewKey = Infinity;
  private viewId = Infinity;
  private readonly avail: Float64Array;
  /** The traversal's cursor into `base` and `pass` after the last instant applied. */
  private atBase = 0;
  private atPass = 0;
  private readonly pool: Step[] = [];
  /** Per node: counts changes to its steps, so a memo of its fit runs knows when it is stale. */
  private readonly mods: Float64Array;
  private readonly memo: FitRuns[];

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
    this.base = Array.from({ length: nodeCount }, () => []);
    this.pass = Array.from({ length: nodeCount }, () => []);
    this.reservedIn = new Float64Array(nodeCount);
    this.avail = new Float64Array(dims);
    this.mods = new Float64Array(nodeCount);
    this.memo = Array.from({ length: nodeCount }, () => new FitRuns(dims));
  }

  /** Forgets every step: a new plan from the cluster as it is now. */
  clear(): void {
    for (const lists of [this.base, this.pass]) {
      for (const s of lists) {
        for (const step of s) this.recycle(step);
        s.length = 0;
      }
    }
    for (let n = 0; n < this.mods.length; n++) this.mods[n]!++;
    this.releaseOf.fill(undefined);
    this.startOf.fill(undefined);
    this.endOf.fill(undefined);
    this.passReleases.length = 0;
    this.beginPass();
  }

  /** A pass begins: no node is reserved in it yet, and the releases of pods started in the last one take their place among the others. */
  beginPass(): void {
    this.passes++;
    this.reserved.length = 0;
    for (const step of this.passReleases) {
      if (this.releaseOf[step.owner] !== step) continue;
      this.remove(this.pass[step.node]!, step);
      this.insertBase(step.node, step);
    }
    this.passReleases.length = 0;
  }

  /** Queries from now on are made for the pod at queue position (key, id): it sees the pass's steps of the pods before it only. */
  viewAs(key: number, id: number): void {
    this.viewKey = key;
    this.viewId = id;
  }

  /** The running pod `owner`'s requests come back to `node` at `time` (its estimated end); replaces its release. */
  setRelease(owner: number, node: NodeIndex, time: Micros, requests: Float64Array): void {
    this.own(owner);
    this.dropRelease(owner);
    const step = this.make(time, requests, 1, owner, -Infinity, -Infinity);
    this.releaseOf[owner] = step;
    this.insertBase(node, step);
  }

  /**
   * A pod started during the pass releases at `time`: seen by the pods after
   * it at (key, id), after the steps already at that instant, as a pass from
   * scratch would add it. The next pass moves it among the releases.
   */
  passRelease(owner: number, node: NodeIndex, time: Micros, requests: Float64Array, key: number, id: number): void {
    this.own(owner);
    this.dropRelease(owner);
    const step = this.make(time, requests, 1, owner, key, id);
    this.releaseOf[owner] = step;
    this.passReleases.push(step);
    this.insertPass(node, step);
  }

  /** The pod's release is gone (it left, or is no longer planned to end). */
  dropRelease(owner: number): void {
    if (owner >= this.releaseOf.length) return;
    const step = this.releaseOf[owner];
    if (step === undefined) return;
    this.releaseOf[owner] = undefined;
    this.remove((step.inBase ? this.base : this.pass)[step.node]!, step);
    this.recycle(step);
  }

  /**
   * Reserves `requests` for pod `owner` (queue position key, id) on `node`
   * over [start, end); end = Infinity for a pod that runs until deleted. The
   * same reservation kept from an earlier pass stays as it is.
   */
  reserve(owner: number, key: number, id: number, node: NodeIndex, start: Micros, end: Micros, requests: Float64Array): void {
    this.own(owner);
    const had = this.startOf[owner];
    const same =
      had !== undefined && had.node === node && had.time === start && had.requests === requests && had.key === key && had.id === id && (this.endOf[owner]?.time ?? Infinity) === end;
    if (!same) {
      this.unreserve(owner);
      const s = this.make(start, requests, -1, owner, key, id);
      this.startOf[owner] = s;
      this.insertPass(node, s);
      if (Number.isFinite(end)) {
        const e = this.make(end, requests, 1, owner, key, id);
        this.endOf[owner] = e;
        this.insertPass(node, e);
      }
    }
    if (this.reservedIn[node] !== this.passes) {
      this.reservedIn[node] = this.passes;
      this.reserved.push(node);
    }
  }

  /** Drops pod `owner`'s reservation, if it has one. */
  unreserve(owner: number): void {
    if (owner >= this.startOf.length) return;
    const s = this.startOf[owner];
    if (s === undefined) return;
    const list = this.pass[s.node]!;
    this.remove(list, s);
    this.recycle(s);
    this.startOf[owner] = undefined;
    const e = this.endOf[owner];
    if (e !== undefined) {
      this.remove(list, e);
      this.recycle(e);
      this.endOf[owner] = undefined;
    }
  }

  /** Nodes reserved so far in this pass, in the order of their first reservation. */
  reservedNodes(): readonly NodeIndex[] {
    return this.reserved;
  }

  /**
   * What a pod running from now (the free capacity's instant) until `end`
   * may use on `node` without delaying a reservation it sees: per dimension,
   * the least free over [now, end). Written into `out`.
   */
  usable(node: NodeIndex, end: Micros, out: Float64Array): void {
    this.free(node, out);
    const avail = this.avail;
    avail.set(out);
    const base = this.base[node]!;
    const pass = this.pass[node]!;
    this.atBase = 0;
    this.atPass = 0;
    while (this.apply(base, pass, avail, end) < end) {
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
    for (let n = 0; n < this.base.length; n++) {
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
   *
   * The node's instants after `after` fall into runs where the pod fits at
   * every instant; the answer is the first instant of the first run lasting
   * `length` (a window that fits from a later instant of a run fits from its
   * first too). The runs are worked out by one walk and kept while the
   * node's steps, its free capacity, the requests, `after` and the
   * steps the viewer sees stay the same: the pods of one job, in a row of
   * the queue, share them.
   */
  earliestOn(node: NodeIndex, requests: Float64Array, length: number, after: Micros, before: number): number {
    const avail = this.avail;
    this.free(node, avail);
    const memo = this.memo[node]!;
    if (!memo.holds(this.mods[node]!, requests, after, avail, this.viewKey, this.viewId)) this.walkRuns(node, requests, after, before, memo);
    // Asked again past where the walk stopped: walked to the end, for the pods after it too.
    else if (before > memo.before) this.walkRuns(node, requests, after, Infinity, memo);
    const runs = memo.runs;
    for (let k = 0; k < memo.count; k += 2) {
      const start = runs[k]!;
      if (start >= before) return Infinity;
      if (runs[k + 1]! >= start + length) return start;
    }
    return Infinity;
  }

  /**
   * Works out the runs of instants after `after` where `requests` fit on
   * `node`, for the viewer (see earliestOn): every run that starts before
   * `before`, followed to its end.
   */
  private walkRuns(node: NodeIndex, requests: Float64Array, after: Micros, before: number, memo: FitRuns): void {
    const base = this.base[node]!;
    const pass = this.pass[node]!;
    const avail = this.avail;
    const dims = this.dims;
    memo.begin(this.mods[node]!, requests, after, avail, this.viewKey, this.viewId, before);
    // The first step the viewer does not see: the runs hold for viewers up to it.
    for (const step of pass) memo.unseen(step.key, step.id);
    this.atBase = 0;
    this.atPass = 0;
    let start = Infinity;
    for (;;) {
      // No run starts at or after `before`: past it, only an open run is followed.
      const time = this.apply(base, pass, avail, start === Infinity ? before : Infinity);
      if (time === Infinity || (start === Infinity && time >= before)) break;
      let fits = true;
      for (let d = 0; d < dims; d++) {
        if (requests[d]! > avail[d]!) {
          fits = false;
          break;
        }
      }
      if (!fits) {
        if (start !== Infinity) memo.push(start, time);
        start = Infinity;
      } else if (start === Infinity && time > after) start = time;
    }
    if (start !== Infinity) memo.push(start, Infinity);
  }

  /**
   * Adds into `avail` the steps at the next instant (from the cursor) with a
   * step the viewer sees, unless it is at or after `until`; returns that
   * instant (Infinity: none left) and moves the cursor past it.
   */
  private apply(base: readonly Step[], pass: readonly Step[], avail: Float64Array, until: number): number {
    let b = this.atBase;
    let q = this.atPass;
    const vk = this.viewKey;
    const vi = this.viewId;
    // A step of the pass is seen when its pod comes before the viewer in the queue.
    for (; q < pass.length; q++) {
      const step = pass[q]!;
      if (step.key < vk || (step.key === vk && step.id < vi)) break;
    }
    const tb = b < base.length ? base[b]!.time : Infinity;
    const tq = q < pass.length ? pass[q]!.time : Infinity;
    const time = tb < tq ? tb : tq;
    if (time >= until) return time;
    for (; b < base.length && base[b]!.time === time; b++) this.add(base[b]!, avail);
    for (; q < pass.length && pass[q]!.time === time; q++) {
      const step = pass[q]!;
      if (step.key < vk || (step.key === vk && step.id < vi)) this.add(step, avail);
    }
    this.atBase = b;
    this.atPass = q;
    return time;
  }

  private add(step: Step, avail: Float64Array): void {
    const { requests, sign } = step;
    // sign × request is exact, so this adds what a copied delta would.
    for (let d = 0; d < this.dims; d++) avail[d]! += sign * requests[d]!;
  }

  /** Makes room for `owner` in the per-owner lists, kept packed (no holes) so a lookup stays fast. */
  private own(owner: number): void {
    while (this.startOf.length <= owner) {
      this.startOf.push(undefined);
      this.endOf.push(undefined);
      this.releaseOf.push(undefined);
    }
  }

  private make(time: Micros, requests: Float64Array, sign: 1 | -1, owner: number, key: number, id: number): Step {
    const step = this.pool.pop() ?? { time, requests, sign, node: 0 as NodeIndex, inBase: false, owner, key, id };
    step.time = time;
    step.requests = requests;
    step.sign = sign;
    step.owner = owner;
    step.key = key;
    step.id = id;
    return step;
  }

  private recycle(step: Step): void {
    this.pool.push(step);
  }

  private insertBase(node: NodeIndex, step: Step): void {
    const list = this.base[node]!;
    let i = list.length;
    while (i > 0 && (list[i - 1]!.time > step.time || (list[i - 1]!.time === step.time && list[i - 1]!.owner > step.owner))) i--;
    step.node = node;
    step.inBase = true;
    this.mods[node]!++;
    if (i === list.length) list.push(step);
    else list.splice(i, 0, step);
  }

  /** Equal (time, key, id) keeps insertion order: a zero-length reservation's start comes before its end. */
  private insertPass(node: NodeIndex, step: Step): void {
    const list = this.pass[node]!;
    step.node = node;
    step.inBase = false;
    this.mods[node]!++;
    let i = list.length;
    for (; i > 0; i--) {
      const prev = list[i - 1]!;
      if (prev.time < step.time || (prev.time === step.time && (prev.key < step.key || (prev.key === step.key && prev.id <= step.id)))) break;
    }
    if (i === list.length) list.push(step);
    else list.splice(i, 0, step);
  }

  private remove(list: Step[], step: Step): void {
    const i = list.lastIndexOf(step);
    if (i < 0) throw new Error('availability profile: a step is missing from its node');
    list.splice(i, 1);
    this.mods[step.node]!++;
  }
}

/** A node's runs of fitting instants for one requests array, and when they still hold (see AvailabilityProfile.earliestOn). */
class FitRuns {
  /** (first instant, first instant after the run where the pod does not fit) pairs; Infinity: the run never ends. */
  runs = new Float64Array(16);
  count = 0;
  private mods = -1;
  private readonly requests: Float64Array;
  private after = 0;
  /** Every run starting before this is known. */
  before = -Infinity;
  private readonly free: Float64Array;
  /** The viewer the runs were worked out for, and the first pass step it did not see (by queue position). */
  private fromKey = 0;
  private fromId = 0;
  private toKey = Infinity;
  private toId = Infinity;

  constructor(dims: number) {
    this.free = new Float64Array(dims);
    this.requests = new Float64Array(dims).fill(NaN);
  }

  /** Whether the runs hold for this node state and viewer (they saw exactly the steps the viewer sees), up to `before`. */
  holds(mods: number, requests: Float64Array, after: number, free: Float64Array, key: number, id: number): boolean {
    if (mods !== this.mods || after !== this.after) return false;
    if (key < this.fromKey || (key === this.fromKey && id < this.fromId)) return false;
    if (key > this.toKey || (key === this.toKey && id > this.toId)) return false;
    // Equal amounts fit where the same array would: the pods of a job each have their own.
    for (let d = 0; d < free.length; d++) if (free[d] !== this.free[d] || requests[d] !== this.requests[d]) return false;
    return true;
  }

  begin(mods: number, requests: Float64Array, after: number, free: Float64Array, key: number, id: number, before: number): void {
    this.mods = mods;
    this.before = before;
    this.requests.set(requests);
    this.after = after;
    this.free.set(free);
    this.fromKey = key;
    this.fromId = id;
    this.toKey = Infinity;
    this.toId = Infinity;
    this.count = 0;
  }

  /** A pass step at queue position (key, id): if the viewer does not see it, viewers from it on see more. */
  unseen(key: number, id: number): void {
    if (key < this.fromKey || (key === this.fromKey && id < this.fromId)) return;
    if (key < this.toKey || (key === this.toKey && id < this.toId)) {
      this.toKey = key;
      this.toId = id;
    }
  }

  push(start: number, end: number): void {
    if (this.count + 2 > this.runs.length) this.runs = resized(this.runs, this.runs.length * 2);
    this.runs[this.count++] = start;
    this.runs[this.count++] = end;
  }
}
