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
 * `--shard-index k/n`: shard k of n counted from 0, as a Kubernetes Indexed
 * Job numbers its pods (JOB_COMPLETION_INDEX), so a pod's arguments can say
 * `--shard-index $(JOB_COMPLETION_INDEX)/4`. The same shard as `--shard k+1/n`.
 */
export function parseShardIndex(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard-index ${text}: expected k/n with 0 ≤ k < n (k counted from 0, as JOB_COMPLETION_INDEX), e.g. --shard-index 0/4`);
  }
  return { index: index + 1, count };
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
    throw new UsageError('JOB_COMPLETION_INDEX is set but JOB_COMPLETION_COUNT is not: set it to the Job\'s completions (rackbench deploy sweep renders manifests that do), or pass --shard i/n');
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
