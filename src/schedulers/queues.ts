import type { QueuePolicy } from './types.js';

/** First in, first out: arrival order only. */
export const fifo: QueuePolicy = { name: 'fifo', key: () => 0 };

/** Higher priority first, then arrival order (kube-scheduler's PrioritySort). */
export const priority: QueuePolicy = { name: 'priority', key: (pod) => -pod.priority };
