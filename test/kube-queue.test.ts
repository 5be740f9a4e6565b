import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodSlot } from '../src/core/ids.js';
import { runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { KubeQueue, REQUEUE_ON_NODE_CHANGE, REQUEUE_ON_POD_DELETE } from '../src/sim/queues/kube-queue.js';
import { PodTable } from '../src/sim/pod-table.js';
import type { PodTemplate } from '../src/workload/pod.js';
import { scenarioArbitrary } from './support/scenario-arbitrary.js';
import { runHarness } from './support/sim-harness.js';
import { runs } from './support/property-runs.js';

const S = 1_000_000;
const template = (priority = 0): PodTemplate => ({
  owner: 'p',
  kind: 'stream',
  priority,
  tenant: 'default',
  labels: {},
  nodeSelector: {},
  tolerations: [],
  missingRequests: { cpu: false, memory: false },
});

function queueWith(n: number, priorities: number[] = []) {
  const pods = new PodTable(8);
  const slots = Array.from({ length: n }, (_, i) => pods.add(template(priorities[i] ?? 0), new Float64Array(5), 0, 1, 0, -1));
  return { pods, q: new KubeQueue(pods), slots };
}

describe('kube-scheduler queue', () => {
  it('backs off 1, 2, 4, 8, 10, 10 s after successive failures (calculateBackoffDuration), rounded down to the second', () => {
    const { q, slots } = queueWith(1);
    const slot = slots[0]!;
    q.add(slot, 0);
    const expiries: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(q.pop()).toBe(slot);
      // Fails at 0.5 s each time: expiry = ⌊0.5 s + backoff⌋ to the whole second.
      q.failed(slot, S / 2, REQUEUE_ON_POD_DELETE);
      expiries.push(q.backoffExpiry(slot) / S);
      q.flushUnschedulable(S / 2 + 301 * S); // well past 5 minutes: requeue it
    }
    expect(expiries).toEqual([1, 2, 4, 8, 10, 10]);
  });

  it('orders activeQ by priority, then by timestamp (PrioritySort)', () => {
    const { q, slots } = queueWith(3, [0, 10, 0]);
    q.add(slots[0]!, 0);
    q.add(slots[1]!, 1);
    q.add(slots[2]!, 2);
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([slots[1], slots[0], slots[2], -1]);
  });

  it('keeps a failed pod unschedulable until an event it registered, then backs it off or activates it', () => {
    const { q, slots } = queueWith(1);
    const slot = slots[0]!;
    q.add(slot, 0);
    q.pop();
    q.failed(slot, 0, REQUEUE_ON_NODE_CHANGE);
    // A pod deletion does not concern a pod only nodes can help.
    q.podDeleted(S / 2);
    expect(q.poppable).toBe(false);
    expect(q.unschedulableCount).toBe(1);
    // A node change at 0.5 s: still backing off (expiry 1 s) → backoffQ, which pops at once when activeQ is empty.
    q.nodeChanged(S / 2);
    expect(q.backoffCount).toBe(1);
    expect(q.pop()).toBe(slot);
  });

  it('orders backoffQ by expiry window, then priority, then timestamp (lessBackoffCompletedWithPriority)', () => {
    // Eight pods fail one after another within the first second, so all back off until the 1 s window;
    // a node change at 0.9 s moves them to backoffQ, and with activeQ empty they pop from its head.
    // Upstream: pkg/scheduler/backend/queue/backoff_queue.go (v1.34.1), ties on the backoff time
    // ordered by activeQ's less function (PrioritySort: priority, then timestamp).
    const priorities = [0, 5, 0, 5, 0, 0, 5, 0];
    const { q, slots } = queueWith(priorities.length, priorities);
    for (const slot of slots) q.add(slot, 0);
    const failedOrder: number[] = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = q.pop();
      q.failed(slot as PodSlot, (i + 1) * (S / 10), REQUEUE_ON_NODE_CHANGE);
      failedOrder.push(slot);
    }
    q.nodeChanged((9 * S) / 10);
    expect(q.backoffCount).toBe(slots.length);
    const popped = slots.map(() => q.pop());
    const byPriority = (p: number) => failedOrder.filter((slot) => priorities[slots.indexOf(slot as PodSlot)] === p);
    expect(popped).toEqual([...byPriority(5), ...byPriority(0)]);
  });

  it('never backs off with podMaxBackoffSeconds 0, even in the first second (the zero time is before every window)', () => {
    const pods = new PodTable(8);
    const slot = pods.add(template(), new Float64Array(5), 0, 1, 0, -1);
    const q = new KubeQueue(pods, { initialBackoff: S, maxBackoff: 0 });
    q.add(slot, 0);
    q.pop();
    q.failed(slot, S / 5, REQUEUE_ON_NODE_CHANGE);
    q.nodeChanged(S / 2);
    expect(q.backoffCount).toBe(0);
    expect(q.pop()).toBe(slot);
  });

  it('requeues at once a pod whose cycle saw an event it cares about (in-flight events)', () => {
    const { q, slots } = queueWith(1);
    const slot = slots[0]!;
    q.add(slot, 0);
    q.pop();
    q.podDeleted(100); // during the cycle
    q.failed(slot, 200, REQUEUE_ON_POD_DELETE);
    expect(q.unschedulableCount).toBe(0);
    expect(q.poppable).toBe(true);
  });

  it('flushes pods unschedulable for more than 5 minutes, every 30 s', () => {
    const { q, slots } = queueWith(1);
    const slot = slots[0]!;
    q.add(slot, 0);
    q.pop();
    q.failed(slot, 1 * S, REQUEUE_ON_NODE_CHANGE);
    q.flushUnschedulable(300 * S); // 299 s waited
    expect(q.poppable).toBe(false);
    q.flushUnschedulable(330 * S); // 329 s waited
    expect(q.pop()).toBe(slot as PodSlot);
  });
});

describe('kube-scheduler queue in a run', () => {
  const cost = (perCycle: string, perNode: string) => ({ perCycle, perNode });

  it('charges each cycle perCycle + perNode × nodes evaluated, and retries a pod when a deletion frees room', () => {
    // One 4-CPU node; a cycle costs 200 + 2 × 1 node = 202 µs. a (4 CPU, 10 s) binds at 0.000202 s and ends at
    // 10.000202 s. b (3 CPU) arrives at 1 s; its cycle fails at 1.000202 s and it waits as unschedulable.
    // a's deletion requeues b; its backoff (⌊1.000202 + 1⌋ = 2 s) is long over, so it goes to activeQ and
    // its cycle ends at 10.000404 s: delay 9.000404 s. b runs 1 s: the run ends at 11.000404 s.
    const r = runOne({
      scenario: scenarioFromData({
        name: 'wait',
        cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '4Gi' } }] },
        workload: {
          streams: [
            { name: 'a', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 4 } },
            { name: 'b', arrival: { process: 'burst', at: ['1s'], size: 1 }, duration: '1s', requests: { cpu: 3 } },
          ],
        },
        simulation: { schedulingCost: cost('200us', '2us') },
      }, 'wait'),
      source: 'wait',
      scheduler: 'kube-default',
      queue: 'kube',
      seed: 1,
    });
    expect(r.metrics.delay_max_s).toBe(9.000404);
    expect(r.metrics.delay_p50_s).toBeCloseTo((0.000202 + 9.000404) / 2, 9);
    expect(r.metrics.sim_seconds).toBe(11.000404);
  });

  it('limits throughput to one cycle at a time', () => {
    // 100 pods at once on 10 empty nodes, 1 ms a cycle (1000 + 0 × 10): the last binds after 100 ms.
    const r = runOne({
      scenario: scenarioFromData({
        name: 'burst',
        cluster: { pools: [{ name: 'n', count: 10, capacity: { cpu: 64, memory: '64Gi' } }] },
        workload: { streams: [{ name: 's', arrival: { process: 'burst', at: ['0s'], size: 100 }, duration: '1h', requests: { cpu: '100m' } }] },
        simulation: { schedulingCost: cost('1ms', '0s') },
      }, 'burst'),
      source: 'burst',
      scheduler: 'first-fit',
      queue: 'kube',
      seed: 1,
    });
    expect(r.metrics.delay_max_s).toBe(0.1);
    expect(r.metrics.delay_p50_s).toBeCloseTo(0.0505, 9);
  });

  it('property: when a run ends by itself, no waiting pod fits a node that admits it (the queue loses no pod)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 1, max: 1000 }), (s, seed) => {
        for (const scheduler of ['first-fit', 'best-fit', 'kube-default']) {
          const h = runHarness({ scenario: s.data, scheduler, queue: 'kube', seed });
          if (h.scenario.simulation.until !== undefined) continue;
          const { pods } = h.sim;
          const { cluster } = h;
          for (let slot = 0; slot < pods.state.length; slot++) {
            const st = pods.state[slot];
            if (st !== 1 && st !== 2) continue;
            const req = pods.requests[slot]!;
            for (let n = 0; n < cluster.nodeCount; n++) {
              // Whether the node admits it is the eligibility the simulator checks; a fit on a non-admitting node is fine.
              if (cluster.fits(n as never, req) && pods.template[slot]!.tolerations.length === 0 && Object.keys(pods.template[slot]!.nodeSelector).length === 0 && cluster.nodes[n]!.taints.length === 0) {
                throw new Error(`${scheduler}: pod in slot ${slot} still waits at the end but fits ${cluster.nodes[n]!.name}`);
              }
            }
          }
        }
      }),
      { numRuns: runs(25) },
    );
  }, 60_000);
});
