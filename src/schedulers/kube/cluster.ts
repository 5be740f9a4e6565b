/**
 * What kube plugins read about nodes: the shared resource arrays, plus the
 * per-node sums kube-scheduler keeps in NodeInfo that the simulator does not
 * (NonZeroRequested CPU and memory), and the snapshot's node order.
 */
import type { NodeIndex } from '../../core/ids.js';
import type { ClusterView } from '../../model/cluster-state.js';

export class KubeCluster {
  /** NodeInfo.NonZeroRequested: requests with the per-container defaults for missing CPU/memory. */
  readonly nonZeroCpu: Float64Array;
  readonly nonZeroMemory: Float64Array;
  /**
   * The order the scheduler walks nodes in: zones interleaved round-robin, as
   * the scheduler cache's nodeTree lists them (backend/cache/node_tree.go).
   */
  readonly order: Int32Array;

  constructor(readonly view: ClusterView) {
    const n = view.nodeCount;
    this.nonZeroCpu = new Float64Array(n);
    this.nonZeroMemory = new Float64Array(n);
    this.order = zoneInterleavedOrder(view);
  }

  /** Records a pod bound to `node` (after ClusterState.reserve). */
  bind(node: NodeIndex, nonZeroCpu: number, nonZeroMemory: number): void {
    this.nonZeroCpu[node]! += nonZeroCpu;
    this.nonZeroMemory[node]! += nonZeroMemory;
  }

  /** Records a pod leaving `node`. */
  release(node: NodeIndex, nonZeroCpu: number, nonZeroMemory: number): void {
    this.nonZeroCpu[node]! -= nonZeroCpu;
    this.nonZeroMemory[node]! -= nonZeroMemory;
  }
}

/** Nodes grouped by region/zone in order of first appearance, then taken one per zone in turn. */
function zoneInterleavedOrder(view: ClusterView): Int32Array {
  const zones = new Map<string, number[]>();
  for (const node of view.nodes) {
    const key = `${node.labels['topology.kubernetes.io/region'] ?? ''}:\u0000:${node.labels['topology.kubernetes.io/zone'] ?? ''}`;
    const list = zones.get(key);
    if (list) list.push(node.index);
    else zones.set(key, [node.index]);
  }
  const order = new Int32Array(view.nodeCount);
  const lists = [...zones.values()];
  let k = 0;
  for (let round = 0; k < order.length; round++) {
    for (const list of lists) if (round < list.length) order[k++] = list[round]!;
  }
  return order;
}
