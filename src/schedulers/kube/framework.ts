/**
 * The scheduling framework's contracts, after kube-scheduler's
 * pkg/scheduler/framework (v1.34): plugins are plain objects with one hook per
 * extension point. Codes are small integers and reasons are produced only
 * when asked for (explain), never on the hot path.
 *
 * Per-pod scratch data (upstream's CycleState) lives in each plugin instance:
 * PreFilter/PreScore fill it, Filter/Score read it. A scheduler instance
 * schedules one pod at a time, as kube-scheduler's scheduling cycle does.
 */
import type { NodeIndex } from '../../core/ids.js';
import type { ClusterEvent } from '../types.js';
import type { KubeCluster } from './cluster.js';
import type { KubePod } from './pod.js';

/**
 * EventsToRegister, with queueing hints as v1.34 has them (the
 * SchedulerQueueingHints feature is GA): after an event of `queue` a pod the
 * plugin rejected is worth trying again; after one of `hint` the plugin's
 * queueingHint decides. Masks of the EVENT_* bits (schedulers/types.ts).
 */
export interface RegisteredEvents {
  readonly queue: number;
  readonly hint: number;
}

/** framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100;

/** Filter and PreFilter results. */
export const SUCCESS = 0;
/** PreFilter/PreScore: this plugin has nothing to say about the pod; its Filter/Score is not run this cycle. */
export const SKIP = -1;

export interface KubePlugin {
  readonly name: string;
  /** Returns SUCCESS, SKIP, or a rejection code (> 0) that fails every node. */
  preFilter?(pod: KubePod): number;
  /**
   * True when preFilter returns only SUCCESS or SKIP, whatever the pod: then
   * a pod's PreFilter can be known not to fail without running it (a failed
   * cycle replayed for a like pod, failure-memo.ts).
   */
  readonly preFilterNeverRejects?: boolean;
  /** Returns SUCCESS or a rejection code (> 0). */
  filter?(pod: KubePod, node: NodeIndex): number;
  /** Returns SUCCESS or SKIP (do not score this cycle). `nodes[0..count)` are the feasible nodes. */
  preScore?(pod: KubePod, nodes: Int32Array, count: number): number;
  /** Raw score of a feasible node. */
  score?(pod: KubePod, node: NodeIndex): number;
  /**
   * Optional batch forms of filter and score, for speed only: they must give
   * exactly what calling filter/score on each of nodes[0..count) would give,
   * written to codes/out[0..count). filterNodes returns how many nodes it rejected.
   */
  filterNodes?(pod: KubePod, nodes: Int32Array, count: number, codes: Int32Array): number;
  scoreNodes?(pod: KubePod, nodes: Int32Array, count: number, out: Float64Array): void;
  /**
   * Speed only: true when every feasible node gets the same normalized score
   * this cycle (e.g. no node has a taint this plugin scores). A constant added
   * to every total cannot change which node wins, so the scheduler then skips
   * the plugin's Score, except when explaining a decision.
   */
  uniformScore?(pod: KubePod): boolean;
  /**
   * Speed only: after this cycle's PreFilter, true when Filter is known at
   * once to reject every node, each as plain Unschedulable (resolvable by
   * preemption); false when it cannot tell. Must agree with filter(). Lets a
   * cycle that cannot succeed skip the walk over the nodes.
   */
  rejectsAll?(pod: KubePod): boolean;
  /** Rewrites scores[0..count) (of nodes[0..count)) into [0, MAX_NODE_SCORE]. */
  normalizeScore?(pod: KubePod, scores: Float64Array, nodes: Int32Array, count: number): void;
  /** The events that may make a pod this plugin rejected schedulable; a pod deletion when absent. */
  readonly events?: RegisteredEvents;
  /** The plugin's QueueingHintFn, for an event of events.hint: true is Queue, false QueueSkip. */
  queueingHint?(pod: KubePod, event: ClusterEvent): boolean;
  /** What the node's score is made of, in words (explain only). */
  explainScore?(pod: KubePod, node: NodeIndex): string;
  /** Text for a rejection code (explain only). */
  reason?(code: number): string;
  /** Whether a rejection code cannot be resolved by preemption (UnschedulableAndUnresolvable). */
  unresolvable?(code: number): boolean;
}

/** Builds a plugin for one scheduler instance from its pluginConfig args (already validated). */
export type KubePluginFactory = (args: unknown, cluster: KubeCluster) => KubePlugin;

/**
 * DefaultNormalizeScore (framework/plugins/helper/normalize_score.go):
 * s = 100 · s / max (integer division); reversed s = 100 − s; all zeros stay 0, or become 100 when reversed.
 */
export function defaultNormalizeScore(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
