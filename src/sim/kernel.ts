/**
 * The discrete-event kernel: a heap of (time, sequence) with plain callbacks.
 * Equal times come out in the order they were scheduled, so runs are
 * reproducible. Time is integer microseconds. Nothing is allocated per event.
 *
 * Event types are either work (a pod ends, a write commits, a node fails…)
 * or timers (an arrival the workload will produce anyway, a scheduling pass
 * or cycle, a queue's periodic flush, an image pull's progress). The kernel
 * counts work events scheduled and not yet handled, so a component can tell
 * whether anything may still change (see `work`).
 */
import { EventHeap } from '../core/event-heap.js';
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
  /** When something last happened (see `touch`); the end of a run without `until`. */
  lastActivity: Micros = 0;
  private seq = 0;
  private live = 0;
  /** The latest time `run` may reach; −Infinity outside `run` (no handler may advance the clock then). */
  private limit = -Infinity;
  private readonly heap = new EventHeap(4096);
  private readonly handlers: Handler[] = [];
  /** 1 for a work event type, 0 for a timer. */
  private readonly counted: number[] = [];

  /** Registers a handler and returns the event type to schedule it with. */
  on(handler: Handler, kind: 'work' | 'timer' = 'work'): number {
    this.handlers.push(handler);
    this.counted.push(kind === 'work' ? 1 : 0);
    return this.handlers.length - 1;
  }

  /** Schedules an event of `type` at `time` (≥ now). */
  schedule(time: Micros, type: number, arg = 0, tag = 0): void {
    if (!(time >= this.now) || !Number.isSafeInteger(time)) {
      throw new Error(`cannot schedule an event at ${time} µs: now is ${this.now} µs and times are integer µs`);
    }
    this.live += this.counted[type]!;
    this.heap.push(time, this.seq++, type, arg, tag);
  }

  /** Marks the current instant as one where something happened (not a stale event, not an idle timer). */
  touch(): void {
    this.lastActivity = this.now;
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Work events scheduled and not yet handled (stale ones included): while none is left, only timers remain. */
  get work(): number {
    return this.live;
  }

  /** Time of the next event, or Infinity when none is left. */
  peek(): Micros {
    return this.heap.size > 0 ? this.heap.topTime() : Infinity;
  }

  /** Processes one event; false when none is left. */
  step(): boolean {
    const heap = this.heap;
    if (heap.size === 0) return false;
    this.now = heap.topTime();
    const type = heap.topA();
    const arg = heap.topB();
    const tag = heap.topC();
    heap.pop();
    this.processed++;
    this.live -= this.counted[type]!;
    this.handlers[type]!(arg, tag);
    return true;
  }

  /**
   * Whether a handler may move the clock on to `time` itself, doing there
   * what an event at `time` would do: only within `run`, up to its `until`,
   * and only when no event is due before or at `time` (such an event would
   * have come first). Used to run a chain of events that only their own
   * component could interleave without going through the heap.
   */
  canAdvanceTo(time: Micros): boolean {
    return time <= this.limit && (this.heap.size === 0 || this.heap.topTime() > time);
  }

  /** Moves the clock on to `time`; only after canAdvanceTo(time). */
  advanceTo(time: Micros): void {
    this.now = time;
    this.processed++;
  }

  /** Runs until no event is left, or past `until`. */
  run(options: RunOptions = {}): void {
    const until = options.until ?? Infinity;
    this.limit = until;
    try {
      while (this.heap.size > 0 && this.heap.topTime() <= until) this.step();
    } finally {
      this.limit = -Infinity;
    }
    if (until !== Infinity && until > this.now) this.now = until;
  }
}
