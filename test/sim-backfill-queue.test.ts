/**
 * BackfillQueue (src/sim/queues/backfill.ts over availability-profile.ts)
 * on its own: one node, first-fit, a fake bind stage that holds each placed
 * pod for its run time and then releases it, and a schedule small enough to
 * plan by hand. EASY and conservative backfilling differ in one decision.
 */
import { describe, expect, it } from 'vitest';
import { backfill } from '../src/schedulers/backfill.js';
import type { QueuePolicy } from '../src/schedulers/types.js';
import { PodState } from '../src/sim/pod-table.js';
import { BackfillQueue } from '../src/sim/queues/backfill.js';
import { Bench, FakeBinder } from './support/sim-unit.js';

/**
 * One 4-CPU node. r (3 CPU, 10 s) runs from 0 s, leaving 1 CPU free. Queued at 0 s, in order:
 *   j1: 3 CPU, 10 s — blocked now (3 > 1); earliest start 10 s (r ends: 1 + 3 = 4 free), reserved [10, 20).
 *   j2: 4 CPU, 10 s — blocked now; conservative reserves its earliest start after j1's: 20 s, [20, 30).
 *   j3: 1 CPU, 30 s — fits now; it may start only if it delays no reservation over [0, 30):
 *       free over time, j1 reserved:            0 s: 1    10 s: 1 + 3 − 3 = 1    20 s: 1 + 3 = 4      → min 1 ≥ 1
 *       free over time, j1 and j2 reserved:     0 s: 1    10 s: 1                20 s: 1 + 3 − 4 = 0  → min 0 < 1
 */
function schedule(policy: QueuePolicy) {
  const bench = new Bench([{ cpu: 4 }]);
  const port = new FakeBinder(bench);
  const queue = new BackfillQueue(bench.world, policy, port);
  port.queue = queue;
  const r = bench.pod('r', { cpu: 3, seconds: 10 });
  queue.enqueue(r);
  // r's pass at 0 s, before the jobs are queued.
  bench.run(0);
  const jobs = [bench.pod('j1', { cpu: 3, seconds: 10 }), bench.pod('j2', { cpu: 4, seconds: 10 }), bench.pod('j3', { cpu: 1, seconds: 30 })];
  for (const j of jobs) queue.enqueue(j);
  return { bench, jobs };
}

describe('BackfillQueue on a schedule planned by hand', () => {
  it('EASY: only j1 holds a reservation, so j3 starts at once and pushes j2 from 20 s to 30 s', () => {
    // 0 s:  j3 backfilled (min free 1 over [0, 30) with j1's reservation alone).
    // 10 s: r ends; free 4 − 1 (j3) = 3: j1 starts. j2 (4 CPU) reserves 30 s, when j3 ends.
    // 20 s: j1 ends; free 3 < 4: j2 waits.   30 s: j3 ends; j2 starts, ends at 40 s.
    const { bench } = schedule(backfill('easy'));
    expect(bench.run()).toEqual([
      [0, 'place r on n0'],
      [0, 'unschedulable j1'],
      [0, 'unschedulable j2'],
      [0, 'place j3 on n0'],
      [10, 'end r'],
      [10, 'place j1 on n0'],
      [20, 'end j1'],
      [30, 'end j3'],
      [30, 'place j2 on n0'],
      [40, 'end j2'],
    ]);
  });

  it('conservative: j2 holds a reservation at 20 s too, so j3 waits and every job starts when it was promised', () => {
    // 0 s:  j3 waits (min free 0 over [0, 30) once j2 is reserved at 20 s).
    // 10 s: r ends: j1 starts (3 of 4 free). j2 reserves 20 s; j3 over [10, 40) sees 1 + 3 − 4 = 0 at 20 s: waits.
    // 20 s: j1 ends: j2 starts; j3 (free 0) reserves 30 s.   30 s: j2 ends: j3 starts, ends at 60 s.
    const { bench, jobs } = schedule(backfill('conservative'));
    expect(bench.run()).toEqual([
      [0, 'place r on n0'],
      [0, 'unschedulable j1'],
      [0, 'unschedulable j2'],
      [0, 'unschedulable j3'],
      [10, 'end r'],
      [10, 'place j1 on n0'],
      [20, 'end j1'],
      [20, 'place j2 on n0'],
      [30, 'end j2'],
      [30, 'place j3 on n0'],
      [60, 'end j3'],
    ]);
    // A pod that waits through several passes counts one failed attempt, not one per pass.
    expect(bench.pods.attempts[jobs[2]!]).toBe(1);
  });

  it('holds the reserved room only while deciding: between passes the cluster shows just the running pods', () => {
    // After the 0 s pass (conservative), only r's 3 CPU are requested on n0; j1's and j2's reservations are the plan's.
    const { bench, jobs } = schedule(backfill('conservative'));
    bench.run(5_000_000);
    expect(bench.cluster.requested[0]![0]).toBe(3000);
    expect(jobs.map((j) => bench.pods.state[j])).toEqual([PodState.Parked, PodState.Parked, PodState.Parked]);
  });
});
