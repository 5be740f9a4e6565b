/**
 * The pass disciplines (fifo, priority, sjf and their estimates, drf): every
 * queued pod is tried at the instant it arrives, in queue order, at no
 * scheduler cost. A pod that finds no node is parked (parking.ts) until a
 * release could fit it. When a woken pod fails anyway (an earlier pod in the
 * pass took the room) or binds on another node than the one that woke it,
 * the nodes released at this instant are scanned again, so no parked pod is
 * left behind while a node could take it.
 *
 * drf takes the next pod from the tenant whose bound pods hold the lowest
 * dominant share (ties to the tenant seen first) — Dominant Resource
 * Fairness's progressive filling (Ghodsi et al., NSDI 2011, section 4.1),
 * online; within a tenant, by the queue policy's key.
 */
import { PairHeap } from '../../core/heap.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode, NO_NODE } from '../../core/ids.js';
import { shareKey } from '../../schedulers/dominant-share.js';
import type { QueuePolicy } from '../../schedulers/types.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import { Parking } from './parking.js';
import { passPreemption } from './preempt-in-pass.js';
import type { PassPreemption } from './preempt-in-pass.js';
import type { QueuePort, SchedulingQueue } from './queue.js';
import { TenantShares } from './tenant-shares.js';

/** Where queued pods wait: one heap, or one per tenant. */
interface Lanes {
  push(slot: PodSlot, key: number): void;
  /** The heap the pass takes its next pod from; null when all are empty. */
  next(): PairHeap | null;
  placed(slot: PodSlot): void;
  unplaced(slot: PodSlot): void;
}

function singleLane(world: World): Lanes {
  const heap = new PairHeap(1024);
  const p = world.pods;
  return {
    push: (slot, key) => heap.push(key, p.id[slot]!, slot, p.generation[slot]!),
    next: () => (heap.size > 0 ? heap : null),
    placed: () => {},
    unplaced: () => {},
  };
}

function tenantLanes(world: World, bySlots: boolean): Lanes {
  const p = world.pods;
  const shares = new TenantShares(world.cluster, p, bySlots);
  const heaps: PairHeap[] = [];
  const laneOf = (slot: PodSlot): PairHeap => {
    const t = shares.indexOf(p.template[slot]!.tenant);
    while (heaps.length <= t) heaps.push(new PairHeap(64));
    return heaps[t]!;
  };
  return {
    push: (slot, key) => laneOf(slot).push(key, p.id[slot]!, slot, p.generation[slot]!),
    next(): PairHeap | null {
      let best: PairHeap | null = null;
      let bestShare = Infinity;
      for (let i = 0; i < heaps.length; i++) {
        const q = heaps[i]!;
        if (q.size === 0) continue;
        const share = shareKey(shares.dominantShare(i));
        if (share < bestShare) {
          bestShare = share;
          best = q;
        }
      }
      return best;
    },
    placed: (slot) => shares.account(slot, 1),
    unplaced: (slot) => shares.account(slot, -1),
  };
}

export class PassQueue implements SchedulingQueue {
  private readonly lanes: Lanes;
  private readonly parking: Parking;
  private readonly preempt: PassPreemption;
  private readonly PASS: number;
  private passScheduled = false;
  /** Nodes that released capacity at the current instant, for waking again. */
  private readonly released: number[] = [];
  private readonly releasedMark: Uint8Array;
  private releasedAt: Micros = -1;
  /** A pod woken by a release failed its attempt or bound elsewhere: others behind it may fit after all. */
  private rewake = false;
  /** Preemptors waiting for their victims' room, as (slot, generation, node) triples. */
  private readonly nominated: number[] = [];
  /** Room on a released node that woken preemptors will take. */
  private readonly nominatedHold: Float64Array;
  /** Bumped whenever a pod is placed or room opens: a parked pod is woken again only after a change. */
  private version = 0;

  constructor(
    private readonly world: World,
    private readonly policy: QueuePolicy,
    private readonly port: QueuePort,
  ) {
    this.lanes = policy.mode === 'drf' ? tenantLanes(world, policy.shareBy === 'slots') : singleLane(world);
    this.parking = new Parking(world, (slot) => this.enqueue(slot));
    this.preempt = passPreemption(world, port.evict, (slot, node) => this.nominated.push(slot, world.pods.generation[slot]!, node));
    this.PASS = world.kernel.on(() => this.pass(), 'timer');
    this.releasedMark = new Uint8Array(world.cluster.nodeCount);
    this.nominatedHold = world.cluster.space.zeros();
  }

  enqueue(slot: PodSlot): void {
    const p = this.world.pods;
    p.state[slot] = PodState.Queued;
    this.lanes.push(slot, this.policy.key({ priority: p.template[slot]!.priority, arrival: p.arrival[slot]!, duration: p.duration[slot]! }));
    if (!this.passScheduled) {
      this.passScheduled = true;
      this.world.kernel.schedule(this.world.kernel.now, this.PASS);
    }
  }

  placed(slot: PodSlot, node: NodeIndex): void {
    const p = this.world.pods;
    this.version++;
    this.lanes.placed(slot);
    // A woken pod was counted against the node whose release woke it; if the policy put it
    // elsewhere, that room is unclaimed: scan the released nodes again after this round.
    if (p.woken[slot] !== 0 && p.woken[slot] !== node + 1) this.rewake = true;
    p.woken[slot] = 0;
  }

  unplaced(slot: PodSlot): void {
    this.lanes.unplaced(slot);
  }

  roomOpened(node: NodeIndex, now: Micros): void {
    this.version++;
    this.noteRelease(node, now);
    this.wakeNominated(node);
    this.parking.wake(node, this.nominatedHold, this.version);
    this.nominatedHold.fill(0);
  }

  nodeUp(node: NodeIndex, now: Micros): void {
    this.roomOpened(node, now);
  }

  volumesChanged(): void {}

  /** Tries every queued pod once, in queue order; pods woken during the pass join it. */
  private pass(): void {
    this.passScheduled = true;
    const { kernel, pods: p } = this.world;
    kernel.touch();
    for (;;) {
      for (let q = this.lanes.next(); q !== null; q = this.lanes.next()) {
        const slot = q.topA() as PodSlot;
        const generation = q.topB();
        q.pop();
        if (p.generation[slot] !== generation || p.state[slot] !== PodState.Queued) continue;
        const node = this.world.decide(slot);
        if (node === NO_NODE) {
          // Parked first, so room a victim leaves at once (a gang pod's wait ended) wakes it.
          this.park(slot);
          this.preempt(slot);
        } else this.port.place(slot, node);
      }
      if (!this.rewake) break;
      this.rewake = false;
      for (const node of this.released) this.parking.wake(asNode(node), this.nominatedHold, this.version);
      if (this.lanes.next() === null) break;
    }
    this.passScheduled = false;
  }

  private park(slot: PodSlot): void {
    const p = this.world.pods;
    p.state[slot] = PodState.Parked;
    p.attempts[slot]!++;
    if (p.woken[slot] !== 0) {
      p.woken[slot] = 0;
      this.rewake = true;
    }
    this.parking.park(slot, this.version);
    for (const o of this.world.observers) o.podUnschedulable?.(slot, this.world.kernel.now);
  }

  private noteRelease(node: NodeIndex, now: Micros): void {
    if (now !== this.releasedAt) {
      for (const n of this.released) this.releasedMark[n] = 0;
      this.released.length = 0;
      this.releasedAt = now;
    }
    if (this.releasedMark[node] === 0) {
      this.releasedMark[node] = 1;
      this.released.push(node);
    }
  }

  /** Wakes the preemptors nominated to `node` that fit its free room now, and holds that room from other parked pods. */
  private wakeNominated(node: NodeIndex): void {
    const list = this.nominated;
    if (list.length === 0) return;
    const p = this.world.pods;
    const { allocatable, requested } = this.world.cluster;
    const hold = this.nominatedHold;
    let kept = 0;
    for (let i = 0; i < list.length; i += 3) {
      const slot = list[i]! as PodSlot;
      const live = p.generation[slot] === list[i + 1] && p.state[slot] === PodState.Parked;
      if (live && list[i + 2] === node) {
        const req = p.requests[slot]!;
        let fits = true;
        for (let d = 0; d < hold.length; d++) if (hold[d]! + req[d]! > allocatable[d]![node]! - requested[d]![node]!) fits = false;
        if (fits) {
          for (let d = 0; d < hold.length; d++) hold[d]! += req[d]!;
          this.enqueue(slot);
          continue;
        }
      }
      if (!live) continue;
      list[kept++] = list[i]!;
      list[kept++] = list[i + 1]!;
      list[kept++] = list[i + 2]!;
    }
    list.length = kept;
  }
}
