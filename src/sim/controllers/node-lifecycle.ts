/**
 * The node lifecycle controller (kube-controller-manager): the control
 * plane learns that a node failed only when it is marked NotReady
 * (monitorGracePeriod after the failure; it is then tainted unreachable and
 * takes no new pods), and evicts its pods when their unreachable toleration
 * runs out (evictionDelay later). Each pod's owner decides whether it is
 * evicted and replaced (see owners.ts).
 */
import { MICROS_PER_SECOND } from '../../core/ids.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import type { NodeStatus } from '../node-status.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import type { OwnerController } from './owner.js';

/** kube-controller-manager's node lifecycle timings (see the scenario's simulation.nodeLifecycle). */
export interface NodeLifecycleTimings {
  /** From the failure until the node is NotReady and tainted unreachable (no new pods). */
  readonly monitorGracePeriod: Micros;
  /** From NotReady until the node's pods are evicted (their unreachable toleration). */
  readonly evictionDelay: Micros;
}

export const DEFAULT_NODE_LIFECYCLE: NodeLifecycleTimings = { monitorGracePeriod: 50 * MICROS_PER_SECOND, evictionDelay: 300 * MICROS_PER_SECOND };

export interface NodeLifecyclePort {
  /** The owner of a pod. */
  ownerOf(slot: PodSlot): OwnerController;
  /** A gang pod waiting on the node (placed, not bound) goes back to its queue. */
  rejectWaitOf(slot: PodSlot): void;
  /** Takes an evicted pod's requests off its node. */
  unbind(slot: PodSlot, node: NodeIndex): void;
  /** Frees an evicted pod's slot. */
  vacate(slot: PodSlot, node: NodeIndex, now: Micros): void;
}

export class NodeLifecycle {
  /** Pods deleted after their node failed. */
  evicted = 0;
  private readonly NOT_READY: number;
  private readonly EVICT: number;

  constructor(
    private readonly world: World,
    private readonly status: NodeStatus,
    private readonly timings: NodeLifecycleTimings,
    private readonly port: NodeLifecyclePort,
  ) {
    this.NOT_READY = status.onNode(world.kernel, (node) => this.notReady(node));
    this.EVICT = status.onNode(world.kernel, (node) => this.evict(node));
  }

  /** The node failed now: it will be marked NotReady after the grace period. */
  failed(node: NodeIndex, epoch: number): void {
    this.world.kernel.schedule(this.world.kernel.now + this.timings.monitorGracePeriod, this.NOT_READY, node, epoch);
  }

  private notReady(node: NodeIndex): void {
    const { kernel, pods: p } = this.world;
    this.status.block(node);
    // Gang pods placed on the node and not yet bound go back to the queue: the scheduler now knows the node is gone.
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] === PodState.Waiting && p.node[s] === node) this.port.rejectWaitOf(s as PodSlot);
    }
    kernel.schedule(kernel.now + this.timings.evictionDelay, this.EVICT, node, this.status.epoch[node]!);
  }

  private evict(node: NodeIndex): void {
    const { kernel, pods: p, observers } = this.world;
    const now = kernel.now;
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] !== PodState.Lost || p.node[s] !== node) continue;
      const slot = s as PodSlot;
      const owner = this.port.ownerOf(slot);
      if (!owner.evictable(slot)) continue;
      this.port.unbind(slot, node);
      this.evicted++;
      for (const o of observers) o.podEvicted?.(slot, node, now);
      const replacement = owner.evicted(slot);
      if (replacement >= 0) p.disruptedAt[replacement] = p.disruptedAt[slot]!;
      this.port.vacate(slot, node, now);
    }
  }
}
