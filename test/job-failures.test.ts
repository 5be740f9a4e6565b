/**
 * Job pod failures and backoffLimit: the Job controller replaces a failed
 * pod after 10 s, 20 s, 40 s … (at most 6 min) and gives up at its
 * backoffLimit + 1st failure.
 */
import { describe, expect, it } from 'vitest';
import type { Micros, NodeIndex, PodSlot } from '../src/core/ids.js';
import { prepareRun } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { jobRetryDelay } from '../src/sim/simulator.js';

const S = 1_000_000;

class Log implements SimObserver {
  pods!: PodTable;
  readonly events: [string, number][] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podBound(_slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(['bind', now]);
  }
  podFailed(_slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(['fail', now]);
  }
  podFinished(_slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.events.push(['done', now]);
  }
  jobFailed(now: Micros): void {
    this.events.push(['job failed', now]);
  }
}

function run(job: Record<string, unknown>, seed = 1) {
  const data = {
    name: 'job-failures',
    cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 4, memory: '16Gi' } }] },
    workload: { jobs: [{ name: 'flaky', completions: 1, duration: '100s', requests: { cpu: 1, memory: '1Gi' }, ...job }] },
  };
  const log = new Log();
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed }, undefined, [log]);
  const census = prepared.sim.run();
  return { events: log.events, census, metrics: prepared.metrics.result() };
}

describe('Job backoff', () => {
  it('delays 10 s doubling per failure, capped at 6 minutes', () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => jobRetryDelay(n) / S)).toEqual([10, 20, 40, 320, 360, 360]);
  });

  it('a pod that always fails: replaced after 10 s, then 20 s; the Job fails at its 3rd failure (backoffLimit 2)', () => {
    const { events, census, metrics } = run({ podFailureRate: 1, backoffLimit: 2 });
    expect(events.map(([e]) => e)).toEqual(['bind', 'fail', 'bind', 'fail', 'bind', 'fail', 'job failed']);
    const t = events.map(([, at]) => at);
    expect(t[0]).toBe(0);
    // Each failing pod exits within the run it would have had.
    for (const i of [1, 3, 5]) expect(t[i]! - t[i - 1]!).toBeLessThan(100 * S);
    expect(t[2]! - t[1]!).toBe(10 * S);
    expect(t[4]! - t[3]!).toBe(20 * S);
    expect(t[6]).toBe(t[5]);
    expect(census).toMatchObject({ created: 3, completed: 0, failed: 3, failedJobs: 1 });
    expect(metrics).toMatchObject({ pods_failed: 3, jobs_failed: 1, pods_completed: 0, pods_running_end: 0, pods_pending_end: 0 });
  });

  it('about the given share of pods fails; the books balance', () => {
    const { census, metrics } = run({ completions: 2000, parallelism: 4, podFailureRate: 0.3, backoffLimit: 100000, duration: '10s' }, 7);
    expect(census.completed).toBe(2000);
    const share = census.failed / (census.failed + census.completed);
    expect(share).toBeGreaterThan(0.26);
    expect(share).toBeLessThan(0.34);
    expect(metrics.pods_submitted).toBe(metrics.pods_completed! + metrics.pods_running_end! + metrics.pods_pending_end! + metrics.pods_never_fit! + metrics.pods_preempted! + metrics.pods_evicted! + metrics.pods_failed!);
    expect(metrics.jobs_failed).toBe(0);
  });

  it('without podFailureRate nothing fails', () => {
    const { census } = run({ completions: 5 });
    expect(census).toMatchObject({ completed: 5, failed: 0, failedJobs: 0 });
  });
});

describe('the backoff delay counts failures since the last success', () => {
  it('each replacement waits 10 s × 2^(failures since the last success − 1)', () => {
    const { events } = run({ completions: 60, parallelism: 1, podFailureRate: 0.4, backoffLimit: 100000, duration: '10s' }, 3);
    let since = 0;
    let checked = 0;
    for (let i = 0; i + 1 < events.length; i++) {
      const [e, at] = events[i]!;
      if (e === 'done') since = 0;
      if (e !== 'fail') continue;
      since++;
      const [next, bindAt] = events[i + 1]!;
      expect(next).toBe('bind');
      expect(bindAt - at).toBe(jobRetryDelay(since));
      checked++;
    }
    // Some failures follow a success, some follow failures: both cases are exercised.
    expect(checked).toBeGreaterThan(10);
    expect(events.some(([e], i) => e === 'fail' && events[i - 2]?.[0] === 'fail')).toBe(true);
  });
});
