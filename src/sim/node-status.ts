/**
 * Each node's condition as the simulation sees it: whether it is down
 * (failed, or not joined yet), an epoch that changes at every failure,
 * repair and join (so a stale node event is recognised), and whether the
 * control plane has marked it unusable (NotReady, or absent), so that no pod
 * is placed there.
 */
import type { NodeIndex } from '../core/ids.js';
import { asNode } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import { PODS } from '../model/resources.js';
import type { PlacementPolicy } from '../schedulers/types.js';
import type { Kernel } from './kernel.js';

export class NodeStatus {
  /** 1 while the node is failed or has not joined. */
  readonly down: Uint8Array;
  /** Bumped at every failure, repair and join. */
  readonly epoch: Int32Array;
  /** Pod slots reserved on an unusable node so that no policy places a pod there (its unreachable taint). */
  readonly blocked: Float64Array;
  private readonly vec: Float64Array;

  constructor(
    private readonly cluster: ClusterState,
    private readonly policy: PlacementPolicy,
  ) {
    const n = cluster.nodeCount;
    this.down = new Uint8Array(n);
    this.epoch = new Int32Array(n);
    this.blocked = new Float64Array(n);
    this.vec = cluster.space.zeros();
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

  /** The node takes no pod: its free pod slots are filled. */
  block(node: NodeIndex): void {
    const { allocatable, requested } = this.cluster;
    const own = requested[PODS]![node]! - this.blocked[node]!;
    this.set(node, Math.max(0, allocatable[PODS]![node]! - own));
  }

  /** A blocked node stays full after a pod left it. */
  keepBlocked(node: NodeIndex): void {
    if (this.blocked[node]! > 0) this.block(node);
  }

  /** The node takes pods again. */
  unblock(node: NodeIndex): void {
    this.set(node, 0);
  }

  private set(node: NodeIndex, amount: number): void {
    const v = this.vec;
    const current = this.blocked[node]!;
    if (amount === current) return;
    if (current > 0) {
      v[PODS] = current;
      this.cluster.unreserve(node, v);
    }
    if (amount > 0) {
      v[PODS] = amount;
      this.cluster.reserve(node, v);
    }
    v[PODS] = 0;
    this.blocked[node] = amount;
    this.policy.onNodeChanged?.(node);
  }
}
