/**
 * kube-scheduler's scheduling queue (pkg/scheduler/backend/queue, v1.34), in
 * simulated time:
 *
 * - activeQ: higher priority first, then the earlier timestamp (PrioritySort);
 *   a pod's timestamp is its creation, reset at every failed attempt.
 * - backoffQ: pods requeued by a cluster event while their backoff runs:
 *   1 s doubling to 10 s with the attempts (calculateBackoffDuration), the
 *   expiry rounded down to the whole second; a flush every whole second moves
 *   expired pods to activeQ, and when activeQ is empty the scheduler pops
 *   backoffQ's head at once (SchedulerPopFromBackoffQ, on by default in 1.34).
 *   Pods with the same expiry are ordered as in activeQ: priority, then
 *   timestamp (lessBackoffCompletedWithPriority, backoff_queue.go).
 * - unschedulablePods: pods whose attempt failed wait here until an event
 *   could make them fit, or until they have waited 5 minutes (checked every
 *   30 s). Which events, is what the plugins that rejected the pod
 *   registered (EventsToRegister): some requeue it at once, others only when
 *   the plugin's queueing hint says the event may help (isPodWorthRequeuing;
 *   queueing hints are GA in v1.34) — a pod deleted from a node for
 *   NodeResourcesFit, an added pod its selectors match for
 *   PodTopologySpread, a node added that it fits, and so on.
 *
 * Cluster events of interest (pods, nodes, volumes) happen while a pod is in
 * a scheduling cycle too (the "in-flight" events); a pod failing after one
 * that is worth it is requeued at once.
 */
import { PairHeap } from '../../core/heap.js';
import { EVENT_NODE_ADD, EVENT_NODE_TAINT, EVENT_POD_ADD, EVENT_POD_DELETE, EVENT_VOLUME_CHANGE } from '../../schedulers/types.js';
import type { ClusterEvent } from '../../schedulers/types.js';
import type { PodTemplate } from '../../workload/pod.js';
import { resized } from '../../core/typed-arrays.js';
import type { Micros, PodSlot } from '../../core/ids.js';
import { MICROS_PER_SECOND } from '../../core/ids.js';
import { PodState } from '../pod-table.js';
import type { PodTable } from '../pod-table.js';

/** What kind of cluster event could make a rejected pod schedulable (a bit mask): the policy contract's EVENT_* bits. */
export const REQUEUE_ON_POD_DELETE = EVENT_POD_DELETE;
export const REQUEUE_ON_POD_ADD = EVENT_POD_ADD;
export const REQUEUE_ON_NODE_ADD = EVENT_NODE_ADD;
/** A node's taints changed: the unreachable taint removed from a repaired node. */
export const REQUEUE_ON_NODE_TAINT = EVENT_NODE_TAINT;
/** Any node event: added, or its taints changed. */
export const REQUEUE_ON_NODE_CHANGE = EVENT_NODE_ADD | EVENT_NODE_TAINT;
/** A PersistentVolume or PersistentVolumeClaim added or updated: a claim bound, or a released local PV offered again. */
export const REQUEUE_ON_VOLUME_CHANGE = EVENT_VOLUME_CHANGE;

/** The hint for a parked pod and an event of its hint mask: whether to requeue it (QueueingHintFn). */
export type QueueingHint = (slot: number, event: ClusterEvent) => boolean;

export interface KubeQueueSettings {
  /** podInitialBackoffSeconds, in µs (1 s). */
  readonly initialBackoff: Micros;
  /** podMaxBackoffSeconds, in µs (10 s). */
  readonly maxBackoff: Micros;
}

export const DEFAULT_KUBE_QUEUE: KubeQueueSettings = { initialBackoff: MICROS_PER_SECOND, maxBackoff: 10 * MICROS_PER_SECOND };

/** DefaultPodMaxInUnschedulablePodsDuration and the flushUnschedulablePodsLeftover period. */
export const MAX_IN_UNSCHEDULABLE: Micros = 5 * 60 * MICROS_PER_SECOND;
export const UNSCHEDULABLE_FLUSH_PERIOD: Micros = 30 * MICROS_PER_SECOND;
/** flushBackoffQCompleted period and the backoff ordering window. */
export const BACKOFF_FLUSH_PERIOD: Micros = MICROS_PER_SECOND;

const NOWHERE = 0;
const IN_ACTIVE = 1;
const IN_BACKOFF = 2;
const IN_UNSCHEDULABLE = 3;

/** Rounds down to the 1-second ordering window (alignToWindow); a division rather than `%`, which on doubles past 2^31 is a library call. */
const alignToWindow = (t: Micros): Micros => {
  const w = Math.floor(t / BACKOFF_FLUSH_PERIOD) * BACKOFF_FLUSH_PERIOD;
  // The quotient is rounded: correct it so that w ≤ t < w + period holds exactly.
  return w > t ? w - BACKOFF_FLUSH_PERIOD : t - w >= BACKOFF_FLUSH_PERIOD ? w + BACKOFF_FLUSH_PERIOD : w;
};

/** Failure counts whose backoff duration is tabled; from the last on, every count has the last one's (max) duration. */
const BACKOFF_TABLE = 40;

export class KubeQueue {
  private readonly active = new PairHeap(1024, true);
  private readonly backoff = new PairHeap(256, true);
  /** unschedulablePods, in the order the pods failed (a slot may be listed after it left: `where` tells). */
  private unschedulable = new SlotList();
  /** The list being rebuilt while unschedulable is walked (swapped with it, so nothing is allocated per event). */
  private spare = new SlotList();
  // Per pod slot: where it is, its queue timestamp order, failed attempts, backoff expiry and requeue events.
  private where = new Uint8Array(1024);
  private stamp = new Float64Array(1024);
  private stampedAt = new Float64Array(1024);
  private failures = new Int32Array(1024);
  private requeueOn = new Uint8Array(1024);
  private hintOn = new Uint8Array(1024);
  /** Minus the pod's priority, the heaps' key (kept here: its template is a pointer away, and the heaps take it at every move). */
  private negPriority = new Float64Array(1024);
  /** Orders timestamps: a counter taken whenever a timestamp is set (timestamps only grow, so the order is theirs). */
  private stamps = 0;
  /** The pod in its scheduling cycle (popped, not yet failed or placed), or −1; and the events since it was popped. */
  private inCycle = -1;
  private readonly inFlight: ClusterEvent[] = [];
  private inFlightCount = 0;
  /** calculateBackoffDuration per failure count (0: none), up to BACKOFF_TABLE − 1; the last entry holds for every count after. */
  private readonly durations = new Float64Array(BACKOFF_TABLE);

  constructor(
    private readonly pods: PodTable,
    private readonly settings: KubeQueueSettings = DEFAULT_KUBE_QUEUE,
    /** Asked for events in a parked pod's hint mask; without one, every such event requeues. */
    private readonly hint: QueueingHint = () => true,
  ) {
    const { initialBackoff, maxBackoff } = settings;
    for (let n = 1; n < BACKOFF_TABLE; n++) {
      const shift = n - 1;
      this.durations[n] = shift >= 31 || initialBackoff > Math.floor(maxBackoff / 2 ** shift) ? maxBackoff : initialBackoff * 2 ** shift;
    }
  }

  /** A new pod: activeQ, with its creation as timestamp. */
  add(slot: PodSlot, now: Micros): void {
    this.ensure(slot);
    this.failures[slot] = 0;
    this.negPriority[slot] = -this.pods.template[slot]!.priority;
    this.setStamp(slot, now);
    this.toActive(slot);
  }

  /** Whether a pod can be popped now (activeQ, or backoffQ when activeQ is empty). */
  get poppable(): boolean {
    return this.active.size > 0 || this.backoff.size > 0;
  }

  get unschedulableCount(): number {
    return this.unschedulable.count;
  }

  get backoffCount(): number {
    return this.backoff.size;
  }

  /** The next pod to schedule, or −1: activeQ's head, else backoffQ's head even before its backoff ends. */
  pop(): number {
    const slot = this.popFrom(this.active, IN_ACTIVE);
    const chosen = slot >= 0 ? slot : this.popFrom(this.backoff, IN_BACKOFF);
    this.inCycle = chosen;
    this.inFlightCount = 0;
    return chosen;
  }

  /**
   * The popped pod found no node. Its timestamp becomes now and its failure
   * count grows; `requeueOn` and `hintOn` are the events its rejecting
   * plugins registered, to requeue at once or to ask the hint about. It
   * waits in unschedulablePods unless an event worth it happened during its
   * cycle, in which case it is requeued at once.
   */
  failed(slot: PodSlot, now: Micros, requeueOn: number, hintOn = 0): void {
    this.failures[slot]!++;
    this.setStamp(slot, now);
    this.requeueOn[slot] = requeueOn;
    this.hintOn[slot] = hintOn;
    let worth = false;
    if (slot === this.inCycle) {
      for (let i = 0; i < this.inFlightCount && !worth; i++) worth = this.worth(slot, this.inFlight[i]!);
      this.endCycle();
    }
    if (worth) this.requeue(slot, alignToWindow(now));
    else {
      this.where[slot] = IN_UNSCHEDULABLE;
      this.pods.state[slot] = PodState.Parked;
      this.unschedulable.push(slot);
    }
  }

  /** An assigned pod (`pod`'s) left `node` (it finished or was deleted): MoveAllToActiveOrBackoffQueue for the pods that care. */
  podDeleted(now: Micros, node = -1, pod?: PodTemplate): void {
    this.event(now, { kind: REQUEUE_ON_POD_DELETE, node, pod });
  }

  /** A pod was bound to a node (AssignedPodAdd). */
  podAdded(now: Micros, node = -1, pod?: PodTemplate): void {
    this.event(now, { kind: REQUEUE_ON_POD_ADD, node, pod });
  }

  /** PVs or PVCs changed: claims bound to PVs, or PVs released when their claims were deleted. */
  volumesChanged(now: Micros): void {
    this.event(now, { kind: REQUEUE_ON_VOLUME_CHANGE, node: -1 });
  }

  /** A node was added (it joined), or its taints changed (the unreachable taint removed when it was repaired). */
  nodeChanged(now: Micros, node = -1, added = false): void {
    this.event(now, { kind: added ? REQUEUE_ON_NODE_ADD : REQUEUE_ON_NODE_TAINT, node });
  }

  /** flushBackoffQCompleted: pods whose backoff has ended move to activeQ. Returns how many moved. */
  flushBackoff(now: Micros): number {
    const window = alignToWindow(now);
    const heap = this.backoff;
    let moved = 0;
    while (heap.size > 0 && heap.topPrimary() < window) {
      const slot = heap.topA();
      const live = this.isCurrent(slot, heap.topB(), heap.topC(), IN_BACKOFF);
      heap.pop();
      if (live) {
        this.toActive(slot);
        moved++;
      }
    }
    return moved;
  }

  /** flushUnschedulablePodsLeftover: pods unschedulable for over 5 minutes are requeued. Returns how many moved. */
  flushUnschedulable(now: Micros): number {
    const waiting = this.unschedulable;
    const kept = this.spare;
    kept.count = 0;
    const window = alignToWindow(now);
    let moved = 0;
    for (let i = 0; i < waiting.count; i++) {
      const slot = waiting.slots[i]!;
      if (this.where[slot] !== IN_UNSCHEDULABLE) continue;
      if (now - this.stampedAt[slot]! > MAX_IN_UNSCHEDULABLE) {
        this.requeue(slot as PodSlot, window);
        moved++;
      } else {
        kept.push(slot);
      }
    }
    this.swap();
    return moved;
  }

  /** Forgets a pod that left the queue for good (bound, or deleted). */
  remove(slot: PodSlot): void {
    this.where[slot] = NOWHERE;
    if (slot === this.inCycle) this.endCycle();
  }

  /**
   * calculateBackoffDuration: initial · 2^(n−1), capped at max; the expiry is
   * timestamp + duration rounded down to the whole second. No backoff (no
   * failure yet, or podMaxBackoffSeconds 0) is −Infinity: upstream's zero
   * time, before every window (getBackoffTime, backoff_queue.go), so such a
   * pod is never backing off, even in the first second.
   */
  backoffExpiry(slot: number): Micros {
    const n = this.failures[slot]!;
    if (n === 0 || this.settings.maxBackoff === 0) return -Infinity;
    const duration = this.durations[n < BACKOFF_TABLE ? n : BACKOFF_TABLE - 1]!;
    return alignToWindow(this.stampedAt[slot]! + duration);
  }

  private endCycle(): void {
    this.inCycle = -1;
    this.inFlightCount = 0;
  }

  /** isPodWorthRequeuing: the event requeues the pod at once, or its hint says it may help. */
  private worth(slot: number, event: ClusterEvent): boolean {
    if ((this.requeueOn[slot]! & event.kind) !== 0) return true;
    return (this.hintOn[slot]! & event.kind) !== 0 && this.hint(slot, event);
  }

  /** A cluster event: noted for the pod in its cycle, and MoveAllToActiveOrBackoffQueue for the parked pods it is worth requeueing. */
  private event(now: Micros, event: ClusterEvent): void {
    if (this.inCycle >= 0) this.inFlight[this.inFlightCount++] = event;
    if (this.unschedulable.count === 0) return;
    const waiting = this.unschedulable;
    const kept = this.spare;
    kept.count = 0;
    const window = alignToWindow(now);
    for (let i = 0; i < waiting.count; i++) {
      const slot = waiting.slots[i]!;
      if (this.where[slot] !== IN_UNSCHEDULABLE) continue;
      if (this.worth(slot, event)) this.requeue(slot as PodSlot, window);
      else kept.push(slot);
    }
    this.swap();
  }

  /** The rebuilt list becomes unschedulablePods. */
  private swap(): void {
    const was = this.unschedulable;
    this.unschedulable = this.spare;
    this.spare = was;
  }

  /** requeuePodWithQueueingStrategy: backoffQ while backing off, else activeQ (`window`: now, aligned). */
  private requeue(slot: PodSlot, window: Micros): void {
    const expiry = this.backoffExpiry(slot);
    if (expiry >= window) {
      this.where[slot] = IN_BACKOFF;
      this.pods.state[slot] = PodState.Parked;
      this.backoff.push(expiry, this.negPriority[slot]!, slot, this.pods.generation[slot]!, this.stamp[slot]!);
    } else {
      this.toActive(slot);
    }
  }

  private toActive(slot: number): void {
    this.where[slot] = IN_ACTIVE;
    this.pods.state[slot] = PodState.Queued;
    this.active.push(this.negPriority[slot]!, this.stamp[slot]!, slot, this.pods.generation[slot]!);
  }

  /** Pops the first live entry of `heap` that is still where it says; −1 when none. */
  private popFrom(heap: PairHeap, place: number): number {
    while (heap.size > 0) {
      const slot = heap.topA();
      const generation = heap.topB();
      const stamp = heap === this.backoff ? heap.topC() : heap.topSecondary();
      heap.pop();
      if (this.isCurrent(slot, generation, stamp, place)) {
        this.where[slot] = NOWHERE;
        return slot;
      }
    }
    return -1;
  }

  /** Whether a heap entry still stands for the pod's place in the queue (entries are not removed when a pod moves). */
  private isCurrent(slot: number, generation: number, stamp: number, place: number): boolean {
    return this.pods.generation[slot] === generation && this.where[slot] === place && this.stamp[slot] === stamp;
  }

  private setStamp(slot: number, now: Micros): void {
    this.stamp[slot] = this.stamps++;
    this.stampedAt[slot] = now;
  }

  private ensure(slot: number): void {
    if (slot < this.where.length) return;
    let n = this.where.length;
    while (n <= slot) n *= 2;
    this.where = resized(this.where, n);
    this.stamp = resized(this.stamp, n);
    this.stampedAt = resized(this.stampedAt, n);
    this.failures = resized(this.failures, n);
    this.requeueOn = resized(this.requeueOn, n);
    this.hintOn = resized(this.hintOn, n);
    this.negPriority = resized(this.negPriority, n);
  }
}

/** A growable list of pod slots. */
class SlotList {
  slots = new Int32Array(256);
  count = 0;

  push(slot: number): void {
    if (this.count === this.slots.length) this.slots = resized(this.slots, this.slots.length * 2);
    this.slots[this.count++] = slot;
  }
}
