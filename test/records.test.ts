/**
 * Opt-in run records (`--record`): the timeline's bucket means, a run worked
 * out by hand, agreement with the run's summary metrics, and the CLI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POD_OUTCOMES } from '../src/metrics/run-record.js';
import type { RunRecords } from '../src/metrics/run-record.js';
import { Timeline } from '../src/metrics/timeline.js';
import { quantileSorted } from '../src/core/stats.js';
import { loadScenarioFile } from '../src/runner/plan.js';
import { prepareRun, runOne } from '../src/runner/run-one.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { BY_HAND } from './support/by-hand.js';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { runs } from './support/property-runs.js';

const S = 1_000_000;

describe('Timeline', () => {
  it('keeps bucket means of a piecewise-constant series through merges (1, 2, 10, 20 ms …)', () => {
    const tl = new Timeline(1, 10);
    tl.add(0, 3, 0, 4_000); // 3 over [0, 4 ms)
    expect(tl.width).toBe(1000);
    tl.add(0, 1, 4_000, 15_000); // past 10 buckets of 1 ms: merge by 2
    expect(tl.width).toBe(2000);
    tl.add(0, 2, 15_000, 60_000); // past 20 ms: merge by 5
    expect(tl.width).toBe(10_000);
    expect(tl.buckets(60_000)).toBe(6);
    expect(tl.mean(0, 0, 60_000)).toBeCloseTo((3 * 4 + 1 * 6) / 10, 12);
    expect(tl.mean(0, 1, 60_000)).toBeCloseTo((1 * 5 + 2 * 5) / 10, 12);
    expect(tl.mean(0, 5, 60_000)).toBe(2);
    // A run ending mid-bucket: its last bucket's mean is over the time it covers.
    const cut = new Timeline(1, 10);
    cut.add(0, 2, 0, 5_500);
    expect(cut.buckets(5_500)).toBe(6);
    expect(cut.mean(0, 5, 5_500)).toBe(2);
  });

  it('preserves the integral of any series, whatever the merges (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50_000 })), { minLength: 1, maxLength: 60 }), (pieces) => {
        const tl = new Timeline(2, 10);
        let t = 0;
        let integral = 0;
        for (const [v, dt] of pieces) {
          tl.add(1, v, t, t + dt);
          integral += v * dt;
          t += dt;
        }
        let sum = 0;
        for (let b = 0; b < tl.buckets(t); b++) sum += tl.mean(1, b, t) * Math.min(tl.width, t - b * tl.width);
        expect(sum).toBeCloseTo(integral, 3);
        for (let b = 0; b < tl.buckets(t); b++) expect(tl.mean(0, b, t)).toBe(0);
      }),
      { numRuns: runs(200) },
    );
  });
});

/** The run of test/metrics-by-hand.test.ts; the timeline is written out there. */
const byHand = BY_HAND;

describe('records of a run worked out by hand', () => {
  const result = runOne({ scenario: scenarioFromData(byHand, 'by-hand'), source: 'by-hand', scheduler: 'first-fit', queue: 'fifo', seed: 1, record: ['timeseries', 'nodes', 'pods'] });
  const rec = result.records!;
  const cpu = rec.resources.indexOf('cpu');
  const memory = rec.resources.indexOf('memory');
  /** The bucket holding simulated second t. */
  const at = (width: number, t: number): number => Math.floor((t * S) / width);

  it('records the cluster over time: 20 ms buckets over the 20 s run', () => {
    const s = rec.series!;
    expect(rec.endUs).toBe(20 * S);
    expect(s.widthUs).toBe(20_000);
    expect(s.buckets).toBe(1000);
    // 0–5 s: w1–w3 run (big was turned away); 5–10 s: late1 and late2 wait; 10–20 s: they run.
    expect(s.pending[at(s.widthUs, 2)]).toBe(0);
    expect(s.pending[at(s.widthUs, 7)]).toBe(2);
    expect(s.pending[at(s.widthUs, 15)]).toBe(0);
    expect(s.running[at(s.widthUs, 2)]).toBe(3);
    expect(s.running[at(s.widthUs, 15)]).toBe(2);
    expect(s.activeNodes[at(s.widthUs, 15)]).toBe(2);
    // CPU: 6 of 8 cores throughout; memory: 6 of 16 GiB, then 2 of 16.
    expect(s.alloc[cpu]![at(s.widthUs, 2)]).toBe(0.75);
    expect(s.alloc[cpu]![at(s.widthUs, 15)]).toBe(0.75);
    expect(s.alloc[memory]![at(s.widthUs, 7)]).toBe(0.375);
    expect(s.alloc[memory]![at(s.widthUs, 15)]).toBe(0.125);
  });

  it('records each node over time: 100 ms buckets', () => {
    const n = rec.nodes!;
    expect(n.widthUs).toBe(100_000);
    expect(n.names).toEqual(['node-1', 'node-2']);
    const dims = rec.resources.length;
    const share = (node: number, d: number, t: number): number => n.share[(node * dims + d) * n.buckets + at(n.widthUs, t)]!;
    // node-1: w1 + w2 (4 of 4 cores), then late1 (3 of 4); node-2: w3 (2 of 4), then late2 (3 of 4).
    expect(share(0, cpu, 5)).toBe(1);
    expect(share(0, cpu, 15)).toBe(0.75);
    expect(share(1, cpu, 5)).toBe(0.5);
    expect(share(1, cpu, 15)).toBe(0.75);
  });

  it('records a row per pod, in creation order', () => {
    const p = rec.pods!;
    expect(p.count).toBe(6);
    expect(Array.from(p.id)).toEqual([0, 1, 2, 3, 4, 5]);
    const rows = Array.from({ length: p.count }, (_, i) => ({
      owner: p.owners[p.owner[i]!]!.name,
      arrival: p.arrival[i]! / S,
      bind: p.bind[i]! / S,
      end: p.end[i]! / S,
      node: p.node[i]! < 0 ? null : p.nodeNames[p.node[i]!],
      outcome: POD_OUTCOMES[p.outcome[i]!],
    }));
    const late = rows.filter((r) => r.owner === 'late');
    expect(late).toEqual([
      { owner: 'late', arrival: 5, bind: 10, end: 20, node: 'node-1', outcome: 'completed' },
      { owner: 'late', arrival: 5, bind: 10, end: 20, node: 'node-2', outcome: 'completed' },
    ]);
    expect(rows.filter((r) => r.owner === 'big')).toEqual([{ owner: 'big', arrival: 0, bind: -1 / S, end: 0, node: null, outcome: 'never-fit' }]);
    expect(rows.filter((r) => r.owner === 'w').map((r) => [r.bind, r.end, r.node])).toEqual([
      [0, 10, 'node-1'],
      [0, 10, 'node-1'],
      [0, 10, 'node-2'],
    ]);
  });
});

/** Time-weighted mean of a recorded series over the whole run. */
function seriesMean(values: Float64Array, rec: RunRecords, width: number): number {
  let sum = 0;
  for (let b = 0; b < values.length; b++) sum += values[b]! * Math.min(width, rec.endUs - b * width);
  return sum / rec.endUs;
}

describe.each([
  ['scenarios/k3s-edge.yaml', 'kube-default', 'kube'],
  ['scenarios/k8s-bare-metal.yaml', 'best-fit', 'fifo'],
])('records of %s (%s, %s queue) agree with its metrics', (file, scheduler, queue) => {
  const scenario = loadScenarioFile(file).data;
  const result = runOne({ scenario: scenarioFromData(scenario, file), source: file, scheduler, queue, seed: 3, record: ['timeseries', 'nodes', 'pods'] });
  const rec = result.records!;
  const m = result.metrics;

  it('time series: mean allocation and active nodes', () => {
    const s = rec.series!;
    rec.resources.forEach((r, d) => expect(seriesMean(s.alloc[d]!, rec, s.widthUs), r).toBeCloseTo(m[`alloc_${r}_mean`]!, 9));
    expect(seriesMean(s.activeNodes, rec, s.widthUs)).toBeCloseTo(m.active_nodes_mean!, 9);
  });

  it('per-node allocation adds up to the cluster allocation', () => {
    const n = rec.nodes!;
    const dims = rec.resources.length;
    const d = rec.resources.indexOf('cpu');
    const alloc = prepareRun({ scenario: scenarioFromData(scenario, file), source: file, scheduler, queue, seed: 3 }).cluster.allocatable[d]!;
    expect(alloc.length).toBe(n.names.length);
    let requested = 0;
    for (let node = 0; node < n.names.length; node++) {
      let integral = 0;
      for (let b = 0; b < n.buckets; b++) integral += n.share[(node * dims + d) * n.buckets + b]! * Math.min(n.widthUs, rec.endUs - b * n.widthUs);
      requested += (integral / rec.endUs) * alloc[node]!;
    }
    expect(requested / alloc.reduce((a, b) => a + b, 0)).toBeCloseTo(m.alloc_cpu_mean!, 9);
  });

  it('pods: every pod created has a row; outcomes and delays match the metrics', () => {
    const p = rec.pods!;
    // Platform pods pinned to nodes are listed too, but left out of the pod metrics.
    const workload = Array.from({ length: p.count }, (_, i) => i).filter((i) => !['daemonset', 'static'].includes(p.owners[p.owner[i]!]!.kind));
    expect(workload.length).toBe(m.pods_submitted);
    const count = (o: string): number => workload.filter((i) => POD_OUTCOMES[p.outcome[i]!] === o).length;
    expect(count('completed')).toBe(m.pods_completed);
    expect(count('running') + count('terminating') + count('lost')).toBe(m.pods_running_end);
    expect(count('pending')).toBe(m.pods_pending_end);
    expect(count('never-fit')).toBe(m.pods_never_fit);
    expect(count('preempted')).toBe(m.pods_preempted);
    const delays = workload
      .filter((i) => p.bind[i]! >= 0)
      .map((i) => (p.bind[i]! - p.arrival[i]!) / S)
      .sort((a, b) => a - b);
    expect(delays.length).toBe(m.pods_scheduled);
    expect(quantileSorted(delays, 0.99)).toBeCloseTo(m.delay_p99_s!, 9);
  });
});

describe('rackbench run --record', () => {
  // The command line's main() in this process, its run on the worker pool.
  it('writes timeseries.csv, nodes.csv and the pod records with their documented columns', async () => {
    const dir = tempDir();
    const r = await runMain('run', 'scenarios/k3s-edge.yaml', '--scheduler', 'first-fit', '--seed', '1', '--out', dir, '--quiet', '--record', 'all');
    expect(r.code, r.stderr).toBe(0);
    const header = (f: string): string => readFileSync(join(dir, f), 'utf8').split('\n')[0]!;
    expect(header('timeseries.csv')).toBe('scenario,scheduler,queue,seed,t_s,width_s,pending_pods,running_pods,active_nodes,alloc_cpu,alloc_memory,alloc_nvme,alloc_nic,alloc_pods,node_failures,node_repairs,node_joins,pods_evicted,cpu_used,cpu_requested,cpu_allocatable,memory_used,memory_requested,memory_allocatable');
    expect(header('nodes.csv')).toBe('scenario,scheduler,queue,seed,node,t_s,width_s,alloc_cpu,alloc_memory,alloc_nvme,alloc_nic,alloc_pods');
    // Pod records are stored once, as records/<key>/pods.parquet (never a pods.csv), read as the pods table.
    const [key, ...others] = readdirSync(join(dir, 'records'));
    expect(others).toEqual([]);
    expect(existsSync(join(dir, 'records', key!, 'pods.csv'))).toBe(false);
    expect(readdirSync(join(dir, 'records', key!)).sort()).toEqual(['nodes.csv', 'pods.parquet', 'timeseries.csv']);
    const q = await runMain('query', dir, 'select * from pods limit 1', '--csv');
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout.split('\n')[0]).toBe('scenario,scheduler,queue,seed,pod,owner,kind,tenant,priority,node,arrival_s,bind_s,start_s,end_s,delay_s,outcome');
  });

  it('rejects an unknown table before running anything', async () => {
    const dir = tempDir();
    const r = await runMain('run', 'scenarios/k3s-edge.yaml', '--out', dir, '--record', 'timeseries,heat');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--record: unknown table "heat"; expected a comma-separated list of timeseries, nodes, pods (or all)');
  });
});

describe('usage against requests and allocatable over time (timeseries.csv)', () => {
  // The worked example of test/usage.test.ts: on one 4-CPU node, A (limits.cpu 1) and B each request 1 CPU and
  // demand 4 for 40 CPU-seconds. B gets 3 and ends at 13.333334 s; A is held at 1 until 40 s.
  const pod = (name: string, limits?: Record<string, unknown>) => ({
    name,
    arrival: { process: 'burst', at: ['0s'], size: 1 },
    duration: '10s',
    requests: { cpu: 1, memory: '1Gi' },
    usage: { cpu: 4, memory: '512Mi' },
    ...(limits === undefined ? {} : { limits }),
  });
  const record = (streams: unknown[]) => {
    const data = { name: 'w', platform: 'none', cluster: { pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '8Gi' } }] }, workload: { streams } };
    return runOne({ scenario: scenarioFromData(data, 'w'), source: 'w', scheduler: 'first-fit', queue: 'fifo', seed: 1, record: ['timeseries'] }).records!;
  };
  /** Σ over buckets of value × width: the integral over the run, in unit·s. */
  const integral = (rec: RunRecords, k: number): number => {
    const s = rec.series!;
    let sum = 0;
    for (let b = 0; b < s.buckets; b++) sum += s.usage[k]![b]! * (Math.min(s.widthUs, rec.endUs - b * s.widthUs) / S);
    return sum;
  };

  it('used, requested and allocatable CPU and memory integrate to the hand-worked amounts', () => {
    const rec = record([pod('a', { cpu: 1 }), pod('b')]);
    expect(rec.endUs).toBe(40 * S);
    const B = 13.333334;
    // Used: 4 CPUs (4000 m) until B ends, then A's 1; requested: 2000 m, then 1000 m; allocatable 4000 m.
    expect(integral(rec, 0)).toBeCloseTo(4000 * B + 1000 * (40 - B), 3);
    expect(integral(rec, 1)).toBeCloseTo(2000 * B + 1000 * (40 - B), 3);
    expect(integral(rec, 2)).toBeCloseTo(4000 * 40, 3);
    // Memory: 512 Mi used and 1 Gi requested per pod; 8 Gi allocatable (platform none reserves nothing).
    const Mi = 2 ** 20;
    expect(integral(rec, 3) / Mi).toBeCloseTo(1024 * B + 512 * (40 - B), 3);
    expect(integral(rec, 4) / Mi).toBeCloseTo(2048 * B + 1024 * (40 - B), 3);
    expect(integral(rec, 5) / Mi).toBeCloseTo(8192 * 40, 3);
  });

  it('without a usage model, used is what is requested', () => {
    const plain = { name: 'p', arrival: { process: 'burst', at: ['0s'], size: 2 }, duration: '10s', requests: { cpu: 1, memory: '1Gi' } };
    const rec = record([plain]);
    expect(Array.from(rec.series!.usage[0]!)).toEqual(Array.from(rec.series!.usage[1]!));
    expect(integral(rec, 1)).toBeCloseTo(2000 * 10, 6);
  });
});
