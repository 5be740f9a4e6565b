/**
 * Pod lifecycle: creation (or rejection of a pod no node could ever hold),
 * start, completion, deletion by preemption with its grace period, loss on
 * a failed node, and the one path by which a pod's requests leave its node
 * (`unbind`) and its slot is freed (`vacate`). Binding is the bind stage's.
 */
import { MICROS_PER_SECOND } from '../core/ids.js';
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { asNode } from '../core/ids.js';
import type { PodTemplate, PodUsage } from '../workload/pod.js';
import { PodState } from './pod-table.js';
import type { World } from './world.js';

/** core/v1's default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

/** What pod lifecycle announces; the composition root wires the listeners. */
export interface PodLifecyclePort {
  /** A new pod is admitted: the scheduler sees it (through the API server when that is modelled), unless it is bound already. */
  admitted(slot: PodSlot, viaController: boolean): void;
  /** Whether a new pod is one already running on its node when the run starts (never turned away). */
  runningAtStart(slot: PodSlot): boolean;
  /** The pod's requests left its node (queues that keep books per tenant). */
  unplaced(slot: PodSlot): void;
  /** A pod that had been bound left `node` (the container runtime forgets it); `started` whether its containers had started. */
  left(slot: PodSlot, node: NodeIndex, started: boolean, lost: boolean): void;
  /** Deleting a pod's claims released persistent volumes. */
  volumesChanged(now: Micros): void;
  /** Room opened on `node`: a pod (of template `pod`) left it. */
  vacated(node: NodeIndex, now: Micros, pod: PodTemplate): void;
  /** A pod ran to its end (`fails`: exited non-zero); `job` its Job or −1. Called after its slot is freed. */
  ended(job: number, fails: boolean): void;
  /** A running pod was deleted by preemption: its owner may replace it. Called while it terminates. */
  deleted(slot: PodSlot): void;
}

/**
 * How a started pod's run unfolds when not simply for its duration: the
 * usage model (usage/contention.ts) runs it and reports its end through
 * `finish`; `stop` ends the run early.
 */
export interface RunModel {
  begin(slot: PodSlot, node: NodeIndex): void;
  stop(slot: PodSlot): void;
}

export class PodLifecycle {
  completed = 0;
  failed = 0;
  rejected = 0;
  preempted = 0;
  /** Pods the kubelet evicted for memory pressure (usage model only). */
  evictedForPressure = 0;
  private readonly COMPLETE: number;
  private readonly TERMINATED: number;

  /** `run`: the usage model, or null for pods that run for their duration. */
  constructor(
    private readonly world: World,
    private readonly port: PodLifecyclePort,
    private readonly run: RunModel | null = null,
  ) {
    this.COMPLETE = world.onPod((slot) => this.complete(slot), PodState.Running);
    this.TERMINATED = world.onPod((slot) => this.terminated(slot), PodState.Terminating);
  }

  /**
   * Creates a pod. Its local volume claims are `claims` (a service replica's
   * set, kept by its replacement) or, by default, a new set from the
   * template's volumeClaims. `usage` is what it uses (undefined: what it
   * requests). Returns −1 when no node could ever hold it.
   */
  create(template: PodTemplate, requests: Float64Array, duration: Micros, job: number, usage?: PodUsage, claims = -1): PodSlot | -1 {
    const { kernel, cluster, eligibility, pods, observers } = this.world;
    const now = kernel.now;
    const c = eligibility.classOf(template);
    const volumes = cluster.volumes;
    const fresh = claims < 0 && template.volumeClaims !== undefined;
    const set = fresh ? volumes.createSet(template.volumeClaims!) : claims;
    const slot = pods.add(template, requests, now, duration, c, job, set, usage);
    for (const o of observers) o.podArrived?.(slot, now);
    const reason = this.port.runningAtStart(slot) ? undefined : (eligibility.neverFits(c, requests) ?? (fresh ? eligibility.neverHoldsClaims(c, template, set, volumes) : undefined));
    if (reason !== undefined) {
      this.rejected++;
      for (const o of observers) o.podRejected?.(slot, now, reason);
      if (set >= 0) volumes.deleteSet(set);
      pods.remove(slot);
      return -1;
    }
    // Controllers create through the controller manager's client; bare and static pods do not.
    this.port.admitted(slot, template.kind === 'service' || template.kind === 'job' || template.kind === 'daemonset');
    return slot;
  }

  /** The pod's containers start on `node`; a pod with a run time ends that much later (or as the usage model runs it). */
  start(slot: PodSlot, node: NodeIndex): void {
    const { kernel, pods, observers } = this.world;
    const now = kernel.now;
    pods.startAt[slot] = now;
    for (const o of observers) o.podStarted?.(slot, node, now);
    if (this.run !== null) {
      this.run.begin(slot, node);
      return;
    }
    const duration = pods.duration[slot]!;
    if (duration >= 0) this.world.schedulePod(now + duration, this.COMPLETE, slot);
  }

  /** The usage model says the pod's work is done (`fails`: it was OOM-killed and its restartPolicy is Never). */
  finish(slot: PodSlot, fails: boolean): void {
    if (fails) this.world.pods.fails[slot] = 1;
    this.world.kernel.touch();
    this.complete(slot);
  }

  /**
   * The kubelet evicts a pod for memory pressure on its node: it is deleted
   * (phase Failed, reason Evicted) and its owner replaces it.
   */
  evictForPressure(slot: PodSlot, owner: { evicted(slot: PodSlot): PodSlot | -1 }): void {
    const { kernel, pods, observers } = this.world;
    const now = kernel.now;
    const node = asNode(pods.node[slot]!);
    this.unbind(slot, node);
    this.evictedForPressure++;
    for (const o of observers) o.podEvictedForPressure?.(slot, node, now);
    owner.evicted(slot);
    this.vacate(slot, node, now);
  }

  /** A bound pod on a failed node: it keeps its node and requests, but its work stops. */
  lose(slot: PodSlot, node: NodeIndex, now: Micros): void {
    const p = this.world.pods;
    this.run?.stop(slot);
    p.state[slot] = PodState.Lost;
    if (p.disruptedAt[slot]! < 0) p.disruptedAt[slot] = now;
    for (const o of this.world.observers) o.podLost?.(slot, node, now);
  }

  /**
   * Deletes a running pod (preemption's PreemptPod): it keeps its node and
   * requests for its terminationGracePeriodSeconds (default 30 s) — the
   * scheduler cache holds a terminating pod until it is gone, which is why a
   * preemptor waits — and its owner replaces it at once. A victim that would
   * have finished within its grace period is still counted as preempted.
   */
  preempt(slot: PodSlot): void {
    const { kernel, pods, policy } = this.world;
    this.run?.stop(slot);
    pods.state[slot] = PodState.Terminating;
    policy.onTerminating?.(this.world.view(slot), asNode(pods.node[slot]!));
    const grace = (pods.template[slot]!.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * MICROS_PER_SECOND;
    this.world.schedulePod(kernel.now + grace, this.TERMINATED, slot);
    this.port.deleted(slot);
  }

  /** The pod's requests leave `node` (it ended, was deleted or evicted, or its gang's wait ended): the cluster, the queue's books and the policy forget them. */
  unbind(slot: PodSlot, node: NodeIndex): void {
    const { cluster, pods, policy } = this.world;
    cluster.unreserve(node, pods.requests[slot]!);
    this.port.unplaced(slot);
    policy.onRelease?.(this.world.view(slot), node);
  }

  /** After a pod's requests left `node`: frees its claims and slot, and lets waiting pods try the room. */
  vacate(slot: PodSlot, node: NodeIndex, now: Micros): void {
    const p = this.world.pods;
    const template = p.template[slot]!;
    this.port.left(slot, node, p.startAt[slot]! >= 0, p.state[slot] === PodState.Lost);
    this.releaseClaims(slot, now);
    p.remove(slot);
    this.port.vacated(node, now, template);
  }

  private complete(slot: PodSlot): void {
    const { kernel, pods, observers } = this.world;
    const now = kernel.now;
    const node = asNode(pods.node[slot]!);
    this.unbind(slot, node);
    const fails = pods.fails[slot] === 1;
    if (fails) this.failed++;
    else this.completed++;
    for (const o of observers) {
      if (fails) o.podFailed?.(slot, node, now);
      else o.podFinished?.(slot, node, now);
    }
    const job = pods.job[slot]!;
    this.vacate(slot, node, now);
    this.port.ended(job, fails);
  }

  /** A preempted pod's grace period ended: it leaves its node. */
  private terminated(slot: PodSlot): void {
    const { kernel, pods, observers } = this.world;
    const now = kernel.now;
    const node = asNode(pods.node[slot]!);
    this.unbind(slot, node);
    this.preempted++;
    for (const o of observers) o.podPreempted?.(slot, node, now);
    this.vacate(slot, node, now);
  }

  /** Deletes a pod's claims (ephemeral volumes go with their pod); a released PV is Available again. */
  private releaseClaims(slot: PodSlot, now: Micros): void {
    const p = this.world.pods;
    const set = p.volumes[slot]!;
    if (set < 0) return;
    p.volumes[slot] = -1;
    if (this.world.cluster.volumes.deleteSet(set) > 0) this.port.volumesChanged(now);
  }
}
