/**
 * NodeResourcesFit's rejectsAll (the proof that lets a cycle skip walking
 * the nodes) against brute force: as the cluster fills and empties, it says
 * true exactly when the pod's CPU exceeds the free CPU of every node or its
 * memory the free memory of every node, and then Filter rejects every node.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asNode } from '../src/core/ids.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { ClusterState } from '../src/model/cluster-state.js';
import { CPU, MEMORY, PODS } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { KubeCluster } from '../src/schedulers/kube/cluster.js';
import { SUCCESS } from '../src/schedulers/kube/framework.js';
import { makeKubePod } from '../src/schedulers/kube/pod.js';
import { KUBE_PLUGINS } from '../src/schedulers/kube/registry.js';
import { runs } from './support/property-runs.js';

const GIB = 2 ** 30;
/** CPU is in millicores. */
const CORE = 1000;

/** One step: reserve (or release, when it was reserved) a request on a node, then ask about a pod. */
const step = fc.record({ node: fc.nat(), cpu: fc.integer({ min: 0, max: 8 }), memoryGiB: fc.integer({ min: 0, max: 32 }), podCpu: fc.integer({ min: 0, max: 9 }), podMemoryGiB: fc.integer({ min: 0, max: 33 }) });

describe('NodeResourcesFit rejectsAll', () => {
  it('property: agrees with the largest free CPU and memory over every node, and with Filter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { minLength: 1, maxLength: 60 }), (nodes, steps) => {
        const scenario = scenarioFromData({ name: 't', cluster: { pools: [{ name: 'n', count: nodes, capacity: { cpu: 8, memory: '32Gi' } }] }, workload: {} }, 't');
        const space = resourceSpaceOf(scenario);
        const state = new ClusterState(space, buildNodes(scenario, space));
        const kube = new KubeCluster(state);
        const fit = KUBE_PLUGINS.get('NodeResourcesFit')!.factory(undefined, kube);
        const held: Float64Array[][] = Array.from({ length: nodes }, () => []);
        for (const s of steps) {
          const node = asNode(s.node % nodes);
          const request = space.zeros();
          request[CPU] = s.cpu * CORE;
          request[MEMORY] = s.memoryGiB * GIB;
          if (state.reserve(node, request)) held[node]!.push(request);
          else if (held[node]!.length > 0) state.unreserve(node, held[node]!.pop()!);
          const requests = space.zeros();
          requests[CPU] = s.podCpu * CORE;
          requests[MEMORY] = s.podMemoryGiB * GIB;
          requests[PODS] = 1;
          const pod = makeKubePod({ requests, nonZeroCpu: s.podCpu * CORE, nonZeroMemory: s.podMemoryGiB * GIB });
          expect(fit.preFilter!(pod)).toBe(SUCCESS);
          let maxCpu = -Infinity;
          let maxMemory = -Infinity;
          for (let n = 0; n < nodes; n++) {
            maxCpu = Math.max(maxCpu, state.allocatable[CPU]![n]! - state.requested[CPU]![n]!);
            maxMemory = Math.max(maxMemory, state.allocatable[MEMORY]![n]! - state.requested[MEMORY]![n]!);
          }
          // A request above every node's allocatable is unresolvable there: not for the proof.
          const resolvable = s.podCpu <= 8 && s.podMemoryGiB <= 32;
          const expected = resolvable && ((s.podCpu > 0 && s.podCpu * CORE > maxCpu) || (s.podMemoryGiB > 0 && s.podMemoryGiB * GIB > maxMemory));
          expect(fit.rejectsAll!(pod)).toBe(expected);
          if (expected) for (let n = 0; n < nodes; n++) expect(fit.filter!(pod, asNode(n))).not.toBe(SUCCESS);
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
