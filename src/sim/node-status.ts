/**
 * Each node's condition as the simulation sees it: whether it is down
 * (failed, or not joined yet), an epoch that changes at every failure,
 * repair and join (so a stale node event is recognised), and whether the
 * control plane lets it take pods — the cluster's schedulable mask, which
 * every policy reads. A node the node lifecycle controller marked NotReady,
 * or one that has not joined, carries the node.kubernetes.io/unreachable
 * NoSchedule taint upstream; here it is left out of the mask.
 */
import type { NodeIndex } from '../core/ids.js';
import { asNode } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import type { PlacementPolicy } from '../schedulers/types.js';
import type { Kernel } from './kernel.js';

export class NodeStatus {
  /** 1 while the node is failed or has not joined. */
  readonly down: Uint8Array;
  /** Bumped at every failure, repair and join. */
  readonly epoch: Int32Array;

  constructor(
    private readonly cluster: ClusterState,
    private readonly policy: PlacementPolicy,
  ) {
    const n = cluster.nodeCount;
    this.down = new Uint8Array(n);
    this.epoch = new Int32Array(n);
  }

  /**
   * Registers a node event type, scheduled with the node's epoch as tag: its
   * handler runs only if no failure, repair or join happened to the node
   * since. Every stale node event is recognised here.
   */
  onNode(kernel: Kernel, handler: (node: NodeIndex) => void): number {
    return kernel.on((node, epoch) => {
      if (this.epoch[node] !== epoch) return;
      kernel.touch();
      handler(asNode(node));
    });
  }

  /** The node takes no new pod (tainted unreachable). */
  block(node: NodeIndex): void {
    if (this.cluster.setSchedulable(node, false)) this.policy.onNodeChanged?.(node);
  }

  /** The node takes pods again. */
  unblock(node: NodeIndex): void {
    if (this.cluster.setSchedulable(node, true)) this.policy.onNodeChanged?.(node);
  }
}
