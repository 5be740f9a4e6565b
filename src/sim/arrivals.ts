/**
 * Arrivals: takes submissions from the workload in time order and hands
 * those due at each instant to the controllers together, so one scheduling
 * pass sees them all.
 */
import type { Micros } from '../core/ids.js';
import type { WorkloadSource } from '../workload/generate.js';
import type { Submission } from '../workload/pod.js';
import type { Kernel } from './kernel.js';

export class Arrivals {
  private next: Submission | undefined;
  private readonly ARRIVE: number;

  /** `submit` creates what a submission stands for (a pod, or a Job's first pods). */
  constructor(
    private readonly kernel: Kernel,
    private readonly workload: WorkloadSource,
    private readonly until: Micros | undefined,
    private readonly submit: (s: Submission) => void,
  ) {
    this.ARRIVE = kernel.on(() => this.arrive(), 'timer');
  }

  /** Whether the workload has more to submit (the one being submitted now included). */
  get pending(): boolean {
    return this.next !== undefined;
  }

  /** Takes the first submission and schedules its arrival. */
  begin(): void {
    const r = this.workload.next();
    this.next = r.done === true ? undefined : r.value;
    this.scheduleNext();
  }

  private arrive(): void {
    const now = this.kernel.now;
    this.kernel.touch();
    while (this.next !== undefined && this.next.arrival === now) {
      this.submit(this.next);
      const r = this.workload.next();
      this.next = r.done === true ? undefined : r.value;
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.next === undefined) return;
    const at = this.next.arrival;
    if (at < this.kernel.now) throw new Error(`the workload went back in time: an arrival at ${at} µs after ${this.kernel.now} µs`);
    if (this.until === undefined || at <= this.until) this.kernel.schedule(at, this.ARRIVE);
  }
}
