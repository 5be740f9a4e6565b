/**
 * The CPU a pod of several containers gets, shared among them: each
 * container is capped at its own limit (its CFS quota), and what the node
 * gives the pod is split among its containers by their cpu.shares, as CFS
 * shares a pod's cgroup among its containers' (weighted max-min,
 * fair-share.ts). The pod's batch work goes at the pace of its slowest
 * container (the smallest share of its demand it gets); each container held
 * at its quota below its demand is throttled for 1 − limit ÷ demand of the
 * time, and the pod's throttled time is its containers' summed.
 *
 * A container whose memory goes over its own limit is OOM-killed; the model
 * restarts the pod's work with it (the container's work starts again), after
 * the pod's CrashLoopBackOff.
 */
import type { ContainerTemplate, ContainerUse } from '../../workload/pod.js';
import { cpuShares, weightedMaxMin } from './fair-share.js';

export class ContainerSplit {
  private readonly k: number;
  private readonly demand: Float64Array;
  private readonly capped: Float64Array;
  private readonly limit: Float64Array;
  private readonly weight: Float64Array;
  private readonly got: Float64Array;
  private readonly order: Int32Array;
  private readonly over: boolean;
  /** The CPU the containers want, each capped at its limit: what the pod asks of the node. */
  readonly cappedCpu: number;
  /** Summed over the containers, the share of the time each is throttled, after the last split. */
  throttle = 0;

  constructor(containers: readonly ContainerTemplate[], uses: readonly ContainerUse[]) {
    const k = containers.length;
    this.k = k;
    this.demand = new Float64Array(k);
    this.capped = new Float64Array(k);
    this.limit = new Float64Array(k);
    this.weight = new Float64Array(k);
    this.got = new Float64Array(k);
    this.order = new Int32Array(k);
    let capped = 0;
    let over = false;
    for (let i = 0; i < k; i++) {
      const c = containers[i]!;
      const use = uses[i]!;
      this.demand[i] = use.cpu;
      this.limit[i] = c.limitCpu;
      this.capped[i] = Math.min(use.cpu, c.limitCpu);
      this.weight[i] = cpuShares(c.requestCpu);
      capped += this.capped[i]!;
      if (use.memory > c.limitMemory) over = true;
    }
    this.cappedCpu = capped;
    this.over = over;
  }

  /** Whether a container uses more memory than its limit (it is OOM-killed). */
  overMemory(): boolean {
    return this.over;
  }

  /** Splits `cpu` millicores the pod gets among its containers; returns the pod's pace (0…1) and sets `throttle`. */
  split(cpu: number): number {
    const { k, demand, limit, got } = this;
    weightedMaxMin(cpu, this.capped, this.weight, k, got, this.order);
    let pace = 1;
    let throttle = 0;
    for (let i = 0; i < k; i++) {
      const want = demand[i]!;
      if (want <= 0) continue;
      pace = Math.min(pace, got[i]! / want);
      if (want > limit[i]! && got[i]! >= limit[i]! * (1 - 1e-12)) throttle += 1 - limit[i]! / want;
    }
    this.throttle = throttle;
    return pace;
  }
}
