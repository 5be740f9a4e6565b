/**
 * JobController (src/sim/controllers/job.ts) on its own. Its pods are
 * created through a fake `create` that logs, adds the pod to the table and
 * plays the kubelet: the pod ends `duration` later, failing if the Job's
 * `nextPod` said so, and the controller hears `ended` as pod lifecycle would
 * tell it. No queue, no node: the trace is the controller's alone.
 */
import { describe, expect, it } from 'vitest';
import type { PodSlot } from '../src/core/ids.js';
import { JobController, jobRetryDelay } from '../src/sim/controllers/job.js';
import { PodState } from '../src/sim/pod-table.js';
import type { CreatePod } from '../src/sim/controllers/job.js';
import type { JobSubmission } from '../src/workload/pod.js';
import { Bench, S, template } from './support/sim-unit.js';

interface JobShape {
  readonly parallelism: number;
  readonly completions: number;
  /** Run time of every pod `nextPod` draws, or of the n-th one. */
  readonly seconds: number | readonly number[];
  /** Whether the n-th pod `nextPod` draws fails (false past the end). */
  readonly fails?: readonly boolean[];
  readonly backoffLimit?: number;
}

function jobBench(shape: JobShape) {
  const bench = new Bench([{ cpu: 4 }]);
  // The kubelet: a pod still running at its end fails or succeeds as its flag says, and its slot is freed.
  const END = bench.world.onPod((slot) => {
    const fails = bench.pods.fails[slot] === 1;
    const job = bench.pods.job[slot]!;
    bench.note(`${bench.name(slot)} ${fails ? 'fails' : 'succeeds'}`);
    bench.pods.remove(slot);
    jobs.ended(job, fails);
  }, PodState.Running);
  let made = 0;
  const create: CreatePod = (tmpl, requests, duration, job) => {
    const name = `w${++made}`;
    bench.note(`create ${name}`);
    bench.nameNext(name);
    const slot = bench.pods.add(tmpl, requests, bench.kernel.now, duration, bench.world.eligibility.classOf(tmpl), job);
    bench.pods.state[slot] = PodState.Running;
    bench.world.schedulePod(bench.kernel.now + duration, END, slot);
    return slot;
  };
  const jobs = new JobController(bench.world, create);
  let drawn = 0;
  const submission: JobSubmission = {
    kind: 'job',
    template: template('w', { kind: 'job' }),
    arrival: 0,
    parallelism: shape.parallelism,
    completions: shape.completions,
    failures: shape.backoffLimit === undefined ? undefined : { backoffLimit: shape.backoffLimit },
    nextPod: () => {
      const n = drawn++;
      const seconds = typeof shape.seconds === 'number' ? shape.seconds : shape.seconds[n]!;
      return { duration: seconds * S, requests: bench.requests({ cpu: 1 }), fails: shape.fails?.[n] ?? false };
    },
  };
  return { bench, jobs, submission, creates: () => bench.log.filter(([, e]) => e.startsWith('create') || e === 'job failed') };
}

describe('JobController: parallelism and completions', () => {
  it('runs min(parallelism, completions) pods at a time and creates one more per success until completions are reached', () => {
    // parallelism 2, completions 5, 10 s each: 2 at 0 s, 2 more at 10 s, the 5th at 20 s; the 6th success-slot is never made.
    const { bench, jobs, submission } = jobBench({ parallelism: 2, completions: 5, seconds: 10 });
    jobs.start(submission);
    expect(bench.run()).toEqual([
      [0, 'create w1'],
      [0, 'create w2'],
      [10, 'w1 succeeds'],
      [10, 'create w3'],
      [10, 'w2 succeeds'],
      [10, 'create w4'],
      [20, 'w3 succeeds'],
      [20, 'create w5'],
      [20, 'w4 succeeds'],
      [30, 'w5 succeeds'],
    ]);
  });

  it('creates no more than completions even when parallelism is larger', () => {
    const { bench, jobs, submission } = jobBench({ parallelism: 5, completions: 2, seconds: 10 });
    jobs.start(submission);
    bench.run();
    expect(bench.pods.created).toBe(2);
  });
});

describe('JobController: failed pods', () => {
  it('replaces a failed pod after 10 s × 2^(failures − 1), at most 360 s, until more than backoffLimit pods failed', () => {
    // Every pod fails the instant it starts (run time 0); backoffLimit 8.
    //   failure   delay                       replacement at
    //   1 (0 s)   10 × 2^0 = 10 s             10 s
    //   2         10 × 2^1 = 20 s             30 s
    //   3         40 s                        70 s
    //   4         80 s                        150 s
    //   5         160 s                       310 s
    //   6         320 s                       630 s
    //   7         min(640, 360) = 360 s       990 s
    //   8         min(1280, 360) = 360 s      1350 s
    //   9 > backoffLimit 8: the Job fails at 1350 s and makes no more pods.
    const { bench, jobs, submission, creates } = jobBench({ parallelism: 1, completions: 1, seconds: 0, fails: Array(20).fill(true), backoffLimit: 8 });
    jobs.start(submission);
    bench.run();
    expect(creates()).toEqual([
      [0, 'create w1'],
      [10, 'create w2'],
      [30, 'create w3'],
      [70, 'create w4'],
      [150, 'create w5'],
      [310, 'create w6'],
      [630, 'create w7'],
      [990, 'create w8'],
      [1350, 'create w9'],
      [1350, 'job failed'],
    ]);
    expect(jobs.failedJobs).toBe(1);
    expect([1, 2, 7, 30].map(jobRetryDelay)).toEqual([10 * S, 20 * S, 360 * S, 360 * S]);
  });

  it('a replacement due after the Job has failed is not created', () => {
    // parallelism 2, backoffLimit 1: w1 fails at 1 s (retry due at 11 s), w2 at 5 s — the 2nd failure > 1: the Job fails.
    const { bench, jobs, submission, creates } = jobBench({ parallelism: 2, completions: 2, seconds: [1, 5], fails: [true, true], backoffLimit: 1 });
    jobs.start(submission);
    bench.run();
    expect(creates()).toEqual([
      [0, 'create w1'],
      [0, 'create w2'],
      [5, 'job failed'],
    ]);
  });

  it('a success resets the exponent: the next failure waits 10 s again', () => {
    // completions 2, 10 s pods: w1 fails (10 s) → w2 at 20 s fails (20 s) → w3 at 50 s succeeds at 60 s →
    // w4 at 60 s fails at 70 s: 10 × 2^0 = 10 s, not 10 × 2^2 = 40 s → w5 at 80 s.
    const { bench, jobs, submission, creates } = jobBench({ parallelism: 1, completions: 2, seconds: 10, fails: [true, true, false, true], backoffLimit: 6 });
    jobs.start(submission);
    bench.run();
    expect(creates()).toEqual([
      [0, 'create w1'],
      [20, 'create w2'],
      [50, 'create w3'],
      [60, 'create w4'],
      [80, 'create w5'],
    ]);
  });

  it('a pod deleted before it ended is replaced at once by one that reruns the same work, without counting towards completions', () => {
    // completions 1: w1 (10 s, failing) is deleted at 3 s and replaced by w2 — same 10 s of work, same failing
    // flag — which fails at 13 s and is replaced after 10 s by w3 (drawn anew: it succeeds), done at 33 s.
    const { bench, jobs, submission } = jobBench({ parallelism: 1, completions: 1, seconds: 10, fails: [true], backoffLimit: 3 });
    jobs.start(submission);
    const w1 = 0 as PodSlot;
    bench.at(3 * S, () => {
      jobs.replace(w1, 0);
      bench.pods.remove(w1);
    });
    expect(bench.run()).toEqual([
      [0, 'create w1'],
      [3, 'create w2'],
      [13, 'w2 fails'],
      [23, 'create w3'],
      [33, 'w3 succeeds'],
    ]);
  });
});
