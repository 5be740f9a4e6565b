/**
 * Task lifecycles from event tables (Google 2011 task_events, 2019
 * instance_events): a pod arrives at its SUBMIT event and runs from its
 * SCHEDULE event to its end event (EVICT, FAIL, FINISH, KILL or LOST), or
 * from SUBMIT when it ended without being scheduled. Pods come out in
 * arrival order once their end is known. Memory is bounded by the tasks
 * open at once plus the finished pods waiting behind them, capped at the
 * openLimit option: past it, the oldest open task is replayed as running to
 * the end of the run (counted as truncated). Tasks still open when the
 * trace ends run to the end of the run too.
 */
import type { Micros } from '../../core/ids.js';
import { LONG_RUNNING } from '../pod.js';
import type { TraceContext } from './issues.js';
import { PodQueue } from './pod-queue.js';
import type { TracePod } from './types.js';

interface OpenTask {
  pod: TracePod;
  scheduled: Micros | undefined;
}

export class TaskTracker {
  private readonly open = new Map<string, OpenTask>();
  private readonly done = new PodQueue();

  constructor(private readonly ctx: TraceContext) {}

  /** A SUBMIT: a new instance of the task (a resubmission after an eviction is a new pod). */
  submit(key: string, pod: TracePod): void {
    const previous = this.open.get(key);
    if (previous !== undefined) {
      // Submitted again without an end event: the previous instance ended now.
      this.finish(key, previous, pod.arrival);
    }
    this.open.set(key, { pod, scheduled: undefined });
  }

  schedule(key: string, time: Micros): void {
    const task = this.open.get(key);
    if (task === undefined) this.ctx.counts.unmatched++;
    else if (task.scheduled === undefined) task.scheduled = time;
  }

  /** UPDATE_PENDING: new requests before the task runs. */
  update(key: string, cpu: number | undefined, memory: number | undefined): void {
    const task = this.open.get(key);
    if (task === undefined) {
      this.ctx.counts.unmatched++;
      return;
    }
    if (task.scheduled === undefined) task.pod = { ...task.pod, cpu: cpu ?? task.pod.cpu, memory: memory ?? task.pod.memory };
  }

  /** UPDATE_RUNNING: the request changes while running; the replay keeps the request it was placed with. */
  touch(key: string): void {
    if (!this.open.has(key)) this.ctx.counts.unmatched++;
  }

  /** An end event: EVICT, FAIL, FINISH, KILL or LOST. */
  end(key: string, time: Micros): void {
    const task = this.open.get(key);
    if (task === undefined) {
      this.ctx.counts.unmatched++;
      return;
    }
    this.finish(key, task, time);
  }

  private finish(key: string, task: OpenTask, time: Micros): void {
    this.open.delete(key);
    this.done.push(task.pod, task.pod.arrival, Math.max(1, time - (task.scheduled ?? task.pod.arrival)));
  }

  /**
   * The next finished pod that no open task precedes (arrival order), or
   * undefined when there is none yet. Called after each event until it
   * gives undefined; a plain call rather than a generator per event. Past
   * openLimit, the oldest open task is replayed as running to the end.
   */
  takeReady(): TracePod | undefined {
    for (;;) {
      if (this.done.size > 0) {
        // The oldest open task is the map's first entry (insertion order).
        const oldest = this.open.size === 0 ? Infinity : (this.open.values().next().value as OpenTask).pod.arrival;
        if (this.done.peekArrival() <= oldest) return this.done.pop();
      }
      if (this.open.size === 0 || this.open.size + this.done.size <= this.ctx.options.openLimit) return undefined;
      const [key, task] = this.open.entries().next().value as [string, OpenTask];
      this.open.delete(key);
      this.ctx.counts.truncated++;
      this.done.push(task.pod, task.pod.arrival, LONG_RUNNING);
    }
  }

  /** At the end of the trace: the rest, open tasks running to the end of the run. */
  *flush(): Generator<TracePod, void> {
    for (const task of this.open.values()) this.done.push(task.pod, task.pod.arrival, LONG_RUNNING);
    this.open.clear();
    while (this.done.size > 0) yield this.done.pop();
  }
}
