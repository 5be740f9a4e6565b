/**
 * LoadAwareScheduling, the scheduler plugin of Koordinator
 * (koordinator-sh/koordinator, pkg/scheduler/plugins/loadaware, and its
 * design "Load-aware Scheduling"): places pods on what nodes use, not on
 * what their pods request.
 *
 * Filter: a node whose measured use of a resource is at or above its usage
 * threshold (percent of allocatable; defaults cpu 65, memory 95) is
 * Unschedulable. Only the measured use counts here, not estimates.
 *
 * Score, per resource (cpu and memory, weights 1 by default):
 *   used  = measured use of the node
 *         + the estimate of pods bound there but not yet measured
 *         + the estimate of the pod being placed
 *   score = ⌊(allocatable − used) · 100 ÷ allocatable⌋, 0 when used > allocatable
 * and the node's score is ⌊Σ score · weight ÷ Σ weight⌋ (leastUsedScore,
 * loadAwareSchedulingScorer). A pod's estimate (DefaultEstimator) is its
 * limit when the limit is above its request, else its request times the
 * scaling factor (defaults cpu 85 %, memory 70 %), rounded, at most the
 * limit; a missing request counts as 250m CPU or 200 MiB.
 *
 * Percentages and capacity are of the node's own allocatable (Koordinator's
 * EstimateNode reads the raw allocatable when allocatable is over-committed).
 * In rackbench the node's use is measured at every decision (no reporting
 * lag); pods bound but not yet started are the ones not yet measured, and
 * they are estimated from their summed requests at the scaling factor.
 */
import { z } from 'zod';
import type { NodeIndex } from '../../../core/ids.js';
import { CPU, MEMORY } from '../../../model/resources.js';
import { EVENT_NODE_ADD, EVENT_NODE_TAINT, EVENT_POD_DELETE } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { MAX_NODE_SCORE, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';
import type { KubePod } from '../pod.js';

export const NAME = 'LoadAwareScheduling';

/** Koordinator's estimator defaults for a container that requests no CPU or memory. */
const DEFAULT_MILLI_CPU = 250;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

const perResource = (cpu: number, memory: number) =>
  z
    .strictObject({ cpu: z.number().int().min(0).max(100).optional(), memory: z.number().int().min(0).max(100).optional() })
    .default({ cpu, memory })
    .transform((v) => ({ cpu: v.cpu ?? 0, memory: v.memory ?? 0 }));

export const argsSchema = z.strictObject({
  resourceWeights: perResource(1, 1),
  usageThresholds: perResource(65, 95),
  estimatedScalingFactors: perResource(85, 70),
});

export type LoadAwareArgs = z.output<typeof argsSchema>;

/** Filter rejection: the node's measured use of cpu (1) or memory (2) is at or above its threshold. */
const CPU_OVER = 1;
const MEMORY_OVER = 2;

/** leastUsedScore: the share of capacity left, 0–100, 0 when over. */
export function leastUsedScore(used: number, capacity: number): number {
  if (capacity <= 0 || used > capacity) return 0;
  return Math.floor(((capacity - used) * MAX_NODE_SCORE) / capacity);
}

/** The estimated use of one resource of a pod (DefaultEstimator.EstimatePod). */
export function estimatePod(request: number, limit: number, factor: number, fallback: number): number {
  if (Number.isFinite(limit) && limit > request) return limit;
  if (request === 0) return fallback;
  const estimate = Math.round((request * factor) / 100);
  return Number.isFinite(limit) && estimate > limit ? limit : estimate;
}

export const loadAware: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const args = argsSchema.parse(rawArgs ?? {});
  const { nodes, requested, usage } = cluster.view;
  const weightSum = args.resourceWeights.cpu + args.resourceWeights.memory;
  const { cpu: cpuFactor, memory: memoryFactor } = args.estimatedScalingFactors;

  /** The node's estimated use of cpu and memory with the pod on it. */
  const estimatedCpu = (pod: KubePod, node: NodeIndex): number => {
    const unmeasured = Math.max(0, requested[CPU]![node]! - usage.measuredCpuRequests[node]!);
    const own = estimatePod(pod.requests[CPU]!, pod.limits?.[CPU] ?? Infinity, cpuFactor, DEFAULT_MILLI_CPU);
    return Math.round(usage.cpu[node]!) + Math.round((unmeasured * cpuFactor) / 100) + own;
  };
  const estimatedMemory = (pod: KubePod, node: NodeIndex): number => {
    const unmeasured = Math.max(0, requested[MEMORY]![node]! - usage.measuredMemoryRequests[node]!);
    const own = estimatePod(pod.requests[MEMORY]!, pod.limits?.[MEMORY] ?? Infinity, memoryFactor, DEFAULT_MEMORY);
    return Math.round(usage.memory[node]!) + Math.round((unmeasured * memoryFactor) / 100) + own;
  };

  const plugin: KubePlugin = {
    name: NAME,
    filter(_pod, node) {
      const alloc = nodes[node]!.allocatable;
      if (overThreshold(usage.cpu[node]!, alloc[CPU]!, args.usageThresholds.cpu)) return CPU_OVER;
      if (overThreshold(usage.memory[node]!, alloc[MEMORY]!, args.usageThresholds.memory)) return MEMORY_OVER;
      return SUCCESS;
    },
    score(pod, node) {
      if (weightSum <= 0) return 0;
      const alloc = nodes[node]!.allocatable;
      const cpu = leastUsedScore(estimatedCpu(pod, node), alloc[CPU]!) * args.resourceWeights.cpu;
      const memory = leastUsedScore(estimatedMemory(pod, node), alloc[MEMORY]!) * args.resourceWeights.memory;
      return Math.floor((cpu + memory) / weightSum);
    },
    // A pod leaving lowers a node's use; a node added or back may be below the thresholds. Koordinator's plugin
    // registers no hints, so these requeue at once.
    events: { queue: EVENT_POD_DELETE | EVENT_NODE_ADD | EVENT_NODE_TAINT, hint: 0 },
    reason(code) {
      return code === CPU_OVER ? 'node(s) cpu usage exceed threshold' : 'node(s) memory usage exceed threshold';
    },
    explainScore(pod, node) {
      const alloc = nodes[node]!.allocatable;
      const pct = (v: number, a: number): string => (a > 0 ? `${Math.round((v / a) * 100)}%` : '-');
      return (
        `usage cpu ${Math.round(usage.cpu[node]!)}m (${pct(usage.cpu[node]!, alloc[CPU]!)}), estimated with the pod ${estimatedCpu(pod, node)}m; ` +
        `memory ${pct(usage.memory[node]!, alloc[MEMORY]!)}, estimated ${pct(estimatedMemory(pod, node), alloc[MEMORY]!)}`
      );
    },
  };
  return plugin;
};

/** Whether measured use is at or above the threshold percent of allocatable (0: no threshold); the percentage rounded as Koordinator rounds it. */
function overThreshold(used: number, allocatable: number, threshold: number): boolean {
  if (threshold <= 0 || allocatable <= 0) return false;
  return Math.round((used / allocatable) * 100) >= threshold;
}
