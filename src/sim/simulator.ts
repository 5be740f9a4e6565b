/**
 * The cluster simulation's composition root: it builds a run from the
 * components the scenario uses and owns the event loop. Pods arrive from the
 * workload (arrivals.ts), wait in the queue discipline's queue (queues/),
 * are placed by the placement policy and held on their node by the bind
 * stage (bind-stage.ts), are started by the kubelet — after image pulls when
 * a container runtime is modelled (runtime.ts) — and leave through pod
 * lifecycle (pods.ts). Controllers (controllers/) replace what their pods
 * lose; node failures (failures.ts) and the node lifecycle controller take
 * nodes away and give them back.
 *
 * Components never call each other directly: each declares the events it
 * announces as a port, and the wiring below connects them. A component the
 * scenario does not use is not built.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import type { PlacementPolicy, QueuePolicy } from '../schedulers/types.js';
import type { WorkloadSource } from '../workload/generate.js';
import type { PodTemplate } from '../workload/pod.js';
import { Arrivals } from './arrivals.js';
import { BindStage } from './bind-stage.js';
import { Gangs } from './controllers/gang.js';
import { JobController } from './controllers/job.js';
import { DEFAULT_NODE_LIFECYCLE, NodeLifecycle } from './controllers/node-lifecycle.js';
import type { NodeLifecycleTimings } from './controllers/node-lifecycle.js';
import { Owners } from './controllers/owners.js';
import { ApiServer } from './control-plane.js';
import type { ControlPlaneSettings } from './control-plane.js';
import { NodeFailures } from './failures.js';
import type { NodeFailure, NodeJoin } from './failures.js';
import { Kernel } from './kernel.js';
import { NodeStatus } from './node-status.js';
import type { SimObserver } from './observer.js';
import { PodState } from './pod-table.js';
import type { PodTable } from './pod-table.js';
import { PodLifecycle } from './pods.js';
import { buildQueue } from './queues/build.js';
import type { SchedulingCost } from './queues/kube.js';
import type { KubeQueueSettings } from './queues/kube-queue.js';
import { ContainerRuntime } from './runtime.js';
import type { RuntimeSettings } from './runtime.js';
import { World } from './world.js';

export { PolicyError } from './world.js';
export { jobRetryDelay } from './controllers/job.js';
export type { NodeFailure, NodeJoin } from './failures.js';
export type { KubeQueueSettings } from './queues/kube-queue.js';

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
  readonly nodeLifecycle?: NodeLifecycleTimings | undefined;
  /** API writes for pod creation and binding (rate limits, datastore); instant without it. */
  readonly controlPlane?: ControlPlaneSettings | undefined;
  /** Image pulls and container start-up after binding; pods start at bind without it. */
  readonly runtime?: RuntimeSettings | undefined;
  /** Nodes that join the cluster during the run (a trace's machine added after its start): absent until `at`. */
  readonly joins?: readonly NodeJoin[] | undefined;
  /** Uniform [0, 1) draws for choosing nodes to fail at random (a seeded stream). */
  readonly random?: (() => number) | undefined;
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

export class Simulator {
  readonly kernel = new Kernel();
  readonly pods: PodTable;
  private readonly world: World;
  private readonly until: Micros | undefined;
  private readonly arrivals: Arrivals;
  private readonly lifecycle: PodLifecycle;
  private readonly jobs: JobController;
  private readonly nodes: NodeLifecycle;
  private readonly failures: NodeFailures;

  constructor(options: SimOptions) {
    const { cluster, policy } = options;
    const until = (this.until = options.until);
    const status = new NodeStatus(cluster, policy);
    const world = (this.world = new World(this.kernel, cluster, policy, options.observers ?? []));
    this.pods = world.pods;
    const p = world.pods;

    // Built first, wired below: each component reaches the others only through these closures.
    const runtime = options.runtime === undefined ? null : new ContainerRuntime(options.runtime, world, (s, n) => pods.start(s, n));
    const launch: (s: PodSlot, n: NodeIndex) => void = runtime === null ? (s: PodSlot, n: NodeIndex) => pods.start(s, n) : (s: PodSlot, n: NodeIndex) => runtime.launch(s, n);
    const api: ApiServer | null = options.controlPlane === undefined ? null : new ApiServer(options.controlPlane, world, (s) => queue.enqueue(s), launch);
    const create = (t: PodTemplate, r: Float64Array, d: Micros, job: number, claims?: number) => pods.create(t, r, d, job, claims);
    const pulling = runtime === null ? () => false : () => runtime.busy();
    const pods: PodLifecycle = (this.lifecycle = new PodLifecycle(world, {
      admitted: (s, via) => bind.placeIfRunning(s) || (api === null ? queue.enqueue(s) : api.create(s, via)),
      runningAtStart: (s) => bind.runningAtStart(s),
      unplaced: (s) => queue.unplaced(s),
      left: runtime === null ? () => {} : (s, n, started, lost) => runtime.left(s, n, started, lost),
      volumesChanged: (now) => queue.volumesChanged(now),
      vacated: (node, now, pod) => roomOpened(node, now, pod),
      ended: (job, fails) => {
        if (job >= 0) jobs.ended(job, fails);
      },
      deleted: (s) => owners.of(s).preempted(s),
    }));
    const jobs = (this.jobs = new JobController(world, create));
    const owners = new Owners(world, jobs, create);
    const bind = new BindStage(world, status.down, {
      placed: (s, n, claimed) => queue.placed(s, n, claimed),
      permit: (s, n) => gangs.permit(s, n),
      lost: (s, n) => pods.lose(s, n, this.kernel.now),
      bind: api === null ? launch : (s) => api.bind(s),
      launch,
    });
    const gangs = new Gangs(world, {
      gangOf: (job) => jobs.gangOf(job),
      commit: (s, n) => bind.commit(s, n),
      unbind: (s, n) => pods.unbind(s, n),
      roomOpened: (node, now) => queue.roomOpened(node, now),
      enqueue: (s) => queue.enqueue(s),
    });
    const roomOpened = (node: NodeIndex, now: Micros, pod?: PodTemplate): void => {
      gangs.retryRejected();
      queue.roomOpened(node, now, pod);
    };
    const evict = (victim: PodSlot): void => {
      if (p.state[victim] === PodState.Running) pods.preempt(victim);
      else gangs.rejectWaitOf(victim);
    };
    const queue = buildQueue(world, options.queue, {
      place: (s, n) => bind.place(s, n),
      evict,
      alive: () => this.kernel.work > 0 || this.arrivals.pending || pulling() || until !== undefined,
    }, options, () => jobs.count);
    this.nodes = new NodeLifecycle(world, status, options.nodeLifecycle ?? DEFAULT_NODE_LIFECYCLE, {
      ownerOf: (s) => owners.of(s),
      rejectWaitOf: (s) => gangs.rejectWaitOf(s),
      unbind: (s, n) => pods.unbind(s, n),
      vacate: (s, n, now) => pods.vacate(s, n, now),
    });
    this.failures = new NodeFailures(world, status, options.failures ?? [], options.joins ?? [], options.random ?? (() => 0), {
      lose: (s, n, now) => pods.lose(s, n, now),
      failed: (node, epoch) => {
        runtime?.nodeFailed(node);
        this.nodes.failed(node, epoch);
      },
      up: (node) => status.unblock(node),
      launch,
      nodeUp: (node, now, added) => {
        gangs.retryRejected();
        queue.nodeUp(node, now, added);
      },
    });
    this.arrivals = new Arrivals(this.kernel, options.workload, until, (s) => {
      if (s.kind === 'pod') pods.create(s.template, s.requests, s.duration, -1);
      else jobs.start(s);
    });
  }

  /** Runs to the end and returns where every pod is. */
  run(): Census {
    this.begin();
    this.kernel.run({ until: this.until });
    // Without `until`, the run ends with the last event that changed something: a queue timer that
    // found nothing to do does not stretch it.
    const end = this.until ?? Math.max(this.kernel.lastActivity, 0);
    for (const o of this.world.observers) o.end?.(end);
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
    for (const o of this.world.observers) o.start?.({ cluster: this.world.cluster, pods: this.pods });
    this.failures.begin(this.until);
    this.arrivals.begin();
  }

  census(): Census {
    const counts = [0, 0, 0, 0, 0, 0, 0];
    const { state } = this.pods;
    for (let s = 0; s < state.length; s++) counts[state[s]!]!++;
    const { lifecycle: pods } = this;
    return {
      created: this.pods.created,
      completed: pods.completed,
      running: counts[PodState.Running]!,
      queued: counts[PodState.Queued]!,
      parked: counts[PodState.Parked]! + counts[PodState.Waiting]!,
      rejected: pods.rejected,
      preempted: pods.preempted,
      terminating: counts[PodState.Terminating]!,
      evicted: this.nodes.evicted,
      lost: counts[PodState.Lost]!,
      failed: pods.failed,
      failedJobs: this.jobs.failedJobs,
    };
  }
}
