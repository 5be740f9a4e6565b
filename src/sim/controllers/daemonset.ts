/**
 * The DaemonSet controller (and the kubelet's static pods): a platform pod
 * pinned to its node tolerates the node's unreachable taint and stays bound
 * to it while it is down; it runs again when the node comes back.
 */
import type { OwnerController } from './owner.js';

export const DAEMON_SET: OwnerController = {
  preempted: () => {},
  evictable: () => false,
  evicted: () => -1,
};
