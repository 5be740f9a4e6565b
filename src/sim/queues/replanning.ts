/**
 * What the replanning disciplines (backfill.ts, tetris.ts) share: every
 * arrival or release schedules a pass that empties the queue, plans over all
 * waiting pods together, starts what it can, and puts the rest back to wait
 * for the next pass. Pods that arrive or room that opens during a pass
 * schedule one more pass at the same instant.
 *
 * The pods a pass leaves waiting are kept in queue order in plain arrays and
 * merged with the pods enqueued since (a heap), so a pass costs no heap
 * operation per waiting pod: the order is the one a single heap would give.
 */
import { PairHeap } from '../../core/heap.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import type { QueuePolicy } from '../../schedulers/types.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import type { QueuePort, SchedulingQueue } from './queue.js';
import { replanningShortcuts } from './shortcuts.js';

export abstract class ReplanningQueue implements SchedulingQueue {
  /** Pods enqueued since the last pass began (and any kept out of order). */
  private readonly incoming = new PairHeap(1024);
  /** Pods the running pass left waiting, in queue order: (key, id, slot, generation). */
  private kept = new KeptList();
  /** The list the running pass merges from (the previous pass's `kept`). */
  private taking = new KeptList();
  /** Off: every waiting pod goes back into the heap, as a from-scratch order would have it. */
  private readonly keeps = replanningShortcuts();
  private readonly PASS: number;
  private passScheduled = false;
  private replanning = false;
  private replanAgain = false;

  constructor(
    protected readonly world: World,
    protected readonly policy: QueuePolicy,
    protected readonly port: QueuePort,
  ) {
    this.PASS = world.kernel.on(() => this.runPass(), 'timer');
  }

  /** Plans over `slots` (with their `generations`), the waiting pods in queue order; what it does not start goes to keepWaiting. */
  protected abstract plan(slots: number[], generations: number[]): void;

  enqueue(slot: PodSlot): void {
    const p = this.world.pods;
    p.state[slot] = PodState.Queued;
    this.push(slot, p.generation[slot]!);
    this.schedulePass();
  }

  placed(_slot: PodSlot, _node: NodeIndex, _claimed: number): void {}

  unplaced(_slot: PodSlot): void {}

  roomOpened(_node: NodeIndex, _now: Micros): void {
    if (this.incoming.size > 0 || this.kept.length > 0) this.schedulePass();
  }

  nodeUp(node: NodeIndex, now: Micros): void {
    this.roomOpened(node, now);
  }

  volumesChanged(): void {}

  /** A pod the pass could not start waits in the queue for the next pass (unschedulable once, not every pass). */
  protected keepWaiting(slot: PodSlot, generation: number, key = this.keyOf(slot)): void {
    const p = this.world.pods;
    if (p.state[slot] !== PodState.Parked) {
      p.state[slot] = PodState.Parked;
      p.attempts[slot]!++;
      for (const o of this.world.observers) o.podUnschedulable?.(slot, this.world.kernel.now);
    }
    const id = p.id[slot]!;
    if (this.keeps && this.kept.accepts(key, id)) this.kept.push(key, id, slot, generation);
    else this.incoming.push(key, id, slot, generation);
  }

  private push(slot: PodSlot, generation: number): void {
    this.incoming.push(this.keyOf(slot), this.world.pods.id[slot]!, slot, generation);
  }

  /** The pod's queue key (with its id, its place in the queue). */
  protected keyOf(slot: PodSlot): number {
    const p = this.world.pods;
    return this.policy.key({ priority: p.template[slot]!.priority, arrival: p.arrival[slot]!, duration: p.duration[slot]! });
  }

  private schedulePass(): void {
    if (this.replanning) {
      this.replanAgain = true;
      return;
    }
    if (!this.passScheduled) {
      this.passScheduled = true;
      this.world.kernel.schedule(this.world.kernel.now, this.PASS);
    }
  }

  private readonly slots: number[] = [];
  private readonly generations: number[] = [];

  private runPass(): void {
    this.world.kernel.touch();
    this.replanning = true;
    this.takeWaiting();
    this.plan(this.slots, this.generations);
    this.replanning = false;
    this.passScheduled = false;
    if (this.replanAgain) {
      this.replanAgain = false;
      this.schedulePass();
    }
  }

  /**
   * Empties the queue into (slot, generation) lists, in queue order, leaving
   * out stale entries: the kept list and the incoming heap, merged by (key, id).
   */
  private takeWaiting(): void {
    const p = this.world.pods;
    const { slots, generations, incoming } = this;
    slots.length = 0;
    generations.length = 0;
    const from = this.kept;
    this.kept = this.taking;
    this.taking = from;
    this.kept.clear();
    let k = 0;
    for (;;) {
      let slot: number;
      let generation: number;
      const haveKept = k < from.length;
      if (incoming.size > 0 && (!haveKept || incoming.topPrimary() < from.keys[k]! || (incoming.topPrimary() === from.keys[k]! && incoming.topSecondary() < from.ids[k]!))) {
        slot = incoming.topA();
        generation = incoming.topB();
        incoming.pop();
      } else if (haveKept) {
        slot = from.slots[k]!;
        generation = from.generations[k]!;
        k++;
      } else break;
      if (p.generation[slot] !== generation || (p.state[slot] !== PodState.Queued && p.state[slot] !== PodState.Parked)) continue;
      slots.push(slot);
      generations.push(generation);
    }
    from.clear();
  }
}

/** Waiting pods in queue order, as parallel arrays. */
class KeptList {
  readonly keys: number[] = [];
  readonly ids: number[] = [];
  readonly slots: number[] = [];
  readonly generations: number[] = [];

  get length(): number {
    return this.slots.length;
  }

  clear(): void {
    this.keys.length = 0;
    this.ids.length = 0;
    this.slots.length = 0;
    this.generations.length = 0;
  }

  /** Whether (key, id) comes no earlier than the last entry, so appending keeps the order. */
  accepts(key: number, id: number): boolean {
    const n = this.keys.length;
    if (n === 0) return true;
    const last = this.keys[n - 1]!;
    return last < key || (last === key && this.ids[n - 1]! <= id);
  }

  push(key: number, id: number, slot: number, generation: number): void {
    this.keys.push(key);
    this.ids.push(id);
    this.slots.push(slot);
    this.generations.push(generation);
  }
}
