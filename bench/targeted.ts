/**
 * One placement decision of each built-in policy, on clusters of 1k, 5k and
 * 10k nodes about 70 % full; and each kube-scheduler plugin's Filter and
 * Score over every node of a 5k-node cluster, for a pod that gives each of
 * them work (node affinity, topology spread, pod affinity, ports, images).
 */
import { asNode } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import type { KubePlugin } from '../src/schedulers/kube/framework.js';
import { SKIP } from '../src/schedulers/kube/framework.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import type { KubePod } from '../src/schedulers/kube/pod.js';
import { KUBE_PLUGINS } from '../src/schedulers/kube/registry.js';
import { DEFAULT_POLICIES, findPlacement } from '../src/schedulers/registry.js';
import type { PodView } from '../src/schedulers/types.js';
import type { MicroTask } from './harness.js';

function filledCluster(nodes: number): ClusterState {
  const scenario = scenarioFromData(
    {
      name: 'bench',
      cluster: { pools: [{ name: 'w', count: nodes, capacity: { cpu: 32, memory: '128Gi' } }] },
      workload: {},
    },
    'bench',
  );
  const space = resourceSpaceOf(scenario);
  const cluster = new ClusterState(space, buildNodes(scenario, space));
  const rng = rngFor(7, 'bench/fill');
  const req = space.zeros();
  req[PODS] = 1;
  // Random pods until about 70 % of CPU is requested, so a scan meets full and partly full nodes.
  for (let placed = 0, target = 0.7 * 32_000 * nodes; placed < target; ) {
    req[CPU] = [500, 1000, 2000, 4000][rng.int(4)]!;
    req[MEMORY] = (1 + rng.int(8)) * 2 ** 30;
    if (cluster.reserve(asNode(rng.int(nodes)), req)) placed += req[CPU]!;
  }
  return cluster;
}

function podFor(cluster: ClusterState): PodView {
  const requests = cluster.space.zeros();
  requests[CPU] = 4000;
  requests[MEMORY] = 16 * 2 ** 30;
  requests[PODS] = 1;
  return {
    requests,
    priority: 0,
    tenant: 'bench',
    owner: 'bench',
    labels: {},
    arrival: 0,
    duration: 1,
    template: {
      owner: 'bench',
      kind: 'stream',
      priority: 0,
      tenant: 'bench',
      labels: {},
      nodeSelector: {},
      tolerations: [],
      missingRequests: { cpu: false, memory: false },
    },
    eligible: () => true,
    fitsOn: (node: NodeIndex) => cluster.fits(node, requests),
  };
}

export function targetedTasks(sizes: readonly number[] = [1000, 5000, 10_000]): MicroTask[] {
  const tasks: MicroTask[] = [];
  for (const size of sizes) {
    const cluster = filledCluster(size);
    const pod = podFor(cluster);
    for (const name of DEFAULT_POLICIES) {
      const policy = findPlacement(name)!({ cluster, rng: rngFor(1, `bench/${name}`) });
      tasks.push({
        name: `${name} decision, ${size.toLocaleString('en-US')} nodes`,
        unit: 'decision',
        opsPerCall: 1,
        fn: () => {
          policy.place!(pod, cluster);
        },
      });
    }
  }
  return tasks;
}

/**
 * Nodes of the plugin benchmarks: three zones; half hold the pod's image, half
 * carry taints (one the pod tolerates, one it prefers to avoid); a few are cordoned.
 */
function pluginCluster(nodes: number): { cluster: ClusterState; kube: KubeCluster; pod: KubePod } {
  const pool = (name: string, count: number, extra: Record<string, unknown>): Record<string, unknown> => ({
    name,
    count,
    capacity: { cpu: 32, memory: '128Gi' },
    zones: ['z1', 'z2', 'z3'],
    labels: { tier: name },
    ...extra,
  });
  const scenario = scenarioFromData(
    {
      name: 'bench-plugins',
      cluster: {
        pools: [
          pool('cached', nodes / 2 - 10, { images: [{ names: ['registry.local/app:1'], sizeBytes: '500Mi' }] }),
          pool('plain', nodes / 2, {
            taints: [
              { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
              { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
            ],
          }),
          pool('cordoned', 10, { unschedulable: true }),
        ],
      },
      workload: {},
    },
    'bench',
  );
  const space = resourceSpaceOf(scenario);
  const cluster = new ClusterState(space, buildNodes(scenario, space));
  const kube = new KubeCluster(cluster);
  const rng = rngFor(7, 'bench/plugins');
  const req = space.zeros();
  req[PODS] = 1;
  const labels = [{ app: 'web' }, { app: 'db' }, { app: 'batch' }];
  const ports = [{ port: 8080, protocol: 'TCP' as const, hostIP: '0.0.0.0' }];
  // About 70 % of CPU requested, by pods of three apps, some holding a host port.
  for (let placed = 0, target = 0.7 * 32_000 * nodes; placed < target; ) {
    req[CPU] = [500, 1000, 2000, 4000][rng.int(4)]!;
    req[MEMORY] = (1 + rng.int(8)) * 2 ** 30;
    const node = asNode(rng.int(nodes));
    if (!cluster.reserve(node, req)) continue;
    placed += req[CPU]!;
    kube.bind(node, req[CPU]!, req[MEMORY]!, kube.group('default', labels[rng.int(3)]!));
    if (rng.int(20) === 0) kube.bindPorts(node, ports);
  }
  const requests = space.zeros();
  requests[CPU] = 2000;
  requests[MEMORY] = 4 * 2 ** 30;
  requests[PODS] = 1;
  const zoneTerm = { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' };
  const pod = makeKubePod({
    requests,
    nonZeroCpu: requests[CPU],
    nonZeroMemory: requests[MEMORY],
    labels: { app: 'web' },
    defaultSelector: { app: 'web' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    // Pinned pods are rare; set here so NodeName has work to do (no other plugin reads it).
    nodeName: 'plain-1',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z1', 'z2'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['cached'] }] } }],
      },
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: zoneTerm }] },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }],
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
    topologySpreadConstraints: [
      { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
    ],
    hostPorts: ports,
    images: ['registry.local/app:1'],
  });
  return { cluster, kube, pod };
}

/**
 * Each kube plugin's Filter (PreFilter, then Filter over every node) and
 * Score (PreScore, Score over every node, NormalizeScore), through the batch
 * forms where a plugin has them, as the framework calls it.
 */
export function pluginTasks(nodes = 5000): MicroTask[] {
  const { kube, pod } = pluginCluster(nodes);
  const all = Int32Array.from({ length: nodes }, (_, i) => i);
  const codes = new Int32Array(nodes);
  const scores = new Float64Array(nodes);
  const size = nodes.toLocaleString('en-US');
  const tasks: MicroTask[] = [];
  for (const [name, entry] of KUBE_PLUGINS) {
    const plugin: KubePlugin = entry.factory(undefined, kube);
    // A plugin whose PreFilter skips this pod costs only that call; say so in the name.
    const skipped = plugin.preFilter !== undefined && plugin.preFilter(pod) === SKIP ? ' (PreFilter skips)' : '';
    if (entry.points.includes('filter')) {
      tasks.push({
        name: `${name} filter, ${size} nodes${skipped}`,
        unit: 'node',
        opsPerCall: nodes,
        fn: () => {
          if (plugin.preFilter !== undefined && plugin.preFilter(pod) !== 0) return;
          if (plugin.filterNodes !== undefined) plugin.filterNodes(pod, all, nodes, codes);
          else for (let i = 0; i < nodes; i++) codes[i] = plugin.filter!(pod, asNode(i));
        },
      });
    }
    if (entry.points.includes('score')) {
      tasks.push({
        name: `${name} score, ${size} nodes`,
        unit: 'node',
        opsPerCall: nodes,
        fn: () => {
          // Score needs PreFilter's per-pod state too, as in a real cycle.
          plugin.preFilter?.(pod);
          if (plugin.preScore !== undefined && plugin.preScore(pod, all, nodes) === SKIP) return;
          if (plugin.scoreNodes !== undefined) plugin.scoreNodes(pod, all, nodes, scores);
          else for (let i = 0; i < nodes; i++) scores[i] = plugin.score!(pod, asNode(i));
          plugin.normalizeScore?.(pod, scores, all, nodes);
        },
      });
    }
  }
  return tasks;
}
