/**
 * Branch and bound over a FreeCapacityTree for best fit (least normalized
 * capacity left, `remainingAfter`) and worst fit (most left), returning
 * exactly the node the full scan returns: the best score, ties to the lowest
 * node index.
 *
 * Why it is exact: a subtree is skipped only when a bound proves that no
 * node in it can beat the incumbent, counting the tie-break (a subtree whose
 * bound equals the incumbent's score is skipped only if all its nodes have
 * higher indices). The bounds are computed with the same floating-point
 * operations, in the same order, as `remainingAfter`, on the subtree's
 * extreme free and allocatable values; rounding is monotone, so each bound
 * is a true bound on the score the scan computes, not just on the real
 * number. Leaves are confirmed with `pod.fitsOn` and scored by
 * `remainingAfter` itself.
 */
import { asNode, NO_NODE } from '../../core/ids.js';
import type { NodeIndex } from '../../core/ids.js';
import { PODS } from '../../model/resources.js';
import { remainingAfter } from '../fit.js';
import type { PodView } from '../types.js';
import type { FreeCapacityTree } from './free-capacity-tree.js';

/**
 * Whether the pod is measured on some dimension (`remainingAfter`'s first
 * case); when not, its score reads CPU and memory shares no index bounds, and
 * callers scan instead.
 */
export function measurable(request: Float64Array): boolean {
  for (let d = 0; d < request.length; d++) if (d !== PODS && request[d]! > 0) return true;
  return false;
}

/** Deep enough for any tree: a depth-first stack holds at most one pending sibling per level. */
const STACK = 64;

export class ScoreSearch {
  private readonly stackNode = new Int32Array(STACK);
  private readonly stackBound = new Float64Array(STACK);
  private readonly levels: number;
  private integral = true;
  /** Tree nodes whose bounds the last search computed, for tests and benchmarks. */
  visited = 0;

  constructor(private readonly tree: FreeCapacityTree) {
    this.levels = 31 - Math.clz32(tree.leaves);
  }

  /** The node a full scan minimizing (best fit) or maximizing (worst fit) `remainingAfter` returns. */
  search(pod: PodView, minimize: boolean): NodeIndex {
    const tree = this.tree;
    if (minimize && !tree.withMin) throw new Error('best-fit bounds need a FreeCapacityTree built withMin');
    const request = pod.requests;
    tree.setRequest(request);
    this.integral = tree.integral && this.requestIntegral(request);
    const n = tree.cluster.nodeCount;
    const leaves = tree.leaves;
    const stackNode = this.stackNode;
    const stackBound = this.stackBound;
    let best = NO_NODE as number;
    let bestScore = minimize ? Infinity : -Infinity;
    let top = 0;
    this.visited = 1;
    if (!tree.mayFit(1)) return NO_NODE;
    stackNode[0] = 1;
    stackBound[0] = this.bound(1, minimize);
    top = 1;
    while (top > 0) {
      top--;
      const i = stackNode[top]!;
      const b = stackBound[top]!;
      // The incumbent may have improved since this subtree was pushed.
      if (!this.promising(b, i, bestScore, best, minimize)) continue;
      if (i >= leaves) {
        const node = i - leaves;
        if (node >= n || !pod.fitsOn(asNode(node))) continue;
        const s = remainingAfter(tree.cluster, asNode(node), request);
        if (minimize ? s < bestScore || (s === bestScore && node < best) : s > bestScore || (s === bestScore && node < best)) {
          bestScore = s;
          best = node;
        }
        continue;
      }
      const l = 2 * i;
      const r = l + 1;
      const lOk = tree.mayFit(l);
      const rOk = tree.mayFit(r);
      this.visited += 2;
      const lb = lOk ? this.bound(l, minimize) : NaN;
      const rb = rOk ? this.bound(r, minimize) : NaN;
      const lGo = lOk && this.promising(lb, l, bestScore, best, minimize);
      const rGo = rOk && this.promising(rb, r, bestScore, best, minimize);
      // Push the less promising child first, so the better one is explored first (left on a tie).
      const rFirst = lGo && rGo && (minimize ? rb >= lb : rb <= lb);
      if (rFirst) {
        stackNode[top] = r;
        stackBound[top++] = rb;
        stackNode[top] = l;
        stackBound[top++] = lb;
      } else {
        if (lGo) {
          stackNode[top] = l;
          stackBound[top++] = lb;
        }
        if (rGo) {
          stackNode[top] = r;
          stackBound[top++] = rb;
        }
      }
    }
    return best as NodeIndex;
  }

  /**
   * Whether a subtree with bound `b` could hold a node that beats the
   * incumbent: a strictly better score, or an equal one at a lower index.
   */
  private promising(b: number, i: number, bestScore: number, best: number, minimize: boolean): boolean {
    if (minimize ? b < bestScore : b > bestScore) return true;
    return b === bestScore && this.firstLeaf(i) < best;
  }

  private firstLeaf(i: number): number {
    const depth = 31 - Math.clz32(i);
    return (i << (this.levels - depth)) - this.tree.leaves;
  }

  /**
   * A bound on `remainingAfter` over the nodes under tree node `i` that the
   * pod fits: a lower bound when minimizing, an upper one when maximizing.
   * Per measured dimension, (free − r) / alloc is bounded from the subtree's
   * smallest (largest) free and the allocatable that makes the quotient
   * smallest (largest) given the numerator's sign.
   */
  private bound(i: number, minimize: boolean): number {
    const { reqDims, reqValues, reqCount, dims, minFree, maxFree, minAlloc, maxAlloc } = this.tree;
    const at = i * dims;
    let sum = 0;
    for (let k = 0; k < reqCount; k++) {
      const d = reqDims[k]!;
      if (d === PODS) continue;
      const r = reqValues[k]!;
      if (minimize) {
        const x = minFree[at + d]! - r;
        // With integers a node the pod fits has free − r ≥ 0 exactly, so 0 bounds its term.
        sum += x >= 0 ? x / maxAlloc[at + d]! : this.integral ? 0 : x / minAlloc[at + d]!;
      } else {
        const x = maxFree[at + d]! - r;
        sum += x >= 0 ? x / minAlloc[at + d]! : x / maxAlloc[at + d]!;
      }
    }
    return sum;
  }

  private requestIntegral(request: Float64Array): boolean {
    for (let d = 0; d < request.length; d++) if (!Number.isSafeInteger(request[d]!)) return false;
    return true;
  }
}
