/** What a workload hands the simulator: pods and jobs, in time order. */
import type { Micros } from '../core/ids.js';
import type { Affinity } from '../model/affinity.js';
import type { HostPort } from '../model/container.js';
import type { Labels, Toleration } from '../model/labels.js';
import type { TopologySpreadConstraint } from '../model/label-selector.js';
import type { VolumeClaimSpec } from '../model/volumes.js';

/** A pod that runs until it is deleted (a Deployment's replica, say). */
export const LONG_RUNNING: Micros = -1;

/** What all pods from one service, job or stream share. */
export interface PodTemplate {
  /** The service, job or stream the pod belongs to (for platform pods: the component, e.g. calico-node). */
  readonly owner: string;
  /**
   * `daemonset` and `static` are the platform's own pods pinned to one node
   * (DaemonSet pods, control-plane static pods); the platform's add-on
   * Deployments (CoreDNS, …) are `service`s.
   */
  readonly kind: 'service' | 'job' | 'stream' | 'trace' | 'daemonset' | 'static';
  readonly priority: number;
  readonly tenant: string;
  readonly labels: Labels;
  readonly nodeSelector: Labels;
  readonly tolerations: readonly Toleration[];
  readonly affinity?: Affinity | undefined;
  /** spec.topologySpreadConstraints; none when absent. */
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[] | undefined;
  /** Ports the pod binds on its node; none when absent. */
  readonly hostPorts?: readonly HostPort[] | undefined;
  /** The images of the pod's containers, one per container; none when absent. */
  readonly images?: readonly string[] | undefined;
  /** spec.preemptionPolicy; PreemptLowerPriority when absent. */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never' | undefined;
  /**
   * PersistentVolumeClaims on local PVs; none when absent. A service
   * replica's claims outlive its pods (StatefulSet volumeClaimTemplates);
   * other pods' claims are ephemeral volumes, deleted with the pod.
   */
  readonly volumeClaims?: readonly VolumeClaimSpec[] | undefined;
  /**
   * The name of the node its pods created when the run starts are already
   * bound to (an imported cluster's running pods): the simulator places them
   * there without scheduling, even past the node's allocatable.
   */
  readonly boundAtStart?: string | undefined;
  /** spec.terminationGracePeriodSeconds; 30 when absent. */
  readonly terminationGracePeriodSeconds?: number | undefined;
  /** For a scenario service's pods: the replicas its controller keeps (local_data_lost spares replicated data). */
  readonly replicas?: number | undefined;
  /**
   * Resources the pod's container leaves without a request (as opposed to
   * an explicit 0). kube-scheduler's scoring counts a missing CPU request as
   * 100m and a missing memory request as 200Mi.
   */
  readonly missingRequests: { readonly cpu: boolean; readonly memory: boolean };
  /**
   * The container's limits per dimension of the resource space (Infinity:
   * none); absent when it sets none. cpu caps what the pod may use (the CFS
   * quota), memory is where it is OOM-killed.
   */
  readonly limits?: Float64Array | undefined;
  /**
   * The pod's containers when its workload gives `containers:` (its
   * requests are their sum, its limits PodLimits of theirs); absent for a
   * pod of one container.
   */
  readonly containers?: readonly ContainerTemplate[] | undefined;
}

/** One container's CPU (millicores) and memory (bytes) requests and limits (Infinity: none). */
export interface ContainerTemplate {
  readonly name: string;
  readonly requestCpu: number;
  readonly requestMemory: number;
  readonly limitCpu: number;
  readonly limitMemory: number;
}

/**
 * One phase of what a pod uses: for `length` µs (of uncontended run time
 * for a batch pod, of wall-clock time for a service; Infinity for the last),
 * `cpu` millicores, `memory` bytes, `nvme` bytes/s read and written, `nic` bits/s.
 */
export interface UsagePhase {
  readonly length: Micros;
  readonly cpu: number;
  readonly memory: number;
  readonly nvme: number;
  readonly nic: number;
}

/** What a pod uses over its run, drawn from its workload's `usage:` when it is created. */
export interface PodUsage {
  readonly phases: readonly UsagePhase[];
  /** Of a pod with `containers:`, what each uses (in the template's order); its one phase is their sum. */
  readonly containers?: readonly ContainerUse[] | undefined;
}

/** What one container uses: millicores and bytes, constant over its run. */
export interface ContainerUse {
  readonly cpu: number;
  readonly memory: number;
}

/**
 * Pods the platform pins to every node (DaemonSet pods) or to server nodes
 * (static control-plane pods). They take capacity like any pod, but are not
 * the workload: pod counts, delays and active nodes leave them out.
 */
export function isNodePinned(template: PodTemplate): boolean {
  return template.kind === 'daemonset' || template.kind === 'static';
}

export interface PodSubmission {
  readonly kind: 'pod';
  readonly template: PodTemplate;
  /** When the pod is created, in µs. */
  readonly arrival: Micros;
  /** Run time once started, in µs, or LONG_RUNNING. */
  readonly duration: Micros;
  /** Requests per dimension of the scenario's resource space, including pods = 1. Never mutated. */
  readonly requests: Float64Array;
  /** What it uses; absent: what it requests. */
  readonly usage?: PodUsage | undefined;
}

/** A Job: `parallelism` pods at a time until `completions` have succeeded. */
export interface JobSubmission {
  readonly kind: 'job';
  readonly template: PodTemplate;
  readonly arrival: Micros;
  readonly completions: number;
  readonly parallelism: number;
  /** All-or-nothing start: see GangSpec. */
  readonly gang?: GangSpec | undefined;
  /** Pod failures and the Job's backoffLimit; none when absent. */
  readonly failures?: { readonly backoffLimit: number } | undefined;
  /**
   * Draws the next pod's duration and requests (from the job's own random
   * streams); `fails` when its run ends in failure after `duration`.
   */
  nextPod(): { readonly duration: Micros; readonly requests: Float64Array; readonly fails?: boolean; readonly usage?: PodUsage | undefined };
}

/**
 * A gang (the scheduler-plugins coscheduling PodGroup): the job's pods are
 * placed one by one but wait, holding their nodes, until `minMember` of them
 * are placed, and then are all bound at once; if that takes longer than
 * `timeout`, the waiting pods give their room back and try again after the
 * next release in the cluster.
 */
export interface GangSpec {
  readonly minMember: number;
  readonly timeout: Micros;
}

export type Submission = PodSubmission | JobSubmission;
