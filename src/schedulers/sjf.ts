/**
 * Shortest job first: pending pods are tried in increasing order of their
 * run time (non-preemptive SJF; see e.g. Harchol-Balter, "Performance
 * Modeling and Design of Computer Systems", 2013, chapter 30), equal run
 * times in arrival order. Long-running pods (services, no run time) go last.
 *
 * `sjf` orders by the true run time, which a real scheduler does not know;
 * `sjfEstimate` orders by an estimate, the true run time times a noise
 * factor e^(σ·z) with z standard normal, so the estimate's median is the
 * true run time and σ sets how wrong it is. The factor is a pure function
 * of (seed, the pod's arrival, run time and priority) — a hash, not a
 * stream — so a pod keeps its estimate when it is queued again, and runs
 * are deterministic: the queue policy sees no run seed or pod identity
 * (QueuedPod), so the seed is the policy's own.
 */
import type { QueuedPod, QueuePolicy } from './types.js';

/** The key of a pod that runs until deleted: after every pod with a run time. */
const LAST = Number.MAX_VALUE;

/** Shortest job first by the true run time. */
export const sjf: QueuePolicy = { name: 'sjf', key: (pod) => (pod.duration < 0 ? LAST : pod.duration) };

export interface SjfEstimateConstraints {
  /** σ of the log-normal noise factor (0: exact run times). Default 0.5. */
  readonly sigma?: number;
  /** Seed of the noise. Default 1. */
  readonly seed?: number;
}

export const DEFAULT_SJF_SIGMA = 0.5;

/** A 32-bit mix (the finalizer of MurmurHash3). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds a non-negative number below 2^53 into the hash, low and high 32-bit halves. */
function fold(h: number, x: number): number {
  const v = Math.max(0, Math.floor(x));
  h = mix(h ^ (v >>> 0));
  return mix(h ^ Math.floor(v / 2 ** 32));
}

/** The noise factor of one pod: e^(σ·z), z from two hashed uniforms by Box–Muller. */
export function estimateFactor(pod: QueuedPod, sigma: number, seed: number): number {
  let h = mix(seed >>> 0);
  h = fold(h, pod.arrival);
  h = fold(h, pod.duration);
  h = fold(h, pod.priority + 2 ** 31);
  const u1 = (h + 0.5) / 2 ** 32;
  const u2 = (mix(h ^ 0x9e3779b9) + 0.5) / 2 ** 32;
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(sigma * z);
}

/** Shortest job first by a noisy estimate of the run time (see the module comment). Throws a RangeError for a negative σ. */
export function sjfEstimate(constraints: SjfEstimateConstraints = {}, name = 'sjf-estimate'): QueuePolicy {
  const sigma = constraints.sigma ?? DEFAULT_SJF_SIGMA;
  const seed = constraints.seed ?? 1;
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new RangeError(`sigma ${sigma}: expected a non-negative number`);
  return { name, key: (pod) => (pod.duration < 0 ? LAST : pod.duration * estimateFactor(pod, sigma, seed)) };
}
