/**
 * A segment tree over node indices holding, per resource dimension, the
 * largest and smallest free capacity (allocatable − requested) in each
 * subtree, plus the largest and smallest allocatable. It answers first fit by
 * descending towards the leftmost subtree that may hold the pod, and bounds
 * best/worst-fit scores for branch and bound (see `ScoreSearch`).
 *
 * The tree only prunes; every candidate is confirmed at its leaf with the
 * pod's own `fitsOn`, so eligibility (selectors, taints) and exact fit are
 * decided exactly as the plain scan decides them.
 *
 * Kept current by `update(node)` after every reserve/unreserve on that node
 * (the policy's onBind/onRelease hooks).
 */
import type { NodeIndex } from '../../core/ids.js';
import { asNode, NO_NODE } from '../../core/ids.js';
import type { ClusterView } from '../../model/cluster-state.js';
import type { PodView } from '../types.js';

/**
 * Relative margin on the fit pruning test, so a node the exact test
 * (requested + r ≤ allocatable) admits is never pruned because
 * allocatable − requested rounded differently. Exact (zero) for integers.
 */
const FIT_MARGIN = 2 ** -45;

export class FreeCapacityTree {
  /** Number of leaves: the smallest power of two ≥ nodeCount (at least 1). */
  readonly leaves: number;
  readonly dims: number;
  /** Per tree node i and dimension d, at [i * dims + d]. Leaves are i = leaves + node. */
  readonly maxFree: Float64Array;
  /** Smallest free over nodes that have the dimension at all (+∞ where none has it); kept only `withMin`. */
  readonly minFree: Float64Array;
  readonly maxAlloc: Float64Array;
  /** Smallest positive allocatable (+∞ where none has the dimension). */
  readonly minAlloc: Float64Array;
  /** How far below `r` the largest free may be and still not prune, per dimension (see FIT_MARGIN). */
  readonly slack: Float64Array;
  /** Whether every allocatable and requested amount seen so far is an integer, so free capacities are exact. */
  integral: boolean;

  /** The pod's requested dimensions (r > 0) for the decision under way. */
  readonly reqDims: Int32Array;
  readonly reqValues: Float64Array;
  reqCount = 0;

  /** Dimensions some node has: on the others nothing is ever requested, so their values never change. */
  private readonly active: Int32Array;

  /** `withMin`: also keep `minFree` (needed only for best-fit bounds). */
  constructor(
    readonly cluster: ClusterView,
    readonly withMin = false,
  ) {
    const n = cluster.nodeCount;
    const dims = cluster.space.size;
    let leaves = 1;
    while (leaves < n) leaves *= 2;
    this.leaves = leaves;
    this.dims = dims;
    const cells = 2 * leaves * dims;
    this.maxFree = new Float64Array(cells).fill(-Infinity);
    this.minFree = new Float64Array(cells).fill(Infinity);
    this.maxAlloc = new Float64Array(cells);
    this.minAlloc = new Float64Array(cells).fill(Infinity);
    this.slack = new Float64Array(dims);
    this.reqDims = new Int32Array(dims);
    this.reqValues = new Float64Array(dims);
    let integral = true;
    for (let d = 0; d < dims; d++) {
      const alloc = cluster.allocatable[d]!;
      let top = 1;
      for (let i = 0; i < n; i++) {
        const a = alloc[i]!;
        if (!Number.isSafeInteger(a)) integral = false;
        top = Math.max(top, Math.abs(a));
        const at = (leaves + i) * dims + d;
        this.maxAlloc[at] = a;
        if (a > 0) this.minAlloc[at] = a;
      }
      this.slack[d] = top * FIT_MARGIN;
    }
    this.integral = integral;
    const active: number[] = [];
    for (let d = 0; d < dims; d++) if (cluster.allocatable[d]!.some((a) => a > 0)) active.push(d);
    this.active = Int32Array.from(active);
    for (let i = 0; i < n; i++) this.writeLeaf(i);
    for (let i = leaves - 1; i >= 1; i--) {
      this.pull(i, this.maxAlloc, true);
      this.pull(i, this.minAlloc, false);
      this.pull(i, this.maxFree, true);
      this.pull(i, this.minFree, false);
    }
  }

  /** Re-reads one node's free capacity from the cluster and fixes its ancestors. */
  update(node: NodeIndex): void {
    this.writeLeaf(node);
    const { dims, active, maxFree, minFree } = this;
    const leaf = this.leaves + node;
    // Dimension by dimension, climbing only while the aggregate changes: above an unchanged one nothing can change.
    for (let k = 0; k < active.length; k++) {
      const d = active[k]!;
      for (let i = leaf >> 1; i >= 1; i >>= 1) {
        const l = 2 * i * dims + d;
        const hi = Math.max(maxFree[l]!, maxFree[l + dims]!);
        if (hi === maxFree[i * dims + d]) break;
        maxFree[i * dims + d] = hi;
      }
      if (!this.withMin) continue;
      for (let i = leaf >> 1; i >= 1; i >>= 1) {
        const l = 2 * i * dims + d;
        const lo = Math.min(minFree[l]!, minFree[l + dims]!);
        if (lo === minFree[i * dims + d]) break;
        minFree[i * dims + d] = lo;
      }
    }
  }

  /** Records the pod's requested dimensions for the `mayFit` calls of one decision. */
  setRequest(request: Float64Array): void {
    let k = 0;
    for (let d = 0; d < request.length; d++) {
      const r = request[d]!;
      if (r > 0) {
        this.reqDims[k] = d;
        this.reqValues[k] = r;
        k++;
      }
    }
    this.reqCount = k;
  }

  /** False only when no node under tree node `i` can have the free capacity the request needs. */
  mayFit(i: number): boolean {
    const { reqDims, reqValues, maxFree, slack, dims } = this;
    const at = i * dims;
    for (let k = 0; k < this.reqCount; k++) {
      const d = reqDims[k]!;
      if (reqValues[k]! - maxFree[at + d]! > slack[d]!) return false;
    }
    return true;
  }

  /** The lowest-indexed node `pod.fitsOn` accepts: what a scan in node order returns. */
  firstFit(pod: PodView): NodeIndex {
    this.setRequest(pod.requests);
    const { leaves } = this;
    const n = this.cluster.nodeCount;
    let i = 1;
    for (;;) {
      if (this.mayFit(i)) {
        if (i < leaves) {
          i = 2 * i;
          continue;
        }
        const node = i - leaves;
        if (node < n && pod.fitsOn(asNode(node))) return asNode(node);
      }
      // Next subtree to the right: climb while a right child, then step to the sibling.
      while ((i & 1) === 1) i >>= 1;
      if (i === 0) return NO_NODE;
      i++;
    }
  }

  /** The node index of the leftmost leaf under tree node `i`. */
  firstLeaf(i: number): number {
    while (i < this.leaves) i = 2 * i;
    return i - this.leaves;
  }

  private writeLeaf(node: number): void {
    const { dims, cluster, active } = this;
    const at = (this.leaves + node) * dims;
    for (let k = 0; k < active.length; k++) {
      const d = active[k]!;
      const alloc = cluster.allocatable[d]![node]!;
      // The same expression remainingAfter starts from, so bounds built on it are exact.
      const requested = cluster.requested[d]![node]!;
      if (!Number.isSafeInteger(requested)) this.integral = false;
      const free = alloc - requested;
      this.maxFree[at + d] = free;
      this.minFree[at + d] = alloc > 0 ? free : Infinity;
    }
  }

  private pull(i: number, a: Float64Array, max: boolean): void {
    const { dims } = this;
    const at = i * dims;
    const l = 2 * i * dims;
    const r = l + dims;
    for (let d = 0; d < dims; d++) a[at + d] = max ? Math.max(a[l + d]!, a[r + d]!) : Math.min(a[l + d]!, a[r + d]!);
  }
}
