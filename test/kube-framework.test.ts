import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { rngFor } from '../src/core/random.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
import { runOne } from '../src/runner/run-one.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { DEFAULT_CONFIGURATION, KubeConfigError, kubeSchedulerConfigurationSchema, resolveProfile } from '../src/schedulers/kube/config.js';
import type { KubePod } from '../src/schedulers/kube/pod.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import { emptyTrace, KubeScheduler, numFeasibleNodesToFind } from '../src/schedulers/kube/scheduler.js';

describe('numFeasibleNodesToFind (schedule_one.go)', () => {
  // Adaptive percentage 50 − n/125, at least 5 %; at least 100 nodes; every node below 100.
  it.each([
    [0, 10, 10],
    [40, 10, 10],
    [0, 50, 50],
    [0, 100, 100], // 50 % of 100 = 50, raised to the minimum of 100
    [0, 250, 120], // 50 − 2 = 48 %
    [0, 1000, 420], // 50 − 8 = 42 %
    [40, 1000, 400],
    [0, 5000, 500], // 50 − 40 = 10 %
    [0, 6000, 300], // 50 − 48 = 2 %, raised to 5 %
    [0, 15000, 750],
  ])('percentage %i of %i nodes → %i', (pct, nodes, want) => {
    expect(numFeasibleNodesToFind(pct, nodes)).toBe(want);
  });
});

function cluster(nodes: number, zones?: string[]) {
  const scenario = scenarioFromData(
    { name: 't', cluster: { pools: [{ name: 'n', count: nodes, capacity: { cpu: 4, memory: '32Gi' }, zones }] }, workload: {} },
    't',
  );
  const space = resourceSpaceOf(scenario);
  return new ClusterState(space, buildNodes(scenario, space));
}

function pod(space: ClusterState['space'], cpu: number, memory: number): KubePod {
  const requests = space.zeros();
  requests[CPU] = cpu;
  requests[MEMORY] = memory;
  requests[PODS] = 1;
  return makeKubePod({ requests, nonZeroCpu: cpu, nonZeroMemory: memory });
}

describe('the scheduling cycle', () => {
  it('stops after numFeasibleNodesToFind feasible nodes and resumes where it stopped', () => {
    const state = cluster(1000);
    const kube = new KubeCluster(state);
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), kube, rngFor(1, 't'));
    const p = pod(state.space, 100, 500 * 2 ** 20);
    const first = emptyTrace();
    s.schedule(p, first);
    expect(first.feasible).toHaveLength(420);
    expect(first.feasible[0]).toBe(kube.order[0]);
    const second = emptyTrace();
    s.schedule(p, second);
    expect(second.feasible[0]).toBe(kube.order[420]);
    // 840 + 420 wraps around the 1,000 nodes.
    const third = emptyTrace();
    s.schedule(p, third);
    expect(third.feasible[0]).toBe(kube.order[840]);
    expect(third.feasible[180]).toBe(kube.order[20]);
  });

  it('walks zones round-robin, as the scheduler cache lists nodes', () => {
    const kube = new KubeCluster(cluster(6, ['a', 'b', 'c']));
    // Nodes n-1…n-6 are in zones a, b, c, a, b, c: already interleaved.
    expect([...kube.order]).toEqual([0, 1, 2, 3, 4, 5]);
    const grouped = scenarioFromData(
      {
        name: 't',
        cluster: {
          pools: [
            { name: 'x', count: 2, capacity: { cpu: 1 }, zones: ['a'] },
            { name: 'y', count: 2, capacity: { cpu: 1 }, zones: ['b'] },
          ],
        },
        workload: {},
      },
      't',
    );
    const space = resourceSpaceOf(grouped);
    expect([...new KubeCluster(new ClusterState(space, buildNodes(grouped, space))).order]).toEqual([0, 2, 1, 3]);
  });

  it('chooses among the highest totals only, and uniformly', () => {
    const state = cluster(4);
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), new KubeCluster(state), rngFor(7, 't'));
    const p = pod(state.space, 1000, 2 ** 30);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const trace = emptyTrace();
      const node = s.schedule(p, trace);
      const best = Math.max(...trace.totals);
      expect(trace.totals[trace.feasible.indexOf(node)]).toBe(best);
      counts[node]!++;
    }
    // Four empty identical nodes tie: each is chosen about 1,000 times (binomial sd ≈ 27).
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('takes the only feasible node without scoring it', () => {
    const state = cluster(3);
    state.reserve(0 as never, pod(state.space, 4000, 0).requests);
    state.reserve(1 as never, pod(state.space, 4000, 0).requests);
    const s = new KubeScheduler(resolveProfile(DEFAULT_CONFIGURATION), new KubeCluster(state), rngFor(1, 't'));
    const trace = emptyTrace();
    expect(s.schedule(pod(state.space, 1000, 0), trace)).toBe(2);
    expect(trace.scores).toEqual([]);
    expect(trace.rejected.get(0)).toEqual({ plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' });
  });
});

describe('KubeSchedulerConfiguration', () => {
  const config = (profile: object) =>
    kubeSchedulerConfigurationSchema.parse({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', profiles: [profile] });

  it('has upstream default weights', () => {
    const p = resolveProfile(DEFAULT_CONFIGURATION);
    expect(p.score).toEqual([
      { name: 'TaintToleration', weight: 3 },
      { name: 'NodeAffinity', weight: 2 },
      { name: 'NodeResourcesFit', weight: 1 },
      { name: 'VolumeBinding', weight: 1 },
      { name: 'PodTopologySpread', weight: 2 },
      { name: 'InterPodAffinity', weight: 2 },
      { name: 'NodeResourcesBalancedAllocation', weight: 1 },
      { name: 'ImageLocality', weight: 1 },
    ]);
    expect(p.filter).toEqual([
      'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity',
    ]);
    expect(p.preScore).toEqual(['TaintToleration', 'NodeAffinity', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation']);
    expect(p.postFilter).toEqual(['DefaultPreemption']);
    expect(p.skipped).toEqual([]);
  });

  it('disables, re-weights and appends plugins as mergePlugins and expandMultiPointPlugins do', () => {
    const p = resolveProfile(
      config({
        plugins: {
          multiPoint: { disabled: [{ name: 'TaintToleration' }] },
          score: { enabled: [{ name: 'NodeResourcesBalancedAllocation', weight: 5 }], disabled: [{ name: 'NodeAffinity' }] },
        },
      }),
    );
    expect(p.filter).not.toContain('TaintToleration');
    expect(p.filter).toContain('NodeAffinity');
    // A MultiPoint plugin re-enabled under score is an override: it comes first (framework.go, expandMultiPointPlugins).
    expect(p.score).toEqual([
      { name: 'NodeResourcesBalancedAllocation', weight: 5 },
      { name: 'NodeResourcesFit', weight: 1 },
      { name: 'VolumeBinding', weight: 1 },
      { name: 'PodTopologySpread', weight: 2 },
      { name: 'InterPodAffinity', weight: 2 },
      { name: 'ImageLocality', weight: 1 },
    ]);
    expect(resolveProfile(config({ plugins: { multiPoint: { disabled: [{ name: '*' }] } } })).score).toEqual([]);
  });

  it('gives a default plugin listed under score.enabled without a weight weight 1, as getScoreWeights does', () => {
    // apis/config/v1/default_plugins.go lists the defaults (TaintToleration weight 3) under multiPoint only;
    // framework.go's getScoreWeights reads score.enabled first, then multiPoint, and the first entry of a name
    // sets its weight, 0 or unset meaning 1.
    const weight = (plugins: object, name: string) => resolveProfile(config({ plugins })).score.find((s) => s.name === name)?.weight;
    expect(weight({}, 'TaintToleration')).toBe(3);
    expect(weight({ score: { enabled: [{ name: 'TaintToleration' }] } }, 'TaintToleration')).toBe(1);
    expect(weight({ score: { enabled: [{ name: 'TaintToleration', weight: 0 }] } }, 'TaintToleration')).toBe(1);
    expect(weight({ score: { enabled: [{ name: 'TaintToleration', weight: 7 }] } }, 'TaintToleration')).toBe(7);
    // A multiPoint entry replaces the default of its name, weight included (mergePluginSet).
    expect(weight({ multiPoint: { enabled: [{ name: 'NodeAffinity' }] } }, 'NodeAffinity')).toBe(1);
    expect(weight({ multiPoint: { enabled: [{ name: 'NodeAffinity', weight: 4 }] } }, 'NodeAffinity')).toBe(4);
    // score.enabled wins over multiPoint.
    expect(weight({ multiPoint: { enabled: [{ name: 'NodeAffinity', weight: 4 }] }, score: { enabled: [{ name: 'NodeAffinity' }] } }, 'NodeAffinity')).toBe(1);
    // Listed once each: no plugin is scored twice.
    const names = resolveProfile(config({ plugins: { score: { enabled: [{ name: 'TaintToleration' }] } } })).score.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(8);
  });

  it('refuses plugins it does not model, naming them', () => {
    expect(() => resolveProfile(config({ plugins: { multiPoint: { enabled: [{ name: 'MyOutOfTreePlugin' }] } } }))).toThrow(KubeConfigError);
    expect(() => resolveProfile(config({ plugins: { multiPoint: { enabled: [{ name: 'MyOutOfTreePlugin' }] } } }))).toThrow(/MyOutOfTreePlugin/);
  });

  it('a scenario can name a configuration and run it: MostAllocated packs onto fewer nodes than LeastAllocated', () => {
    const strategy = (type: string) => ({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [
        {
          plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] } },
          pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type } } }],
        },
      ],
    });
    const scenario = {
      name: 'packing',
      cluster: { pools: [{ name: 'n', count: 10, capacity: { cpu: 8, memory: '32Gi' } }] },
      workload: { services: [{ name: 'web', replicas: 20, requests: { cpu: 1, memory: '2Gi' } }] },
      simulation: { until: '1m' },
      schedulers: { 'kube-most': strategy('MostAllocated'), 'kube-least': strategy('LeastAllocated') },
    };
    const run = (scheduler: string) => runOne({ scenario: scenarioFromData(scenario, 'packing'), source: 'packing', scheduler, queue: 'priority', seed: 1 }).metrics;
    // 20 pods of 1 CPU: MostAllocated fills 8 per node (3 nodes); LeastAllocated spreads them over all 10.
    expect(run('kube-most').active_nodes_peak).toBe(3);
    expect(run('kube-least').active_nodes_peak).toBe(10);
  });
});

describe('bad scheduler configurations', () => {
  const scenario = (profile: object) => ({
    name: 'bad',
    cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 4, memory: '8Gi' } }] },
    workload: { streams: [{ name: 's', arrival: { process: 'fixed', rate: '1/s' }, count: 2, duration: '1s', requests: { cpu: 1 } }] },
    schedulers: { mine: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', profiles: [profile] } },
  });
  const run = (profile: object) => () => runOne({ scenario: scenarioFromData(scenario(profile), 'bad'), source: 'bad', scheduler: 'mine', queue: 'kube', seed: 1 });

  it('are usage errors that name the scheduler and what is wrong', () => {
    expect(run({ plugins: { multiPoint: { enabled: [{ name: 'MyPlugin' }] } } })).toThrow(UsageError);
    expect(run({ plugins: { multiPoint: { enabled: [{ name: 'MyPlugin' }] } } })).toThrow(/scheduler "mine".*MyPlugin/);
    expect(run({ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Mostallocated' } } }] })).toThrow(
      /scheduler "mine": invalid pluginConfig args: scoringStrategy\.type/,
    );
  });
});
