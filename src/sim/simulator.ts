/**
 * The cluster simulation: pods arrive from the workload, wait in a queue
 * ordered by the queue policy, are placed by the placement policy, run for
 * their duration and release their node. Pods that find no node are parked
 * and woken only when a release on an admitting node could fit them, so a
 * release never re-examines the whole backlog.
 *
 * With the kube-scheduler queue, a policy's PostFilter may preempt: its
 * victims are deleted at the end of the preemptor's cycle, keep their node
 * for their termination grace period, and are then removed; a service's or
 * job's controller replaces a deleted pod at once with a new pending one.
 */
import { PairHeap } from '../core/heap.js';
import { asNode, MICROS_PER_SECOND, NO_NODE } from '../core/ids.js';
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import { CPU, MEMORY } from '../model/resources.js';
import type { PlacementPolicy, PodView, Preemption, QueuePolicy } from '../schedulers/types.js';
import type { WorkloadSource } from '../workload/generate.js';
import { LONG_RUNNING } from '../workload/pod.js';
import type { JobSubmission, PodTemplate, Submission } from '../workload/pod.js';
import { EligibilityClasses } from './eligibility.js';
import { Kernel } from './kernel.js';
import { BACKOFF_FLUSH_PERIOD, KubeQueue, REQUEUE_ON_POD_DELETE, UNSCHEDULABLE_FLUSH_PERIOD } from './kube-queue.js';
import type { KubeQueueSettings } from './kube-queue.js';
import type { SimObserver } from './observer.js';
import { PodState, PodTable } from './pod-table.js';

export interface SimOptions {
  readonly cluster: ClusterState;
  readonly workload: WorkloadSource;
  readonly policy: PlacementPolicy;
  readonly queue: QueuePolicy;
  readonly observers?: readonly SimObserver[];
  /** Stop at this time; by default when no event is left. */
  readonly until?: Micros | undefined;
  /** Simulated time a scheduling cycle takes (queue mode kube-scheduler only). */
  readonly schedulingCost?: SchedulingCost | undefined;
  /** Backoff settings of the kube-scheduler queue. */
  readonly kubeQueue?: KubeQueueSettings | undefined;
}

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

/** A policy broke its contract (for instance chose a node the pod does not fit). */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Where every pod created in the run is at the end. */
export interface Census {
  readonly created: number;
  readonly completed: number;
  readonly running: number;
  readonly queued: number;
  readonly parked: number;
  readonly rejected: number;
  /** Pods deleted by preemption that finished terminating. */
  readonly preempted: number;
  /** Pods deleted by preemption and still terminating on their node (running, in the metrics). */
  readonly terminating: number;
}

/** core/v1's default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

interface JobState {
  readonly job: JobSubmission;
  created: number;
  succeeded: number;
}

/** Pods parked in one eligibility class, in the order they failed. */
interface ParkedList {
  slots: number[];
  generations: number[];
  /** Lower bounds of the parked pods' CPU and memory requests, to stop a wake-up scan early. */
  minCpu: number;
  minMemory: number;
}

/** The pod under decision, exposed to policies; one object reused for every decision. */
class CurrentPod implements PodView {
  slot = 0 as PodSlot;
  requests: Float64Array = new Float64Array(0);
  priority = 0;
  tenant = '';
  owner = '';
  labels: PodTemplate['labels'] = {};
  template!: PodTemplate;
  arrival = 0;
  duration = 0;
  startTime = -1;
  admits: Uint8Array | null = null;
  volumeSet = -1;

  constructor(private readonly cluster: ClusterState) {}

  eligible(node: NodeIndex): boolean {
    if (this.admits !== null && this.admits[node] !== 1) return false;
    return this.volumeSet < 0 || this.cluster.volumes.check(this.volumeSet, node) === 0;
  }

  fitsOn(node: NodeIndex): boolean {
    if (this.admits !== null && this.admits[node] !== 1) return false;
    const { requested, allocatable } = this.cluster;
    const req = this.requests;
    for (let d = 0; d < req.length; d++) {
      const r = req[d]!;
      if (r > 0 && requested[d]![node]! + r > allocatable[d]![node]!) return false;
    }
    // Volumes last: the costliest check, and most nodes fail on resources first.
    return this.volumeSet < 0 || this.cluster.volumes.check(this.volumeSet, node) === 0;
  }
}

/** The first multiple of `period` strictly after `t`. */
const nextMultiple = (t: Micros, period: Micros): Micros => (Math.floor(t / period) + 1) * period;

export class Simulator {
  readonly kernel = new Kernel();
  readonly pods = new PodTable();
  private readonly cluster: ClusterState;
  private readonly policy: PlacementPolicy;
  private readonly queuePolicy: QueuePolicy;
  private readonly observers: readonly SimObserver[];
  private readonly workload: WorkloadSource;
  private readonly until: Micros | undefined;
  private readonly eligibility: EligibilityClasses;
  private readonly current: CurrentPod;
  private readonly active = new PairHeap(1024);
  private readonly parked: ParkedList[] = [];
  private readonly jobs: JobState[] = [];
  private readonly scratch: Float64Array;
  private nextSubmission: Submission | undefined;
  private passScheduled = false;
  /** Nodes that released capacity at the current instant, for waking again (see onPass). */
  private readonly released: number[] = [];
  private readonly releasedMark: Uint8Array;
  private releasedAt: Micros = -1;
  /** A pod woken by a release failed its attempt or bound elsewhere: others behind it may fit after all. */
  private rewake = false;
  private completed = 0;
  private rejected = 0;
  private preempted = 0;

  private readonly ARRIVE: number;
  private readonly COMPLETE: number;
  private readonly PASS: number;

  // kube-scheduler queue mode: one cycle at a time.
  private readonly kq: KubeQueue | null;
  private readonly cost: SchedulingCost;
  private busy = false;
  private cycleSlot = -1;
  private cycleGeneration = 0;
  private cycleNode: NodeIndex = NO_NODE;
  private cycleRequeueOn = 0;
  /** The cycle's PostFilter outcome, applied when the cycle ends, with the victims' generations then. */
  private cyclePreemption: Preemption | null = null;
  private readonly cycleVictimGenerations: number[] = [];
  /** Terminations scheduled and not yet handled (like pendingCompletions). */
  private pendingTerminations = 0;
  private backoffTick = false;
  private unschedulableTick = false;
  /** Completion events scheduled and not yet handled: while none is left (and no arrival), nothing can change. */
  private pendingCompletions = 0;
  /** When something last happened (an arrival, a completion, a cycle, a timer that moved pods). */
  private lastActivity: Micros = 0;
  private readonly CYCLE: number;
  private readonly CYCLE_END: number;
  private readonly FLUSH_BACKOFF: number;
  private readonly FLUSH_UNSCHEDULABLE: number;
  private readonly TERMINATED: number;

  constructor(options: SimOptions) {
    this.cluster = options.cluster;
    this.policy = options.policy;
    this.queuePolicy = options.queue;
    this.observers = options.observers ?? [];
    this.workload = options.workload;
    this.until = options.until;
    this.eligibility = new EligibilityClasses(this.cluster);
    this.current = new CurrentPod(this.cluster);
    this.scratch = this.cluster.space.zeros();
    this.releasedMark = new Uint8Array(this.cluster.nodeCount);
    this.ARRIVE = this.kernel.on(() => this.onArrive());
    this.COMPLETE = this.kernel.on((slot, generation) => this.onComplete(slot as PodSlot, generation));
    this.PASS = this.kernel.on(() => this.onPass());
    this.kq = options.queue.mode === 'kube-scheduler' ? new KubeQueue(this.pods, options.kubeQueue) : null;
    this.cost = options.schedulingCost ?? DEFAULT_SCHEDULING_COST;
    this.CYCLE = this.kernel.on(() => this.onCycle());
    this.CYCLE_END = this.kernel.on(() => this.onCycleEnd());
    this.FLUSH_BACKOFF = this.kernel.on(() => this.onFlushBackoff());
    this.FLUSH_UNSCHEDULABLE = this.kernel.on(() => this.onFlushUnschedulable());
    this.TERMINATED = this.kernel.on((slot, generation) => this.onTerminated(slot as PodSlot, generation));
  }

  /** Runs to the end and returns where every pod is. */
  run(): Census {
    this.begin();
    this.kernel.run({ until: this.until });
    // Without `until`, the run ends with the last event that changed something: a queue timer that
    // found nothing to do does not stretch it.
    const end = this.until ?? Math.max(this.lastActivity, 0);
    for (const o of this.observers) o.end?.(end);
    return this.census();
  }

  /** Steps event by event while `go()` holds (for explain); returns the time reached. Observers are not ended. */
  runWhile(go: () => boolean): Micros {
    this.begin();
    const until = this.until ?? Infinity;
    while (go() && this.kernel.peek() <= until && this.kernel.step());
    return this.kernel.now;
  }

  private begin(): void {
    for (const o of this.observers) o.start?.({ cluster: this.cluster, pods: this.pods });
    this.pull();
  }

  census(): Census {
    let running = 0;
    let queued = 0;
    let parked = 0;
    let terminating = 0;
    const { state } = this.pods;
    for (let s = 0; s < state.length; s++) {
      if (state[s] === PodState.Running) running++;
      else if (state[s] === PodState.Queued) queued++;
      else if (state[s] === PodState.Parked) parked++;
      else if (state[s] === PodState.Terminating) terminating++;
    }
    return { created: this.pods.created, completed: this.completed, running, queued, parked, rejected: this.rejected, preempted: this.preempted, terminating };
  }

  // ---- arrivals ------------------------------------------------------------

  /** Takes the next submission from the workload and schedules its arrival. */
  private pull(): void {
    const r = this.workload.next();
    this.nextSubmission = r.done === true ? undefined : r.value;
    if (this.nextSubmission === undefined) return;
    const at = this.nextSubmission.arrival;
    if (at < this.kernel.now) {
      throw new Error(`the workload went back in time: an arrival at ${at} µs after ${this.kernel.now} µs`);
    }
    if (this.until === undefined || at <= this.until) this.kernel.schedule(at, this.ARRIVE);
  }

  private onArrive(): void {
    const now = this.kernel.now;
    this.lastActivity = now;
    // Take every submission due now, so one scheduling pass sees them together.
    while (this.nextSubmission !== undefined && this.nextSubmission.arrival === now) {
      const s = this.nextSubmission;
      if (s.kind === 'pod') this.createPod(s.template, s.requests, s.duration, -1);
      else this.startJob(s);
      const r = this.workload.next();
      this.nextSubmission = r.done === true ? undefined : r.value;
    }
    if (this.nextSubmission !== undefined) {
      const at = this.nextSubmission.arrival;
      if (at < now) throw new Error(`the workload went back in time: an arrival at ${at} µs after ${now} µs`);
      if (this.until === undefined || at <= this.until) this.kernel.schedule(at, this.ARRIVE);
    }
  }

  private startJob(job: JobSubmission): void {
    const index = this.jobs.length;
    const state: JobState = { job, created: 0, succeeded: 0 };
    this.jobs.push(state);
    const first = Math.min(job.parallelism, job.completions);
    for (let i = 0; i < first; i++) this.createJobPod(state, index);
  }

  private createJobPod(state: JobState, index: number): void {
    state.created++;
    const { duration, requests } = state.job.nextPod();
    this.createPod(state.job.template, requests, duration, index);
  }

  /**
   * Creates a pod. Its local volume claims are `claims` (a service replica's
   * set, kept by its replacement) or, by default, a new set from the
   * template's volumeClaims.
   */
  private createPod(template: PodTemplate, requests: Float64Array, duration: Micros, job: number, claims = -1): void {
    const now = this.kernel.now;
    const c = this.eligibility.classOf(template);
    const volumes = this.cluster.volumes;
    const fresh = claims < 0 && template.volumeClaims !== undefined;
    const set = fresh ? volumes.createSet(template.volumeClaims!) : claims;
    const slot = this.pods.add(template, requests, now, duration, c, job, set);
    for (const o of this.observers) o.podArrived?.(slot, now);
    const reason = this.eligibility.neverFits(c, requests) ?? (fresh ? this.eligibility.neverHoldsClaims(c, template, set, volumes) : undefined);
    if (reason !== undefined) {
      this.rejected++;
      for (const o of this.observers) o.podRejected?.(slot, now, reason);
      if (set >= 0) volumes.deleteSet(set);
      this.pods.remove(slot);
      return;
    }
    this.enqueue(slot);
  }

  /** Deletes a pod's claims (ephemeral volumes go with their pod); a released PV is Available again. */
  private releaseClaims(slot: PodSlot, now: Micros): void {
    const set = this.pods.volumes[slot]!;
    if (set < 0) return;
    this.pods.volumes[slot] = -1;
    if (this.cluster.volumes.deleteSet(set) > 0) this.kq?.volumesChanged(now);
  }

  // ---- the queue and the scheduling pass -----------------------------------

  private enqueue(slot: PodSlot): void {
    if (this.kq !== null) {
      this.kq.add(slot, this.kernel.now);
      this.kick();
      return;
    }
    const p = this.pods;
    p.state[slot] = PodState.Queued;
    const t = p.template[slot]!;
    const key = this.queuePolicy.key({ priority: t.priority, arrival: p.arrival[slot]!, duration: p.duration[slot]! });
    this.active.push(key, p.id[slot]!, slot, p.generation[slot]!);
    if (!this.passScheduled) {
      this.passScheduled = true;
      this.kernel.schedule(this.kernel.now, this.PASS);
    }
  }

  /**
   * Tries every queued pod once, in queue order. A release wakes only as many
   * parked pods as the freed capacity could hold; when one of them fails
   * anyway (an earlier pod in the pass took the room) or binds on another
   * node than the one that woke it, the nodes released at this instant are
   * scanned again, so no parked pod is left behind while a node could take it.
   */
  private onPass(): void {
    // Pods woken during the pass join this pass: no further pass event is needed.
    this.passScheduled = true;
    this.lastActivity = this.kernel.now;
    const q = this.active;
    const p = this.pods;
    for (;;) {
      while (q.size > 0) {
        const slot = q.topA() as PodSlot;
        const generation = q.topB();
        q.pop();
        if (p.generation[slot] !== generation || p.state[slot] !== PodState.Queued) continue;
        const node = this.decide(slot);
        if (node === NO_NODE) this.park(slot);
        else this.bind(slot, node);
      }
      if (!this.rewake) break;
      this.rewake = false;
      for (const node of this.released) this.wake(asNode(node));
      if (q.size === 0) break;
    }
    this.passScheduled = false;
  }

  /** Points the reusable PodView at the pod in `slot`. */
  private view(slot: PodSlot): CurrentPod {
    const p = this.pods;
    const pod = this.current;
    const t = p.template[slot]!;
    pod.slot = slot;
    pod.requests = p.requests[slot]!;
    pod.priority = t.priority;
    pod.tenant = t.tenant;
    pod.owner = t.owner;
    pod.labels = t.labels;
    pod.template = t;
    pod.arrival = p.arrival[slot]!;
    pod.duration = p.duration[slot]!;
    pod.startTime = p.bindAt[slot]!;
    pod.admits = this.eligibility.classes[p.eligibility[slot]!]!.admits;
    pod.volumeSet = p.volumes[slot]!;
    return pod;
  }

  private decide(slot: PodSlot): NodeIndex {
    const p = this.pods;
    const pod = this.view(slot);
    const t = pod.template;
    const { policy, cluster } = this;
    if (policy.place !== undefined) {
      const node = policy.place(pod, cluster);
      if (node !== NO_NODE && !(Number.isInteger(node) && node >= 0 && node < cluster.nodeCount && pod.fitsOn(node))) {
        throw new PolicyError(`policy "${policy.name}" chose node ${String(node)}, where pod ${p.id[slot]} (${t.owner}) does not fit`);
      }
      return node;
    }
    let best = NO_NODE;
    let bestScore = -Infinity;
    for (let n = 0; n < cluster.nodeCount; n++) {
      const node = asNode(n);
      if (!pod.fitsOn(node)) continue;
      if (policy.filter !== undefined && !policy.filter(pod, node, cluster)) continue;
      if (policy.score === undefined) return node;
      const score = policy.score(pod, node, cluster);
      if (score > bestScore) {
        bestScore = score;
        best = node;
      }
    }
    return best;
  }

  private bind(slot: PodSlot, node: NodeIndex): void {
    const p = this.pods;
    const now = this.kernel.now;
    // VolumeBinding's Reserve and PreBind: the set's unbound claims take the PVs Filter found on the node.
    const set = p.volumes[slot]!;
    const claimed = set < 0 ? 0 : this.cluster.volumes.bind(set, node);
    if (claimed < 0) throw new PolicyError(`pod ${p.id[slot]} (${p.template[slot]!.owner}) cannot bind its volume claims on node ${node}`);
    if (!this.cluster.reserve(node, p.requests[slot]!)) {
      throw new PolicyError(`reserve refused pod ${p.id[slot]} on node ${node}: it would over-commit the node`);
    }
    p.state[slot] = PodState.Running;
    // A woken pod was counted against the node whose release woke it; if the policy put it
    // elsewhere, that room is unclaimed: scan the released nodes again after this round.
    if (p.woken[slot] !== 0 && p.woken[slot] !== node + 1) this.rewake = true;
    p.woken[slot] = 0;
    p.node[slot] = node;
    p.bindAt[slot] = now;
    this.policy.onBind?.(this.view(slot), node);
    for (const o of this.observers) o.podBound?.(slot, node, now);
    const duration = p.duration[slot]!;
    if (duration >= 0) {
      this.pendingCompletions++;
      this.kernel.schedule(now + duration, this.COMPLETE, slot, p.generation[slot]!);
    }
    if (this.kq !== null) {
      this.kq.remove(slot);
      this.kq.podAdded(now);
      if (claimed > 0) this.kq.volumesChanged(now);
    }
  }

  private park(slot: PodSlot): void {
    const p = this.pods;
    p.state[slot] = PodState.Parked;
    p.attempts[slot]!++;
    if (p.woken[slot] !== 0) {
      p.woken[slot] = 0;
      this.rewake = true;
    }
    const c = p.eligibility[slot]!;
    let list = this.parked[c];
    if (list === undefined) {
      list = { slots: [], generations: [], minCpu: Infinity, minMemory: Infinity };
      this.parked[c] = list;
    }
    list.slots.push(slot);
    list.generations.push(p.generation[slot]!);
    const req = p.requests[slot]!;
    list.minCpu = Math.min(list.minCpu, req[CPU]!);
    list.minMemory = Math.min(list.minMemory, req[MEMORY]!);
    for (const o of this.observers) o.podUnschedulable?.(slot, this.kernel.now);
  }

  // ---- completions and wake-ups --------------------------------------------

  private onComplete(slot: PodSlot, generation: number): void {
    const p = this.pods;
    this.pendingCompletions--;
    if (p.generation[slot] !== generation || p.state[slot] !== PodState.Running) return;
    this.lastActivity = this.kernel.now;
    const now = this.kernel.now;
    const node = asNode(p.node[slot]!);
    const requests = p.requests[slot]!;
    this.cluster.unreserve(node, requests);
    if (this.policy.onRelease !== undefined) this.policy.onRelease(this.view(slot), node);
    this.completed++;
    for (const o of this.observers) o.podFinished?.(slot, node, now);
    const job = p.job[slot]!;
    this.vacate(slot, node, now);
    if (job >= 0) {
      const state = this.jobs[job]!;
      state.succeeded++;
      if (state.created < state.job.completions) this.createJobPod(state, job);
    }
  }

  // ---- kube-scheduler queue mode ------------------------------------------

  /** Starts a scheduling cycle now if the scheduler is idle and a pod is waiting; keeps the queue's flush timers. */
  private kick(): void {
    const kq = this.kq!;
    if (!this.busy && kq.poppable) {
      this.busy = true;
      this.kernel.schedule(this.kernel.now, this.CYCLE);
    }
    const now = this.kernel.now;
    if (!this.backoffTick && kq.backoffCount > 0) {
      this.backoffTick = true;
      this.kernel.schedule(nextMultiple(now, BACKOFF_FLUSH_PERIOD), this.FLUSH_BACKOFF);
    }
    // Waiting for the 5-minute flush only makes sense while something else can still happen, or up to `until`.
    const alive = this.pendingCompletions > 0 || this.pendingTerminations > 0 || this.nextSubmission !== undefined || this.until !== undefined;
    if (!this.unschedulableTick && kq.unschedulableCount > 0 && alive) {
      this.unschedulableTick = true;
      this.kernel.schedule(nextMultiple(now, UNSCHEDULABLE_FLUSH_PERIOD), this.FLUSH_UNSCHEDULABLE);
    }
  }

  /** Pops a pod and decides its node against the cluster as it is now; the decision takes effect when the cycle ends. */
  private onCycle(): void {
    const slot = this.kq!.pop();
    if (slot < 0) {
      this.busy = false;
      return;
    }
    const node = this.decide(slot as PodSlot);
    this.cyclePreemption = null;
    if (node === NO_NODE && this.policy.postFilter !== undefined) {
      this.cyclePreemption = this.policy.postFilter(this.current, this.cluster);
      const victims = this.cyclePreemption?.victims ?? [];
      this.cycleVictimGenerations.length = 0;
      for (const v of victims) this.cycleVictimGenerations.push(this.pods.generation[v]!);
    }
    const evaluated = this.policy.evaluatedNodes?.() ?? this.cluster.nodeCount;
    this.cycleSlot = slot;
    this.cycleGeneration = this.pods.generation[slot]!;
    this.cycleNode = node;
    this.cycleRequeueOn = node === NO_NODE ? (this.policy.requeueOn?.() ?? REQUEUE_ON_POD_DELETE) : 0;
    this.kernel.schedule(this.kernel.now + this.cost.perCycle + this.cost.perNode * evaluated, this.CYCLE_END);
  }

  private onCycleEnd(): void {
    const slot = this.cycleSlot as PodSlot;
    const p = this.pods;
    this.busy = false;
    this.lastActivity = this.kernel.now;
    if (p.generation[slot] === this.cycleGeneration) {
      if (this.cycleNode !== NO_NODE) {
        this.bind(slot, this.cycleNode);
      } else {
        p.attempts[slot]!++;
        this.kq!.failed(slot, this.kernel.now, this.cycleRequeueOn);
        for (const o of this.observers) o.podUnschedulable?.(slot, this.kernel.now);
        const victims = this.cyclePreemption?.victims ?? [];
        for (let i = 0; i < victims.length; i++) {
          const v = victims[i]! as PodSlot;
          // A victim that ended during the cycle is gone already (upstream ignores NotFound).
          if (p.generation[v] === this.cycleVictimGenerations[i] && p.state[v] === PodState.Running) this.evict(v);
        }
      }
    }
    this.cyclePreemption = null;
    this.kick();
  }

  /**
   * Deletes a running pod (preemption's PreemptPod): it keeps its node and
   * requests for its terminationGracePeriodSeconds (default 30 s) — the
   * scheduler cache holds a terminating pod until it is gone, which is why a
   * preemptor waits — and its controller replaces it at once, as ReplicaSet
   * and Job controllers do for terminating pods (a Job's replacement reruns
   * the same work). Pods of streams and traces are bare pods: nothing
   * replaces them. A victim that would have finished within its grace period
   * is still counted as preempted. A service replica's replacement keeps its
   * volume claims (a StatefulSet pod's PVCs outlive it), so it goes back to
   * its PVs' node; a job pod's replacement gets new ephemeral claims, and the
   * victim's are deleted when it is gone.
   */
  private evict(slot: PodSlot): void {
    const p = this.pods;
    const now = this.kernel.now;
    const t = p.template[slot]!;
    p.state[slot] = PodState.Terminating;
    this.pendingTerminations++;
    const grace = (t.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * MICROS_PER_SECOND;
    this.kernel.schedule(now + grace, this.TERMINATED, slot, p.generation[slot]!);
    const job = p.job[slot]!;
    if (job >= 0) this.createPod(t, p.requests[slot]!, p.duration[slot]!, job);
    else if (t.kind === 'service') {
      const claims = p.volumes[slot]!;
      p.volumes[slot] = -1;
      this.createPod(t, p.requests[slot]!, LONG_RUNNING, -1, claims);
    }
  }

  /** A preempted pod's grace period ended: it leaves its node. */
  private onTerminated(slot: PodSlot, generation: number): void {
    const p = this.pods;
    this.pendingTerminations--;
    if (p.generation[slot] !== generation || p.state[slot] !== PodState.Terminating) return;
    const now = this.kernel.now;
    this.lastActivity = now;
    const node = asNode(p.node[slot]!);
    this.cluster.unreserve(node, p.requests[slot]!);
    this.policy.onRelease?.(this.view(slot), node);
    this.preempted++;
    for (const o of this.observers) o.podPreempted?.(slot, node, now);
    this.vacate(slot, node, now);
  }

  /** After a pod's requests left `node`: frees its claims and slot, and lets waiting pods try the room. */
  private vacate(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.releaseClaims(slot, now);
    this.pods.remove(slot);
    if (this.kq !== null) {
      this.kq.podDeleted(now);
      this.kick();
    } else {
      this.noteRelease(node, now);
      this.wake(node);
    }
  }

  private onFlushBackoff(): void {
    this.backoffTick = false;
    if (this.kq!.flushBackoff(this.kernel.now) > 0) this.lastActivity = this.kernel.now;
    this.kick();
  }

  private onFlushUnschedulable(): void {
    this.unschedulableTick = false;
    if (this.kq!.flushUnschedulable(this.kernel.now) > 0) this.lastActivity = this.kernel.now;
    this.kick();
  }

  private noteRelease(node: NodeIndex, now: Micros): void {
    if (now !== this.releasedAt) {
      for (const n of this.released) this.releasedMark[n] = 0;
      this.released.length = 0;
      this.releasedAt = now;
    }
    if (this.releasedMark[node] === 0) {
      this.releasedMark[node] = 1;
      this.released.push(node);
    }
  }

  /**
   * Requeues parked pods that the free capacity of `node` could hold, in the
   * order they were parked, counting each woken pod against that capacity so
   * no more pods wake than the node could take.
   */
  private wake(node: NodeIndex): void {
    const free = this.scratch;
    const { allocatable, requested } = this.cluster;
    const p = this.pods;
    for (let c = 0; c < this.parked.length; c++) {
      const list = this.parked[c];
      if (list === undefined || list.slots.length === 0) continue;
      const admits = this.eligibility.classes[c]!.admits;
      if (admits !== null && admits[node] !== 1) continue;
      for (let d = 0; d < free.length; d++) free[d] = allocatable[d]![node]! - requested[d]![node]!;
      if (free[CPU]! < list.minCpu || free[MEMORY]! < list.minMemory) continue;
      this.wakeFrom(list, free, p, node);
    }
  }

  private wakeFrom(list: ParkedList, free: Float64Array, p: PodTable, node: NodeIndex): void {
    const { slots, generations } = list;
    let kept = 0;
    let i = 0;
    let minCpu = Infinity;
    let minMemory = Infinity;
    for (; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const generation = generations[i]!;
      if (p.generation[slot] !== generation || p.state[slot] !== PodState.Parked) continue;
      const req = p.requests[slot]!;
      let fits = true;
      for (let d = 0; d < free.length; d++) {
        if (req[d]! > free[d]!) {
          fits = false;
          break;
        }
      }
      // A pod held back by its local volumes wakes only where they fit, or it would fail again and wake again.
      const set = p.volumes[slot]!;
      if (fits && set >= 0 && this.cluster.volumes.check(set, node) !== 0) fits = false;
      if (fits) {
        for (let d = 0; d < free.length; d++) free[d]! -= req[d]!;
        p.woken[slot] = node + 1;
        this.enqueue(slot);
        if (free[CPU]! < list.minCpu || free[MEMORY]! < list.minMemory) {
          i++;
          break;
        }
        continue;
      }
      slots[kept] = slot;
      generations[kept] = generation;
      kept++;
      minCpu = Math.min(minCpu, req[CPU]!);
      minMemory = Math.min(minMemory, req[MEMORY]!);
    }
    const scannedAll = i >= slots.length;
    // Keep the unscanned tail in order after the pods kept.
    for (; i < slots.length; i++) {
      slots[kept] = slots[i]!;
      generations[kept] = generations[i]!;
      kept++;
    }
    slots.length = kept;
    generations.length = kept;
    // The exact minimum is known only after a full scan; otherwise the old bound stays valid.
    if (scannedAll) {
      list.minCpu = minCpu;
      list.minMemory = minMemory;
    }
  }
}
