/**
 * Conservative backfilling's reservations, kept from one pass to the next
 * so that a pass re-plans only what changed since.
 *
 * Conservative backfilling (Mu'alem and Feitelson, IEEE TPDS 12(6), 2001,
 * section 2) gives each waiting job, in queue order, the earliest start in
 * the profile that delays no earlier reservation; the paper keeps the
 * schedule and compresses it when a job ends early, moving each reservation
 * no later than it was. This queue plans every pass as if from scratch (so a
 * run decides exactly as one that recomputes everything) and uses the kept
 * schedule to make that plan cheap: a pod's earliest start is the earliest
 * over nodes, and on a node whose profile is unchanged since the pod's
 * reservation was worked out, the node's own earliest start is unchanged.
 *
 * A pod's kept reservation (node r, start s, worked out at stamp k) is
 * re-planned when:
 * - s is not after now (its start came or passed), or its run length changed;
 * - node r changed after k: a pod placed on it or leaving it, a running
 *   pod's planned release made, moved (a pod past its estimate) or dropped
 *   (release-plan.ts, which keeps the releases, reports it), a reservation
 *   on it made, moved or dropped by another pod, or a reservation's pod left
 *   the queue;
 * - any node's schedulability, or the volumes, changed, or a node came up:
 *   every reservation is re-planned.
 * Otherwise it is re-checked only against the nodes that changed after k,
 * each searched for a start earlier than s (or equal, on a lower index): an
 * unchanged node has, after now, the same steps and the same free capacity
 * as when s was found, so its earliest start is the same, no earlier than s.
 * The pods' own starts (placed now) are decided by the placement policy as
 * in every pass; only the search of the profile is spared.
 *
 * A kept reservation's steps stay in the profile (availability-profile.ts)
 * until it is re-planned to another (node, start), or dropped: its pod
 * starts, leaves the queue, or finds no start at all. Where the paper's
 * compression only ever moves a reservation earlier, and only after a job
 * ends before its estimate, a plan from scratch also moves one later when a
 * running pod outlives its estimate (its release moves to the next instant)
 * or a node fails; this queue follows the plan from scratch.
 */
import { resized } from '../../core/typed-arrays.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode } from '../../core/ids.js';
import type { AvailabilityProfile, Reservation } from './availability-profile.js';

export class KeptReservations {
  /** Counts changes; a node's last change and a reservation's stamp are readings of it. */
  private clock = 1;
  /** Reservations stamped before this are void. */
  private voidBefore = 1;
  private readonly lastChange: Float64Array;
  /** Per node: the last change of a reservation on it (made, moved or dropped in a pass), which only pods later in the queue see. */
  private readonly lastReservationChange: Float64Array;
  /** Per node: the recheck that last looked at it. */
  private readonly looked: Float64Array;
  private looks = 0;
  /** The changes since the previous pass began: (node, clock) pairs, oldest first. */
  private readonly changedNodes: number[] = [];
  private readonly changedAt: number[] = [];
  /** Whether each logged change is a reservation's (see lastReservationChange). */
  private readonly changedReservation: boolean[] = [];
  /** The clock when the current pass began. */
  private passStartedAt = 0;
  /** Changes up to this reading are forgotten: a reservation stamped before it is re-planned. */
  private forgottenBefore = 0;
  /** Per slot: the kept reservation (generation −1: none). */
  private generation: Int32Array = new Int32Array(0);
  private node: Int32Array = new Int32Array(0);
  private start: Float64Array = new Float64Array(0);
  private length: Float64Array = new Float64Array(0);
  private stamp: Float64Array = new Float64Array(0);
  /** The pods given a reservation by the last pass (and this one, as it goes), as (slot, generation) pairs. */
  private readonly reserved: number[] = [];
  private readonly schedulable: Uint8Array;

  constructor(
    nodeCount: number,
    private readonly profile: AvailabilityProfile,
  ) {
    this.lastChange = new Float64Array(nodeCount);
    this.lastReservationChange = new Float64Array(nodeCount);
    this.looked = new Float64Array(nodeCount);
    this.schedulable = new Uint8Array(nodeCount);
  }

  /** Makes room for slots up to `slot`. */
  private grow(slot: number): void {
    if (slot < this.generation.length) return;
    const size = Math.max(1024, 2 * (slot + 1));
    const ints = (a: Int32Array): Int32Array => resized(a, size).fill(-1, a.length);
    const floats = (a: Float64Array): Float64Array => resized(a, size);
    this.generation = ints(this.generation);
    this.node = ints(this.node);
    this.start = floats(this.start);
    this.length = floats(this.length);
    this.stamp = floats(this.stamp);
  }

  /** Something on `node` changed: reservations found before now must look at it again. */
  changed(node: NodeIndex): void {
    this.log(node, false);
    this.lastChange[node] = this.clock;
  }

  /**
   * A pod's reservation on `node` was made, moved or dropped during a pass.
   * Pods before it in the queue plan without it in this pass and the next,
   * so it concerns only the pods after it, which see it from this pass on:
   * a reservation found in the previous pass sees it only if it came in
   * this pass.
   */
  private reservationChanged(node: NodeIndex): void {
    this.log(node, true);
    this.lastReservationChange[node] = this.clock;
  }

  private log(node: NodeIndex, reservation: boolean): void {
    this.clock++;
    this.changedNodes.push(node);
    this.changedAt.push(this.clock);
    this.changedReservation.push(reservation);
  }

  /** Whether `node` changed, as a reservation found at `stamp` (in the previous pass) sees it. */
  private changedSince(node: number, stamp: number): boolean {
    return this.lastChange[node]! > stamp || this.lastReservationChange[node]! > Math.max(stamp, this.passStartedAt);
  }

  /** Every reservation is re-planned from scratch. */
  voidAll(): void {
    this.clock++;
    this.voidBefore = this.clock;
  }

  /**
   * A pass begins: drops the changes no kept reservation can predate, voids
   * everything if a node's schedulability changed, and marks the nodes of
   * reservations whose pods left the queue. `waiting(slot, generation)`
   * tells whether a pod still waits.
   */
  beginPass(schedulable: Uint8Array, waiting: (slot: number, generation: number) => boolean): void {
    let drop = 0;
    while (drop < this.changedAt.length && this.changedAt[drop]! <= this.passStartedAt) drop++;
    this.changedNodes.splice(0, drop);
    this.changedAt.splice(0, drop);
    this.changedReservation.splice(0, drop);
    this.forgottenBefore = this.passStartedAt;
    this.passStartedAt = this.clock;
    for (let n = 0; n < schedulable.length; n++) {
      if (this.schedulable[n] !== schedulable[n]) {
        this.schedulable.set(schedulable);
        this.voidAll();
        break;
      }
    }
    const list = this.reserved;
    for (let i = 0; i < list.length; i += 2) {
      const slot = list[i]!;
      if (this.generation[slot] === list[i + 1] && !waiting(slot, list[i + 1]!)) this.forget(slot as PodSlot);
    }
    list.length = 0;
  }

  /** The pod starts now: its kept reservation, if any, is dropped. */
  placed(slot: PodSlot, node: NodeIndex): void {
    this.forget(slot);
    this.changed(node);
  }

  /** The pod's earliest reservation in the profile as it is now (see the module comment); kept for the next pass. */
  earliest(slot: PodSlot, generation: number, requests: Float64Array, length: number, now: Micros, admits: (node: NodeIndex) => boolean): Reservation | null {
    this.grow(slot);
    const had = this.generation[slot] === generation;
    const oldNode = had ? this.node[slot]! : -1;
    const oldStart = had ? this.start[slot]! : -1;
    const stamp = had ? this.stamp[slot]! : -1;
    let r: Reservation | null = null;
    const recheck = stamp >= this.voidBefore && stamp >= this.forgottenBefore && oldStart > now && this.length[slot] === length;
    if (recheck) r = this.recheck(oldNode as NodeIndex, oldStart, stamp, requests, length, now, admits);
    if (r === null) r = this.profile.earliest(requests, length, now, admits);
    if (r === null) {
      if (had) this.reservationChanged(oldNode as NodeIndex);
      this.generation[slot] = -1;
      this.profile.unreserve(slot);
      return null;
    }
    if (r.node !== oldNode || r.start !== oldStart) {
      if (had) this.reservationChanged(oldNode as NodeIndex);
      this.reservationChanged(r.node);
    }
    this.generation[slot] = generation;
    this.node[slot] = r.node;
    this.start[slot] = r.start;
    this.length[slot] = length;
    this.stamp[slot] = this.clock;
    this.reserved.push(slot, generation);
    return r;
  }

  /**
   * The kept (node, start), or an earlier start on a node changed since
   * `stamp`; null when the kept node itself changed and no changed node
   * offers a start as early: then the unchanged nodes must be searched too.
   */
  private recheck(node: NodeIndex, start: Micros, stamp: number, requests: Float64Array, length: number, now: Micros, admits: (node: NodeIndex) => boolean): Reservation | null {
    const keptNodeChanged = this.changedSince(node, stamp);
    let bestNode = keptNodeChanged ? -1 : node;
    let bestStart = keptNodeChanged ? Infinity : start;
    const { changedNodes, changedAt, changedReservation, looked } = this;
    const look = ++this.looks;
    for (let i = changedAt.length - 1; i >= 0 && changedAt[i]! > stamp; i--) {
      const n = changedNodes[i]! as NodeIndex;
      if (looked[n] === look || (changedReservation[i] === true && changedAt[i]! <= this.passStartedAt)) continue;
      looked[n] = look;
      if (!admits(n)) continue;
      // Times are whole microseconds: `before` start + 1 admits an equal start on a lower index.
      const s = this.profile.earliestOn(n, requests, length, now, n < bestNode ? bestStart + 1 : bestStart);
      if (s < bestStart || (s === bestStart && n < bestNode)) {
        bestNode = n;
        bestStart = s;
      }
    }
    // Every unchanged node's own earliest start comes after (start, node) in (time, index) order.
    if (keptNodeChanged && (bestStart > start || (bestStart === start && bestNode > node))) return null;
    return { node: asNode(bestNode), start: bestStart };
  }

  /** The pod's kept reservation is dropped, from the profile too. */
  private forget(slot: PodSlot): void {
    if (slot >= this.generation.length || this.generation[slot] === -1) return;
    this.changed(this.node[slot]! as NodeIndex);
    this.generation[slot] = -1;
    this.profile.unreserve(slot);
  }
}
