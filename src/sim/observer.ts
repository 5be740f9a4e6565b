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
  /** A bound pod's containers started (its images are on the node); at bind when start-up is not modelled. */
  podStarted?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** An image of `bytes` finished pulling onto the node. */
  imagePulled?(node: NodeIndex, bytes: number, now: Micros): void;
  /** A pod finished; its requests have been released from its node. Called before its slot is freed. */
  podFinished?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** The pod's run ended in failure (a Job pod that exited non-zero): it left its node. */
  podFailed?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** A Job failed: more of its pods failed than its backoffLimit allows. */
  jobFailed?(now: Micros): void;
  /**
   * A pod deleted by preemption finished terminating; its requests have been
   * released from its node. Called before its slot is freed.
   */
  podPreempted?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** A scheduling attempt found no node; the pod waits for capacity to be freed. */
  podUnschedulable?(slot: PodSlot, now: Micros): void;
  /** A pod no node could ever hold was turned away on arrival. Called before its slot is freed. */
  podRejected?(slot: PodSlot, now: Micros, reason: string): void;
  /** A node failed (it stops running pods at once; the scheduler learns of it only at NotReady). */
  nodeFailed?(node: NodeIndex, now: Micros): void;
  /** A failed node is back and schedulable. */
  nodeRepaired?(node: NodeIndex, now: Micros): void;
  /** A node that was absent from the start (a trace's machine added later) joined the cluster and is schedulable. */
  nodeJoined?(node: NodeIndex, now: Micros): void;
  /** A bound pod stopped making progress because its node failed (it keeps its requests there). */
  podLost?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** A lost pod runs again: its node came back before it was evicted. */
  podRestarted?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** The node lifecycle controller deleted a pod of a failed node; its requests have been released. Called before its slot is freed. */
  podEvicted?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /**
   * What the pods on a node use changed (only with a usage model): CPU in
   * millicores, memory in bytes; `contended` when some resource's demand
   * exceeds what the node has.
   */
  usageChanged?(node: NodeIndex, cpu: number, memory: number, contended: boolean, now: Micros): void;
  /**
   * A pod's work ended (only with a usage model), before podFinished:
   * `ideal` is how long it would have run alone on its node under its own
   * limits (µs); `throttled` how long its CPU quota held it back (µs);
   * `delivered` the share of its demand it got (1 for a batch pod that finished).
   */
  podWorkEnded?(slot: PodSlot, node: NodeIndex, ideal: Micros, throttled: Micros, delivered: number, now: Micros): void;
  /** A container went over its memory limit and was OOM-killed. */
  podOomKilled?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** The kubelet evicted a pod for memory pressure on its node; its requests have been released. Called before its slot is freed. */
  podEvictedForPressure?(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** Once, when the run stops at `now`. */
  end?(now: Micros): void;
}
