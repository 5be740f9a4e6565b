/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go,
 * least_allocated.go, most_allocated.go, requested_to_capacity_ratio.go).
 *
 * Filter (fitsRequest): the node must have room for one more pod
 * (allowedPodNumber; always checked, never UnschedulableAndUnresolvable,
 * whatever ignoredResources says), and for the pod's requests in every
 * resource it requests: request ≤ allocatable − requested. A request larger
 * than the whole allocatable is UnschedulableAndUnresolvable.
 * ignoredResources and ignoredResourceGroups skip extended resources only.
 * A node whose pods already exceed its allocatable (an imported cluster)
 * has negative room: it rejects every pod that requests that resource.
 *
 * Score: one of three strategies over the configured resources (which
 * figures each reads: resource-allocation.ts), with Go's integer truncation
 * where upstream truncates. Requests above allocatable (over-committed
 * nodes, or CPU and memory defaults for pods without requests) score as
 * upstream does: LeastAllocated 0, MostAllocated clamped to allocatable,
 * RequestedToCapacityRatio at utilisation 100.
 */
import { z } from 'zod';
import type { NodeIndex } from '../../../core/ids.js';
import { CPU, MEMORY, NVME, PODS } from '../../../model/resources.js';
import { EVENT_NODE_ADD, EVENT_POD_DELETE } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { MAX_NODE_SCORE, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';
import { isExtendedResourceName, SCORED_CPU, SCORED_MEMORY, SCORED_SCALAR, SCORED_STORAGE, scoredResources } from '../resource-allocation.js';

export const NAME = 'NodeResourcesFit';

/** config.MaxCustomPriorityScore: shape scores are 0…10 and scaled to 0…100. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;

const resourceSpec = z.strictObject({ name: z.string().min(1), weight: z.number().int().min(0).max(100).default(1) });

export const argsSchema = z
  .strictObject({
    scoringStrategy: z
      .strictObject({
        type: z.enum(['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio']).default('LeastAllocated'),
        resources: z.array(resourceSpec).default([]),
        requestedToCapacityRatio: z
          .strictObject({
            shape: z
              .array(z.strictObject({ utilization: z.number().int().min(0).max(100), score: z.number().int().min(0).max(MAX_CUSTOM_PRIORITY_SCORE) }))
              .min(1),
          })
          .optional(),
      })
      .default({ type: 'LeastAllocated', resources: [] }),
    ignoredResources: z.array(z.string()).default([]),
    ignoredResourceGroups: z.array(z.string()).default([]),
  })
  .superRefine((a, ctx) => {
    const shape = a.scoringStrategy.requestedToCapacityRatio?.shape;
    if (a.scoringStrategy.type === 'RequestedToCapacityRatio' && shape === undefined) {
      ctx.addIssue({ code: 'custom', message: 'RequestedToCapacityRatio needs requestedToCapacityRatio.shape', path: ['scoringStrategy'] });
    }
    shape?.forEach((p, i) => {
      if (i > 0 && p.utilization <= shape[i - 1]!.utilization) {
        ctx.addIssue({ code: 'custom', message: 'shape utilizations must increase strictly', path: ['scoringStrategy', 'requestedToCapacityRatio', 'shape', i, 'utilization'] });
      }
    });
  });

export type FitArgs = z.output<typeof argsSchema>;

/**
 * BuildBrokenLinearFunction (plugins/helper/shape_score.go): the score at
 * utilization p, interpolated between shape points with Go's truncating
 * integer division; flat before the first point and after the last.
 */
export function brokenLinear(shape: readonly { utilization: number; score: number }[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    const pi = shape[i]!;
    if (p <= pi.utilization) {
      if (i === 0) return pi.score;
      const prev = shape[i - 1]!;
      return prev.score + Math.trunc(((pi.score - prev.score) * (p - prev.utilization)) / (pi.utilization - prev.utilization));
    }
  }
  return shape[shape.length - 1]!.score;
}

/** Bit set in a rejection code when some request exceeds the node's whole allocatable. */
const UNRESOLVABLE = 1 << 30;
const CPU_BIT = 1 << CPU;
const MEMORY_BIT = 1 << MEMORY;
/** "Too many pods": set when the node already holds its allowed number of pods. */
const PODS_BIT = 1 << PODS;

export const nodeResourcesFit: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const args = argsSchema.parse(rawArgs ?? {});
  const view = cluster.view;
  const { allocatable, requested, space } = view;
  const strategy = args.scoringStrategy;
  const configured = strategy.resources.length > 0 ? strategy.resources : [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const { kinds, dims } = scoredResources(
    space,
    configured.map((r) => r.name),
  );
  // A weight of 0 defaults to 1 (SetDefaults_NodeResourcesFitArgs).
  const weights = Float64Array.from(configured, (r) => (r.weight === 0 ? 1 : r.weight));
  const shape = (strategy.requestedToCapacityRatio?.shape ?? []).map((p) => ({
    utilization: p.utilization,
    score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE),
  }));
  const ignored = new Set(args.ignoredResources);
  const ignoredGroups = new Set(args.ignoredResourceGroups);
  // Only extended resources can be ignored; the pod count and CPU and memory are checked apart.
  const ignoredDim = new Uint8Array(space.size);
  space.names.forEach((name, d) => {
    if (!isExtendedResourceName(name)) return;
    if (ignored.has(name) || ignoredGroups.has(name.slice(0, name.indexOf('/')))) ignoredDim[d] = 1;
  });
  const strategyType = strategy.type;
  // Allocatable never changes in a run: a request at most every node's allocatable is never unresolvable.
  const minAllocatable = Float64Array.from(allocatable, (a) => (a.length === 0 ? 0 : a.reduce((m, x) => Math.min(m, x), Infinity)));
  /** The most CPU and memory free on any node (negative on over-committed nodes), as of cluster version `freeVersion`. */
  let maxFreeCpu = 0;
  let maxFreeMemory = 0;
  let freeVersion = -1;
  /** Where the last scan found room for a pod: the next scan starts there, as the next pod most likely fits there too. */
  let witness = 0;

  const allocCpu = allocatable[CPU]!;
  const allocMemory = allocatable[MEMORY]!;
  const allocPods = allocatable[PODS]!;
  const { nonZeroCpu, nonZeroMemory, overlay } = cluster;
  const leastCpuMemory = strategyType === 'LeastAllocated' && kinds.length === 2 && kinds[0] === SCORED_CPU && kinds[1] === SCORED_MEMORY;
  const wCpu = weights[0] ?? 1;
  const wMemory = weights[1] ?? 1;
  const requestedCpu = requested[CPU]!;
  const requestedMemory = requested[MEMORY]!;
  const requestedPods = requested[PODS]!;
  /** The pod's CPU and memory requests and the other dimensions it requests (not the pod count), found once per pod in PreFilter. */
  let podCpu = 0;
  let podMemory = 0;
  const podDims = new Int32Array(space.size);
  let podDimCount = 0;

  /** One resource's score from requested (including the pod) and allocatable, by the configured strategy. */
  const resourceScore = (req: number, alloc: number): number => {
    if (strategyType === 'LeastAllocated') return req > alloc ? 0 : Math.trunc(((alloc - req) * MAX_NODE_SCORE) / alloc);
    if (strategyType === 'MostAllocated') return Math.trunc((Math.min(req, alloc) * MAX_NODE_SCORE) / alloc);
    const utilization = req > alloc ? MAX_NODE_SCORE : Math.trunc((req * MAX_NODE_SCORE) / alloc);
    return brokenLinear(shape, utilization);
  };

  /**
   * fitsRequest on one node, whose requested is shifted by `delta` (a what-if
   * overlay, or null): the rejection bits, or SUCCESS.
   */
  const fitsRequest = (pod: { readonly requests: Float64Array }, node: number, delta: Float64Array | null): number => {
    let code = 0;
    // len(nodeInfo.Pods) + 1 > allowedPodNumber: resolvable, whatever the node's size.
    if (requestedPods[node]! + (delta === null ? 0 : delta[PODS]!) + 1 > allocPods[node]!) code = PODS_BIT;
    if (podCpu > 0 && podCpu > allocCpu[node]! - requestedCpu[node]! - (delta === null ? 0 : delta[CPU]!)) {
      code |= podCpu > allocCpu[node]! ? CPU_BIT | UNRESOLVABLE : CPU_BIT;
    }
    if (podMemory > 0 && podMemory > allocMemory[node]! - requestedMemory[node]! - (delta === null ? 0 : delta[MEMORY]!)) {
      code |= podMemory > allocMemory[node]! ? MEMORY_BIT | UNRESOLVABLE : MEMORY_BIT;
    }
    const r = pod.requests;
    for (let k = 0; k < podDimCount; k++) {
      const d = podDims[k]!;
      const want = r[d]!;
      const a = allocatable[d]![node]!;
      if (want > a - requested[d]![node]! - (delta === null ? 0 : delta[d]!)) {
        code |= 1 << Math.min(d, 29);
        if (want > a) code |= UNRESOLVABLE;
      }
    }
    return code;
  };

  return {
    name: NAME,
    preFilterNeverRejects: true,
    preFilter(pod) {
      podDimCount = 0;
      const r = pod.requests;
      podCpu = r[CPU]!;
      podMemory = r[MEMORY]!;
      // CPU and memory are checked first and inline, the pod count apart; the loop covers the rest.
      for (let d = 0; d < r.length; d++) if (d !== CPU && d !== MEMORY && d !== PODS && r[d]! > 0 && ignoredDim[d] === 0) podDims[podDimCount++] = d;
      return SUCCESS;
    },
    filterNodes(pod, nodes, count, codes) {
      // The batch never sees a what-if overlay.
      let rejected = 0;
      for (let i = 0; i < count; i++) {
        const code = fitsRequest(pod, nodes[i]!, null);
        codes[i] = code;
        if (code !== SUCCESS) rejected++;
      }
      return rejected;
    },
    scoreNodes(pod, nodes, count, out) {
      if (leastCpuMemory) {
        // LeastAllocated on CPU and memory (the default), inline; the same arithmetic as score().
        const pC = pod.nonZeroCpu;
        const pM = pod.nonZeroMemory;
        const wSum = wCpu + wMemory;
        for (let i = 0; i < count; i++) {
          const node = nodes[i]!;
          const aC = allocCpu[node]!;
          const aM = allocMemory[node]!;
          if (aC > 0 && aM > 0) {
            const rC = nonZeroCpu[node]! + pC;
            const rM = nonZeroMemory[node]! + pM;
            const sC = rC > aC ? 0 : Math.trunc(((aC - rC) * MAX_NODE_SCORE) / aC);
            const sM = rM > aM ? 0 : Math.trunc(((aM - rM) * MAX_NODE_SCORE) / aM);
            out[i] = Math.trunc((sC * wCpu + sM * wMemory) / wSum);
          } else {
            out[i] = this.score!(pod, node as NodeIndex);
          }
        }
        return;
      }
      for (let i = 0; i < count; i++) out[i] = this.score!(pod, nodes[i]! as NodeIndex);
    },
    filter(pod, node) {
      // A what-if change to this node's pods (preemption's dry run, nominated pods) shifts its requested.
      const code = fitsRequest(pod, node, node === cluster.overlayNode ? overlay : null);
      return code === 0 ? SUCCESS : code;
    },
    rejectsAll(pod) {
      // Unresolvable on some node: that node's status differs, so leave it to the walk.
      if (podCpu > minAllocatable[CPU]! || podMemory > minAllocatable[MEMORY]!) return false;
      for (let k = 0; k < podDimCount; k++) if (pod.requests[podDims[k]!]! > minAllocatable[podDims[k]!]!) return false;
      if (freeVersion !== view.version) {
        // A node with room for the pod's CPU and one with room for its memory (the same or not) end the scan at
        // once: the pod is not rejected everywhere. Only a scan that finds neither needs every node, and then
        // its maxima hold for every pod until the cluster changes.
        const n = view.nodeCount;
        let cpu = -Infinity;
        let memory = -Infinity;
        for (let k = 0, i = witness; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
          cpu = Math.max(cpu, allocCpu[i]! - requestedCpu[i]!);
          memory = Math.max(memory, allocMemory[i]! - requestedMemory[i]!);
          if ((podCpu <= 0 || podCpu <= cpu) && (podMemory <= 0 || podMemory <= memory)) {
            witness = i;
            return false;
          }
        }
        freeVersion = view.version;
        maxFreeCpu = cpu;
        maxFreeMemory = memory;
      }
      return (podCpu > 0 && podCpu > maxFreeCpu) || (podMemory > 0 && podMemory > maxFreeMemory);
    },
    unresolvable: (code) => (code & UNRESOLVABLE) !== 0,
    // EventsToRegister: Pod/Delete (isSchedulableAfterPodEvent: any assigned pod's deletion queues) and
    // Node/Add | UpdateNodeAllocatable (allocatable does not change during a run), whose hint
    // isSchedulableAfterNodeChange queues when the pod fits the added, empty node (isFit: nothing ignored).
    events: { queue: EVENT_POD_DELETE, hint: EVENT_NODE_ADD },
    queueingHint(pod, event) {
      const node = event.node;
      if (allocPods[node]! < 1) return false;
      const r = pod.requests;
      for (let d = 0; d < r.length; d++) if (d !== PODS && r[d]! > allocatable[d]![node]!) return false;
      return true;
    },
    reason(code) {
      // fitsRequest's order: the pod count first, then CPU, memory and the rest.
      const names: string[] = (code & PODS_BIT) !== 0 ? ['Too many pods'] : [];
      for (let d = 0; d < space.size && d < 30; d++) if (d !== PODS && (code & (1 << d)) !== 0) names.push(`Insufficient ${space.names[d]}`);
      return names.join(', ');
    },
    score(pod, node) {
      if (leastCpuMemory) {
        // The default strategy and resources, without the general loop: (free · 100 / alloc) per resource, weighted mean.
        const aC = allocCpu[node]!;
        const aM = allocMemory[node]!;
        if (aC > 0 && aM > 0) {
          const rC = nonZeroCpu[node]! + pod.nonZeroCpu;
          const rM = nonZeroMemory[node]! + pod.nonZeroMemory;
          const sC = rC > aC ? 0 : Math.trunc(((aC - rC) * MAX_NODE_SCORE) / aC);
          const sM = rM > aM ? 0 : Math.trunc(((aM - rM) * MAX_NODE_SCORE) / aM);
          return Math.trunc((sC * wCpu + sM * wMemory) / (wCpu + wMemory));
        }
      }
      let nodeScore = 0;
      let weightSum = 0;
      for (let i = 0; i < kinds.length; i++) {
        // calculateResourceAllocatableRequest: CPU and memory count missing requests as the defaults
        // (NonZeroRequested); ephemeral-storage and scalar resources use actual requests, and a scalar
        // resource the pod does not request is left out; the pod count contributes nothing.
        let req: number;
        let alloc: number;
        switch (kinds[i]) {
          case SCORED_CPU:
            alloc = allocCpu[node]!;
            req = nonZeroCpu[node]! + pod.nonZeroCpu;
            break;
          case SCORED_MEMORY:
            alloc = allocMemory[node]!;
            req = nonZeroMemory[node]! + pod.nonZeroMemory;
            break;
          case SCORED_STORAGE:
            alloc = allocatable[NVME]![node]!;
            req = requested[NVME]![node]! + pod.requests[NVME]!;
            break;
          case SCORED_SCALAR: {
            const d = dims[i]!;
            const podReq = pod.requests[d]!;
            if (podReq === 0) continue;
            alloc = allocatable[d]![node]!;
            req = requested[d]![node]! + podReq;
            break;
          }
          default:
            continue;
        }
        if (alloc === 0) continue;
        const rs = resourceScore(req, alloc);
        // RequestedToCapacityRatio counts only resources with a positive score, weight included.
        if (strategyType === 'RequestedToCapacityRatio' && rs <= 0) continue;
        const w = weights[i]!;
        nodeScore += rs * w;
        weightSum += w;
      }
      if (weightSum === 0) return 0;
      // RequestedToCapacityRatio rounds (math.Round); the others truncate.
      return strategyType === 'RequestedToCapacityRatio' ? Math.round(nodeScore / weightSum) : Math.trunc(nodeScore / weightSum);
    },
  };
};
