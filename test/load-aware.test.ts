/**
 * Koordinator's LoadAwareScheduling (kube-load-aware) and over-commit by a
 * factor, worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { explainPod } from '../src/explain/pod.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import { estimatePod, leastUsedScore } from '../src/schedulers/kube/plugins/load-aware.js';

const GI = 1024 ** 3;

describe('LoadAwareScheduling arithmetic', () => {
  it('leastUsedScore is ⌊(capacity − used) · 100 ÷ capacity⌋, 0 when over', () => {
    expect(leastUsedScore(7700, 10_000)).toBe(23);
    expect(leastUsedScore(0, 10_000)).toBe(100);
    expect(leastUsedScore(10_001, 10_000)).toBe(0);
    expect(leastUsedScore(5, 0)).toBe(0);
  });

  it('a pod is estimated at its request × the scaling factor, at its limit when the limit is higher, at the default when it requests none', () => {
    expect(estimatePod(2000, Infinity, 85, 250)).toBe(1700);
    expect(estimatePod(2000, 3000, 85, 250)).toBe(3000);
    expect(estimatePod(2000, 2000, 85, 250)).toBe(1700);
    expect(estimatePod(0, Infinity, 85, 250)).toBe(250);
    // 1 GiB at 70 %, rounded to a whole byte.
    expect(estimatePod(GI, Infinity, 70, 200 * 1024 * 1024)).toBe(Math.round(GI * 0.7));
  });
});

/** Three 10-core, 10 GiB nodes: `hot` pinned to a-1 uses 7 cores, `warm` pinned to b-1 uses 4; c-1 is idle. */
function scenario(extra: Record<string, unknown> = {}) {
  const pinned = (name: string, node: string, cpu: number) => ({
    name,
    replicas: 1,
    requests: { cpu: 1, memory: '1Gi' },
    usage: { cpu },
    nodeSelector: { 'kubernetes.io/hostname': node },
  });
  const data = {
    name: 'load-aware',
    platform: 'none',
    cluster: {
      pools: ['a', 'b', 'c'].map((name) => ({ name, count: 1, capacity: { cpu: 10, memory: '10Gi' } })),
      ...extra,
    },
    workload: {
      services: [pinned('hot', 'a-1', 7), pinned('warm', 'b-1', 4)],
      jobs: [{ name: 'probe', at: '1m', completions: 1, parallelism: 1, duration: '1m', requests: { cpu: 2, memory: '1Gi' } }],
    },
  };
  return { file: 'load-aware', data, scenario: scenarioFromData(data, 'load-aware') };
}

describe('kube-load-aware on measured usage', () => {
  const e = explainPod(scenario(), { owner: 'probe', scheduler: 'kube-load-aware', seed: 1 });
  const node = (name: string) => e.nodes.find((n) => n.node === name)!;

  it('filters a node whose CPU use is at or above 65 % of its allocatable', () => {
    // a-1: 7 of 10 cores used = 70 % ≥ 65 %.
    expect(node('a-1')).toMatchObject({ status: 'rejected', plugin: 'LoadAwareScheduling', reason: 'node(s) cpu usage exceed threshold' });
  });

  it('scores the others on use plus the estimate of the pod, naming the usage', () => {
    // b-1: cpu 4000m used + 2000m × 85 % = 5700m of 10000m → ⌊4300 · 100 ÷ 10000⌋ = 43;
    //      memory 1 GiB used + round(0.7 GiB) = 1825361101 bytes of 10 GiB → ⌊82.99…⌋ = 82 (the estimate rounds up
    //      by 0.2 byte, as upstream's math.Round does); ⌊(43 + 82) ÷ 2⌋ = 62.
    // c-1: cpu 1700m → 83; memory round(0.7 GiB) → ⌊92.99…⌋ = 92; ⌊(83 + 92) ÷ 2⌋ = 87.
    expect(node('b-1').scores?.['LoadAwareScheduling']).toMatchObject({ raw: 62, weighted: 62 });
    expect(node('c-1').scores?.['LoadAwareScheduling']).toMatchObject({ raw: 87, weighted: 87 });
    expect(node('b-1').scores?.['LoadAwareScheduling']?.note).toMatch(/^usage cpu 4000m \(40%\), estimated with the pod 5700m; memory 10%, estimated 17%$/);
    expect(e.chosen).toBe('c-1');
  });

  it('kube-default on the same cluster sees only requests: the busy nodes look as empty as the idle one', () => {
    const d = explainPod(scenario(), { owner: 'probe', scheduler: 'kube-default', seed: 1 });
    expect(d.nodes.every((n) => n.status === 'feasible')).toBe(true);
    expect(d.nodes.some((n) => n.scores?.['LoadAwareScheduling'] !== undefined)).toBe(false);
  });
});

describe('over-commit by a factor', () => {
  it('the scheduler sees allocatable × factor; the nodes keep their capacity, which running pods share', () => {
    const s = scenario({ overcommit: { cpu: 1.5 } });
    const run = prepareRun({ scenario: s.scenario, source: s.file, scheduler: 'first-fit', queue: 'fifo', seed: 1 });
    expect(Array.from(run.cluster.allocatable[0]!)).toEqual([15_000, 15_000, 15_000]);
    expect(run.cluster.nodes.map((n) => n.allocatable[0])).toEqual([10_000, 10_000, 10_000]);
  });

  it('pods placed beyond a node’s CPU contend for it: slowdown above 1, peak over-commit above 1', () => {
    // One 4-core node over-committed 2x: four pods requesting 2 cores and using them run at half speed.
    const data = {
      name: 'oc',
      platform: 'none',
      cluster: { overcommit: { cpu: 2 }, pools: [{ name: 'n', count: 1, capacity: { cpu: 4, memory: '8Gi' } }] },
      workload: { streams: [{ name: 'w', arrival: { process: 'burst', at: ['0s'], size: 4 }, duration: '10s', requests: { cpu: 2, memory: '1Gi' } }] },
    };
    const run = prepareRun({ scenario: scenarioFromData(data, 'oc'), source: 'oc', scheduler: 'first-fit', queue: 'fifo', seed: 1 });
    run.sim.run();
    const m = run.metrics.result();
    // 8 cores of demand on 4: each pod gets 1 core, so 20 CPU-s of work takes 20 s.
    expect(m['slowdown_p50']).toBe(2);
    expect(m['overcommit_cpu_peak']).toBe(2);
    expect(m['pods_unschedulable']).toBe(0);
  });

  it('names an over-committed resource no pool has', () => {
    expect(() => scenario({ overcommit: { gpu: 2 } })).toThrow(/cluster\.overcommit\.gpu.*no node pool has resource "gpu"/s);
  });
});
