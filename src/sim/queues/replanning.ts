/**
 * What the replanning disciplines (backfill.ts, tetris.ts) share: every
 * arrival or release schedules a pass that empties the queue, plans over all
 * waiting pods together, starts what it can, and puts the rest back to wait
 * for the next pass. Pods that arrive or room that opens during a pass
 * schedule one more pass at the same instant.
 */
import { PairHeap } from '../../core/heap.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import type { QueuePolicy } from '../../schedulers/types.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import type { QueuePort, SchedulingQueue } from './queue.js';

export abstract class ReplanningQueue implements SchedulingQueue {
  protected readonly active = new PairHeap(1024);
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
    if (this.active.size > 0) this.schedulePass();
  }

  nodeUp(node: NodeIndex, now: Micros): void {
    this.roomOpened(node, now);
  }

  volumesChanged(): void {}

  /** A pod the pass could not start waits in the queue for the next pass (unschedulable once, not every pass). */
  protected keepWaiting(slot: PodSlot, generation: number): void {
    const p = this.world.pods;
    if (p.state[slot] !== PodState.Parked) {
      p.state[slot] = PodState.Parked;
      p.attempts[slot]!++;
      for (const o of this.world.observers) o.podUnschedulable?.(slot, this.world.kernel.now);
    }
    this.push(slot, generation);
  }

  private push(slot: PodSlot, generation: number): void {
    const p = this.world.pods;
    this.active.push(this.policy.key({ priority: p.template[slot]!.priority, arrival: p.arrival[slot]!, duration: p.duration[slot]! }), p.id[slot]!, slot, generation);
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

  /** Empties the queue into (slot, generation) lists, in queue order, leaving out stale entries. */
  private takeWaiting(): void {
    const p = this.world.pods;
    const { slots, generations, active } = this;
    slots.length = 0;
    generations.length = 0;
    while (active.size > 0) {
      const slot = active.topA();
      const generation = active.topB();
      active.pop();
      if (p.generation[slot] !== generation || (p.state[slot] !== PodState.Queued && p.state[slot] !== PodState.Parked)) continue;
      slots.push(slot);
      generations.push(generation);
    }
  }
}
