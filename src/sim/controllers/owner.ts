/**
 * What the controller that owns a pod does when the pod is deleted before it
 * ended: by preemption (the pod terminates on its node, its owner replaces it
 * at once, as ReplicaSet and Job controllers do for terminating pods) or by
 * the node lifecycle controller after its node failed.
 */
import type { PodSlot } from '../../core/ids.js';

export interface OwnerController {
  /** The running pod in `slot` was deleted by preemption: replace it if this owner does. */
  preempted(slot: PodSlot): void;
  /** Whether the node lifecycle controller evicts the pod from its failed node (else it waits there for the node). */
  evictable(slot: PodSlot): boolean;
  /** The pod was evicted: its replacement, or −1 for none. */
  evicted(slot: PodSlot): PodSlot | -1;
}

/** Bare pods (streams, traces): nothing replaces them. */
export const BARE_POD: OwnerController = {
  preempted: () => {},
  evictable: () => true,
  evicted: () => -1,
};
