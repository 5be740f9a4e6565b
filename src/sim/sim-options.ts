/** What a simulation run is built from. */
import type { Micros } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import type { PlacementPolicy, QueuePolicy } from '../schedulers/types.js';
import type { WorkloadSource } from '../workload/generate.js';
import type { NodeLifecycleTimings } from './controllers/node-lifecycle.js';
import type { ControlPlaneSettings } from './control-plane.js';
import type { NodeFailure, NodeJoin } from './failures.js';
import type { SimObserver } from './observer.js';
import type { SchedulingCost } from './queues/kube.js';
import type { KubeQueueSettings } from './queues/kube-queue.js';
import type { RuntimeSettings } from './runtime.js';

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
  /**
   * Model what pods use and how they contend (usage/contention.ts): set when
   * any workload gives `usage:` or `limits:`. Without it a pod uses what it
   * requests and runs for its duration.
   */
  readonly usage?: boolean | undefined;
}
