/**
 * The Job controller (batch/v1): creates min(parallelism, completions) pods
 * at once and one more as each succeeds, until `completions` have; replaces
 * a pod deleted before it ended (preempted, evicted) by one that reruns the
 * same work; replaces a failed pod after its backoff delay; and gives up once
 * more pods failed than its backoffLimit allows.
 */
import type { Micros, PodSlot } from '../../core/ids.js';
import { MICROS_PER_SECOND } from '../../core/ids.js';
import type { GangSpec, JobSubmission, PodTemplate, PodUsage } from '../../workload/pod.js';
import type { World } from '../world.js';

/**
 * The Job controller's delay before replacing a failed pod: 10 s doubling
 * per failure, at most 6 minutes (Kubernetes docs, "Jobs: Pod backoff
 * failure policy").
 */
export function jobRetryDelay(failures: number): Micros {
  return Math.min(10 * 2 ** (failures - 1), 360) * MICROS_PER_SECOND;
}

/** Creates a pod of a Job; −1 when it was rejected (no node could ever hold it). */
export type CreatePod = (template: PodTemplate, requests: Float64Array, duration: Micros, job: number, usage: PodUsage | undefined) => PodSlot | -1;

interface JobState {
  readonly job: JobSubmission;
  created: number;
  succeeded: number;
  /** Pods whose run failed; past backoffLimit the Job has failed and creates no more pods. */
  failed: number;
  /** Replacements of failed pods waiting out their backoff delay. */
  retrying: number;
  /** Failures since the last success: the backoff delay's exponent (a success resets it). */
  failuresSinceSuccess: number;
}

export class JobController {
  /** Jobs that failed (more failed pods than their backoffLimit). */
  failedJobs = 0;
  private readonly jobs: JobState[] = [];
  private readonly RETRY: number;

  constructor(
    private readonly world: World,
    private readonly create: CreatePod,
  ) {
    this.RETRY = world.kernel.on((job) => this.retry(job));
  }

  /** The Job's gang, if its pods are gang-scheduled. */
  gangOf(job: number): GangSpec | undefined {
    return this.jobs[job]!.job.gang;
  }

  /** How many Jobs there are so far (indices 0 … count − 1). */
  get count(): number {
    return this.jobs.length;
  }

  /** A Job is submitted: its first pods are created. */
  start(job: JobSubmission): void {
    const index = this.jobs.length;
    const state: JobState = { job, created: 0, succeeded: 0, failed: 0, retrying: 0, failuresSinceSuccess: 0 };
    this.jobs.push(state);
    const first = Math.min(job.parallelism, job.completions);
    for (let i = 0; i < first; i++) this.createPod(state, index);
  }

  /** A pod of the Job was deleted before it ended: a new one reruns the same work. */
  replace(slot: PodSlot, job: number): PodSlot | -1 {
    const p = this.world.pods;
    const replacement = this.create(p.template[slot]!, p.requests[slot]!, p.duration[slot]!, job, p.usage[slot]);
    if (replacement >= 0) p.fails[replacement] = p.fails[slot]!;
    return replacement;
  }

  /** A pod of the Job ran to its end (its slot is free already). */
  ended(job: number, fails: boolean): void {
    const state = this.jobs[job]!;
    if (!fails) {
      state.succeeded++;
      state.failuresSinceSuccess = 0;
      // Pods created and not failed, and failed ones about to be replaced, all count towards completions.
      if (state.created - state.failed + state.retrying < state.job.completions && !this.hasFailed(state)) this.createPod(state, job);
      return;
    }
    state.failed++;
    state.failuresSinceSuccess++;
    // The Job fails at its backoffLimit + 1st failed pod; its pods still running are left to end (upstream deletes them).
    if (this.hasFailed(state)) {
      if (state.failed === state.job.failures!.backoffLimit + 1) {
        this.failedJobs++;
        for (const o of this.world.observers) o.jobFailed?.(this.world.kernel.now);
      }
      return;
    }
    state.retrying++;
    this.world.kernel.schedule(this.world.kernel.now + jobRetryDelay(state.failuresSinceSuccess), this.RETRY, job);
  }

  private createPod(state: JobState, index: number): void {
    state.created++;
    const { duration, requests, fails, usage } = state.job.nextPod();
    const slot = this.create(state.job.template, requests, duration, index, usage);
    if (slot >= 0 && fails === true) this.world.pods.fails[slot] = 1;
  }

  /** A failed pod's backoff delay is over: the Job replaces it, unless it has failed meanwhile. */
  private retry(job: number): void {
    this.world.kernel.touch();
    const state = this.jobs[job]!;
    state.retrying--;
    if (!this.hasFailed(state)) this.createPod(state, job);
  }

  private hasFailed(state: JobState): boolean {
    const limits = state.job.failures;
    return limits !== undefined && state.failed > limits.backoffLimit;
  }
}
