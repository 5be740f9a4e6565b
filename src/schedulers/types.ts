/**
 * The contracts between the simulator and scheduling policies. A placement
 * policy is a plain object with optional hooks; a factory builds a fresh one
 * per run, so policies may keep per-run state and draw from their own seeded
 * stream.
 */
import type { NodeIndex } from '../core/ids.js';
import type { Rng } from '../core/random.js';
import type { ClusterView } from '../model/cluster-state.js';
import type { Labels } from '../model/labels.js';
import type { PodTemplate, PodUsage } from '../workload/pod.js';

/** The pod being placed. The simulator reuses one object per run: read it during the call, do not keep it. */
export interface PodView {
  /** Requests per dimension of the cluster's resource space (pods = 1). */
  readonly requests: Float64Array;
  readonly priority: number;
  readonly tenant: string;
  readonly owner: string;
  readonly labels: Labels;
  /** Arrival time in µs. */
  readonly arrival: number;
  /** Expected run time in µs, or −1 for long-running pods. */
  readonly duration: number;
  /** Everything the pod shares with its service, job or stream: selectors, tolerations, affinity… */
  readonly template: PodTemplate;
  /**
   * The pod's handle in the simulator (its pod-table slot), valid while the
   * pod lives; policies that name running pods (preemption victims) use it.
   */
  readonly slot?: number;
  /** When the pod was bound, in µs (its start time), or −1 while pending. */
  readonly startTime?: number;
  /**
   * The pod's claim set in the cluster's `volumes` (LocalVolumes), or −1 /
   * absent when it claims no local persistent volume.
   */
  readonly volumeSet?: number;
  /**
   * What the pod will use (its workload's `usage:`, phase by phase), when
   * the workload says; for policies that place by demand beyond requests
   * (`tetris-usage`: disk and network bandwidth).
   */
  readonly usage?: PodUsage | undefined;
  /**
   * Whether the node admits this pod: its labels and taints (nodeSelector,
   * required node affinity, tolerations) and its local volumes (each bound
   * claim's PV is on the node, each unbound claim finds an available PV there).
   */
  eligible(node: NodeIndex): boolean;
  /** eligible(node) and the requests fit in the node's free capacity. */
  fitsOn(node: NodeIndex): boolean;
}

export interface PlacementPolicy {
  readonly name: string;
  /**
   * Chooses a node for the pod, or NO_NODE. When present the simulator calls
   * only this; it must return a node for which `pod.fitsOn` holds.
   */
  place?(pod: PodView, cluster: ClusterView): NodeIndex;
  /** Extra feasibility beyond resources, selectors and taints. */
  filter?(pod: PodView, node: NodeIndex, cluster: ClusterView): boolean;
  /** Higher is better; among equal scores the lowest node index wins. Without it, the first feasible node wins. */
  score?(pod: PodView, node: NodeIndex, cluster: ClusterView): number;
  /**
   * The policy reads what pods use (ClusterView.usage): the run then
   * measures usage even when no workload gives `usage:` (a pod without it
   * uses what it requests).
   */
  readonly needsUsage?: boolean;
  /** Called after the pod is bound to `node`. */
  onBind?(pod: PodView, node: NodeIndex): void;
  /** Called after a pod's requests are released from `node`. */
  onRelease?(pod: PodView, node: NodeIndex): void;
  /**
   * Called when a pod bound to `node` is deleted and starts its grace period
   * (a preemption victim: its deletionTimestamp is set). It keeps its node
   * and requests until onRelease.
   */
  onTerminating?(pod: PodView, node: NodeIndex): void;
  /**
   * Called after the node's free capacity changed without a pod binding or
   * leaving (a failed node is filled so nothing lands there, a repaired one
   * is opened again): refresh any index of free capacity.
   */
  onNodeChanged?(node: NodeIndex): void;
  /**
   * PostFilter, after `place` returned NO_NODE
   * for this pod: whether preemption nominated a node for it and which
   * running pods (by slot) to evict so that it fits there later. null when
   * the pod may not preempt (its nomination, if any, is kept).
   */
  postFilter?(pod: PodView, cluster: ClusterView): Preemption | null;
  /**
   * Whether PostFilter also runs under the pass queues (fifo, priority, sjf,
   * drf, backfilling), not only the kube-scheduler queue. kube-default's
   * DefaultPreemption runs only there, as in kube-scheduler; NAME+preempt sets it.
   */
  readonly preemptInPasses?: boolean;
  /** Nodes the last decision looked at, for the scheduling-cycle cost; every node when absent. */
  evaluatedNodes?(): number;
  /**
   * After a failed decision: which cluster events make the pod worth trying
   * again at once (a mask of the EVENT_* bits; the kube-scheduler queue
   * requeues on them); a pod deletion when absent.
   */
  requeueOn?(): number;
  /** After a failed decision: the events (EVENT_* bits) on which the queue asks queueingHint first; none when absent. */
  hintOn?(): number;
  /**
   * QueueingHintFn: whether `event` may make the pending pod schedulable,
   * given what rejected it in its last failed decision (true: Queue, false:
   * QueueSkip). The kube-scheduler queue asks it for events in hintOn().
   */
  queueingHint?(pod: PodView, event: ClusterEvent): boolean;
  /**
   * Whether deciding `pod` now would fail exactly as the last failed decision
   * did: a pod of the same spec, nothing in the cluster changed since, and a
   * failure that depended on nothing else (the same rejecting plugins, nodes
   * evaluated and PostFilter outcome, which evicts nobody). When true, the
   * policy has done what that decision and its PostFilter would do to its own
   * state (random draws, per-pod memory), and requeueOn, hintOn and
   * evaluatedNodes answer for it: the queue counts a failed attempt without
   * asking place or postFilter. False whenever in doubt.
   */
  repeatFailure?(pod: PodView): boolean;
  /**
   * The pod's spec class: pods of one class give the policy the same input
   * but for their slot (the same spec and requests, no volume claims), so
   * that one failure may stand for another's. −1: none. Asked once per pod.
   */
  specClass?(pod: PodView): number;
  /**
   * repeatFailure for the next pod, of spec class `specClass`, when nothing
   * at all happened since the last repeatFailure (or repeatLastFailure) that
   * returned true: no decision asked, no bind, release or node change. True
   * when that pod was of the same class, having done what this pod's decision
   * would do, as repeatFailure does; requeueOn, hintOn and evaluatedNodes
   * then answer as they did for that pod. Lets the queue retry a run of like
   * pods without pointing a PodView at each.
   */
  repeatLastFailure?(slot: number, specClass: number): boolean;
}

/** Cluster events that may make a pending pod schedulable (upstream's ClusterEvent), as bits of a mask. */
export const EVENT_POD_DELETE = 1;
/** A pod bound to a node (AssignedPodAdd). */
export const EVENT_POD_ADD = 2;
/** A node added (joined the cluster). */
export const EVENT_NODE_ADD = 4;
/** A PersistentVolume or PersistentVolumeClaim added or updated: a claim bound, or a released local PV offered again. */
export const EVENT_VOLUME_CHANGE = 8;
/** A node's taints changed (UpdateNodeTaint): here the unreachable taint removed from a repaired node. */
export const EVENT_NODE_TAINT = 16;

/** One cluster event, with what a queueing hint reads of it. */
export interface ClusterEvent {
  /** One EVENT_* bit. */
  readonly kind: number;
  /** The node added, changed or that the pod was bound to or left; −1 for volume events. */
  readonly node: number;
  /** For pod events: the pod added or deleted (what its pods share). */
  readonly pod?: PodTemplate | undefined;
}

/** What a PostFilter decided: the nominated node (NO_NODE clears the pod's nomination) and the victims to delete. */
export interface Preemption {
  readonly node: NodeIndex;
  /** Slots of running pods to evict, most important first; empty when nothing is to be deleted. */
  readonly victims: readonly number[];
}

export interface PolicyContext {
  readonly cluster: ClusterView;
  /** A stream of its own, derived from the run seed and the policy name. */
  readonly rng: Rng;
  /** The scheduler configuration the scenario gives under this policy's name, if any. */
  readonly config?: unknown;
}

export type PolicyFactory = (ctx: PolicyContext) => PlacementPolicy;

/** The fields of a pod a queue policy may order by. */
export interface QueuedPod {
  readonly priority: number;
  readonly arrival: number;
  readonly duration: number;
}

/**
 * Orders pending pods: smaller keys are tried first; equal keys keep arrival
 * order. A pod that fails is parked and retried when capacity is freed.
 */
export interface QueuePolicy {
  readonly name: string;
  key(pod: QueuedPod): number;
  /**
   * `pass` (the default): every queued pod is tried at once, pods that fail
   * wait for freed capacity. `kube-scheduler`: kube-scheduler's queue and one
   * scheduling cycle at a time, each costing simulated time. `drf`: a pass
   * with a queue per tenant, taking the next pod (by `key`) from the tenant
   * with the lowest dominant share of the cluster. `easy-backfill` and
   * `conservative-backfill`: a pass in queue order that reserves the
   * earliest start of the first blocked pod (EASY) or of every blocked pod
   * (conservative) and starts a later pod only if it delays no reservation,
   * planning with `estimate` (see src/sim/backfill.ts). `tetris`: each pass
   * goes node by node and lets Tetris's selector pick which waiting pod goes
   * there (alignment, remaining work, fairness), until nothing more fits.
   */
  readonly mode?: 'pass' | 'kube-scheduler' | 'drf' | 'easy-backfill' | 'conservative-backfill' | 'tetris';
  /** Queue mode tetris: the fairness knob and remaining-work weight (see src/schedulers/tetris.ts). */
  readonly tetris?: { readonly fairness: number; readonly remainingWorkWeight: number };
  /** Queue mode drf: tenants' shares by dominant share (default) or by slots (their running pods). */
  readonly shareBy?: 'dominant' | 'slots';
  /** The run time in µs a backfilling queue plans with (−1: runs until deleted); the true run time when absent. */
  estimate?(pod: QueuedPod): number;
}
