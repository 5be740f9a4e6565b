/**
 * Dominant Resource Fairness by progressive filling (Ghodsi, Zaharia,
 * Hindman, Konwinski, Shenker, Stoica, "Dominant Resource Fairness: Fair
 * Allocation of Multiple Resource Types", NSDI 2011, section 4 and
 * Algorithm 1). A user's dominant share is the largest, over resources, of
 * the fraction of the capacity its tasks hold. Repeatedly, the user with the
 * smallest dominant share (ties: the lowest index) among those not yet
 * saturated launches one more task if it fits in what is left; a user whose
 * next task does not fit, or who reached its task limit, is saturated and
 * the others go on. The result is the DRF allocation of the paper: with
 * capacity ⟨9 CPU, 18 GB⟩, tasks ⟨1 CPU, 4 GB⟩ for A and ⟨3 CPU, 1 GB⟩ for B,
 * A gets 3 tasks and B 2, both with a dominant share of 2/3.
 */
import { dominantShare, shareKey } from '../dominant-share.js';

export interface DrfConstraints {
  /** The most tasks each user wants (default: unbounded); a user whose demand is all zeros needs a finite limit. */
  readonly maxTasks?: readonly number[];
}

export interface DrfAllocation {
  /** Tasks launched per user. */
  readonly tasks: number[];
  /** Each user's dominant share at the end: tasks × max over resources of demand / capacity. */
  readonly dominantShares: number[];
  /** Amount of each resource allocated in all. */
  readonly used: number[];
  /** The user of each task, in launch order. */
  readonly sequence: number[];
}

/**
 * Allocates tasks to users with per-task `demands` (one vector per user,
 * as long as `capacity`) by DRF progressive filling. Synchronous and pure.
 * Throws a RangeError for a non-positive capacity, a demand vector of the
 * wrong length or with a negative entry, or an all-zero demand without a
 * finite task limit.
 */
export function drfAllocate(capacity: readonly number[], demands: readonly (readonly number[])[], constraints: DrfConstraints = {}): DrfAllocation {
  const resources = capacity.length;
  for (const c of capacity) if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`capacity ${c}: expected a positive number`);
  const users = demands.length;
  const limit = demands.map((_, u) => constraints.maxTasks?.[u] ?? Infinity);
  demands.forEach((d, u) => {
    if (d.length !== resources) throw new RangeError(`user ${u}: expected ${resources} demands, got ${d.length}`);
    d.forEach((x, r) => {
      if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`user ${u}: demand ${x} for resource ${r + 1}: expected a non-negative number`);
    });
    if (dominantShare(d, capacity, -1) === 0 && limit[u] === Infinity) throw new RangeError(`user ${u} demands nothing: give it a finite maxTasks`);
  });
  // What each user's tasks hold, resource by resource.
  const held = demands.map(() => new Float64Array(resources));

  const tasks = new Array<number>(users).fill(0);
  const used = new Array<number>(resources).fill(0);
  const saturated = new Array<boolean>(users).fill(false);
  const sequence: number[] = [];
  for (;;) {
    let next = -1;
    let lowest = Infinity;
    for (let u = 0; u < users; u++) {
      if (saturated[u]) continue;
      // Compared by shareKey, so shares equal in exact arithmetic (3 × 4/18 and 2 × 3/9) tie and go to the lower index.
      const share = shareKey(dominantShare(held[u]!, capacity, -1));
      if (share < lowest) {
        lowest = share;
        next = u;
      }
    }
    if (next === -1) break;
    const demand = demands[next]!;
    const fits = tasks[next]! < limit[next]! && demand.every((x, r) => used[r]! + x <= capacity[r]! * (1 + 1e-12));
    if (!fits) {
      saturated[next] = true;
      continue;
    }
    tasks[next]!++;
    demand.forEach((x, r) => {
      used[r]! += x;
      held[next]![r]! += x;
    });
    sequence.push(next);
  }
  return { tasks, dominantShares: held.map((h) => dominantShare(h, capacity, -1)), used, sequence };
}
