/**
 * The backfilling disciplines, EASY and conservative (see
 * availability-profile.ts). Each pass takes every waiting pod in queue
 * order: it starts now if the placement policy finds it a node within what
 * the reservations leave during its estimated run; a pod that cannot gets
 * the earliest reservation the plan allows (EASY: only the first such pod).
 * Waiting pods stay in the queue, so the next pass — after any arrival or
 * release — plans again from the cluster as it is then; conservative keeps
 * its reservations between passes to make that plan cheap
 * (kept-reservations.ts), deciding exactly as a plan from scratch.
 */
import type { Micros, PodSlot } from '../../core/ids.js';
import { asNode, NO_NODE } from '../../core/ids.js';
import type { NodeIndex } from '../../core/ids.js';
import type { PodCursor } from '../../schedulers/pod-view.js';
import type { QueuePolicy } from '../../schedulers/types.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import { AvailabilityProfile } from './availability-profile.js';
import { KeptReservations } from './kept-reservations.js';
import { passPreemption } from './preempt-in-pass.js';
import type { PassPreemption } from './preempt-in-pass.js';
import type { QueuePort } from './queue.js';
import { ReplanningQueue } from './replanning.js';
import { ReleasePlan } from './release-plan.js';
import { replanningShortcuts } from './shortcuts.js';
import { UnplaceableShapes } from './unplaceable-shapes.js';

export class BackfillQueue extends ReplanningQueue {
  private readonly conservative: boolean;
  private readonly profile: AvailabilityProfile;
  private readonly preempt: PassPreemption;
  private readonly usable: Float64Array;
  private readonly hold: Float64Array;
  /** Nodes with capacity held back during the current decision, and how much (node × dimension). */
  private readonly held: NodeIndex[] = [];
  private readonly heldAmount: Float64Array;
  /** Pods of the current pass that fit on no node even before any hold (see `surelyUnplaceable`). */
  private readonly unplaceable = new UnplaceableShapes();
  /** Whether a failed pod may evict others (then room may open mid-pass and no failure is remembered). */
  private readonly preempts: boolean;
  /** Whether failures are remembered (no preemption, shortcuts on). */
  private readonly remembers: boolean;
  /** Conservative, no preemption, shortcuts on: reservations kept from the previous pass. */
  private readonly keptPlan: KeptReservations | null;
  /** Shortcuts on: the profile persists between passes, changed per event (off: rebuilt by every pass). */
  private readonly persistent = replanningShortcuts();
  private readonly releases: ReleasePlan;
  /** The pod being planned, and whether it may run on a node (one closure for every pod). */
  private pod: PodCursor | null = null;
  private readonly admits = (n: NodeIndex): boolean => this.pod!.eligible(n);
  /** Pods reserved in the last pass outside the kept plan: dropped when the next begins. */
  private readonly passReservations: number[] = [];

  constructor(world: World, policy: QueuePolicy, port: QueuePort) {
    super(world, policy, port);
    const { allocatable, requested, nodeCount } = world.cluster;
    const dims = world.cluster.space.size;
    this.conservative = policy.mode === 'conservative-backfill';
    this.profile = new AvailabilityProfile(nodeCount, dims, (node, out) => {
      for (let d = 0; d < dims; d++) out[d] = allocatable[d]![node]! - requested[d]![node]!;
    });
    // Under backfilling, a preemptor's nomination is not kept: the next pass plans for it anew.
    this.preempt = passPreemption(world, port.evict, () => {});
    this.preempts = world.policy.postFilter !== undefined && world.policy.preemptInPasses === true;
    this.remembers = replanningShortcuts() && !this.preempts;
    this.keptPlan = this.conservative && this.remembers ? new KeptReservations(nodeCount, this.profile) : null;
    this.releases = new ReleasePlan(world, this.profile, (slot) => this.estimateOf(slot), this.keptPlan);
    this.usable = new Float64Array(dims);
    this.hold = new Float64Array(dims);
    this.heldAmount = new Float64Array(nodeCount * dims);
  }

  protected plan(slots: number[], generations: number[]): void {
    const { pods: p, kernel } = this.world;
    const now = kernel.now;
    const profile = this.profile;
    const kept = this.keptPlan;
    this.beginPlan(now);
    let reservations = 0;
    this.unplaceable.clear();
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const key = this.keyOf(slot);
      profile.viewAs(key, p.id[slot]!);
      const estimate = this.estimateOf(slot);
      const length = estimate < 0 ? Infinity : estimate;
      if (!this.unplaceable.covers(p.eligibility[slot]!, p.requests[slot]!, now + length) || p.volumes[slot]! >= 0) {
        // A pod that fits on no node even without the holds needs neither them nor the policy, which could only answer no node.
        if (this.remembers && p.volumes[slot]! < 0 && this.fitsNowhere(slot)) this.unplaceable.add(p.eligibility[slot]!, p.requests[slot]!, -Infinity);
        else if (this.startNow(slot, key, estimate, length)) continue;
      }
      this.preempt(slot);
      this.keepWaiting(slot, generations[i]!, key);
      if (!this.conservative && reservations > 0) continue;
      this.pod = this.world.view(slot);
      const admits = this.admits;
      // A pod bound to local volumes may become eligible anywhere as volumes change: planned afresh each pass.
      const keeps = kept !== null && p.volumes[slot]! < 0;
      const r = keeps ? kept.earliest(slot, generations[i]!, p.requests[slot]!, length, now, admits) : profile.earliest(p.requests[slot]!, length, now, admits);
      if (r === null) continue;
      profile.reserve(slot, key, p.id[slot]!, r.node, r.start, r.start + length, p.requests[slot]!);
      if (!keeps) this.passReservations.push(slot);
      reservations++;
    }
  }

  /**
   * The profile as a pass starts from: with the shortcuts on, the releases
   * brought up to date and the reservations not kept dropped; off, rebuilt.
   */
  private beginPlan(now: Micros): void {
    const p = this.world.pods;
    const profile = this.profile;
    const kept = this.keptPlan;
    kept?.beginPass(this.world.cluster.schedulable, (s, g) => p.generation[s] === g && (p.state[s] === PodState.Queued || p.state[s] === PodState.Parked));
    if (!this.persistent) {
      profile.clear();
      this.releases.rebuild(now);
      return;
    }
    profile.beginPass();
    for (const slot of this.passReservations) profile.unreserve(slot);
    this.passReservations.length = 0;
    this.releases.sync(now);
  }

  /** Offers the pod to the placement policy within the room the reservations leave; whether it started. */
  private startNow(slot: PodSlot, key: number, estimate: number, length: number): boolean {
    const p = this.world.pods;
    const now = this.world.kernel.now;
    this.holdForReservations(slot, now + length);
    const node = this.world.decide(slot);
    const remember = node === NO_NODE && this.remembers && p.volumes[slot]! < 0 && this.fitsNowhere(slot);
    this.releaseHolds();
    if (node === NO_NODE) {
      // It fits somewhere without the holds (or is not remembered): only pods ending no earlier are covered.
      if (remember) this.unplaceable.add(p.eligibility[slot]!, p.requests[slot]!, now + length);
      return false;
    }
    this.port.place(slot, node);
    this.keptPlan?.placed(slot, node);
    if (p.state[slot] === PodState.Running && estimate >= 0) this.releases.startedNow(slot, node, now + length, key, p.id[slot]!);
    return true;
  }

  // Room that opens mid-pass (a release at this instant) voids what the pass learnt.
  override unplaced(slot: PodSlot): void {
    this.unplaceable.clear();
    const node = this.world.pods.node[slot]!;
    if (node >= 0) this.keptPlan?.changed(asNode(node));
    super.unplaced(slot);
  }

  override placed(slot: PodSlot, node: NodeIndex, claimed: number): void {
    this.keptPlan?.changed(node);
    if (this.persistent) this.releases.placed(slot);
    super.placed(slot, node, claimed);
  }

  override roomOpened(node: NodeIndex, now: Micros): void {
    this.unplaceable.clear();
    this.keptPlan?.changed(node);
    super.roomOpened(node, now);
  }

  override nodeUp(node: NodeIndex, now: Micros): void {
    this.keptPlan?.voidAll();
    super.nodeUp(node, now);
  }

  override volumesChanged(): void {
    this.unplaceable.clear();
    this.keptPlan?.voidAll();
    super.volumesChanged();
  }

  /** Whether the pod fits on no node in the room the cluster shows now (holds taken or not). */
  private fitsNowhere(slot: PodSlot): boolean {
    const pod = this.world.view(slot);
    for (let n = 0; n < this.world.cluster.nodeCount; n++) if (pod.fitsOn(asNode(n))) return false;
    return true;
  }

  /** The run time the plan assumes for the pod (−1: until deleted). */
  private estimateOf(slot: PodSlot): number {
    const p = this.world.pods;
    const duration = p.duration[slot]!;
    const estimate = this.policy.estimate;
    if (estimate === undefined || duration < 0) return duration;
    return estimate({ priority: p.template[slot]!.priority, arrival: p.arrival[slot]!, duration });
  }

  /**
   * Holds back on each reserved node what its reservations need while a pod
   * that would run until `end` is placed — reserved like a pod's requests,
   * so every placement policy sees only the room it may use. A node the
   * pod does not fit on even without holding is infeasible either way and
   * is left alone (with the shortcuts on).
   */
  private holdForReservations(slot: PodSlot, end: Micros): void {
    const { cluster, policy } = this.world;
    const { allocatable, requested } = cluster;
    const { usable, hold, heldAmount } = this;
    const dims = hold.length;
    const pod = this.world.view(slot);
    for (const node of this.profile.reservedNodes()) {
      if (this.remembers && !pod.fitsOn(node)) continue;
      this.profile.usable(node, end, usable);
      let any = false;
      for (let d = 0; d < dims; d++) {
        const free = allocatable[d]![node]! - requested[d]![node]!;
        hold[d] = Math.max(0, free - Math.max(0, usable[d]!));
        if (hold[d]! > 0) any = true;
      }
      if (!any) continue;
      if (!cluster.reserve(node, hold)) throw new Error(`backfilling held more than node ${node} has free`);
      heldAmount.set(hold, node * dims);
      this.held.push(node);
      policy.onNodeChanged?.(node);
    }
  }

  private releaseHolds(): void {
    const { cluster, policy } = this.world;
    const dims = this.hold.length;
    const hold = this.hold;
    for (const node of this.held) {
      for (let d = 0; d < dims; d++) hold[d] = this.heldAmount[node * dims + d]!;
      cluster.unreserve(node, hold);
      policy.onNodeChanged?.(node);
    }
    this.held.length = 0;
  }
}
