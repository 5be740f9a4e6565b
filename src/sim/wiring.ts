/**
 * How the simulation's components are connected: each port a component
 * declares is filled here with closures that reach the other components
 * through one record, `Parts`. A component the run does not use is null and
 * its ports are wired to what happens without it (a pod starts at binding
 * without a container runtime, a write is instant without an API server, a
 * pod runs for its duration without a usage model).
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import type { PodTemplate, PodUsage } from '../workload/pod.js';
import { Arrivals } from './arrivals.js';
import { BindStage } from './bind-stage.js';
import type { BindStagePort } from './bind-stage.js';
import { Gangs } from './controllers/gang.js';
import type { GangPort } from './controllers/gang.js';
import { JobController } from './controllers/job.js';
import { DEFAULT_NODE_LIFECYCLE, NodeLifecycle } from './controllers/node-lifecycle.js';
import type { NodeLifecyclePort } from './controllers/node-lifecycle.js';
import { Owners } from './controllers/owners.js';
import { ApiServer } from './control-plane.js';
import { NodeFailures } from './failures.js';
import type { NodeFailuresPort } from './failures.js';
import type { Kernel } from './kernel.js';
import { NodeStatus } from './node-status.js';
import { PodState } from './pod-table.js';
import { PodLifecycle } from './pods.js';
import type { PodLifecyclePort } from './pods.js';
import { buildQueue } from './queues/build.js';
import type { QueuePort, SchedulingQueue } from './queues/queue.js';
import { ContainerRuntime } from './runtime.js';
import type { SimOptions } from './sim-options.js';
import { Contention } from './usage/contention.js';
import type { ContentionPort } from './usage/contention.js';
import { World } from './world.js';

/** Every component of a run; null where the run does not use it. */
export interface Parts {
  readonly world: World;
  readonly status: NodeStatus;
  readonly until: Micros | undefined;
  runtime: ContainerRuntime | null;
  api: ApiServer | null;
  contention: Contention | null;
  pods: PodLifecycle;
  jobs: JobController;
  owners: Owners;
  bind: BindStage;
  gangs: Gangs;
  queue: SchedulingQueue;
  nodes: NodeLifecycle;
  failures: NodeFailures;
  arrivals: Arrivals;
}

/** Builds the run's components and wires their ports. */
export function buildParts(kernel: Kernel, options: SimOptions): Parts {
  const { cluster, policy } = options;
  const world = new World(kernel, cluster, policy, options.observers ?? []);
  const c = { world, status: new NodeStatus(cluster, policy), until: options.until } as Parts;
  c.runtime = options.runtime === undefined ? null : new ContainerRuntime(options.runtime, world, (s, n) => c.pods.start(s, n));
  c.api = options.controlPlane === undefined ? null : new ApiServer(options.controlPlane, world, (s) => c.queue.enqueue(s), launcher(c));
  c.contention = options.usage !== true && options.policy.needsUsage !== true ? null : new Contention(world, options.until, contentionPort(c));
  if (c.runtime !== null && c.contention !== null) c.runtime.shareNic(c.contention);
  c.pods = new PodLifecycle(world, podPort(c), c.contention);
  const create = (t: PodTemplate, r: Float64Array, d: Micros, job: number, usage: PodUsage | undefined, claims?: number) => c.pods.create(t, r, d, job, usage, claims);
  c.jobs = new JobController(world, create);
  c.owners = new Owners(world, c.jobs, create);
  c.bind = new BindStage(world, c.status.down, bindPort(c));
  c.gangs = new Gangs(world, gangPort(c));
  c.queue = buildQueue(world, options.queue, queuePort(c), options, () => c.jobs.count);
  c.nodes = new NodeLifecycle(world, c.status, options.nodeLifecycle ?? DEFAULT_NODE_LIFECYCLE, nodeLifecyclePort(c));
  c.failures = new NodeFailures(world, c.status, options.failures ?? [], options.joins ?? [], options.random ?? (() => 0), failuresPort(c));
  c.arrivals = new Arrivals(kernel, options.workload, options.until, (s) => {
    if (s.kind === 'pod') c.pods.create(s.template, s.requests, s.duration, -1, s.usage);
    else c.jobs.start(s);
  });
  return c;
}

/** The kubelet takes a bound pod: through the container runtime's image pulls, or at once. */
function launcher(c: Parts): (s: PodSlot, n: NodeIndex) => void {
  return c.runtime === null ? (s, n) => c.pods.start(s, n) : (s, n) => c.runtime!.launch(s, n);
}

/** Whether anything can still happen besides the queue's own timers and crash-looping restarts. */
function alive(c: Parts): () => boolean {
  const kernel = c.world.kernel;
  return () =>
    kernel.work > 0 || c.arrivals.pending || c.runtime?.busy() === true || (c.contention !== null && c.contention.working > 0) || c.until !== undefined;
}

/** Room opened on a node: gangs that timed out may retry, and the queue learns of it. */
function roomOpened(c: Parts): (node: NodeIndex, now: Micros, pod?: PodTemplate) => void {
  return (node, now, pod) => {
    c.gangs.retryRejected();
    c.queue.roomOpened(node, now, pod);
  };
}

function podPort(c: Parts): PodLifecyclePort {
  return {
    // A pod already running when the run starts (boundAtStart) is bound at once; any other goes to the scheduler.
    admitted: c.api === null ? (s) => c.bind.placeIfRunning(s) || c.queue.enqueue(s) : (s, via) => c.bind.placeIfRunning(s) || c.api!.create(s, via),
    runningAtStart: (s) => c.bind.runningAtStart(s),
    unplaced: (s) => c.queue.unplaced(s),
    left: c.runtime === null ? () => {} : (s, n, started, lost) => c.runtime!.left(s, n, started, lost),
    volumesChanged: (now) => c.queue.volumesChanged(now),
    vacated: roomOpened(c),
    ended: (job, fails) => {
      if (job >= 0) c.jobs.ended(job, fails);
    },
    deleted: (s) => c.owners.of(s).preempted(s),
  };
}

function bindPort(c: Parts): BindStagePort {
  return {
    placed: (s, n, claimed) => c.queue.placed(s, n, claimed),
    permit: (s, n) => c.gangs.permit(s, n),
    lost: (s, n) => c.pods.lose(s, n, c.world.kernel.now),
    bind: c.api === null ? launcher(c) : (s) => c.api!.bind(s),
    launch: launcher(c),
  };
}

function gangPort(c: Parts): GangPort {
  return {
    gangOf: (job) => c.jobs.gangOf(job),
    commit: (s, n) => c.bind.commit(s, n),
    unbind: (s, n) => c.pods.unbind(s, n),
    roomOpened: (node, now) => c.queue.roomOpened(node, now),
    enqueue: (s) => c.queue.enqueue(s),
  };
}

function queuePort(c: Parts): QueuePort {
  const p = c.world.pods;
  return {
    place: (s, n) => c.bind.place(s, n),
    // A running victim terminates; a gang's waiting pod ends its gang's wait.
    evict: (victim) => {
      if (p.state[victim] === PodState.Running) c.pods.preempt(victim);
      else c.gangs.rejectWaitOf(victim);
    },
    alive: alive(c),
  };
}

function nodeLifecyclePort(c: Parts): NodeLifecyclePort {
  return {
    ownerOf: (s) => c.owners.of(s),
    rejectWaitOf: (s) => c.gangs.rejectWaitOf(s),
    unbind: (s, n) => c.pods.unbind(s, n),
    vacate: (s, n, now) => c.pods.vacate(s, n, now),
  };
}

function failuresPort(c: Parts): NodeFailuresPort {
  return {
    lose: (s, n, now) => c.pods.lose(s, n, now),
    failed: (node, epoch) => {
      c.runtime?.nodeFailed(node);
      c.nodes.failed(node, epoch);
    },
    up: (node) => c.status.unblock(node),
    launch: launcher(c),
    nodeUp: (node, now, added) => {
      c.gangs.retryRejected();
      c.queue.nodeUp(node, now, added);
    },
  };
}

function contentionPort(c: Parts): ContentionPort {
  return {
    finish: (s, fails) => c.pods.finish(s, fails),
    evict: (s) => c.pods.evictForPressure(s, c.owners.of(s)),
    alive: alive(c),
  };
}
