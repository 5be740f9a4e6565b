/**
 * What the simulator reports as it runs. Metrics implement this; they observe
 * and never change the simulation. Every hook is called after the change it
 * reports, with the simulated time of the change.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import type { PodTable } from './pod-table.js';

export interface SimContext {
  readonly cluster: ClusterView;
  readonly pods: PodTable;
}

export interface SimObserver {
  /** Once, before the first event. */
  start?(ctx: SimContext): void;
  /** A pod was created and queued. */
  podArrived?(slot: PodSlot, now: Micros): void;
  /** A pod was bound to a node (its requests are now reserved there) and started. */
  podBound?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** A pod finished; its requests have been released from its node. Called before its slot is freed. */
  podFinished?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /**
   * A pod deleted by preemption finished terminating; its requests have been
   * released from its node. Called before its slot is freed.
   */
  podPreempted?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** A scheduling attempt found no node; the pod waits for capacity to be freed. */
  podUnschedulable?(slot: PodSlot, now: Micros): void;
  /** A pod no node could ever hold was turned away on arrival. Called before its slot is freed. */
  podRejected?(slot: PodSlot, now: Micros, reason: string): void;
  /** Once, when the run stops at `now`. */
  end?(now: Micros): void;
}
