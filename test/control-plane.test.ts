/**
 * Pod creation and binding through the API server (`controlPlane`): the
 * client-side token buckets and the datastore queue, worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { Datastore, TokenBucket } from '../src/sim/control-plane.js';
import { runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';

const S = 1_000_000;

describe('TokenBucket (client-go rate limiter)', () => {
  it('lets a burst through at once, then one request per 1/qps', () => {
    const b = new TokenBucket(20, 3);
    expect([0, 0, 0, 0, 0].map(() => b.acquire(0))).toEqual([0, 0, 0, 50_000, 100_000]);
    // Idle long enough, the bucket is full again (3 tokens), never more.
    expect([10 * S, 10 * S, 10 * S, 10 * S].map((t) => b.acquire(t))).toEqual([10 * S, 10 * S, 10 * S, 10 * S + 50_000]);
  });
});

describe('Datastore', () => {
  it('commits writes in order, one per 1/maxWriteRate, each writeLatency after it starts', () => {
    const d = new Datastore({ maxWriteRate: 1000, writeLatency: 2000, controllerQps: 1, controllerBurst: 1, schedulerQps: 1, schedulerBurst: 1 });
    expect([d.write(0), d.write(0), d.write(0), d.write(10_000)]).toEqual([2000, 3000, 4000, 12_000]);
  });
});

/** One 64-CPU node; `replicas` pods of 100m, created at t = 0; first-fit, FIFO. */
const scenario = (replicas: number, controlPlane: Record<string, unknown>) => ({
  name: 'api-by-hand',
  cluster: { pools: [{ name: 'node', count: 1, capacity: { cpu: 64, memory: '256Gi', pods: 500 } }] },
  workload: { services: [{ name: 'web', replicas, requests: { cpu: '100m', memory: '64Mi' } }] },
  controlPlane,
});

describe('creation and binding through the API server, by hand', () => {
  it('the controller manager creates 100 replicas at 20/s after a burst of 30: the last is seen at 3.5 s + 1 ms', () => {
    // etcd: 1 ms per write, 30,000 writes/s. Replica k ≥ 30 gets its token at (k − 29) × 50 ms; the last (k = 99) at 3.5 s.
    const m = runOne({ scenario: scenarioFromData(scenario(100, {}), 'x'), source: 'x', scheduler: 'first-fit', queue: 'fifo', seed: 1 }).metrics;
    expect(m.pods_scheduled).toBe(100);
    // Scheduling delay counts from the replica being wanted (t = 0) to its binding decision.
    expect(m.delay_max_s).toBeCloseTo(3.501, 9);
    // Bindings stay within the scheduler's burst of 100: each starts one write (1 ms) after its decision.
    expect(m.startup_p99_s).toBeCloseTo(0.001, 9);
  });

  it("the scheduler's client limits bindings: 5 pods at 10/s with a burst of 1 start 0, 0.1 … 0.4 s after their decisions", () => {
    const m = runOne({
      scenario: scenarioFromData(scenario(5, { controllerBurst: 100, schedulerQps: 10, schedulerBurst: 1, writeLatency: '0s' }), 'x'),
      source: 'x',
      scheduler: 'first-fit',
      queue: 'fifo',
      seed: 1,
    }).metrics;
    // All five are decided at t = 0 (write spacing of 33 µs aside): start-ups 0, 0.1, 0.2, 0.3, 0.4 s.
    expect(m.startup_p50_s).toBeCloseTo(0.2, 3);
    expect(m.startup_p99_s).toBeCloseTo(0.396, 3);
  });

  it('without a controlPlane section, pods are created and bound at once', () => {
    const data = { ...scenario(100, {}), controlPlane: undefined };
    const m = runOne({ scenario: scenarioFromData(data, 'x'), source: 'x', scheduler: 'first-fit', queue: 'fifo', seed: 1 }).metrics;
    expect(m.delay_max_s).toBe(0);
    expect(m.startup_p99_s).toBe(0);
  });
});
