/**
 * kube-scheduler's queue and loop as a discipline: pods wait in the
 * scheduling queue (kube-queue.ts: activeQ, backoffQ, unschedulablePods) and
 * one scheduling cycle runs at a time. A cycle pops a pod, decides its node
 * against the cluster as it is then, and takes simulated time (perCycle +
 * perNode × nodes evaluated); the decision takes effect when the cycle ends.
 * A pod that found no node may have nominated preemption victims in
 * PostFilter: they are deleted at the end of the cycle.
 */
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { NO_NODE } from '../../core/ids.js';
import { resized } from '../../core/typed-arrays.js';
import type { Preemption } from '../../schedulers/types.js';
import type { PodTemplate } from '../../workload/pod.js';
import type { SimObserver } from '../observer.js';
import type { World } from '../world.js';
import { BACKOFF_FLUSH_PERIOD, KubeQueue, REQUEUE_ON_POD_DELETE, UNSCHEDULABLE_FLUSH_PERIOD } from './kube-queue.js';
import type { KubeQueueSettings } from './kube-queue.js';
import type { QueuePort, SchedulingQueue } from './queue.js';
import { replanningShortcuts } from './shortcuts.js';

/** A scheduling cycle costs perCycle + perNode × nodes evaluated. */
export interface SchedulingCost {
  readonly perCycle: Micros;
  readonly perNode: Micros;
}

/**
 * Calibrated so that upstream's SchedulingBasic (5,000 nodes, 500 evaluated
 * per pod) takes 200 + 2 × 500 = 1,200 µs a pod, about 830 pods/s: the
 * throughput kube-scheduler's scheduler_perf requires there (810 pods/s).
 */
export const DEFAULT_SCHEDULING_COST: SchedulingCost = { perCycle: 200, perNode: 2 };

const NO_VICTIMS: readonly number[] = [];

/** The first multiple of `period` strictly after `t`. */
const nextMultiple = (t: Micros, period: Micros): Micros => (Math.floor(t / period) + 1) * period;

export class KubeSchedulingQueue implements SchedulingQueue {
  private readonly kq: KubeQueue;
  private busy = false;
  private cycleSlot = -1;
  private cycleGeneration = 0;
  private cycleNode: NodeIndex = NO_NODE;
  private cycleRequeueOn = 0;
  private cycleHintOn = 0;
  /** The cycle's PostFilter outcome, applied when the cycle ends, with the victims' generations then. */
  private cyclePreemption: Preemption | null = null;
  private readonly cycleVictimGenerations: number[] = [];
  private backoffTick = false;
  private unschedulableTick = false;
  private readonly CYCLE: number;
  private readonly CYCLE_END: number;
  private readonly FLUSH_BACKOFF: number;
  private readonly FLUSH_UNSCHEDULABLE: number;
  /** Whether failed cycles the policy can vouch for are counted without running them (the shortcut; see repeatFailure). */
  private readonly repeats: boolean;
  /** Whether the policy can also vouch for the next like pod at once (repeatLastFailure). */
  private readonly repeatsAgain: boolean;
  /** Per pod slot: its spec class (PlacementPolicy.specClass), found when it is queued. */
  private specClass = new Int32Array(1024);
  /** The observers told of failed attempts (most are not: asking each at every retry costs a lookup per observer). */
  private readonly watchingUnschedulable: readonly SimObserver[];

  constructor(
    private readonly world: World,
    private readonly port: QueuePort,
    private readonly cost: SchedulingCost = DEFAULT_SCHEDULING_COST,
    settings?: KubeQueueSettings,
  ) {
    const kernel = world.kernel;
    // A pod's queueing hints are the policy's (kube-scheduler's plugins'); a policy without them requeues on every event it registered.
    const policy = world.policy;
    this.kq = new KubeQueue(world.pods, settings, (slot, event) => policy.queueingHint?.(world.view(slot as PodSlot), event) ?? true);
    this.repeats = policy.repeatFailure !== undefined && replanningShortcuts();
    this.repeatsAgain = this.repeats && policy.repeatLastFailure !== undefined;
    this.watchingUnschedulable = world.observers.filter((o) => o.podUnschedulable !== undefined);
    this.CYCLE = kernel.on(() => this.cycleEvent(), 'timer');
    this.CYCLE_END = kernel.on(() => this.cycleEndEvent(), 'timer');
    this.FLUSH_BACKOFF = kernel.on(() => this.flushBackoff(), 'timer');
    this.FLUSH_UNSCHEDULABLE = kernel.on(() => this.flushUnschedulable(), 'timer');
  }

  enqueue(slot: PodSlot): void {
    if (this.repeatsAgain) {
      if (slot >= this.specClass.length) this.specClass = resized(this.specClass, Math.max(slot + 1, this.specClass.length * 2));
      this.specClass[slot] = this.world.policy.specClass?.(this.world.view(slot)) ?? -1;
    }
    this.kq.add(slot, this.world.kernel.now);
    this.kick();
  }

  placed(slot: PodSlot, node: NodeIndex, claimed: number): void {
    const now = this.world.kernel.now;
    this.kq.remove(slot);
    this.kq.podAdded(now, node, this.world.pods.template[slot]);
    if (claimed > 0) this.kq.volumesChanged(now);
  }

  unplaced(): void {}

  roomOpened(node: NodeIndex, now: Micros, pod?: PodTemplate): void {
    this.kq.podDeleted(now, node, pod);
    this.kick();
  }

  /** A node update event (its unreachable taint removed, or the node added): pods its filters rejected may requeue. */
  nodeUp(node: NodeIndex, now: Micros, added = false): void {
    this.kq.nodeChanged(now, node, added);
    this.kick();
  }

  volumesChanged(now: Micros): void {
    this.kq.volumesChanged(now);
  }

  /** Starts a scheduling cycle now if the scheduler is idle and a pod is waiting; keeps the queue's flush timers. */
  private kick(): void {
    if (this.wantsCycle()) this.world.kernel.schedule(this.world.kernel.now, this.CYCLE);
  }

  /** Keeps the flush timers; true when the scheduler is idle and a pod is waiting (it is then marked busy). */
  private wantsCycle(): boolean {
    const kq = this.kq;
    const kernel = this.world.kernel;
    const now = kernel.now;
    const start = !this.busy && kq.poppable;
    if (start) this.busy = true;
    if (!this.backoffTick && kq.backoffCount > 0) {
      this.backoffTick = true;
      kernel.schedule(nextMultiple(now, BACKOFF_FLUSH_PERIOD), this.FLUSH_BACKOFF);
    }
    // Waiting for the 5-minute flush only makes sense while something else can still happen.
    if (!this.unschedulableTick && kq.unschedulableCount > 0 && this.port.alive()) {
      this.unschedulableTick = true;
      kernel.schedule(nextMultiple(now, UNSCHEDULABLE_FLUSH_PERIOD), this.FLUSH_UNSCHEDULABLE);
    }
    return start;
  }

  /**
   * A CYCLE event: the cycle, and the cycles after it as long as nothing else
   * is due in between. Each cycle's end and the next cycle's start would be
   * the next events anyway, so running them here, with the clock moved on,
   * gives the same run without a heap push and pop for each: a long queue of
   * pods that cannot fit costs no events.
   */
  private cycleEvent(): void {
    const kernel = this.world.kernel;
    for (;;) {
      const end = this.cycle();
      if (end < 0) return;
      if (!kernel.canAdvanceTo(end)) {
        kernel.schedule(end, this.CYCLE_END);
        return;
      }
      kernel.advanceTo(end);
      if (!this.cycleEnd()) return;
      if (!kernel.canAdvanceTo(kernel.now)) {
        kernel.schedule(kernel.now, this.CYCLE);
        return;
      }
      kernel.advanceTo(kernel.now);
    }
  }

  /** A CYCLE_END event: the cycle's decision takes effect, and the next cycle starts now (at once if nothing else is due now). */
  private cycleEndEvent(): void {
    if (!this.cycleEnd()) return;
    const kernel = this.world.kernel;
    if (!kernel.canAdvanceTo(kernel.now)) {
      kernel.schedule(kernel.now, this.CYCLE);
      return;
    }
    kernel.advanceTo(kernel.now);
    this.cycleEvent();
  }

  /** Pops a pod and decides its node against the cluster as it is now; returns when the cycle ends, or −1 when no pod was waiting. */
  private cycle(): Micros {
    const { kernel, pods, policy, cluster } = this.world;
    const slot = this.kq.pop();
    if (slot < 0) {
      this.busy = false;
      return -1;
    }
    this.cyclePreemption = null;
    this.cycleSlot = slot;
    this.cycleGeneration = pods.generation[slot]!;
    let node: NodeIndex = NO_NODE;
    if (this.repeatsAgain && policy.repeatLastFailure!(slot, this.specClass[slot]!)) {
      // A run of like pods at saturation: the policy's last vouched-for failure stands for this one too.
      this.world.attempts++;
    } else if (this.repeats && policy.repeatFailure!(this.world.view(slot as PodSlot))) {
      // The policy vouches that the cycle would fail as its last failed one did, PostFilter included.
      this.world.attempts++;
    } else {
      node = this.decide(slot as PodSlot);
    }
    // After a vouched-for failure the policy answers these as for the cycle it stands for (PlacementPolicy.repeatFailure).
    this.cycleNode = node;
    const evaluated = policy.evaluatedNodes?.() ?? cluster.nodeCount;
    this.cycleRequeueOn = node === NO_NODE ? (policy.requeueOn?.() ?? REQUEUE_ON_POD_DELETE) : 0;
    this.cycleHintOn = node === NO_NODE ? (policy.hintOn?.() ?? 0) : 0;
    return kernel.now + this.cost.perCycle + this.cost.perNode * evaluated;
  }

  /** A full cycle: the policy's decision and, when it found no node, PostFilter. */
  private decide(slot: PodSlot): NodeIndex {
    const { pods, policy, cluster } = this.world;
    const node = this.world.decide(slot);
    if (node === NO_NODE && policy.postFilter !== undefined) {
      const preemption = (this.cyclePreemption = policy.postFilter(this.world.view(slot as PodSlot), cluster));
      if (preemption !== null && preemption.victims.length > 0) {
        this.cycleVictimGenerations.length = 0;
        for (const v of preemption.victims) this.cycleVictimGenerations.push(pods.generation[v]!);
      }
    }
    return node;
  }

  /** The cycle's decision takes effect; returns whether the next cycle should start now. */
  private cycleEnd(): boolean {
    const { kernel, pods: p } = this.world;
    const slot = this.cycleSlot as PodSlot;
    this.busy = false;
    kernel.touch();
    if (p.generation[slot] === this.cycleGeneration) {
      if (this.cycleNode !== NO_NODE) {
        this.port.place(slot, this.cycleNode);
      } else {
        p.attempts[slot]!++;
        this.kq.failed(slot, kernel.now, this.cycleRequeueOn, this.cycleHintOn);
        const watching = this.watchingUnschedulable;
        for (let i = 0; i < watching.length; i++) watching[i]!.podUnschedulable!(slot, kernel.now);
        const victims = this.cyclePreemption?.victims ?? NO_VICTIMS;
        for (let i = 0; i < victims.length; i++) {
          // A victim that ended during the cycle is gone already (upstream ignores NotFound).
          if (p.generation[victims[i]!] !== this.cycleVictimGenerations[i]) continue;
          this.port.evict(victims[i]! as PodSlot);
        }
      }
    }
    this.cyclePreemption = null;
    return this.wantsCycle();
  }

  private flushBackoff(): void {
    this.backoffTick = false;
    if (this.kq.flushBackoff(this.world.kernel.now) > 0) this.world.kernel.touch();
    this.kick();
  }

  private flushUnschedulable(): void {
    this.unschedulableTick = false;
    if (this.kq.flushUnschedulable(this.world.kernel.now) > 0) this.world.kernel.touch();
    this.kick();
  }
}
