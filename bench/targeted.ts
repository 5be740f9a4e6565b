/** One placement decision of each built-in policy, on clusters of 1k, 5k and 10k nodes about 70 % full. */
import { asNode } from '../src/core/ids.js';
import type { NodeIndex } from '../src/core/ids.js';
import { rngFor } from '../src/core/random.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
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
