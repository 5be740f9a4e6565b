/**
 * NodeResourcesBalancedAllocation (plugins/noderesources/balanced_allocation.go):
 * favours nodes whose resource shares would be even after placing the pod.
 * Uses actual requests (no defaults); skips pods that request none of the
 * configured resources (PreScore, isBestEffortPod). Which resources count on
 * a node is resourceAllocationScorer's rule (resource-allocation.ts): not
 * `pods`, not a scalar resource the pod does not request, not one the node
 * has none of; ephemeral-storage even when the pod requests none.
 *   fraction_i = min(1, requested_i / allocatable_i)   (clamped on over-committed nodes)
 *   std = |f0 − f1| / 2 for two resources, the population standard deviation for more
 *   score = ⌊(1 − std) · 100⌋
 */
import { z } from 'zod';
import type { NodeIndex } from '../../../core/ids.js';
import { CPU, MEMORY } from '../../../model/resources.js';
import type { KubeCluster } from '../cluster.js';
import { MAX_NODE_SCORE, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';
import { SCORED_CPU, SCORED_MEMORY, SCORED_NONE, SCORED_SCALAR, scoredResources } from '../resource-allocation.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export const argsSchema = z.strictObject({
  resources: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        // Validation upstream requires every weight to be 1; they are not used.
        weight: z.number().int().min(0).max(1).default(1),
      }),
    )
    .default([]),
});

export const balancedAllocation: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const args = argsSchema.parse(rawArgs ?? {});
  const { allocatable, requested, space } = cluster.view;
  const names = args.resources.length > 0 ? args.resources.map((r) => r.name) : ['cpu', 'memory'];
  const { kinds, dims } = scoredResources(space, names);
  const fractions = new Float64Array(dims.length);
  const cpuAndMemory = kinds.length === 2 && kinds[0] === SCORED_CPU && kinds[1] === SCORED_MEMORY;
  const allocCpu = allocatable[CPU]!;
  const allocMemory = allocatable[MEMORY]!;
  const requestedCpu = requested[CPU]!;
  const requestedMemory = requested[MEMORY]!;
  return {
    name: NAME,
    preScore(pod) {
      // calculatePodResourceRequestList: the pod count is never among a pod's requests.
      for (let k = 0; k < kinds.length; k++) if (kinds[k] !== SCORED_NONE && pod.requests[dims[k]!]! > 0) return SUCCESS;
      return SKIP;
    },
    scoreNodes(pod, nodes, count, out) {
      if (cpuAndMemory) {
        // The default resources, inline; the same arithmetic as score().
        const pC = pod.requests[CPU]!;
        const pM = pod.requests[MEMORY]!;
        for (let i = 0; i < count; i++) {
          const node = nodes[i]!;
          const aC = allocCpu[node]!;
          const aM = allocMemory[node]!;
          if (aC > 0 && aM > 0) {
            let fC = (requestedCpu[node]! + pC) / aC;
            let fM = (requestedMemory[node]! + pM) / aM;
            if (fC > 1) fC = 1;
            if (fM > 1) fM = 1;
            out[i] = Math.trunc((1 - Math.abs((fC - fM) / 2)) * MAX_NODE_SCORE);
          } else {
            out[i] = this.score!(pod, node as NodeIndex);
          }
        }
        return;
      }
      for (let i = 0; i < count; i++) out[i] = this.score!(pod, nodes[i]! as NodeIndex);
    },
    score(pod, node) {
      if (cpuAndMemory) {
        // The default resources: std = |f_cpu − f_memory| / 2, without the general loop.
        const aC = allocCpu[node]!;
        const aM = allocMemory[node]!;
        if (aC > 0 && aM > 0) {
          let fC = (requestedCpu[node]! + pod.requests[CPU]!) / aC;
          let fM = (requestedMemory[node]! + pod.requests[MEMORY]!) / aM;
          if (fC > 1) fC = 1;
          if (fM > 1) fM = 1;
          return Math.trunc((1 - Math.abs((fC - fM) / 2)) * MAX_NODE_SCORE);
        }
      }
      let n = 0;
      for (let k = 0; k < kinds.length; k++) {
        if (kinds[k] === SCORED_NONE) continue;
        const d = dims[k]!;
        const alloc = allocatable[d]![node]!;
        const podReq = pod.requests[d]!;
        // Resources the node lacks, and scalar resources the pod does not request, are left out.
        if (alloc === 0 || (kinds[k] === SCORED_SCALAR && podReq === 0)) continue;
        const f = (requested[d]![node]! + podReq) / alloc;
        fractions[n++] = f > 1 ? 1 : f;
      }
      let std = 0;
      if (n === 2) {
        std = Math.abs((fractions[0]! - fractions[1]!) / 2);
      } else if (n > 2) {
        let total = 0;
        for (let i = 0; i < n; i++) total += fractions[i]!;
        const mean = total / n;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (fractions[i]! - mean) * (fractions[i]! - mean);
        std = Math.sqrt(sum / n);
      }
      return Math.trunc((1 - std) * MAX_NODE_SCORE);
    },
  };
};
