/** Splitting a sweep's runs into n deterministic slices, one per machine or Job pod. */
import { UsageError } from '../core/errors.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** `--shard i/n`, 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n, e.g. --shard 1/4`);
  }
  return { index, count };
}

/**
 * The shard a Kubernetes Indexed Job pod runs: JOB_COMPLETION_INDEX (0-based,
 * set by the Job controller) and JOB_COMPLETION_COUNT (set in the manifest,
 * equal to the Job's completions).
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const index = env.JOB_COMPLETION_INDEX;
  if (index === undefined || index === '') return undefined;
  const count = env.JOB_COMPLETION_COUNT;
  if (count === undefined || count === '') {
    throw new UsageError('JOB_COMPLETION_INDEX is set but JOB_COMPLETION_COUNT is not: set it to the Job\'s completions (see deploy/kubernetes/sweep-job.yaml), or pass --shard i/n');
  }
  if (!/^\d+$/.test(index) || !/^\d+$/.test(count)) {
    throw new UsageError(`JOB_COMPLETION_INDEX=${index}, JOB_COMPLETION_COUNT=${count}: expected non-negative integers`);
  }
  return parseShard(`${Number(index) + 1}/${count}`);
}

/**
 * The runs of one shard: in key order, every n-th starting at i − 1. Keys are
 * hashes, so each shard gets a similar mix of scenarios and schedulers.
 */
export function selectShard<T extends { readonly key: string }>(runs: readonly T[], shard: Shard | undefined): T[] {
  const sorted = [...runs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (shard === undefined) return sorted;
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
