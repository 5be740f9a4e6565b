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
 * announces as a port, and wiring.ts connects them. A component the
 * scenario does not use is not built.
 */
import type { Micros } from '../core/ids.js';
import type { JobController } from './controllers/job.js';
import type { NodeLifecycle } from './controllers/node-lifecycle.js';
import type { Arrivals } from './arrivals.js';
import type { NodeFailures } from './failures.js';
import { Kernel } from './kernel.js';
import { PodState } from './pod-table.js';
import type { PodTable } from './pod-table.js';
import type { PodLifecycle } from './pods.js';
import type { SimOptions } from './sim-options.js';
import type { Contention } from './usage/contention.js';
import { buildParts } from './wiring.js';
import type { World } from './world.js';

export { PolicyError } from './world.js';
export { jobRetryDelay } from './controllers/job.js';
export type { NodeFailure, NodeJoin } from './failures.js';
export type { KubeQueueSettings } from './queues/kube-queue.js';
export type { SimOptions } from './sim-options.js';

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

  /** Scheduling attempts so far: decisions asked of the placement policy, failed ones included. */
  get attempts(): number {
    return this.world.attempts;
  }
  readonly pods: PodTable;
  private readonly world: World;
  private readonly until: Micros | undefined;
  private readonly arrivals: Arrivals;
  private readonly lifecycle: PodLifecycle;
  private readonly jobs: JobController;
  private readonly nodes: NodeLifecycle;
  private readonly failures: NodeFailures;
  private readonly contention: Contention | null;

  constructor(options: SimOptions) {
    const parts = buildParts(this.kernel, options);
    this.until = options.until;
    this.world = parts.world;
    this.pods = parts.world.pods;
    this.lifecycle = parts.pods;
    this.jobs = parts.jobs;
    this.nodes = parts.nodes;
    this.failures = parts.failures;
    this.arrivals = parts.arrivals;
    this.contention = parts.contention;
  }

  /** Runs to the end and returns where every pod is. */
  run(): Census {
    this.begin();
    this.kernel.run({ until: this.until });
    // Without `until`, the run ends with the last event that changed something: a queue timer that
    // found nothing to do does not stretch it.
    const end = this.until ?? Math.max(this.kernel.lastActivity, 0);
    this.contention?.finishRun();
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
