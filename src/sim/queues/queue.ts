/**
 * The contract every queue discipline meets. A discipline decides when each
 * pending pod is tried and in what order; the placement policy decides
 * where; the bind stage holds the pod on its node. One module per
 * discipline: pass.ts (fifo, priority, sjf, drf), tetris.ts, backfill.ts
 * (EASY and conservative) and kube.ts (kube-scheduler's queue).
 */
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import type { PodTemplate } from '../../workload/pod.js';

export interface SchedulingQueue {
  /** A pod to schedule: new, or back from a wait. */
  enqueue(slot: PodSlot): void;
  /** The bind stage reserved the pod on `node`; `claimed` volume claims were bound there. */
  placed(slot: PodSlot, node: NodeIndex, claimed: number): void;
  /** The pod's requests left its node. */
  unplaced(slot: PodSlot): void;
  /** Room opened on `node`: a pod left it (`pod`'s template, when known: what queueing hints read of it). */
  roomOpened(node: NodeIndex, now: Micros, pod?: PodTemplate): void;
  /** The node came back (`added` false: its unreachable taint removed) or joined (`added` true); it is schedulable again. */
  nodeUp(node: NodeIndex, now: Micros, added?: boolean): void;
  /** Persistent volumes or claims changed (a claim was deleted and its PV released). */
  volumesChanged(now: Micros): void;
}

/** What a queue discipline asks of the rest of the simulation. */
export interface QueuePort {
  /** Reserve and permit the pod on the node: the bind stage. */
  place(slot: PodSlot, node: NodeIndex): void;
  /** Deletes a preemption victim: a running pod terminates, a gang's waiting pod ends its gang's wait. */
  evict(victim: PodSlot): void;
  /** Whether anything can still happen besides the queue's own timers (a pod may end, a write commit, a node change…). */
  alive(): boolean;
}
