/**
 * What `--survive k` tests at each node count N: with N nodes, losing any k
 * nodes at the worst moment still meets every SLO (docs/capacity.md).
 *
 * - k nodes fail at each of several times, from the peak minus the eviction
 *   delay (grace period + toleration, so that the pods are evicted exactly
 *   at the peak and must find room while demand is highest) to the end of
 *   the busy period, in steps of at most 5 minutes. Which k: each node of
 *   the cluster in turn with the k − 1 most loaded others at that moment
 *   (select every, the default: N runs per time; the turn of the most loaded
 *   node is the k most loaded nodes, and a lighter node whose loss hurts
 *   more is tried too); the k most loaded nodes only (select most-loaded,
 *   one run per time: cheaper, but on scenarios/capacity/office-survive.yaml
 *   it answers a count where a lighter node's loss misses an SLO); or k
 *   random nodes (select random, one run per time).
 * - Losing k nodes before the busy period leaves N − k nodes for all of it:
 *   N − k nodes without a failure must meet the SLOs too.
 * - And N nodes without a failure, the run whose figures (headroom, power)
 *   the answer reports.
 *
 * Every seed must pass every case.
 */
import { MICROS_PER_SECOND } from '../core/ids.js';

/** The longest step between two failure times tried. */
export const MAX_FAILURE_STEP = 5 * 60 * MICROS_PER_SECOND;

/** One run setting at a node count: the sized pool's count and, when set, k nodes failing at `failAt`. */
export interface SurviveCase {
  /** For messages: `no failure`, `N−k nodes, no failure`, `k failed at 14m10s`. */
  readonly label: string;
  /** The sized pool's count in this case. */
  readonly nodes: number;
  /** When the k nodes fail (µs), or undefined for no failure. */
  readonly failAt?: number | undefined;
  /** The node failing by name (with the k − 1 most loaded others), or undefined to choose all k by the plan's select. */
  readonly node?: string | undefined;
}

export interface SurvivePlan {
  readonly k: number;
  readonly select: 'most-loaded' | 'every' | 'random';
  /** The moment of peak demand (µs). */
  readonly peak: number;
  /** From a node's failure to its pods' eviction: monitorGracePeriod + tolerationSeconds (µs). */
  readonly evictionDelay: number;
  /** The end of the busy period (µs): the last failure time tried. */
  readonly busyUntil: number;
  /** Failure times tried (µs), increasing. */
  readonly times: readonly number[];
}

/** Failure times from peak − evictionDelay (not before 0) to busyUntil, both included, evenly spaced at most MAX_FAILURE_STEP apart. */
export function failureTimes(peak: number, evictionDelay: number, busyUntil: number): number[] {
  const start = Math.max(0, peak - evictionDelay);
  const end = Math.max(start, busyUntil);
  const steps = Math.ceil((end - start) / MAX_FAILURE_STEP);
  if (steps === 0) return [start];
  return Array.from({ length: steps + 1 }, (_, i) => start + Math.round((i * (end - start)) / steps));
}

/** A duration for a label: 14m10s, 1h2m, 45s, 1.5s. */
export function durationText(us: number): string {
  let s = us / MICROS_PER_SECOND;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Number.isInteger(s) ? String(s) : String(Math.round(s * 1000) / 1000);
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || (h === 0 && m === 0) ? `${sec}s` : ''}`;
}

/**
 * The cases run at `nodes` of the sized pool (`names`: every node of that
 * cluster): no failure first, then (with a plan) N − k without failure, then
 * each failure time once (most-loaded, random) or × each node (every).
 */
export function surviveCases(nodes: number, plan: SurvivePlan | undefined, names: readonly string[] = []): SurviveCase[] {
  const plain: SurviveCase = { label: 'no failure', nodes };
  if (plan === undefined || plan.k === 0) return [plain];
  const others = plan.k > 1 ? ` and the ${plan.k - 1} most loaded others` : '';
  const failing = plan.times.flatMap((t): SurviveCase[] =>
    plan.select !== 'every' || names.length === 0
      ? [{ label: `${plan.k} ${plan.select === 'random' ? 'random' : 'most loaded'} failed at ${durationText(t)}`, nodes, failAt: t }]
      : names.map((node) => ({ label: `${node}${others} failed at ${durationText(t)}`, nodes, failAt: t, node })),
  );
  return [plain, { label: `${nodes - plan.k} nodes, no failure`, nodes: nodes - plan.k }, ...failing];
}
