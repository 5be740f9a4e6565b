/**
 * Node capacity inverses for the multi-resource policies (best/worst fit
 * under l1, l2 and l∞, Tetris, l2-norm): every dimension of the cluster's
 * resource space except the pod count, each divided by the node's
 * allocatable amount. The inverses are computed once per cluster, so a
 * decision multiplies instead of dividing and allocates nothing.
 */
import type { ClusterView } from '../model/cluster-state.js';
import { PODS } from '../model/resources.js';

export class NormalizedCapacity {
  /** The measured dimensions: every dimension but the pod count. */
  readonly dims: Int32Array;
  /** inverse[i][node] = 1 / allocatable of dims[i] on node, or 0 where the node has none of it. */
  readonly inverse: Float64Array[];
  private cluster: ClusterView;

  constructor(cluster: ClusterView) {
    const all = cluster.space.size;
    const dims: number[] = [];
    for (let d = 0; d < all; d++) if (d !== PODS) dims.push(d);
    this.dims = Int32Array.from(dims);
    this.inverse = dims.map(() => new Float64Array(cluster.nodeCount));
    this.cluster = cluster;
    this.fill();
  }

  /** Makes the inverses describe `cluster` (recomputed only when it is another cluster than last time). */
  on(cluster: ClusterView): this {
    if (cluster === this.cluster) return this;
    this.cluster = cluster;
    if (this.inverse[0] === undefined || this.inverse[0].length !== cluster.nodeCount) {
      for (let i = 0; i < this.inverse.length; i++) this.inverse[i] = new Float64Array(cluster.nodeCount);
    }
    this.fill();
    return this;
  }

  private fill(): void {
    const { allocatable, nodeCount } = this.cluster;
    for (let i = 0; i < this.dims.length; i++) {
      const alloc = allocatable[this.dims[i]!]!;
      const inv = this.inverse[i]!;
      for (let n = 0; n < nodeCount; n++) inv[n] = alloc[n]! > 0 ? 1 / alloc[n]! : 0;
    }
  }
}
