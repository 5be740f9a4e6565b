/**
 * The running pods' releases in the backfilling profile, kept up to date per
 * event rather than rebuilt per pass. A pod placed joins the pods this plan
 * follows; at each pass every followed pod's planned release is checked and
 * changed only where it moved:
 * - a running pod releases its requests on its node at its estimated end,
 *   begin + estimate, where begin is its start (now, while it pulls its
 *   images), and at the next instant once past that end;
 * - a pod that ends, is evicted, is lost with its node or waits for its
 *   gang releases nothing (until it runs again);
 * - a pod that left its node (its slot freed or queued again) is no longer
 *   followed.
 * Node failures and joins change the free capacity the profile starts from,
 * which it reads from the cluster at each query. This plan alone keeps the
 * releases: one made, moved or dropped is a change of its node for the
 * kept reservations (kept-reservations.ts). `rebuild` makes the same
 * releases from every slot, as a plan from scratch does (shortcuts off,
 * when no reservation is kept).
 */
import { resized } from '../../core/typed-arrays.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode } from '../../core/ids.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import type { AvailabilityProfile } from './availability-profile.js';
import type { KeptReservations } from './kept-reservations.js';

export class ReleasePlan {
  /** The slots followed, and the generation each was placed with. */
  private readonly slots: number[] = [];
  private readonly generations: number[] = [];
  /** Per slot: whether it is followed (as generation + 1; 0: not). */
  private followed = new Float64Array(0);
  /** Per slot: the release planned (time −1: none), on which node, for which generation. */
  private at = new Float64Array(0);
  private node = new Int32Array(0);
  private generation = new Int32Array(0);

  /** `estimateOf(slot)`: the run time the plan assumes (−1: until deleted). */
  constructor(
    private readonly world: World,
    private readonly profile: AvailabilityProfile,
    private readonly estimateOf: (slot: PodSlot) => number,
    private readonly kept: KeptReservations | null,
  ) {}

  private grow(slot: number): void {
    if (slot < this.at.length) return;
    const size = Math.max(1024, 2 * (slot + 1));
    const old = this.at.length;
    this.at = resized(this.at, size).fill(-1, old);
    this.node = resized(this.node, size);
    this.generation = resized(this.generation, size);
    this.followed = resized(this.followed, size);
  }

  /** The pod was placed: its release is planned from the next pass on. */
  placed(slot: PodSlot): void {
    this.grow(slot);
    const generation = this.world.pods.generation[slot]!;
    if (this.followed[slot] === generation + 1) return;
    this.followed[slot] = generation + 1;
    this.slots.push(slot);
    this.generations.push(generation);
  }

  /** The pod started during the pass (at now) releases at `time`, seen by the pods after it in the queue (key, id). */
  startedNow(slot: PodSlot, node: NodeIndex, time: Micros, key: number, id: number): void {
    this.grow(slot);
    const p = this.world.pods;
    this.profile.passRelease(slot, node, time, p.requests[slot]!, key, id);
    this.record(slot, p.generation[slot]!, node, time);
  }

  /** Brings every followed pod's release up to date at `now`; pods no longer on a node are let go. */
  sync(now: Micros): void {
    const p = this.world.pods;
    const { slots, generations } = this;
    let kept = 0;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const generation = generations[i]!;
      const state = p.state[slot]!;
      const onNode = p.generation[slot] === generation && (state === PodState.Running || state === PodState.Terminating || state === PodState.Lost || state === PodState.Waiting);
      if (!onNode) {
        if (this.followed[slot] === generation + 1) this.followed[slot] = 0;
        if (this.generation[slot] === generation) this.drop(slot);
        continue;
      }
      slots[kept] = slot;
      generations[kept++] = generation;
      const time = state === PodState.Running ? this.releaseAt(slot, now) : -1;
      if (time < 0) this.drop(slot);
      else if (this.at[slot] !== time || this.node[slot] !== p.node[slot] || this.generation[slot] !== generation) {
        const node = asNode(p.node[slot]!);
        this.profile.setRelease(slot, node, time, p.requests[slot]!);
        this.record(slot, generation, node, time);
      }
    }
    slots.length = kept;
    generations.length = kept;
  }

  /** Every release made afresh from the slots, in slot order (the profile was cleared). */
  rebuild(now: Micros): void {
    const p = this.world.pods;
    for (let s = 0; s < p.state.length; s++) {
      const slot = s as PodSlot;
      const time = p.state[s] === PodState.Running ? this.releaseAt(slot, now) : -1;
      if (time >= 0) this.profile.setRelease(slot, asNode(p.node[s]!), time, p.requests[s]!);
    }
  }

  /** When a running pod's requests come back (−1: it runs until deleted). */
  private releaseAt(slot: PodSlot, now: Micros): number {
    const estimate = this.estimateOf(slot);
    if (estimate < 0) return -1;
    const p = this.world.pods;
    // A pod not started yet (pulling images) runs from now at the earliest; one past its estimate ends at the next instant.
    const begin = p.startAt[slot]! >= 0 ? p.startAt[slot]! : now;
    return Math.max(now + 1, begin + estimate);
  }

  private record(slot: PodSlot, generation: number, node: NodeIndex, time: Micros): void {
    if (this.at[slot] !== time || this.node[slot] !== node || this.generation[slot] !== generation) this.kept?.changed(node);
    this.at[slot] = time;
    this.node[slot] = node;
    this.generation[slot] = generation;
  }

  private drop(slot: PodSlot): void {
    if (this.at[slot] === -1) return;
    this.profile.dropRelease(slot);
    this.kept?.changed(asNode(this.node[slot]!));
    this.at[slot] = -1;
  }
}
