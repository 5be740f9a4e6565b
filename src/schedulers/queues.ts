import type { QueuePolicy } from './types.js';

/** First in, first out: arrival order only. */
export const fifo: QueuePolicy = { name: 'fifo', key: () => 0 };

/** Higher priority first, then arrival order (kube-scheduler's PrioritySort). */
export const priority: QueuePolicy = { name: 'priority', key: (pod) => -pod.priority };

/**
 * kube-scheduler's PriorityQueue: activeQ by PrioritySort, backoff and
 * unschedulable pods requeued by cluster events, one scheduling cycle at a
 * time (see src/sim/kube-queue.ts).
 */
export const kube: QueuePolicy = { name: 'kube', key: (pod) => -pod.priority, mode: 'kube-scheduler' };

/**
 * Dominant Resource Fairness across tenants (Ghodsi et al., NSDI 2011):
 * progressive filling online — the next pod comes from the tenant whose
 * bound pods hold the lowest dominant share (largest share of any resource
 * but the pod count) of the cluster; within a tenant, higher priority first,
 * then arrival order.
 */
/**
 * Tetris's task selection (Grandl et al., SIGCOMM 2014, sections 3.2–3.4):
 * for each node with room, the waiting pod of best alignment minus ε ×
 * its job's remaining work, among the tenants furthest below their fair
 * share (fairness knob 0.25). `tetris-packing` is alignment alone
 * (fairness 0, no remaining-work term), node by node.
 */
export const tetrisQueue: QueuePolicy = { name: 'tetris', key: () => 0, mode: 'tetris', tetris: { fairness: 0.25, remainingWorkWeight: 1 } };
export const tetrisPackingQueue: QueuePolicy = { name: 'tetris-packing', key: () => 0, mode: 'tetris', tetris: { fairness: 0, remainingWorkWeight: 0 } };

export const drf: QueuePolicy = { name: 'drf', key: (pod) => -pod.priority, mode: 'drf' };

/**
 * Slot-based fair sharing, as Hadoop's Fair Scheduler shares a cluster of
 * task slots: the tenant holding the fewest slots (running pods, as a share
 * of the cluster's pod capacity) goes next; what its pods request of CPU,
 * memory or anything else does not count. The drf queue with shares by slot.
 */
export const slotFair: QueuePolicy = { name: 'slot-fair', key: (pod) => -pod.priority, mode: 'drf', shareBy: 'slots' };
