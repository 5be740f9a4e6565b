/**
 * The discrete-event kernel: a heap of (time, sequence) with plain callbacks.
 * Equal times come out in the order they were scheduled, so runs are
 * reproducible. Time is integer microseconds. Nothing is allocated per event.
 */
import { PairHeap } from '../core/heap.js';
import type { Micros } from '../core/ids.js';

/** Handles one event; `arg` and `tag` are the integers given to `schedule`. */
export type Handler = (arg: number, tag: number) => void;

export interface RunOptions {
  /** Process events with time ≤ until, then stop with `now` = until. */
  readonly until?: Micros | undefined;
}

export class Kernel {
  /** The current simulated time, µs. */
  now: Micros = 0;
  /** Events processed so far. */
  processed = 0;
  private seq = 0;
  private readonly heap = new PairHeap(4096);
  private readonly handlers: Handler[] = [];

  /** Registers a handler and returns the event type to schedule it with. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules an event of `type` at `time` (≥ now). */
  schedule(time: Micros, type: number, arg = 0, tag = 0): void {
    if (!(time >= this.now) || !Number.isSafeInteger(time)) {
      throw new Error(`cannot schedule an event at ${time} µs: now is ${this.now} µs and times are integer µs`);
    }
    this.heap.push(time, this.seq++, type, arg, tag);
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Time of the next event, or Infinity when none is left. */
  peek(): Micros {
    return this.heap.size > 0 ? this.heap.topPrimary() : Infinity;
  }

  /** Processes one event; false when none is left. */
  step(): boolean {
    const heap = this.heap;
    if (heap.size === 0) return false;
    this.now = heap.topPrimary();
    const type = heap.topA();
    const arg = heap.topB();
    const tag = heap.topC();
    heap.pop();
    this.processed++;
    this.handlers[type]!(arg, tag);
    return true;
  }

  /** Runs until no event is left, or past `until`. */
  run(options: RunOptions = {}): void {
    const until = options.until ?? Infinity;
    while (this.heap.size > 0 && this.heap.topPrimary() <= until) this.step();
    if (until !== Infinity && until > this.now) this.now = until;
  }
}
