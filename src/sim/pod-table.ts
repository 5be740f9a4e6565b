/**
 * Live pods as struct-of-arrays indexed by slot. A slot is freed when its pod
 * ends and is reused by a later pod, so memory follows the number of live
 * pods, not the length of the workload. A generation counter per slot lets
 * events scheduled for an earlier occupant be recognised and ignored.
 */
import { asSlot } from '../core/ids.js';
import { resized } from '../core/typed-arrays.js';
import type { Micros, PodSlot } from '../core/ids.js';
import { isNodePinned } from '../workload/pod.js';
import type { PodTemplate, PodUsage } from '../workload/pod.js';

export const enum PodState {
  Free = 0,
  /** In the active queue, waiting for a scheduling attempt. */
  Queued = 1,
  /** Failed an attempt; waits until freed capacity could fit it. */
  Parked = 2,
  Running = 3,
  /** Deleted by preemption: still on its node, holding its requests, until its grace period ends. */
  Terminating = 4,
  /** Bound to a node that failed: holds its requests there but makes no progress until evicted or the node returns. */
  Lost = 5,
  /** Placed on a node, its requests held there, waiting for the rest of its gang before it is bound (coscheduling's Permit). */
  Waiting = 6,
}

export class PodTable {
  /** Creation order of the pod across the run (0, 1, 2…): its stable id. */
  id = new Float64Array(0);
  arrival = new Float64Array(0);
  bindAt = new Float64Array(0);
  duration = new Float64Array(0);
  node = new Int32Array(0);
  state = new Uint8Array(0);
  generation = new Int32Array(0);
  /** Index of the pod's eligibility class (nodeSelector + tolerations). */
  eligibility = new Int32Array(0);
  /** Index of the Job the pod belongs to, or −1. */
  job = new Int32Array(0);
  /** Failed scheduling attempts so far. */
  attempts = new Int32Array(0);
  /** While the pod is queued because a release woke it: 1 + the node whose free capacity it was counted against; else 0. */
  woken = new Int32Array(0);
  /** The pod's claim set in the cluster's LocalVolumes, or −1 for none. */
  volumes = new Int32Array(0);
  /** 1 for a platform pod pinned to its node (isNodePinned: DaemonSet and static pods). */
  pinned = new Uint8Array(0);
  /** 1 when the pod's run ends in failure (a Job pod that exits non-zero) instead of success. */
  fails = new Uint8Array(0);
  /** When the pod's containers started (its images pulled), in µs; −1 while not started. */
  startAt = new Float64Array(0);
  /** When a node failure disrupted the pod this one stands for (itself, or the pod it replaces), in µs; −1 if none. */
  disruptedAt = new Float64Array(0);
  template: PodTemplate[] = [];
  /**
   * Each slot's requests: a fixed view into one flat array (slot × dimension)
   * that `add` copies the pod's requests into. The pod's own array can then
   * die young, and the requests of live pods sit together instead of as a
   * small object per pod scattered over the old generation. A view belongs to
   * the slot: it holds the next occupant's requests once the slot is reused.
   */
  requests: Float64Array[] = [];
  private flat = new Float64Array(0);
  /** Resource dimensions per pod; −1 until the first pod fixes it. */
  private dims = -1;
  /** What each pod uses (its workload's `usage:`); undefined: what it requests. */
  usage: (PodUsage | undefined)[] = [];

  private free: number[] = [];
  private capacity = 0;
  private nextId = 0;
  /** Number of occupied slots. */
  live = 0;
  /** Where `warm` leaves its sum, so that its loads are not optimised away. */
  private warmed = 0;

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  /** Takes a slot for a new pod and fills the fields every pod has. */
  add(template: PodTemplate, requests: Float64Array, arrival: Micros, duration: Micros, eligibility: number, job: number, volumes = -1, usage?: PodUsage): PodSlot {
    if (this.free.length === 0) this.grow(this.capacity * 2);
    const s = this.free.pop()!;
    this.id[s] = this.nextId++;
    this.arrival[s] = arrival;
    this.bindAt[s] = -1;
    this.duration[s] = duration;
    this.node[s] = -1;
    this.state[s] = PodState.Queued;
    this.eligibility[s] = eligibility;
    this.job[s] = job;
    this.attempts[s] = 0;
    this.woken[s] = 0;
    this.volumes[s] = volumes;
    this.disruptedAt[s] = -1;
    this.startAt[s] = -1;
    this.pinned[s] = isNodePinned(template) ? 1 : 0;
    this.fails[s] = 0;
    this.template[s] = template;
    this.slotRequests(s, requests.length).set(requests);
    this.usage[s] = usage;
    this.live++;
    return asSlot(s);
  }

  /** Frees the slot; events still carrying its old generation become stale. */
  remove(slot: PodSlot): void {
    this.state[slot] = PodState.Free;
    this.generation[slot]!++;
    this.live--;
    this.free.push(slot);
  }

  /** The slot's view, made on the slot's first use (low slots are handed out first, so views follow the peak of live pods). */
  private slotRequests(s: number, dims: number): Float64Array {
    if (this.dims !== dims) {
      if (this.dims !== -1) throw new Error(`a pod with ${dims} resource dimensions in a table of ${this.dims}`);
      this.dims = dims;
      this.flat = new Float64Array(this.capacity * dims);
    }
    return (this.requests[s] ??= this.flat.subarray(s * dims, (s + 1) * dims));
  }

  /**
   * Reads the fields a pod's end touches, one after another. When a pod
   * event finds its slot out of cache (a pod ends long after it started,
   * hundreds of thousands of pods later), these loads are independent and
   * issued back to back, so the processor waits for their cache misses
   * together instead of one by one as the handlers reach each field.
   */
  warm(s: number): void {
    const r = this.requests[s]!;
    this.warmed =
      this.node[s]! + this.fails[s]! + this.job[s]! + this.startAt[s]! + this.volumes[s]! + this.pinned[s]! + this.duration[s]! + this.arrival[s]! + this.bindAt[s]! + this.eligibility[s]! + this.disruptedAt[s]! + this.id[s]! + r[0]! +
      (this.template[s] === undefined ? 1 : 0) +
      (this.usage[s] === undefined ? 1 : 0);
  }

  /** Pods created so far. */
  get created(): number {
    return this.nextId;
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    this.id = resized(this.id, capacity);
    this.arrival = resized(this.arrival, capacity);
    this.bindAt = resized(this.bindAt, capacity);
    this.duration = resized(this.duration, capacity);
    this.node = resized(this.node, capacity);
    this.state = resized(this.state, capacity);
    this.generation = resized(this.generation, capacity);
    this.eligibility = resized(this.eligibility, capacity);
    this.job = resized(this.job, capacity);
    this.attempts = resized(this.attempts, capacity);
    this.woken = resized(this.woken, capacity);
    this.volumes = resized(this.volumes, capacity);
    this.disruptedAt = resized(this.disruptedAt, capacity);
    this.startAt = resized(this.startAt, capacity);
    this.pinned = resized(this.pinned, capacity);
    this.fails = resized(this.fails, capacity);
    if (this.dims > 0) {
      // Views of the old array keep their values for whoever still holds them; the slots get views of the new one.
      this.flat = resized(this.flat, capacity * this.dims);
      for (let s = 0; s < this.requests.length; s++) {
        if (this.requests[s] !== undefined) this.requests[s] = this.flat.subarray(s * this.dims, (s + 1) * this.dims);
      }
    }
    // Hand out low slots first, so a small run touches a small prefix.
    for (let s = capacity - 1; s >= old; s--) this.free.push(s);
    this.capacity = capacity;
  }
}
