/**
 * Run-level metrics, kept as time-weighted integrals that are updated when the
 * state changes (never sampled on a timer). Aggregates are maintained
 * incrementally per node, so an update costs O(dimensions²), not O(nodes).
 *
 * A state that holds for zero simulated time (several changes at one instant)
 * does not count towards peaks or means: only states that last do.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { NonNegativeSamples } from '../core/stats.js';
import type { ClusterView } from '../model/cluster-state.js';
import { PODS } from '../model/resources.js';
import type { SimContext, SimObserver } from '../sim/observer.js';
import { PodState } from '../sim/pod-table.js';
import type { PodTable } from '../sim/pod-table.js';
import { isNodePinned } from '../workload/pod.js';

export interface RunMetricsOptions {
  /** The probe pod's requests (a vector in the cluster's resource space) for fragmentation. */
  readonly probe: Float64Array;
  /** Allocation share at which a node strands its other resources (0.95). */
  readonly strandedThreshold: number;
}

/** The metrics of one run, by column name; see METRIC_COLUMNS for their meaning. */
export type MetricValues = Record<string, number>;

export class RunMetrics implements SimObserver {
  private cluster!: ClusterView;
  private pods!: PodTable;
  private dims = 0;
  private nodeCount = 0;

  // Counters.
  private submitted = 0;
  private scheduled = 0;
  private completed = 0;
  private neverFit = 0;
  private preempted = 0;
  private disrupted = 0;
  private evicted = 0;
  private failed = 0;
  private failedJobs = 0;
  private nodeFailures = 0;
  /** Bare pods (streams, traces) evicted from a failed node: nothing replaces them, so they never run again. */
  private evictedForGood = 0;
  /** Arrival times of pods turned away on arrival: never bound, their delay runs to the end of the run. */
  private readonly rejectedArrivals: number[] = [];
  /** When each node failed, or −1 while it is up. */
  private downSince!: Float64Array;
  /** Per node: pods with unreplicated local data lost on it since it last failed (see local_data_lost). */
  private dataAtRisk!: Int32Array;
  private downTime = 0;
  private recoveryMax = 0;
  private firstArrival = -1;
  private lastCompletion = -1;
  private readonly delays = new NonNegativeSamples();
  /** Bind → containers started, per started workload pod. */
  private readonly startups = new NonNegativeSamples();
  private pulledTotal = 0;
  private pulledPerNode!: Float64Array;
  /** Pods per node that are running, to tell active nodes. */
  private podsOn!: Int32Array;

  // Aggregates of the current state.
  private activeNodes = 0;
  private totalAllocatable!: Float64Array;
  private totalRequested!: Float64Array;
  /** Free capacity on nodes that cannot fit the probe pod, per dimension. */
  private unfitFree!: Float64Array;
  /** Free capacity on nodes where another dimension is at or above the threshold, per dimension. */
  private stranded!: Float64Array;
  // Each node's current contribution to unfitFree and stranded, per dimension: [node * dims + d].
  private nodeUnfit!: Float64Array;
  private nodeStranded!: Float64Array;
  /**
   * The packing bound counts the pods active nodes count (the workload, not
   * the pods pinned to their node): per dimension, the workload's requests,
   * and each node's room for them (allocatable − its pinned pods' requests),
   * sorted from the largest node down as prefix sums. The prefix sums are
   * rebuilt only when a pinned pod comes or goes (at time 0, nearly always).
   */
  private workloadRequested!: Float64Array;
  /** Pinned pods' requests per node and dimension: [node * dims + d]. */
  private pinnedOn!: Float64Array;
  private prefixRoom!: Float64Array[];
  private roomStale = true;

  // Integrals over time and peaks, of states that last.
  private lastTime = 0;
  private elapsed = 0;
  private activeIntegral = 0;
  private allocIntegral!: Float64Array;
  private allocPeak!: Float64Array;
  private fragIntegral!: Float64Array;
  private fragTime!: Float64Array;
  private strandedIntegral!: Float64Array;
  private activePeak = 0;
  private lowerBoundPeak = 0;
  private activeAtLowerBoundPeak = 0;
  private endTime = 0;

  constructor(private readonly options: RunMetricsOptions) {}

  start(ctx: SimContext): void {
    this.cluster = ctx.cluster;
    this.pods = ctx.pods;
    const dims = (this.dims = ctx.cluster.space.size);
    const nodes = (this.nodeCount = ctx.cluster.nodeCount);
    this.podsOn = new Int32Array(nodes);
    this.downSince = new Float64Array(nodes).fill(-1);
    this.dataAtRisk = new Int32Array(nodes);
    this.pulledPerNode = new Float64Array(nodes);
    this.totalAllocatable = new Float64Array(dims);
    this.totalRequested = new Float64Array(dims);
    this.unfitFree = new Float64Array(dims);
    this.stranded = new Float64Array(dims);
    this.nodeUnfit = new Float64Array(nodes * dims);
    this.nodeStranded = new Float64Array(nodes * dims);
    this.allocIntegral = new Float64Array(dims);
    this.allocPeak = new Float64Array(dims);
    this.fragIntegral = new Float64Array(dims);
    this.fragTime = new Float64Array(dims);
    this.strandedIntegral = new Float64Array(dims);
    this.workloadRequested = new Float64Array(dims);
    this.pinnedOn = new Float64Array(nodes * dims);
    this.prefixRoom = Array.from({ length: dims }, () => new Float64Array(nodes + 1));
    this.roomStale = true;
    for (let d = 0; d < dims; d++) {
      const alloc = ctx.cluster.allocatable[d]!;
      let total = 0;
      for (let n = 0; n < nodes; n++) total += alloc[n]!;
      this.totalAllocatable[d] = total;
    }
    for (let n = 0; n < nodes; n++) this.refreshNode(n as NodeIndex);
  }

  podArrived(slot: PodSlot, now: Micros): void {
    this.advance(now);
    if (this.pinned(slot)) return;
    this.submitted++;
    if (this.firstArrival < 0) this.firstArrival = now;
  }

  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) {
      this.scheduled++;
      this.delays.push(now - this.pods.arrival[slot]!);
      this.recovered(slot, now);
    }
    this.change(node, this.pods.requests[slot]!, 1, pinned);
  }

  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) {
      this.completed++;
      this.lastCompletion = now;
    }
    this.change(node, this.pods.requests[slot]!, -1, pinned);
  }

  podFailed(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.failed++;
    this.change(node, this.pods.requests[slot]!, -1, pinned);
  }

  jobFailed(): void {
    this.failedJobs++;
  }

  podPreempted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.preempted++;
    this.change(node, this.pods.requests[slot]!, -1, pinned);
  }

  podStarted(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    if (!this.pinned(slot)) this.startups.push(now - this.pods.bindAt[slot]!);
  }

  imagePulled(node: NodeIndex, bytes: number): void {
    this.pulledTotal += bytes;
    this.pulledPerNode[node]! += bytes;
  }

  podLost(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    if (!this.pinned(slot)) this.disrupted++;
    if (this.holdsOnlyCopy(slot)) this.dataAtRisk[node]!++;
  }

  /**
   * Whether the pod's local data has no copy elsewhere: it holds local
   * persistent volumes and is not a replica of a service with more than one.
   */
  private holdsOnlyCopy(slot: PodSlot): boolean {
    if (this.pods.volumes[slot]! < 0) return false;
    const t = this.pods.template[slot]!;
    return !(t.kind === 'service' && (t.replicas ?? 1) > 1);
  }

  podRestarted(slot: PodSlot, _node: NodeIndex, now: Micros): void {
    this.advance(now);
    if (!this.pinned(slot)) this.recovered(slot, now);
  }

  podEvicted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) {
      this.evicted++;
      const kind = this.pods.template[slot]!.kind;
      if (kind === 'stream' || kind === 'trace') this.evictedForGood++;
    }
    this.change(node, this.pods.requests[slot]!, -1, pinned);
  }

  nodeFailed(node: NodeIndex, now: Micros): void {
    this.advance(now);
    this.nodeFailures++;
    this.downSince[node] = now;
  }

  nodeRepaired(node: NodeIndex, now: Micros): void {
    this.advance(now);
    this.downTime += now - this.downSince[node]!;
    this.downSince[node] = -1;
    // Back with its disks: the data of the pods lost on it is there again.
    this.dataAtRisk[node] = 0;
  }

  /** A pod standing for one a node failure disrupted is running again: that replica has recovered. */
  private recovered(slot: PodSlot, now: Micros): void {
    const since = this.pods.disruptedAt[slot]!;
    if (since >= 0 && now - since > this.recoveryMax) this.recoveryMax = now - since;
  }

  podRejected(slot: PodSlot, now: Micros): void {
    this.advance(now);
    if (this.pinned(slot)) return;
    this.neverFit++;
    this.rejectedArrivals.push(this.pods.arrival[slot]!);
  }

  end(now: Micros): void {
    this.advance(now);
    this.endTime = now;
    // A pod never bound waited from its arrival to the end of the run: it counts in the delays so.
    for (const a of this.rejectedArrivals) this.delays.push(now - a);
    const { arrival, state, template } = this.pods;
    for (let s = 0; s < state.length; s++) {
      const st = state[s];
      if ((st === PodState.Queued || st === PodState.Parked || st === PodState.Waiting) && !isNodePinned(template[s]!)) this.delays.push(now - arrival[s]!);
    }
    for (let n = 0; n < this.nodeCount; n++) {
      if (this.downSince[n]! >= 0) this.downTime += now - this.downSince[n]!;
    }
  }

  /** Pods whose only copy of their local data was on a node still down at the end. */
  private localDataLost(): number {
    let lost = 0;
    for (let n = 0; n < this.nodeCount; n++) if (this.downSince[n]! >= 0) lost += this.dataAtRisk[n]!;
    return lost;
  }

  /** A platform pod pinned to its node (see isNodePinned): it takes capacity but is not the workload. */
  private pinned(slot: PodSlot): boolean {
    return this.pods.pinned[slot] === 1;
  }

  /**
   * Requests always count in allocation; `pinned` pods do not make a node
   * active, and for the packing bound they take room on their node instead
   * of adding demand.
   */
  private change(node: NodeIndex, requests: Float64Array, sign: 1 | -1, pinned: boolean): void {
    for (let d = 0; d < this.dims; d++) this.totalRequested[d]! += sign * requests[d]!;
    if (pinned) {
      const base = node * this.dims;
      for (let d = 0; d < this.dims; d++) this.pinnedOn[base + d]! += sign * requests[d]!;
      this.roomStale = true;
      this.refreshNode(node);
      return;
    }
    for (let d = 0; d < this.dims; d++) this.workloadRequested[d]! += sign * requests[d]!;
    const before = this.podsOn[node]!;
    this.podsOn[node] = before + sign;
    if (before === 0 && sign > 0) this.activeNodes++;
    else if (before === 1 && sign < 0) this.activeNodes--;
    this.refreshNode(node);
  }

  /** Replaces the node's contributions to the fragmentation and stranding sums with its current ones. */
  private refreshNode(node: NodeIndex): void {
    const { dims, cluster, options } = this;
    const base = node * dims;
    let probeFits = true;
    let saturated = 0;
    let saturatedDim = -1;
    for (let d = 0; d < dims; d++) {
      const alloc = cluster.allocatable[d]![node]!;
      const used = cluster.requested[d]![node]!;
      if (options.probe[d]! > alloc - used) probeFits = false;
      if (alloc > 0 && used >= options.strandedThreshold * alloc) {
        saturated++;
        saturatedDim = d;
      }
    }
    for (let d = 0; d < dims; d++) {
      const free = cluster.allocatable[d]![node]! - cluster.requested[d]![node]!;
      const unfit = probeFits ? 0 : free;
      // Stranded when some *other* dimension is saturated.
      const strandedHere = saturated > 1 || (saturated === 1 && saturatedDim !== d) ? free : 0;
      this.unfitFree[d]! += unfit - this.nodeUnfit[base + d]!;
      this.stranded[d]! += strandedHere - this.nodeStranded[base + d]!;
      this.nodeUnfit[base + d] = unfit;
      this.nodeStranded[base + d] = strandedHere;
    }
  }

  /** Each dimension's node room (allocatable − pinned pods' requests), largest first, as prefix sums. */
  private rebuildRoom(): void {
    const { dims, nodeCount: nodes } = this;
    const room = new Float64Array(nodes);
    for (let d = 0; d < dims; d++) {
      const alloc = this.cluster.allocatable[d]!;
      for (let n = 0; n < nodes; n++) room[n] = alloc[n]! - this.pinnedOn[n * dims + d]!;
      room.sort().reverse();
      const prefix = this.prefixRoom[d]!;
      for (let i = 0; i < nodes; i++) prefix[i + 1] = prefix[i]! + room[i]!;
    }
    this.roomStale = false;
  }

  /**
   * The least number of nodes that could hold the workload's current
   * requests (pinned platform pods left out, as active nodes leave them
   * out): for each dimension, the fewest of the roomiest nodes whose room
   * (allocatable − pinned pods' requests) adds up to the demand; the maximum
   * over dimensions. Never above active nodes: every workload pod is on an
   * active node, within that node's room, and the roomiest k nodes hold at
   * least as much as any k.
   */
  lowerBound(): number {
    if (this.roomStale) this.rebuildRoom();
    let bound = 0;
    for (let d = 0; d < this.dims; d++) {
      const demand = this.workloadRequested[d]!;
      // Float noise of adding and removing requests is far below one unit (a millicore, a byte).
      if (demand <= 1e-6) continue;
      const prefix = this.prefixRoom[d]!;
      // Smallest k with prefix[k] ≥ demand; prefix is non-decreasing.
      let lo = 1;
      let hi = this.nodeCount;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (prefix[mid]! >= demand) hi = mid;
        else lo = mid + 1;
      }
      if (lo > bound) bound = lo;
    }
    return bound;
  }

  /** Accounts the state held since the last change over [lastTime, now). */
  private advance(now: Micros): void {
    const dt = now - this.lastTime;
    if (dt <= 0) return;
    this.lastTime = now;
    this.elapsed += dt;
    const { dims } = this;
    this.activeIntegral += this.activeNodes * dt;
    if (this.activeNodes > this.activePeak) this.activePeak = this.activeNodes;
    for (let d = 0; d < dims; d++) {
      const alloc = this.totalAllocatable[d]!;
      const share = alloc > 0 ? this.totalRequested[d]! / alloc : 0;
      this.allocIntegral[d]! += share * dt;
      if (share > this.allocPeak[d]!) this.allocPeak[d] = share;
      const free = alloc - this.totalRequested[d]!;
      if (free > 0) {
        this.fragIntegral[d]! += (this.unfitFree[d]! / free) * dt;
        this.fragTime[d]! += dt;
      }
      if (alloc > 0) this.strandedIntegral[d]! += (this.stranded[d]! / alloc) * dt;
    }
    const lb = this.lowerBound();
    if (lb > this.lowerBoundPeak) {
      this.lowerBoundPeak = lb;
      this.activeAtLowerBoundPeak = this.activeNodes;
    }
  }

  /** The run's metrics, by column name (see METRIC_COLUMNS). Call after `end`. */
  result(): MetricValues {
    const names = this.cluster.space.names;
    const T = this.elapsed;
    const seconds = (us: number): number => us / MICROS_PER_SECOND;
    const delayQ = (q: number): number => (this.delays.length === 0 ? 0 : seconds(this.delays.quantile(q)));
    const { queued, parked, lost } = this.countWaiting();
    const out: MetricValues = {
      pods_submitted: this.submitted,
      pods_scheduled: this.scheduled,
      pods_completed: this.completed,
      pods_running_end: this.scheduled - this.completed - this.preempted - this.evicted - this.failed,
      pods_pending_end: queued + parked,
      pods_unschedulable: parked + this.neverFit + lost + this.evictedForGood,
      pods_never_fit: this.neverFit,
      pods_preempted: this.preempted,
      sim_seconds: seconds(this.endTime),
      makespan_s: this.lastCompletion < 0 ? 0 : seconds(this.lastCompletion - this.firstArrival),
      placements_per_sim_s: this.endTime > 0 ? this.scheduled / seconds(this.endTime) : 0,
      delay_p50_s: delayQ(0.5),
      delay_p90_s: delayQ(0.9),
      delay_p99_s: delayQ(0.99),
      delay_max_s: delayQ(1),
      active_nodes_mean: T > 0 ? this.activeIntegral / T : 0,
      active_nodes_peak: this.activePeak,
      nodes_lower_bound_peak: this.lowerBoundPeak,
      packing_efficiency_peak: this.activeAtLowerBoundPeak > 0 ? this.lowerBoundPeak / this.activeAtLowerBoundPeak : 0,
      node_failures: this.nodeFailures,
      node_hours_lost: this.downTime / (3600 * MICROS_PER_SECOND),
      pods_disrupted: this.disrupted,
      pods_evicted: this.evicted,
      pods_failed: this.failed,
      jobs_failed: this.failedJobs,
      recovery_max_s: seconds(this.recoveryMax),
      pods_unrecovered: this.countUnrecovered(),
      local_data_lost: this.localDataLost(),
      startup_p50_s: this.startups.length === 0 ? 0 : seconds(this.startups.quantile(0.5)),
      startup_p99_s: this.startups.length === 0 ? 0 : seconds(this.startups.quantile(0.99)),
      image_bytes_pulled: this.pulledTotal,
      image_bytes_pulled_node_max: this.pulledPerNode.reduce((a, b) => Math.max(a, b), 0),
    };
    for (let d = 0; d < this.dims; d++) {
      const r = names[d]!;
      out[`alloc_${r}_mean`] = T > 0 ? this.allocIntegral[d]! / T : 0;
      out[`alloc_${r}_peak`] = this.allocPeak[d]!;
    }
    for (let d = 0; d < this.dims; d++) {
      if (d === PODS) continue;
      const r = names[d]!;
      out[`fragmentation_${r}`] = this.fragTime[d]! > 0 ? this.fragIntegral[d]! / this.fragTime[d]! : 0;
      out[`stranded_${r}`] = T > 0 ? this.strandedIntegral[d]! / T : 0;
    }
    return out;
  }

  /** Pods of services and jobs standing for disrupted ones that were not running again when the run stopped. */
  private countUnrecovered(): number {
    const { state, template, disruptedAt } = this.pods;
    let n = 0;
    for (let s = 0; s < state.length; s++) {
      if (state[s] === PodState.Free || state[s] === PodState.Running || disruptedAt[s]! < 0) continue;
      const kind = template[s]!.kind;
      if (kind === 'service' || kind === 'job') n++;
    }
    return n;
  }

  /**
   * Pods still waiting when the run stopped, and pods stuck on a failed node
   * (never to run again in this run), read from the pod table rather than
   * derived from the counters.
   */
  private countWaiting(): { queued: number; parked: number; lost: number } {
    const { state, template } = this.pods;
    let queued = 0;
    let parked = 0;
    let lost = 0;
    for (let s = 0; s < state.length; s++) {
      if (state[s] === PodState.Free || isNodePinned(template[s]!)) continue;
      if (state[s] === PodState.Queued) queued++;
      // A gang's pod waiting for the rest of its gang is placed, not bound: pending.
      else if (state[s] === PodState.Parked || state[s] === PodState.Waiting) parked++;
      else if (state[s] === PodState.Lost) lost++;
    }
    return { queued, parked, lost };
  }
}
