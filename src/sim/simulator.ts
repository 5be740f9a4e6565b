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
import { CPU, MEMORY, PODS } from '../model/resources.js';
import { decideNode, INVALID_NODE } from '../schedulers/decide.js';
import { NormalizedCapacity } from '../schedulers/normalized-capacity.js';
import { TetrisSelector } from '../schedulers/tetris.js';
import type { TetrisTask } from '../schedulers/tetris.js';
import type { PlacementPolicy, PodView, Preemption, QueuePolicy } from '../schedulers/types.js';
import type { WorkloadSource } from '../workload/generate.js';
import { LONG_RUNNING } from '../workload/pod.js';
import { isNodePinned } from '../workload/pod.js';
import type { JobSubmission, PodTemplate, Submission } from '../workload/pod.js';
import { AvailabilityProfile } from './backfill.js';
import { ContainerRuntime } from './container-runtime.js';
import { Datastore, TokenBucket } from './control-plane.js';
import type { ControlPlaneSettings } from './control-plane.js';
import type { RuntimeSettings } from './container-runtime.js';
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
  /** Node failures to inject, in any order. */
  readonly failures?: readonly NodeFailure[] | undefined;
  readonly nodeLifecycle?: NodeLifecycle | undefined;
  /** API writes for pod creation and binding (rate limits, datastore); instant without it. */
  readonly controlPlane?: ControlPlaneSettings | undefined;
  /** Image pulls and container start-up after binding; pods start at bind without it. */
  readonly runtime?: RuntimeSettings | undefined;
  /**
   * Nodes that join the cluster during the run (a trace's machine added after
   * its start): absent — no pod lands there — until `at`, then up. Not failures.
   */
  readonly joins?: readonly NodeJoin[] | undefined;
  /** Uniform [0, 1) draws for choosing nodes to fail at random (a seeded stream). */
  readonly random?: (() => number) | undefined;
}

/** At `at`, `count` nodes fail: those in `nodes`, else the most loaded or random ones still up. */
export interface NodeFailure {
  readonly at: Micros;
  readonly count: number;
  readonly select: 'most-loaded' | 'random';
  readonly nodes?: readonly NodeIndex[] | undefined;
  /** The node is back (empty of evicted pods, schedulable) this long after it failed; never when absent. */
  readonly repairAfter?: Micros | undefined;
}

export interface NodeJoin {
  readonly node: NodeIndex;
  readonly at: Micros;
}

/** kube-controller-manager's node lifecycle timings (see the scenario's simulation.nodeLifecycle). */
export interface NodeLifecycle {
  /** From the failure until the node is NotReady and tainted unreachable (no new pods). */
  readonly monitorGracePeriod: Micros;
  /** From NotReady until the node's pods are evicted (their unreachable toleration). */
  readonly evictionDelay: Micros;
}

export const DEFAULT_NODE_LIFECYCLE: NodeLifecycle = { monitorGracePeriod: 50 * MICROS_PER_SECOND, evictionDelay: 300 * MICROS_PER_SECOND };

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
  /** Pods deleted by the node lifecycle controller after their node failed. */
  readonly evicted: number;
  /** Pods on a failed node, neither evicted nor restarted when the run stopped (running, in the metrics). */
  readonly lost: number;
  /** Job pods whose run ended in failure. */
  readonly failed: number;
  /** Jobs that failed (more failed pods than their backoffLimit). */
  readonly failedJobs: number;
}

/** core/v1's default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

interface JobState {
  readonly job: JobSubmission;
  created: number;
  succeeded: number;
  /** A gang's pods placed and waiting for the rest (slots). */
  readonly waiting: number[];
  /** The gang has had minMember pods placed together: later pods start as they are placed. */
  started: boolean;
  /** Bumped when the gang's wait ends (started or timed out), so a stale timeout is ignored. */
  epoch: number;
  /** Pods of a timed-out wait, as (slot, generation) pairs, until they are queued again. */
  readonly rejected: number[];
  /** Pods whose run failed; past backoffLimit the Job has failed and creates no more pods. */
  failed: number;
  /** Replacements of failed pods waiting out their backoff delay. */
  retrying: number;
  /** Failures since the last success: the backoff delay's exponent (a success resets it). */
  failuresSinceSuccess: number;
}

/**
 * The Job controller's delay before replacing a failed pod: 10 s doubling
 * per failure, at most 6 minutes (Kubernetes docs, "Jobs: Pod backoff
 * failure policy").
 */
export function jobRetryDelay(failures: number): Micros {
  return Math.min(10 * 2 ** (failures - 1), 360) * MICROS_PER_SECOND;
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
  /** Per node, the pod slots held on a NotReady node: such a node (tainted unreachable) admits no pod. */
  notReady: Float64Array | null = null;

  constructor(private readonly cluster: ClusterState) {}

  eligible(node: NodeIndex): boolean {
    if (this.admits !== null && this.admits[node] !== 1) return false;
    if (this.notReady !== null && this.notReady[node]! > 0) return false;
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
  private replanning = false;
  /** Pass queues: preemptors waiting for their victims' room, as (slot, generation, node) triples. */
  private readonly nominated: number[] = [];
  private readonly nominatedHold: Float64Array;
  private replanAgain = false;
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

  // Node failures.
  private readonly failures: readonly NodeFailure[];
  private readonly joins: readonly NodeJoin[];
  private readonly lifecycle: NodeLifecycle;
  private readonly random: () => number;
  /** 1 while the node is failed. */
  private readonly down: Uint8Array;
  /** Bumped at every failure and repair, so a stale NotReady, eviction or repair event is ignored. */
  private readonly epoch: Int32Array;
  /** Pod slots reserved on a NotReady node so that no policy places a pod there (its unreachable taint). */
  private readonly phantom: Float64Array;
  private readonly phantomVec: Float64Array;
  private pendingLifecycle = 0;
  private evicted = 0;
  private readonly controlPlane: { controller: TokenBucket; scheduler: TokenBucket; store: Datastore } | null;
  /** Creation and binding writes on their way to the datastore or in it. */
  private pendingWrites = 0;
  private readonly CREATE_SEND: number;
  private readonly CREATED: number;
  private readonly BIND_SEND: number;
  private readonly BOUND: number;
  private readonly runtime: ContainerRuntime | null;
  private pendingStarts = 0;
  /** Queue mode drf: a queue per tenant, and what each tenant's bound pods request. */
  private readonly drf: { readonly index: Map<string, number>; readonly queues: PairHeap[]; readonly used: Float64Array[]; readonly total: Float64Array } | null;
  /** Queue modes easy-backfill and conservative-backfill: the plan, the pods of a pass, and capacity held back for reservations. */
  private readonly backfill: {
    readonly conservative: boolean;
    readonly profile: AvailabilityProfile;
    readonly slots: number[];
    readonly generations: number[];
    readonly usable: Float64Array;
    readonly hold: Float64Array;
    /** Nodes with capacity held back during the current decision, and how much (node × dimension). */
    readonly held: NodeIndex[];
    readonly heldAmount: Float64Array;
  } | null;
  /** Queue mode tetris: the selector and the pods of a pass as its tasks. */
  private readonly tetris: {
    readonly selector: TetrisSelector;
    readonly slots: number[];
    readonly generations: number[];
    readonly tasks: TetrisTask[];
    /** Σ over the cluster of each dimension's allocatable but the pod count, to normalize demands. */
    readonly total: Float64Array;
  } | null;
  private readonly START: number;
  private readonly PULL: number;
  private readonly FAIL: number;
  private readonly NOT_READY: number;
  private readonly EVICT: number;
  private readonly REPAIR: number;
  private readonly JOIN: number;
  private readonly GANG_TIMEOUT: number;
  private readonly JOB_RETRY: number;
  private failed = 0;
  private failedJobs = 0;
  /** Jobs whose gang timed out: their pods wait for the next release in the cluster. */
  private readonly rejectedGangs: number[] = [];

  constructor(options: SimOptions) {
    this.cluster = options.cluster;
    const kernel = this.kernel;
    this.policy = options.policy;
    this.queuePolicy = options.queue;
    this.observers = options.observers ?? [];
    this.workload = options.workload;
    this.until = options.until;
    this.eligibility = new EligibilityClasses(this.cluster);
    this.current = new CurrentPod(this.cluster);
    this.scratch = this.cluster.space.zeros();
    this.releasedMark = new Uint8Array(this.cluster.nodeCount);
    this.nominatedHold = this.cluster.space.zeros();
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
    this.failures = options.failures ?? [];
    this.joins = options.joins ?? [];
    this.lifecycle = options.nodeLifecycle ?? DEFAULT_NODE_LIFECYCLE;
    this.random = options.random ?? (() => 0);
    const n = this.cluster.nodeCount;
    this.down = new Uint8Array(n);
    this.epoch = new Int32Array(n);
    this.phantom = new Float64Array(n);
    this.current.notReady = this.phantom;
    this.phantomVec = this.cluster.space.zeros();
    this.drf = null;
    // Tetris's fairness knob reads each tenant's dominant share, which drf mode keeps.
    if (options.queue.mode === 'drf' || options.queue.mode === 'tetris') {
      const total = this.cluster.space.zeros();
      for (let d = 0; d < total.length; d++) for (const a of this.cluster.allocatable[d]!) total[d]! += a;
      this.drf = { index: new Map(), queues: [], used: [], total };
    }
    const mode = options.queue.mode;
    this.backfill = null;
    if (mode === 'easy-backfill' || mode === 'conservative-backfill') {
      const { allocatable, requested } = this.cluster;
      const dims = this.scratch.length;
      this.backfill = {
        conservative: mode === 'conservative-backfill',
        profile: new AvailabilityProfile(n, dims, (node, out) => {
          for (let d = 0; d < dims; d++) out[d] = allocatable[d]![node]! - requested[d]![node]!;
        }),
        slots: [],
        generations: [],
        usable: new Float64Array(dims),
        hold: new Float64Array(dims),
        held: [],
        heldAmount: new Float64Array(n * dims),
      };
    }
    this.tetris = null;
    if (mode === 'tetris') {
      const knobs = options.queue.tetris ?? { fairness: 0.25, remainingWorkWeight: 1 };
      this.tetris = { selector: new TetrisSelector(new NormalizedCapacity(this.cluster), knobs), slots: [], generations: [], tasks: [], total: this.drf!.total };
    }
    const cp = options.controlPlane;
    this.controlPlane =
      cp === undefined
        ? null
        : { controller: new TokenBucket(cp.controllerQps, cp.controllerBurst), scheduler: new TokenBucket(cp.schedulerQps, cp.schedulerBurst), store: new Datastore(cp) };
    this.CREATE_SEND = this.kernel.on((slot, generation) => this.writeThen(this.CREATED, slot, generation));
    this.CREATED = this.kernel.on((slot, generation) => this.onCreated(slot as PodSlot, generation));
    this.BIND_SEND = this.kernel.on((slot, generation) => this.writeThen(this.BOUND, slot, generation));
    this.BOUND = this.kernel.on((slot, generation) => this.onBound(slot as PodSlot, generation));
    this.START = this.kernel.on((slot, generation) => this.onStart(slot as PodSlot, generation));
    this.PULL = this.kernel.on((node, epoch) => this.runtime!.pullDone(asNode(node), epoch));
    this.runtime =
      options.runtime === undefined
        ? null
        : new ContainerRuntime(options.runtime, this.cluster, this.pods, {
            get now() {
              return kernel.now;
            },
            schedulePull: (time, node, epoch) => this.kernel.schedule(time, this.PULL, node, epoch),
            scheduleStart: (time, slot) => {
              this.pendingStarts++;
              this.kernel.schedule(time, this.START, slot, this.pods.generation[slot]!);
            },
            pulled: (node, bytes) => {
              for (const o of this.observers) o.imagePulled?.(node, bytes, this.kernel.now);
            },
            stillWaiting: (slot, generation) => this.pods.generation[slot] === generation && this.pods.state[slot] === PodState.Running,
          });
    this.FAIL = this.kernel.on((i) => this.onFail(i));
    this.NOT_READY = this.kernel.on((node, epoch) => this.onNotReady(asNode(node), epoch));
    this.EVICT = this.kernel.on((node, epoch) => this.onEvict(asNode(node), epoch));
    this.REPAIR = this.kernel.on((node, epoch) => this.onRepair(asNode(node), epoch));
    this.JOIN = this.kernel.on((node, epoch) => this.onJoin(asNode(node), epoch));
    this.GANG_TIMEOUT = this.kernel.on((job, epoch) => this.onGangTimeout(job, epoch));
    this.JOB_RETRY = this.kernel.on((job) => this.onJobRetry(job));
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
    for (const { node, at } of this.joins) {
      if (at <= 0 || this.down[node] === 1) continue;
      // Absent until it joins: down, and its pod slots filled so no policy places a pod there.
      this.down[node] = 1;
      this.fillPhantom(node);
      if (this.until !== undefined && at > this.until) continue;
      this.pendingLifecycle++;
      this.kernel.schedule(at, this.JOIN, node, ++this.epoch[node]!);
    }
    this.failures.forEach((f, i) => {
      if (this.until !== undefined && f.at > this.until) return;
      this.pendingLifecycle++;
      this.kernel.schedule(f.at, this.FAIL, i);
    });
    this.pull();
  }

  census(): Census {
    let running = 0;
    let queued = 0;
    let parked = 0;
    let terminating = 0;
    let lost = 0;
    const { state } = this.pods;
    for (let s = 0; s < state.length; s++) {
      if (state[s] === PodState.Running) running++;
      else if (state[s] === PodState.Queued) queued++;
      else if (state[s] === PodState.Parked || state[s] === PodState.Waiting) parked++;
      else if (state[s] === PodState.Terminating) terminating++;
      else if (state[s] === PodState.Lost) lost++;
    }
    return {
      created: this.pods.created,
      completed: this.completed,
      running,
      queued,
      parked,
      rejected: this.rejected,
      preempted: this.preempted,
      terminating,
      evicted: this.evicted,
      lost,
      failed: this.failed,
      failedJobs: this.failedJobs,
    };
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
    const state: JobState = { job, created: 0, succeeded: 0, waiting: [], started: job.gang === undefined, epoch: 0, rejected: [], failed: 0, retrying: 0, failuresSinceSuccess: 0 };
    this.jobs.push(state);
    const first = Math.min(job.parallelism, job.completions);
    for (let i = 0; i < first; i++) this.createJobPod(state, index);
  }

  private createJobPod(state: JobState, index: number): void {
    state.created++;
    const { duration, requests, fails } = state.job.nextPod();
    const slot = this.createPod(state.job.template, requests, duration, index);
    if (slot >= 0 && fails === true) this.pods.fails[slot] = 1;
  }

  /** A Job pod deleted before it ended (preempted, evicted) is replaced at once by one that reruns the same work. */
  private replaceJobPod(slot: PodSlot, job: number): PodSlot | -1 {
    const p = this.pods;
    const replacement = this.createPod(p.template[slot]!, p.requests[slot]!, p.duration[slot]!, job);
    if (replacement >= 0) p.fails[replacement] = p.fails[slot]!;
    return replacement;
  }

  /** A Job's pod failed: the Job replaces it after its backoff delay, or has failed past its backoffLimit. */
  private onJobRetry(job: number): void {
    this.pendingLifecycle--;
    this.lastActivity = this.kernel.now;
    const state = this.jobs[job]!;
    state.retrying--;
    if (!this.jobFailed(state)) this.createJobPod(state, job);
  }

  /**
   * Creates a pod. Its local volume claims are `claims` (a service replica's
   * set, kept by its replacement) or, by default, a new set from the
   * template's volumeClaims.
   */
  private createPod(template: PodTemplate, requests: Float64Array, duration: Micros, job: number, claims = -1): PodSlot | -1 {
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
      return -1;
    }
    if (this.controlPlane === null) this.enqueue(slot);
    else {
      // Controllers create through the controller manager's client (rate-limited); bare and static pods do not.
      const viaController = template.kind === 'service' || template.kind === 'job' || template.kind === 'daemonset';
      const at = viaController ? this.controlPlane.controller.acquire(now) : now;
      this.pendingWrites++;
      this.kernel.schedule(at, this.CREATE_SEND, slot, this.pods.generation[slot]!);
    }
    return slot;
  }

  /** A request reaches the datastore now; `then` fires when it is committed. */
  private writeThen(then: number, slot: number, generation: number): void {
    this.kernel.schedule(this.controlPlane!.store.write(this.kernel.now), then, slot, generation);
  }

  /** The pod's creation is committed: the scheduler sees it. */
  private onCreated(slot: PodSlot, generation: number): void {
    this.pendingWrites--;
    if (this.pods.generation[slot] !== generation) return;
    this.lastActivity = this.kernel.now;
    this.enqueue(slot);
  }

  /** The pod's binding is committed: its node's kubelet takes it. */
  private onBound(slot: PodSlot, generation: number): void {
    this.pendingWrites--;
    const p = this.pods;
    if (p.generation[slot] !== generation || p.state[slot] !== PodState.Running) return;
    this.lastActivity = this.kernel.now;
    this.launch(slot, asNode(p.node[slot]!));
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
    (this.drf === null || this.tetris !== null ? this.active : this.tenantQueue(t.tenant)).push(key, p.id[slot]!, slot, p.generation[slot]!);
    this.schedulePass();
  }

  private schedulePass(): void {
    // A replanning pass (backfilling, tetris) in progress plans once more at its end.
    if (this.replanning) {
      this.replanAgain = true;
      return;
    }
    if (!this.passScheduled) {
      this.passScheduled = true;
      this.kernel.schedule(this.kernel.now, this.PASS);
    }
  }

  // ---- backfilling ---------------------------------------------------------

  /**
   * A backfilling pass (see src/sim/backfill.ts): every waiting pod in queue
   * order starts now if the placement policy finds it a node within what the
   * reservations leave during its estimated run; a pod that cannot gets the
   * earliest reservation the plan allows (EASY: only the first such pod).
   * Waiting pods stay in the queue, so the next pass — after any arrival or
   * release — plans again from the cluster as it is then.
   */
  private backfillPass(): void {
    const bf = this.backfill!;
    const p = this.pods;
    const now = this.kernel.now;
    this.lastActivity = now;
    const { slots, generations, profile } = bf;
    this.replanning = true;
    this.takeWaiting(slots, generations);
    profile.clear();
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] !== PodState.Running) continue;
      const estimate = this.estimateOf(s as PodSlot);
      if (estimate < 0) continue;
      // A pod not started yet (pulling images) runs from now at the earliest; one past its estimate ends at the next instant.
      const begin = p.startAt[s]! >= 0 ? p.startAt[s]! : now;
      profile.release(asNode(p.node[s]!), Math.max(now + 1, begin + estimate), p.requests[s]!);
    }
    let reservations = 0;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const estimate = this.estimateOf(slot);
      const length = estimate < 0 ? Infinity : estimate;
      this.holdForReservations(now + length);
      const node = this.decide(slot);
      this.releaseHolds();
      if (node !== NO_NODE) {
        this.bind(slot, node);
        if (p.state[slot] === PodState.Running && estimate >= 0) profile.release(node, now + length, p.requests[slot]!);
        continue;
      }
      this.preemptFor(slot);
      this.keepWaiting(slot, generations[i]!);
      if (!bf.conservative && reservations > 0) continue;
      const pod = this.view(slot);
      const r = profile.earliest(p.requests[slot]!, length, now, (n) => pod.eligible(n));
      if (r === null) continue;
      profile.reserve(r.node, r.start, r.start + length, p.requests[slot]!);
      reservations++;
    }
    this.endReplanningPass();
  }

  /** Empties the queue into (slot, generation) lists, in queue order, leaving out stale entries. */
  private takeWaiting(slots: number[], generations: number[]): void {
    const p = this.pods;
    slots.length = 0;
    generations.length = 0;
    while (this.active.size > 0) {
      const slot = this.active.topA();
      const generation = this.active.topB();
      this.active.pop();
      if (p.generation[slot] !== generation || (p.state[slot] !== PodState.Queued && p.state[slot] !== PodState.Parked)) continue;
      slots.push(slot);
      generations.push(generation);
    }
  }

  /** A pod a replanning pass could not start waits in the queue for the next pass (unschedulable once, not every pass). */
  private keepWaiting(slot: PodSlot, generation: number): void {
    const p = this.pods;
    if (p.state[slot] !== PodState.Parked) {
      p.state[slot] = PodState.Parked;
      p.attempts[slot]!++;
      for (const o of this.observers) o.podUnschedulable?.(slot, this.kernel.now);
    }
    const t = p.template[slot]!;
    this.active.push(this.queuePolicy.key({ priority: t.priority, arrival: p.arrival[slot]!, duration: p.duration[slot]! }), p.id[slot]!, slot, generation);
  }

  /** After a backfilling or tetris pass: one more at this instant if pods came or room opened during it. */
  private endReplanningPass(): void {
    this.replanning = false;
    this.passScheduled = false;
    if (this.replanAgain) {
      this.replanAgain = false;
      this.schedulePass();
    }
  }

  /**
   * PostFilter in a pass (kube-scheduler mode runs it in onCycle): after the
   * pod in `current` found no node, the policy may name lower-priority
   * victims; they are deleted now and leave after their grace period, and
   * the pod waits for the room like any other.
   */
  private preemptFor(slot: PodSlot): void {
    if (this.policy.postFilter === undefined || this.policy.preemptInPasses !== true) return;
    const preemption = this.policy.postFilter(this.view(slot), this.cluster);
    const victims = preemption?.victims ?? [];
    // The nominated node: when the victims' room opens, the preemptor is woken before other parked pods.
    if (victims.length > 0) this.nominated.push(slot, this.pods.generation[slot]!, preemption!.node);
    for (const v of victims) {
      if (this.pods.state[v] === PodState.Running) this.evict(v as PodSlot);
      else this.rejectWaitOf(v as PodSlot);
    }
  }

  // ---- Tetris ------------------------------------------------------------

  /**
   * A Tetris pass (Grandl et al., SIGCOMM 2014): node by node, the selector
   * picks among the waiting pods the one to start there — best alignment
   * less ε × its job's remaining work, among the tenants furthest below
   * their fair share — until none fits; the pods left wait for the next
   * arrival or release. The placement policy is not asked (its hooks still
   * see every bind). A job's remaining work is Σ over its waiting and
   * running pods of run time left × demand normalized by the cluster's
   * total; a bare pod is a job of its own; services count no work.
   */
  private tetrisPass(): void {
    const tw = this.tetris!;
    const drf = this.drf!;
    const p = this.pods;
    const now = this.kernel.now;
    this.lastActivity = now;
    const { slots, generations, tasks, total } = tw;
    this.replanning = true;
    tasks.length = 0;
    this.takeWaiting(slots, generations);
    const work = (slot: number, left: number): number => {
      if (left <= 0) return 0;
      const req = p.requests[slot]!;
      let demand = 0;
      for (let d = 0; d < total.length; d++) if (d !== PODS && total[d]! > 0) demand += req[d]! / total[d]!;
      return left * demand;
    };
    const remainingWork = new Float64Array(this.jobs.length + slots.length);
    for (let s = 0; s < p.state.length; s++) {
      const job = p.job[s]!;
      if (job < 0 || (p.state[s] !== PodState.Running && p.state[s] !== PodState.Waiting)) continue;
      const started = p.startAt[s]! >= 0 ? p.startAt[s]! : now;
      remainingWork[job]! += work(s, started + p.duration[s]! - now);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const job = p.job[slot]! >= 0 ? p.job[slot]! : this.jobs.length + i;
      remainingWork[job]! += work(slot, p.duration[slot]!);
      tasks.push({ requests: p.requests[slot]!, tenant: this.tenantIndex(p.template[slot]!.tenant), job });
    }
    const tenantShare = new Float64Array(drf.used.length);
    for (let t = 0; t < tenantShare.length; t++) tenantShare[t] = this.dominantShare(t);
    const state = { tenantShare, remainingWork };
    const admits = (i: number, node: NodeIndex): boolean => {
      const slot = slots[i]!;
      const classAdmits = this.eligibility.classes[p.eligibility[slot]!]!.admits;
      if (classAdmits !== null && classAdmits[node] !== 1) return false;
      const set = p.volumes[slot]!;
      return set < 0 || this.cluster.volumes.check(set, node) === 0;
    };
    // Lower bounds of the waiting pods' CPU and memory: most nodes of a busy cluster are skipped without asking the selector.
    let minCpu = Infinity;
    let minMemory = Infinity;
    for (const t of tasks) {
      minCpu = Math.min(minCpu, t.requests[CPU]!);
      minMemory = Math.min(minMemory, t.requests[MEMORY]!);
    }
    const { allocatable, requested } = this.cluster;
    for (let n = 0; n < this.cluster.nodeCount && tasks.length > 0; n++) {
      const node = asNode(n);
      if (allocatable[CPU]![n]! - requested[CPU]![n]! < minCpu || allocatable[MEMORY]![n]! - requested[MEMORY]![n]! < minMemory) continue;
      for (;;) {
        const i = tw.selector.pick(tasks, node, this.cluster, state, admits);
        if (i < 0) break;
        const slot = slots[i]! as PodSlot;
        const tenant = tasks[i]!.tenant;
        tasks.splice(i, 1);
        slots.splice(i, 1);
        generations.splice(i, 1);
        this.bind(slot, node);
        tenantShare[tenant] = this.dominantShare(tenant);
      }
    }
    for (let i = 0; i < slots.length; i++) {
      this.keepWaiting(slots[i]! as PodSlot, generations[i]!);
    }
    this.endReplanningPass();
  }

  /** The run time the backfilling plan assumes for the pod (−1: until deleted). */
  private estimateOf(slot: PodSlot): number {
    const p = this.pods;
    const duration = p.duration[slot]!;
    const estimate = this.queuePolicy.estimate;
    if (estimate === undefined || duration < 0) return duration;
    return estimate({ priority: p.template[slot]!.priority, arrival: p.arrival[slot]!, duration });
  }

  /**
   * Holds back on each reserved node what its reservations need while a pod
   * that would run until `end` is placed — reserved like a pod's requests,
   * so every placement policy sees only the room it may use.
   */
  private holdForReservations(end: Micros): void {
    const bf = this.backfill!;
    const { allocatable, requested } = this.cluster;
    const { usable, hold, heldAmount } = bf;
    const dims = hold.length;
    for (const node of bf.profile.reservedNodes()) {
      bf.profile.usable(node, end, usable);
      let any = false;
      for (let d = 0; d < dims; d++) {
        const free = allocatable[d]![node]! - requested[d]![node]!;
        hold[d] = Math.max(0, free - Math.max(0, usable[d]!));
        if (hold[d]! > 0) any = true;
      }
      if (!any) continue;
      if (!this.cluster.reserve(node, hold)) throw new Error(`backfilling held more than node ${node} has free`);
      heldAmount.set(hold, node * dims);
      bf.held.push(node);
      this.policy.onNodeChanged?.(node);
    }
  }

  private releaseHolds(): void {
    const bf = this.backfill!;
    const dims = bf.hold.length;
    const hold = bf.hold;
    for (const node of bf.held) {
      for (let d = 0; d < dims; d++) hold[d] = bf.heldAmount[node * dims + d]!;
      this.cluster.unreserve(node, hold);
      this.policy.onNodeChanged?.(node);
    }
    bf.held.length = 0;
  }

  /**
   * Tries every queued pod once, in queue order. A release wakes only as many
   * parked pods as the freed capacity could hold; when one of them fails
   * anyway (an earlier pod in the pass took the room) or binds on another
   * node than the one that woke it, the nodes released at this instant are
   * scanned again, so no parked pod is left behind while a node could take it.
   */
  private onPass(): void {
    if (this.backfill !== null) {
      this.backfillPass();
      return;
    }
    if (this.tetris !== null) {
      this.tetrisPass();
      return;
    }
    // Pods woken during the pass join this pass: no further pass event is needed.
    this.passScheduled = true;
    this.lastActivity = this.kernel.now;
    const p = this.pods;
    for (;;) {
      for (let q = this.nextQueue(); q !== null; q = this.nextQueue()) {
        const slot = q.topA() as PodSlot;
        const generation = q.topB();
        q.pop();
        if (p.generation[slot] !== generation || p.state[slot] !== PodState.Queued) continue;
        const node = this.decide(slot);
        if (node === NO_NODE) {
          // Parked first, so room a victim leaves at once (a gang pod's wait ended) wakes it.
          this.park(slot);
          this.preemptFor(slot);
        } else this.bind(slot, node);
      }
      if (!this.rewake) break;
      this.rewake = false;
      for (const node of this.released) this.wake(asNode(node));
      if (this.nextQueue() === null) break;
    }
    this.passScheduled = false;
  }

  /**
   * The queue the pass takes its next pod from: the one active queue, or in
   * drf mode the queue of the tenant with the lowest dominant share (ties to
   * the tenant seen first) — Dominant Resource Fairness's progressive filling
   * (Ghodsi et al., NSDI 2011, section 4.1), online. null when all are empty.
   */
  private nextQueue(): PairHeap | null {
    const drf = this.drf;
    if (drf === null) return this.active.size > 0 ? this.active : null;
    let best: PairHeap | null = null;
    let bestShare = Infinity;
    for (let i = 0; i < drf.queues.length; i++) {
      const q = drf.queues[i]!;
      if (q.size === 0) continue;
      const share = this.dominantShare(i);
      if (share < bestShare) {
        bestShare = share;
        best = q;
      }
    }
    return best;
  }

  /** A tenant's largest share of any resource but the pod count, by what its bound pods request. */
  private dominantShare(tenant: number): number {
    const drf = this.drf!;
    const used = drf.used[tenant]!;
    let share = 0;
    for (let d = 0; d < used.length; d++) {
      if (d !== PODS && drf.total[d]! > 0) share = Math.max(share, used[d]! / drf.total[d]!);
    }
    return share;
  }

  /** The tenant's index in drf mode's per-tenant state, registering a tenant seen for the first time. */
  private tenantIndex(tenant: string): number {
    const drf = this.drf!;
    let i = drf.index.get(tenant);
    if (i === undefined) {
      i = drf.queues.length;
      drf.index.set(tenant, i);
      drf.queues.push(new PairHeap(64));
      drf.used.push(this.cluster.space.zeros());
    }
    return i;
  }

  private tenantQueue(tenant: string): PairHeap {
    return this.drf!.queues[this.tenantIndex(tenant)]!;
  }

  /** Keeps each tenant's bound requests for drf mode (sign +1 on bind, −1 when the pod's requests leave its node). */
  private account(slot: PodSlot, sign: 1 | -1): void {
    if (this.drf === null) return;
    const used = this.drf.used[this.tenantIndex(this.pods.template[slot]!.tenant)]!;
    const req = this.pods.requests[slot]!;
    for (let d = 0; d < used.length; d++) used[d]! += sign * req[d]!;
  }

  /** The pod's requests leave `node` (it ended, was deleted or evicted, or its gang's wait ended): the cluster, drf's books and the policy forget them. */
  private unbind(slot: PodSlot, node: NodeIndex): void {
    this.cluster.unreserve(node, this.pods.requests[slot]!);
    this.account(slot, -1);
    this.policy.onRelease?.(this.view(slot), node);
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
    const pod = this.view(slot);
    const node = decideNode(this.policy, pod, this.cluster);
    if (node === INVALID_NODE) {
      throw new PolicyError(`policy "${this.policy.name}" chose a node where pod ${this.pods.id[slot]} (${pod.template.owner}) does not fit`);
    }
    return node;
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
    this.account(slot, 1);
    // A woken pod was counted against the node whose release woke it; if the policy put it
    // elsewhere, that room is unclaimed: scan the released nodes again after this round.
    if (p.woken[slot] !== 0 && p.woken[slot] !== node + 1) this.rewake = true;
    p.woken[slot] = 0;
    p.node[slot] = node;
    // The policy sees the pod as assumed from now (its start time for preemption's ordering); commit sets it again at binding.
    p.bindAt[slot] = now;
    this.policy.onBind?.(this.view(slot), node);
    if (this.kq !== null) {
      this.kq.remove(slot);
      this.kq.podAdded(now);
      if (claimed > 0) this.kq.volumesChanged(now);
    }
    const job = p.job[slot]!;
    if (job >= 0 && !this.jobs[job]!.started) this.waitForGang(slot, job);
    else this.commit(slot, node);
  }

  /** The binding: the pod is bound to the node it was placed on, and its kubelet takes it. */
  private commit(slot: PodSlot, node: NodeIndex): void {
    const p = this.pods;
    const now = this.kernel.now;
    p.state[slot] = PodState.Running;
    p.bindAt[slot] = now;
    // Bound before the scheduler learnt the node was gone: it never starts.
    if (this.down[node] === 1) p.state[slot] = PodState.Lost;
    for (const o of this.observers) o.podBound?.(slot, node, now);
    if (p.state[slot] === PodState.Lost) this.lose(slot, node, now);
    else if (this.controlPlane === null) this.launch(slot, node);
    else {
      // The scheduler assumed the pod on the node (its requests are reserved); the binding is written through its client.
      this.pendingWrites++;
      this.kernel.schedule(this.controlPlane.scheduler.acquire(now), this.BIND_SEND, slot, p.generation[slot]!);
    }
  }

  // ---- gangs ---------------------------------------------------------------
  //
  // Modelled on the scheduler-plugins coscheduling plugin (PodGroup CRD,
  // KEP 42): a placed pod of a gang waits at Permit, its requests held on its
  // node, until minMember pods of the group are placed; then all are bound.
  // A wait over the group's scheduleTimeoutSeconds rejects the waiting pods:
  // they give their room back and are retried after the next release.

  private waitForGang(slot: PodSlot, job: number): void {
    const state = this.jobs[job]!;
    this.pods.state[slot] = PodState.Waiting;
    state.waiting.push(slot);
    const gang = state.job.gang!;
    if (state.waiting.length >= gang.minMember) {
      state.started = true;
      state.epoch++;
      for (const s of state.waiting) this.commit(s as PodSlot, asNode(this.pods.node[s]!));
      state.waiting.length = 0;
      return;
    }
    if (state.waiting.length === 1) {
      this.pendingLifecycle++;
      this.kernel.schedule(this.kernel.now + gang.timeout, this.GANG_TIMEOUT, job, state.epoch);
    }
  }

  private onGangTimeout(job: number, epoch: number): void {
    this.pendingLifecycle--;
    const state = this.jobs[job]!;
    if (state.epoch !== epoch || state.started) return;
    this.lastActivity = this.kernel.now;
    this.rejectGang(job);
  }

  /**
   * Ends a gang's wait without binding (its timeout, a waiting pod chosen as
   * a preemption victim, or a node of the wait marked NotReady): the waiting
   * pods give their room back and retry after the next release elsewhere in
   * the cluster — not their own, or a gang that can never fit would retry
   * forever.
   */
  private rejectGang(job: number): void {
    const state = this.jobs[job]!;
    state.epoch++;
    const now = this.kernel.now;
    const p = this.pods;
    const rejected = state.waiting.splice(0);
    for (const s of rejected) {
      const slot = s as PodSlot;
      const node = asNode(p.node[slot]!);
      this.unbind(slot, node);
      // A NotReady node must stay full: no pod may land on it.
      if (this.phantom[node]! > 0) this.fillPhantom(node);
      p.state[slot] = PodState.Parked;
      p.attempts[slot]!++;
      for (const o of this.observers) o.podUnschedulable?.(slot, now);
    }
    // The room goes to other waiting pods first.
    for (const s of rejected) this.roomOpened(asNode(p.node[s]!), now, false);
    for (const s of rejected) state.rejected.push(s, p.generation[s]!);
    this.rejectedGangs.push(job);
  }

  /** A pod its gang's wait holds (not bound) is gone from under it: the gang's wait ends. */
  private rejectWaitOf(slot: PodSlot): void {
    const job = this.pods.job[slot]!;
    if (this.pods.state[slot] === PodState.Waiting && job >= 0) this.rejectGang(job);
  }

  /** After a release: the pods of gangs that timed out try again. */
  private requeueRejectedGangs(): void {
    const p = this.pods;
    for (const job of this.rejectedGangs.splice(0)) {
      const rejected = this.jobs[job]!.rejected;
      for (let i = 0; i < rejected.length; i += 2) {
        const slot = rejected[i]! as PodSlot;
        if (p.generation[slot] === rejected[i + 1] && p.state[slot] === PodState.Parked) this.enqueue(slot);
      }
      rejected.length = 0;
    }
  }

  /** The kubelet takes a bound pod: with a container runtime, its images are pulled first; its run time counts from the start. */
  private launch(slot: PodSlot, node: NodeIndex): void {
    if (this.runtime !== null) this.runtime.request(slot, node);
    else this.start(slot, node);
  }

  private onStart(slot: PodSlot, generation: number): void {
    this.pendingStarts--;
    const p = this.pods;
    if (p.generation[slot] !== generation || p.state[slot] !== PodState.Running) return;
    this.lastActivity = this.kernel.now;
    this.start(slot, asNode(p.node[slot]!));
  }

  private start(slot: PodSlot, node: NodeIndex): void {
    const p = this.pods;
    const now = this.kernel.now;
    p.startAt[slot] = now;
    for (const o of this.observers) o.podStarted?.(slot, node, now);
    const duration = p.duration[slot]!;
    if (duration >= 0) {
      this.pendingCompletions++;
      this.kernel.schedule(now + duration, this.COMPLETE, slot, p.generation[slot]!);
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
    this.unbind(slot, node);
    const fails = p.fails[slot] === 1;
    if (fails) this.failed++;
    else this.completed++;
    for (const o of this.observers) {
      if (fails) o.podFailed?.(slot, node, now);
      else o.podFinished?.(slot, node, now);
    }
    const job = p.job[slot]!;
    this.vacate(slot, node, now);
    if (job < 0) return;
    const state = this.jobs[job]!;
    if (!fails) {
      state.succeeded++;
      state.failuresSinceSuccess = 0;
      // Pods created and not failed, and failed ones about to be replaced, all count towards completions.
      if (state.created - state.failed + state.retrying < state.job.completions && !this.jobFailed(state)) this.createJobPod(state, job);
      return;
    }
    state.failed++;
    state.failuresSinceSuccess++;
    // The Job fails at its backoffLimit + 1st failed pod; its pods still running are left to end (upstream deletes them).
    if (this.jobFailed(state)) {
      if (state.failed === state.job.failures!.backoffLimit + 1) {
        this.failedJobs++;
        for (const o of this.observers) o.jobFailed?.(now);
      }
      return;
    }
    state.retrying++;
    this.pendingLifecycle++;
    this.kernel.schedule(now + jobRetryDelay(state.failuresSinceSuccess), this.JOB_RETRY, job);
  }

  private jobFailed(state: JobState): boolean {
    const limits = state.job.failures;
    return limits !== undefined && state.failed > limits.backoffLimit;
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
    const alive =
      this.pendingCompletions > 0 ||
      this.pendingTerminations > 0 ||
      this.pendingLifecycle > 0 ||
      this.pendingStarts > 0 ||
      this.pendingWrites > 0 ||
      this.runtime?.busy() === true ||
      this.nextSubmission !== undefined ||
      this.until !== undefined;
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
          if (p.generation[v] !== this.cycleVictimGenerations[i]) continue;
          if (p.state[v] === PodState.Running) this.evict(v);
          else this.rejectWaitOf(v);
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
    if (job >= 0) this.replaceJobPod(slot, job);
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
    this.unbind(slot, node);
    this.preempted++;
    for (const o of this.observers) o.podPreempted?.(slot, node, now);
    this.vacate(slot, node, now);
  }

  /** After a pod's requests left `node`: frees its claims and slot, and lets waiting pods try the room. */
  private vacate(slot: PodSlot, node: NodeIndex, now: Micros): void {
    if (this.runtime !== null) {
      if (this.pods.startAt[slot]! < 0) this.runtime.forget(slot);
      else if (this.pods.state[slot] !== PodState.Lost) this.runtime.released(slot, node);
    }
    this.releaseClaims(slot, now);
    this.pods.remove(slot);
    // A NotReady node stays full: what left it is no room for others.
    if (this.phantom[node]! > 0) this.fillPhantom(node);
    this.roomOpened(node, now);
  }

  /**
   * Room opened on `node` (a pod left, or the node came back): waiting pods
   * may try it, and so may gangs that timed out — unless the room is a
   * rejected gang's own (`gangs` false).
   */
  private roomOpened(node: NodeIndex, now: Micros, gangs = true): void {
    if (gangs && this.rejectedGangs.length > 0) this.requeueRejectedGangs();
    if (this.kq !== null) {
      this.kq.podDeleted(now);
      this.kick();
    } else if (this.backfill !== null || this.tetris !== null) {
      if (this.active.size > 0) this.schedulePass();
    } else {
      this.noteRelease(node, now);
      this.wakeNominated(node);
      this.wake(node);
      this.nominatedHold.fill(0);
    }
  }

  /** Wakes the preemptors nominated to `node` that fit its free room now, and holds that room from other parked pods. */
  private wakeNominated(node: NodeIndex): void {
    const list = this.nominated;
    if (list.length === 0) return;
    const p = this.pods;
    const { allocatable, requested } = this.cluster;
    const hold = this.nominatedHold;
    let kept = 0;
    for (let i = 0; i < list.length; i += 3) {
      const slot = list[i]! as PodSlot;
      const live = p.generation[slot] === list[i + 1] && p.state[slot] === PodState.Parked;
      if (live && list[i + 2] === node) {
        const req = p.requests[slot]!;
        let fits = true;
        for (let d = 0; d < hold.length; d++) if (hold[d]! + req[d]! > allocatable[d]![node]! - requested[d]![node]!) fits = false;
        if (fits) {
          for (let d = 0; d < hold.length; d++) hold[d]! += req[d]!;
          this.enqueue(slot);
          continue;
        }
      }
      if (!live) continue;
      list[kept++] = list[i]!;
      list[kept++] = list[i + 1]!;
      list[kept++] = list[i + 2]!;
    }
    list.length = kept;
  }

  // ---- node failures -------------------------------------------------------
  //
  // Modelled on the node lifecycle controller: a failed node runs nothing from
  // the moment it fails, but the control plane learns of it only when it is
  // marked NotReady (monitorGracePeriod later; it is then tainted unreachable
  // and takes no new pods) and evicts its pods when their unreachable
  // toleration runs out (evictionDelay later). Controllers replace evicted
  // pods: a Deployment's or Job's at once; a StatefulSet's (a service replica
  // with local volumes) only once the old pod is gone, which needs the node
  // back — its PVs are there. DaemonSet and static pods tolerate unreachable
  // and stay. Bare pods (streams, traces) are not replaced.

  private onFail(i: number): void {
    this.pendingLifecycle--;
    const f = this.failures[i]!;
    const now = this.kernel.now;
    this.lastActivity = now;
    for (const node of f.nodes ?? this.chooseNodes(f.count, f.select)) {
      if (this.down[node] === 1) continue;
      this.down[node] = 1;
      const epoch = ++this.epoch[node]!;
      const p = this.pods;
      for (let s = 0; s < p.state.length; s++) {
        if (p.state[s] === PodState.Running && p.node[s] === node) this.lose(s as PodSlot, node, now);
      }
      this.runtime?.nodeFailed(node);
      for (const o of this.observers) o.nodeFailed?.(node, now);
      this.pendingLifecycle++;
      this.kernel.schedule(now + this.lifecycle.monitorGracePeriod, this.NOT_READY, node, epoch);
      if (f.repairAfter !== undefined) {
        this.pendingLifecycle++;
        this.kernel.schedule(now + f.repairAfter, this.REPAIR, node, epoch);
      }
    }
  }

  /** The `count` nodes still up to fail: the most loaded (highest share of any resource but pods; ties to the lowest index) or random ones. */
  private chooseNodes(count: number, select: NodeFailure['select']): NodeIndex[] {
    const up: NodeIndex[] = [];
    for (let n = 0; n < this.cluster.nodeCount; n++) if (this.down[n] === 0) up.push(asNode(n));
    if (select === 'random') {
      // Partial Fisher–Yates: the first `count` entries are a uniform sample.
      for (let i = 0; i < Math.min(count, up.length); i++) {
        const j = i + Math.floor(this.random() * (up.length - i));
        [up[i], up[j]] = [up[j]!, up[i]!];
      }
      return up.slice(0, count);
    }
    const { allocatable, requested } = this.cluster;
    const load = (n: NodeIndex): number => {
      let max = 0;
      for (let d = 0; d < allocatable.length; d++) {
        const a = allocatable[d]![n]!;
        if (d !== PODS && a > 0) max = Math.max(max, requested[d]![n]! / a);
      }
      return max;
    };
    return up
      .map((n) => ({ n, load: load(n) }))
      .sort((a, b) => b.load - a.load || a.n - b.n)
      .slice(0, count)
      .map((x) => x.n);
  }

  /** A bound pod on a failed node: it keeps its node and requests, but its work stops. */
  private lose(slot: PodSlot, node: NodeIndex, now: Micros): void {
    const p = this.pods;
    p.state[slot] = PodState.Lost;
    if (p.disruptedAt[slot]! < 0) p.disruptedAt[slot] = now;
    for (const o of this.observers) o.podLost?.(slot, node, now);
  }

  private onNotReady(node: NodeIndex, epoch: number): void {
    this.pendingLifecycle--;
    if (this.epoch[node] !== epoch) return;
    this.lastActivity = this.kernel.now;
    this.fillPhantom(node);
    // Gang pods placed on the node and not yet bound go back to the queue: the scheduler now knows the node is gone.
    const p = this.pods;
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] === PodState.Waiting && p.node[s] === node) this.rejectWaitOf(s as PodSlot);
    }
    this.pendingLifecycle++;
    this.kernel.schedule(this.kernel.now + this.lifecycle.evictionDelay, this.EVICT, node, epoch);
  }

  private onEvict(node: NodeIndex, epoch: number): void {
    this.pendingLifecycle--;
    if (this.epoch[node] !== epoch) return;
    const now = this.kernel.now;
    this.lastActivity = now;
    const p = this.pods;
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] !== PodState.Lost || p.node[s] !== node) continue;
      const slot = s as PodSlot;
      const t = p.template[slot]!;
      if (isNodePinned(t) || (t.kind === 'service' && p.volumes[slot]! >= 0)) continue;
      this.unbind(slot, node);
      this.evicted++;
      for (const o of this.observers) o.podEvicted?.(slot, node, now);
      const job = p.job[slot]!;
      const replacement =
        job >= 0 ? this.replaceJobPod(slot, job) : t.kind === 'service' ? this.createPod(t, p.requests[slot]!, LONG_RUNNING, -1) : -1;
      if (replacement >= 0) p.disruptedAt[replacement] = p.disruptedAt[slot]!;
      this.vacate(slot, node, now);
    }
    // The evicted pods' slots must not open the node again.
    this.fillPhantom(node);
  }

  private onRepair(node: NodeIndex, epoch: number): void {
    this.pendingLifecycle--;
    if (this.epoch[node] !== epoch) return;
    const now = this.kernel.now;
    this.lastActivity = now;
    this.down[node] = 0;
    this.epoch[node]!++;
    this.setPhantom(node, 0);
    for (const o of this.observers) o.nodeRepaired?.(node, now);
    // The kubelet starts the pods still bound to the node again, from the beginning.
    const p = this.pods;
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] !== PodState.Lost || p.node[s] !== node) continue;
      p.state[s] = PodState.Running;
      p.startAt[s] = -1;
      for (const o of this.observers) o.podRestarted?.(s as PodSlot, node, now);
      this.launch(s as PodSlot, node);
    }
    // The node's taint is gone: waiting pods may try it.
    this.roomOpened(node, now);
  }

  /** A node joins the cluster: like a repair, but it was never counted as failed; its DaemonSet and static pods wait for it. */
  private onJoin(node: NodeIndex, epoch: number): void {
    this.pendingLifecycle--;
    if (this.epoch[node] !== epoch) return;
    this.lastActivity = this.kernel.now;
    this.down[node] = 0;
    this.epoch[node]!++;
    this.setPhantom(node, 0);
    this.roomOpened(node, this.kernel.now);
  }

  /** Fills the node's pod slots, so that no pod fits there (every pod requests one). */
  private fillPhantom(node: NodeIndex): void {
    const { allocatable, requested } = this.cluster;
    const own = requested[PODS]![node]! - this.phantom[node]!;
    this.setPhantom(node, Math.max(0, allocatable[PODS]![node]! - own));
  }

  private setPhantom(node: NodeIndex, amount: number): void {
    const v = this.phantomVec;
    const current = this.phantom[node]!;
    if (amount === current) return;
    if (current > 0) {
      v[PODS] = current;
      this.cluster.unreserve(node, v);
    }
    if (amount > 0) {
      v[PODS] = amount;
      this.cluster.reserve(node, v);
    }
    v[PODS] = 0;
    this.phantom[node] = amount;
    this.policy.onNodeChanged?.(node);
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
      for (let d = 0; d < free.length; d++) free[d] = allocatable[d]![node]! - requested[d]![node]! - this.nominatedHold[d]!;
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
