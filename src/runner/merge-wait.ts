/**
 * Waiting for a sweep's shards to finish before merging them: a merge started
 * beside the shards (a second Kubernetes Job) polls their directories on the
 * shared volume until each holds a finished shard of the expected sweep.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../core/errors.js';
import { checkUnlocked } from './lock.js';
import type { MergeOptions } from './merge.js';
import { shardProblem } from './merge.js';
import { readManifest } from './result-store.js';

export interface WaitOptions extends MergeOptions {
  readonly timeoutMs: number;
  /** Between looks at the directories. Default: 10 s. */
  readonly pollMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called after each look that found some shard not ready. */
  readonly onWaiting?: ((notReady: readonly string[]) => void) | undefined;
}

/** Why `dir` is not (yet) a finished shard to merge, or undefined when it is. */
function notReady(dir: string, options: MergeOptions): string | undefined {
  try {
    const problem = shardProblem(readManifest(dir), options);
    if (problem !== undefined) return `${dir}: ${problem}`;
    checkUnlocked(dir, 'shard');
    return undefined;
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

/**
 * Resolves once every directory holds a finished shard (sweep.json with
 * complete: true, of the expected sweep and split, its writer gone). Throws
 * UsageError naming the shards still missing when `timeoutMs` passes.
 */
export async function waitForShards(dirs: readonly string[], options: WaitOptions): Promise<void> {
  const start = performance.now();
  for (;;) {
    const waiting = dirs.map((d) => notReady(d, options)).filter((w): w is string => w !== undefined);
    if (waiting.length === 0) return;
    const left = options.timeoutMs - (performance.now() - start);
    if (left <= 0) {
      const shown = waiting.slice(0, 5).join('\n');
      throw new UsageError(
        `${waiting.length} of ${dirs.length} shards not finished after waiting ${Math.round(options.timeoutMs / 1000)} s:\n${shown}${waiting.length > 5 ? `\n… and ${waiting.length - 5} more` : ''}`,
      );
    }
    options.onWaiting?.(waiting);
    try {
      await sleep(Math.min(options.pollMs ?? 10_000, left), undefined, { signal: options.signal });
    } catch {
      throw new UsageError(`interrupted while waiting for ${waiting.length} of ${dirs.length} shards`);
    }
  }
}
