/**
 * Contention against an independent computation: a brute-force simulation
 * that steps time by 1 ms and shares CPU (weighted by cpu.shares, capped by
 * limits) and NIC (max-min) by water-filling, written here from the rules,
 * not from src/sim/usage. The event-driven model must end every batch pod
 * when the brute force does (work conserved: each pod received exactly its
 * work), and never hand out more CPU than the node has. Then the kubelet's
 * OOM and pressure-eviction order, and determinism across worker counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import type { SimContext, SimObserver } from '../src/sim/observer.js';
import type { PodTable } from '../src/sim/pod-table.js';
import { isCritical } from '../src/sim/usage/contention.js';
import type { PodTemplate } from '../src/workload/pod.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { runs } from './support/property-runs.js';

interface PodCase {
  arrival: number; // s
  request: number; // millicores
  cpu: number; // millicores demanded
  limit: number | undefined; // millicores
  nic: number; // Gbit/s demanded (0: none)
  duration: number; // s of work at full demand
}

const CORES = 4;
const NIC_GBPS = 10;

/**
 * Water-filling: share_i = min(demand_i, λ·weight_i) with Σ share = min(capacity, Σ demand). Pods are
 * satisfied in order of demand ÷ weight; the rest split what is left by weight.
 */
function waterFill(capacity: number, demand: number[], weight: number[]): number[] {
  const share = demand.map(() => 0);
  const order = demand.map((_, i) => i).sort((a, b) => demand[a]! / weight[a]! - demand[b]! / weight[b]!);
  let left = capacity;
  let weights = order.reduce((a, i) => a + weight[i]!, 0);
  for (const i of order) {
    const fair = (left * weight[i]!) / weights;
    share[i] = Math.min(demand[i]!, fair);
    left -= share[i]!;
    weights -= weight[i]!;
  }
  return share;
}

/** MilliCPUToShares (pkg/kubelet/cm): 1024 shares per CPU, at least 2. */
const shares = (milli: number): number => Math.max(2, Math.floor((milli * 1024) / 1000));

/** End times (s) by brute force, 1 ms steps. */
function bruteForce(pods: PodCase[]): number[] {
  const dt = 0.001;
  const left = pods.map((p) => p.duration);
  const end = pods.map(() => NaN);
  for (let step = 0; end.some((e) => Number.isNaN(e)); step++) {
    const t = step * dt;
    const active = pods.map((p, i) => p.arrival <= t + 1e-9 && Number.isNaN(end[i]!));
    const idx = pods.map((_, i) => i).filter((i) => active[i]);
    const cpu = waterFill(
      CORES * 1000,
      idx.map((i) => Math.min(pods[i]!.cpu, pods[i]!.limit ?? Infinity)),
      idx.map((i) => shares(pods[i]!.request)),
    );
    const nicDemand = idx.map((i) => pods[i]!.nic);
    const nic = waterFill(NIC_GBPS, nicDemand, idx.map(() => 1));
    idx.forEach((i, k) => {
      const p = pods[i]!;
      let rate = Math.min(1, cpu[k]! / p.cpu);
      if (p.nic > 0) rate = Math.min(rate, nic[k]! / p.nic);
      left[i]! -= rate * dt;
      if (left[i]! <= 1e-12) end[i] = t + dt;
    });
    if (step > 5_000_000) throw new Error('brute force did not finish');
  }
  return end;
}

class Observed implements SimObserver {
  pods!: PodTable;
  readonly ends = new Map<string, number>();
  maxCpu = 0;
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podFinished(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.ends.set(this.pods.template[slot]!.owner, now / 1e6);
  }
  usageChanged(_node: NodeIndex, cpu: number): void {
    this.maxCpu = Math.max(this.maxCpu, cpu);
  }
}

function simulate(pods: PodCase[]): Observed {
  const observed = new Observed();
  const data = {
    name: 'contention',
    platform: 'none',
    // Over-committed far enough that every pod is placed on arrival: only contention decides end times.
    cluster: { overcommit: { cpu: 100, nic: 100 }, pools: [{ name: 'n', count: 1, capacity: { cpu: CORES, memory: '64Gi', nic: `${NIC_GBPS}G` } }] },
    workload: {
      streams: pods.map((p, i) => ({
        name: `p${i}`,
        arrival: { process: 'burst', at: [`${p.arrival}s`], size: 1 },
        duration: `${p.duration}s`,
        requests: { cpu: `${p.request}m`, memory: '1Gi' },
        ...(p.limit === undefined ? {} : { limits: { cpu: `${p.limit}m` } }),
        usage: { cpu: `${p.cpu}m`, ...(p.nic > 0 ? { nic: `${p.nic}G` } : {}) },
      })),
    },
  };
  const run = prepareRun({ scenario: scenarioFromData(data, 'contention'), source: 'contention', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [observed]);
  run.sim.run();
  return observed;
}

const podArb: fc.Arbitrary<PodCase> = fc
  .record({
    arrival: fc.integer({ min: 0, max: 10 }),
    request: fc.integer({ min: 1, max: 16 }).map((q) => q * 250),
    cpu: fc.integer({ min: 1, max: 24 }).map((q) => q * 250),
    limitExtra: fc.option(fc.integer({ min: 0, max: 8 }).map((q) => q * 250), { nil: undefined }),
    nic: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
    duration: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ limitExtra, ...p }) => ({ ...p, limit: limitExtra === undefined ? undefined : p.request + limitExtra }));

describe('contention against a brute-force fluid simulation', () => {
  it('every batch pod ends when the 1 ms brute force ends it, and CPU handed out never exceeds the node', () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 1, maxLength: 5 }), (pods) => {
        const expected = bruteForce(pods);
        const observed = simulate(pods);
        expect(observed.ends.size).toBe(pods.length);
        // Each rate change costs the brute force at most one step of 1 ms; 2 changes per pod.
        const tolerance = 0.001 * (2 * pods.length + 1) + 1e-6;
        pods.forEach((_, i) => {
          expect(Math.abs(observed.ends.get(`p${i}`)! - expected[i]!)).toBeLessThanOrEqual(tolerance);
        });
        expect(observed.maxCpu).toBeLessThanOrEqual(CORES * 1000 * (1 + 1e-9));
      }),
      { numRuns: runs(30) },
    );
  });
});

class Log implements SimObserver {
  pods!: PodTable;
  readonly lines: string[] = [];
  start(ctx: SimContext): void {
    this.pods = ctx.pods;
  }
  podOomKilled(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.lines.push(`${this.pods.template[slot]!.owner} OOM ${now / 1e6}s`);
  }
  podEvictedForPressure(slot: PodSlot, _node: NodeIndex, now: number): void {
    this.lines.push(`${this.pods.template[slot]!.owner} evicted ${now / 1e6}s`);
  }
}

function log(services: unknown[], until = '100s', jobs: unknown[] = []): string[] {
  const l = new Log();
  const data = {
    name: 'memory',
    platform: 'none',
    simulation: { until },
    cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 16, memory: '10Gi' } }] },
    workload: { services, jobs },
  };
  prepareRun({ scenario: scenarioFromData(data, 'memory'), source: 'memory', scheduler: 'first-fit', queue: 'fifo', seed: 1 }, undefined, [l]).sim.run();
  return l.lines;
}

const service = (name: string, request: string, use: string, priority = 0, grows?: string) => ({
  name,
  replicas: 1,
  priority,
  requests: { cpu: 1, memory: request },
  usage: grows === undefined ? { memory: use } : { memory: use, phases: [{ for: '30s' }, { memory: grows }] },
});

describe('memory: OOM kills and pressure evictions in upstream order', () => {
  it('a container over its limit is OOM-killed and restarted after CrashLoopBackOff: 10 s, doubling, at most 5 min', () => {
    const lines = log([{ name: 'leaky', replicas: 1, requests: { cpu: 1, memory: '1Gi' }, limits: { memory: '1Gi' }, usage: { memory: '2Gi' } }], '700s');
    // Killed at 0; restarts after 10, 20, 40, 80, 160, 300, 300 s.
    expect(lines).toEqual(['leaky OOM 0s', 'leaky OOM 10s', 'leaky OOM 30s', 'leaky OOM 70s', 'leaky OOM 150s', 'leaky OOM 310s', 'leaky OOM 610s']);
  });

  it('a Job pod over its limit fails (restartPolicy Never): the Job replaces it after its back-off, up to its backoffLimit', () => {
    const job = { name: 'batch', at: '0s', completions: 1, parallelism: 1, backoffLimit: 1, duration: '10s', requests: { cpu: 1, memory: '1Gi' }, limits: { memory: '1Gi' }, usage: { memory: '2Gi' } };
    // backoffLimit 1: the Job fails at its 2nd failed pod, created after the Job controller's 10 s back-off.
    expect(log([], '100s', [job])).toEqual(['batch OOM 0s', 'batch OOM 10s']);
  });

  it('evicts pods using more than they request first, the lowest priority among them, at the next 10 s check', () => {
    // 10 GiB node. At 30 s `grows` goes from 3 to 5 GiB: 1 + 2 + 1.5 + 5 = 9.5 + … over 10 GiB.
    const lines = log([
      service('under', '3Gi', '1Gi', 0), // below its request: last
      service('over-high', '1Gi', '2Gi', 100), // 1 GiB above, priority 100
      service('over-low', '1Gi', '1536Mi', 0), // 0.5 GiB above, priority 0: first
      service('grows', '4Gi', '3Gi', 1000, '6Gi'), // 2 GiB above after 30 s, priority 1000
    ]);
    expect(lines[0]).toBe('over-low evicted 40s');
  });

  it('among pods of one priority above their requests, the largest use above the request goes first', () => {
    const lines = log([
      service('under', '3Gi', '1Gi', 0),
      service('a', '1Gi', '2Gi', 0), // 1 GiB above
      service('b', '1Gi', '1536Mi', 0), // 0.5 GiB above
      service('grows', '4Gi', '3Gi', 0, '6Gi'), // 2 GiB above after 30 s: first
    ]);
    expect(lines[0]).toBe('grows evicted 40s');
  });

  it('never evicts a critical pod (priority ≥ 2000000000): the next pod in the ranking goes instead', () => {
    // 10 GiB node: 6 + 5 = 11 GiB used from 0 s. `critical` is the only pod above its request, so it ranks first,
    // but the eviction manager refuses it and evicts `normal` (under its request) at the first check, 10 s; its
    // ReplicaSet's replacement lands on the same node and goes the same way at each later check.
    const lines = log([service('critical', '1Gi', '6Gi', 2_000_000_000), service('normal', '5Gi', '5Gi', 0)]);
    expect(lines[0]).toBe('normal evicted 10s');
    expect(lines.filter((l) => !l.startsWith('normal evicted'))).toEqual([]);
  });

  it('with only critical pods left under pressure, evicts nothing', () => {
    const lines = log([service('cluster-critical', '1Gi', '6Gi', 2_000_000_000), service('node-critical', '5Gi', '5Gi', 2_000_001_000)]);
    expect(lines).toEqual([]);
  });

  it('a pod one below system-critical priority is evicted as any other', () => {
    const lines = log([service('high', '1Gi', '6Gi', 1_999_999_999), service('normal', '5Gi', '5Gi', 0)]);
    expect(lines[0]).toBe('high evicted 10s');
  });

  it('critical as kubelettypes.IsCriticalPod defines it: static (mirror) pods and system-critical priority', () => {
    const t = (kind: PodTemplate['kind'], priority: number) => ({ kind, priority }) as PodTemplate;
    expect(isCritical(t('static', 0))).toBe(true);
    expect(isCritical(t('daemonset', 2_000_001_000))).toBe(true);
    expect(isCritical(t('service', 2_000_000_000))).toBe(true);
    expect(isCritical(t('daemonset', 0))).toBe(false);
    expect(isCritical(t('service', 1_999_999_999))).toBe(false);
  });
});

describe('determinism', () => {
  it('scenarios/overcommit.yaml (kube-default, seeds 1 and 2) gives byte-identical runs.csv on 1 and on 2 workers', async () => {
    const one = tempDir();
    const two = tempDir();
    for (const [dir, workers] of [
      [one, '1'],
      [two, '2'],
    ] as const) {
      const r = await runMain('run', 'scenarios/overcommit.yaml', '--scheduler', 'kube-default', '--seed', '1', '--seed', '2', '--workers', workers, '--out', dir, '--quiet');
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readFileSync(join(two, 'runs.csv'), 'utf8')).toBe(readFileSync(join(one, 'runs.csv'), 'utf8'));
  });
});
