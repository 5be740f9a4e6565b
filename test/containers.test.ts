/**
 * Pods of several containers (`containers:`): requests summed as the
 * scheduler sums them, the QoS class from all containers, each container
 * capped at its own CPU limit and OOM-killed over its own memory limit,
 * worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';

class Log implements SimObserver {
  pods!: PodTable;
  readonly lines: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.lines.push(`${this.pods.template[slot]!.owner} ends ${now / 1e6}s`);
  }
  podOomKilled(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.lines.push(`${this.pods.template[slot]!.owner} OOM ${now / 1e6}s`);
  }
}

function run(workload: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const l = new Log();
  const data = { name: 'containers', platform: 'none', cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '16Gi' } }] }, workload, ...extra };
  const prepared = prepareRun({ scenario: scenarioFromData(data, 'containers'), source: 'containers', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [l]);
  prepared.sim.run();
  return { lines: l.lines, m: prepared.metrics.result(), pods: prepared };
}

const once = (name: string, fields: Record<string, unknown>) => ({ name, arrival: { process: 'burst', at: ['0s'], size: 1 }, ...fields });

describe('scenario syntax', () => {
  it('the pod requests its containers’ sum (PodRequests) and pulls their images', () => {
    const s = scenarioFromData(
      {
        name: 'c',
        cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '16Gi' } }] },
        workload: {
          services: [
            {
              name: 'web',
              replicas: 1,
              containers: [
                { name: 'app', image: 'app:1', requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 1, memory: '2Gi' } },
                { name: 'proxy', image: 'proxy:1', requests: { cpu: '250m' }, limits: { memory: '128Mi' } },
              ],
            },
          ],
        },
      },
      'c',
    );
    const web = s.workload.services[0]!;
    // proxy's memory request defaults to its limit (SetDefaults_Pod): 1Gi + 128Mi.
    expect(web.requests).toEqual({ cpu: 750, memory: 2 ** 30 + 128 * 2 ** 20 });
    // PodLimits: memory from both containers, cpu from app alone.
    expect(web.limits).toEqual({ cpu: 1000, memory: 2 * 2 ** 30 + 128 * 2 ** 20 });
    expect(web.images).toEqual(['app:1', 'proxy:1']);
  });

  it('rejects pod-level requests beside containers, and a container request above its limit, naming the field', () => {
    const bad = (svc: Record<string, unknown>) => () =>
      scenarioFromData({ name: 'c', cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '16Gi' } }] }, workload: { services: [{ name: 'web', replicas: 1, ...svc }] } }, 'c');
    expect(bad({ requests: { cpu: 1 }, containers: [{ name: 'a', requests: { cpu: 1 } }] })).toThrow(/workload\.services\[0\]\.requests.*per container/s);
    expect(bad({ containers: [{ name: 'a', requests: { cpu: 2 }, limits: { cpu: 1 } }] })).toThrow(/containers\[0\]\.requests\.cpu.*must not exceed the limit/s);
    expect(bad({ containers: [{ name: 'a' }, { name: 'a' }] })).toThrow(/same name/);
    expect(bad({})).toThrow(/expected requests \(or containers/);
    expect(bad({ containers: [{ name: 'a', requests: { 'example.com/fpga': 1 }, limits: { 'example.com/fpga': 1 } }] })).toThrow(/containers\[0\]\.requests.*no node pool has resource "example\.com\/fpga"/s);
  });
});

describe('CFS quota per container', () => {
  // X: containers a (request 1, limit 1, uses 1.5) and b (request 1, no limit, uses 2); 10 s of work.
  // Y: one container requesting 2 and using 4, 5 s of work. One 4-CPU node.
  const x = once('x', {
    duration: '10s',
    containers: [
      { name: 'a', requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: 1 }, usage: { cpu: '1500m' } },
      { name: 'b', requests: { cpu: 1, memory: '1Gi' }, usage: { cpu: 2 } },
    ],
  });
  const y = once('y', { duration: '5s', requests: { cpu: 2, memory: '1Gi' }, usage: { cpu: 4 } });

  it('each container is held at its own limit; the node splits by cpu.shares, then the pod among its containers', () => {
    const { lines, m } = run({ streams: [x, y] });
    // X asks 1 (a at its quota) + 2 = 3, Y asks 4: 7 > 4. Equal shares (2048 each): 2 CPUs each.
    // X's 2 split by its containers' shares (1024 each): a 1 (all it may use), b 1. X's pace: min(1/1.5, 1/2) = 0.5.
    // Y's pace 2/4 = 0.5: its 5 s of work end at 10 s. X has done 5 s of its 10 by then; alone it gets 3
    // (a 1, b 2): pace min(1/1.5, 1) = 2/3, the other 5 s take 7.5 s: X ends at 17.5 s.
    expect(lines).toEqual(['y ends 10s', 'x ends 17.5s']);
    // Ideal under own limits: X 10 ÷ (2/3) = 15 s → slowdown 17.5/15; Y 10/5 = 2. Type-7 median of the two.
    expect(m['slowdown_p50']).toBeCloseTo((17.5 / 15 + 2) / 2, 6);
    // a wants 1.5, held at 1 for all of X's 17.5 s: throttled 1 − 1/1.5 of the time = 5.8333 s.
    expect(m['cpu_throttled_s']).toBeCloseTo(17.5 / 3, 5);
  });

  it('the same demands as one container (no limit, using 3.5) are not capped: a different answer', () => {
    const one = once('x', { duration: '10s', requests: { cpu: 2, memory: '2Gi' }, usage: { cpu: '3500m' } });
    const { lines, m } = run({ streams: [one, y] });
    expect(lines).not.toEqual(['y ends 10s', 'x ends 17.5s']);
    expect(m['cpu_throttled_s']).toBe(0);
  });
});

describe('OOM kill per container', () => {
  it('a sidecar over its own memory limit is killed though the pod is under the sum of its limits; CrashLoopBackOff 10 s, 20 s', () => {
    const web = {
      name: 'web',
      replicas: 1,
      containers: [
        { name: 'app', requests: { cpu: 1, memory: '1Gi' }, limits: { memory: '2Gi' }, usage: { memory: '1536Mi' } },
        { name: 'sidecar', requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' }, usage: { memory: '256Mi' } },
      ],
    };
    // The pod uses 1.75 GiB of its 2.125 GiB summed limit, but the sidecar 256 Mi of its 128 Mi: killed at 0,
    // restarted at 10 s and killed again, then at 30 s.
    const { lines, m } = run({ services: [web] }, { simulation: { until: '35s' } });
    expect(lines).toEqual(['web OOM 0s', 'web OOM 10s', 'web OOM 30s']);
    expect(m['oom_kills']).toBe(3);
  });

  it('under their limits, no container is killed', () => {
    const web = {
      name: 'web',
      replicas: 1,
      containers: [
        { name: 'app', requests: { cpu: 1, memory: '1Gi' }, limits: { memory: '2Gi' }, usage: { memory: '1536Mi' } },
        { name: 'sidecar', requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' }, usage: { memory: '100Mi' } },
      ],
    };
    expect(run({ services: [web] }, { simulation: { until: '35s' } }).lines).toEqual([]);
  });
});

describe('QoS class from all containers (ComputePodQOS)', () => {
  const job = (name: string, second: Record<string, unknown>) =>
    once(name, {
      duration: '10s',
      containers: [{ name: 'a', requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: 1, memory: '1Gi' }, usage: { cpu: 1 } }, { name: 'b', ...second }],
    });

  it('every container limited at its requests: Guaranteed; one without limits: Burstable', () => {
    const g = run({ streams: [job('g', { requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: 1, memory: '1Gi' } })] }).m;
    expect(g['slowdown_p50_guaranteed']).toBe(1);
    expect(g['slowdown_p50_burstable']).toBe(0);
    const b = run({ streams: [job('b', { requests: { cpu: 1, memory: '1Gi' } })] }).m;
    expect(b['slowdown_p50_guaranteed']).toBe(0);
    expect(b['slowdown_p50_burstable']).toBe(1);
  });
});
