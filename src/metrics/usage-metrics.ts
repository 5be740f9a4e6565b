/**
 * The usage columns of a run (columns.ts, USAGE_COLUMNS): slowdowns by QoS
 * class, job completion time, CPU throttling, OOM kills, pressure
 * evictions, usage and over-commit, contended time. Without a usage model no
 * usage event arrives, and every pod counts as using what it requests.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { quantileSorted } from '../core/stats.js';
import { resized } from '../core/typed-arrays.js';
import type { ClusterView } from '../model/cluster-state.js';
import { podQos } from '../model/qos.js';
import type { QosClass } from '../model/qos.js';
import { CPU, MEMORY } from '../model/resources.js';
import type { SimContext, SimObserver } from '../sim/observer.js';
import type { PodTable } from '../sim/pod-table.js';
import type { MetricValues } from './run-metrics.js';

const QOS: readonly QosClass[] = ['Guaranteed', 'Burstable', 'BestEffort'];

export class UsageMetrics implements SimObserver {
  private cluster!: ClusterView;
  private pods!: PodTable;
  private modelled = false;
  /** Per QoS class (QOS order), each finished batch pod's slowdown: the first slowdownCount[c] entries. */
  private readonly slowdowns = [new Float64Array(1024), new Float64Array(1024), new Float64Array(1024)];
  private readonly slowdownCount = [0, 0, 0];
  /** Per pod slot, the ideal run time its work reported as done (−1: not done under the usage model). */
  private readonly done = new Map<number, number>();
  private throttled = 0;
  private ooms = 0;
  private pressureEvictions = 0;
  // Usage integrals.
  private usedCpu!: Float64Array;
  private usedMemory!: Float64Array;
  private contended!: Uint8Array;
  private totalCpu = 0;
  private totalMemory = 0;
  private allocCpu = 0;
  private allocMemory = 0;
  private last = 0;
  private cpuIntegral = 0;
  private memoryIntegral = 0;
  private contendedCount = 0;
  private contendedIntegral = 0;
  private overcommitPeak = 0;
  /** Per node, max(CPU requested, CPU used), and their sum: the over-commit kept up to date one node at a time. */
  private committed!: Float64Array;
  private committedSum = 0;
  // Job completion times.
  private readonly jobStart = new Map<number, number>();
  private readonly jobEnd = new Map<number, number>();
  private readonly jobLive = new Map<number, number>();
  /** Σ and count of the run times of pods outside Jobs (summed in the order they end). */
  private podTimeSum = 0;
  private podTimeCount = 0;
  private endTime = 0;

  start(ctx: SimContext): void {
    this.cluster = ctx.cluster;
    this.pods = ctx.pods;
    const n = ctx.cluster.nodeCount;
    this.usedCpu = new Float64Array(n);
    this.usedMemory = new Float64Array(n);
    this.contended = new Uint8Array(n);
    this.committed = new Float64Array(n);
    // The nodes' own capacity: an over-committed scheduler sees more (ClusterState.overcommit).
    for (const node of ctx.cluster.nodes) {
      this.allocCpu += node.allocatable[CPU]!;
      this.allocMemory += node.allocatable[MEMORY]!;
    }
  }

  private advance(now: Micros): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.cpuIntegral += this.totalCpu * dt;
    this.memoryIntegral += this.totalMemory * dt;
    this.contendedIntegral += this.contendedCount * dt;
    this.last = now;
  }

  podArrived(slot: PodSlot, now: Micros): void {
    const job = this.pods.job[slot]!;
    if (job < 0 || this.pods.pinned[slot] === 1) return;
    if (!this.jobStart.has(job)) this.jobStart.set(job, now);
    this.jobLive.set(job, (this.jobLive.get(job) ?? 0) + 1);
  }

  podBound(_slot: PodSlot, node: NodeIndex): void {
    if (this.modelled) this.overcommit(node);
  }

  usageChanged(node: NodeIndex, cpu: number, memory: number, contended: boolean, now: Micros): void {
    this.advance(now);
    this.modelled = true;
    this.totalCpu += cpu - this.usedCpu[node]!;
    this.totalMemory += memory - this.usedMemory[node]!;
    this.usedCpu[node] = cpu;
    this.usedMemory[node] = memory;
    const c = contended ? 1 : 0;
    this.contendedCount += c - this.contended[node]!;
    this.contended[node] = c;
    this.overcommit(node);
  }

  /** Σ over nodes of max(requested, used) ÷ Σ allocatable, kept at its peak; only `node` changed. */
  private overcommit(node: NodeIndex): void {
    const term = Math.max(this.cluster.requested[CPU]![node]!, this.usedCpu[node]!);
    this.committedSum += term - this.committed[node]!;
    this.committed[node] = term;
    if (this.allocCpu > 0) this.overcommitPeak = Math.max(this.overcommitPeak, this.committedSum / this.allocCpu);
  }

  podWorkEnded(slot: PodSlot, _node: NodeIndex, ideal: Micros, throttled: Micros, delivered: number): void {
    this.throttled += throttled;
    if (delivered >= 1 && ideal > 0) this.done.set(slot, ideal);
  }

  podOomKilled(): void {
    this.ooms++;
  }

  podEvictedForPressure(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.released(node);
    this.ended(slot, now);
    this.pressureEvictions++;
  }

  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.released(node);
    this.ended(slot, now);
    const p = this.pods;
    const t = p.template[slot]!;
    const batch = p.duration[slot]! >= 0 && t.kind !== 'service' && p.pinned[slot] === 0;
    if (!batch) return;
    const ideal = this.modelled ? this.done.get(slot) : p.duration[slot]!;
    this.done.delete(slot);
    if (ideal === undefined || ideal <= 0) return;
    const slowdown = (now - p.startAt[slot]!) / ideal;
    this.addSlowdown(qosIndex(t.limits, p.requests[slot]!), slowdown);
    if (p.job[slot]! < 0) {
      this.podTimeSum += now - p.arrival[slot]!;
      this.podTimeCount++;
    }
  }

  private addSlowdown(c: number, slowdown: number): void {
    const n = this.slowdownCount[c]!;
    if (n === this.slowdowns[c]!.length) this.slowdowns[c] = resized(this.slowdowns[c]!, n * 2);
    this.slowdowns[c]![n] = slowdown;
    this.slowdownCount[c] = n + 1;
  }

  podRejected(slot: PodSlot, now: Micros): void {
    this.ended(slot, now);
  }

  podFailed(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.released(node);
    this.ended(slot, now);
  }

  podPreempted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.released(node);
    this.ended(slot, now);
  }

  podEvicted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.released(node);
    this.ended(slot, now);
  }

  /** A pod's requests left the node (observers hear of it after): its over-commit term falls. */
  private released(node: NodeIndex): void {
    if (this.modelled) this.overcommit(node);
  }

  /** A Job's pod ended one way or another: the Job's last end so far. */
  private ended(slot: PodSlot, now: Micros): void {
    const job = this.pods.job[slot]!;
    if (job < 0) return;
    this.jobEnd.set(job, now);
    this.jobLive.set(job, (this.jobLive.get(job) ?? 1) - 1);
  }

  end(now: Micros): void {
    this.advance(now);
    this.endTime = now;
  }

  /** The usage columns; `base` holds the run's other metrics (alloc_* stand in for usage without a usage model). */
  result(base: MetricValues): MetricValues {
    const out: MetricValues = {};
    // Typed arrays sort numerically in native code: a million slowdowns in milliseconds, where a comparator takes a second.
    const classes = this.slowdowns.map((a, c) => a.subarray(0, this.slowdownCount[c]));
    const all = new Float64Array(classes.reduce((n, a) => n + a.length, 0));
    classes.reduce((at, a) => (all.set(a, at), at + a.length), 0);
    all.sort();
    out['slowdown_p50'] = q(all, 0.5);
    out['slowdown_p99'] = q(all, 0.99);
    QOS.forEach((c, i) => {
      const s = classes[i]!.slice().sort();
      out[`slowdown_p50_${c.toLowerCase()}`] = q(s, 0.5);
      out[`slowdown_p99_${c.toLowerCase()}`] = q(s, 0.99);
    });
    out['jct_mean_s'] = this.jctMean() / MICROS_PER_SECOND;
    out['cpu_throttled_s'] = this.throttled / MICROS_PER_SECOND;
    out['oom_kills'] = this.ooms;
    out['evictions_pressure'] = this.pressureEvictions;
    const T = this.endTime;
    out['usage_cpu_mean'] = this.modelled ? (T > 0 && this.allocCpu > 0 ? this.cpuIntegral / T / this.allocCpu : 0) : (base['alloc_cpu_mean'] ?? 0);
    out['usage_memory_mean'] = this.modelled ? (T > 0 && this.allocMemory > 0 ? this.memoryIntegral / T / this.allocMemory : 0) : (base['alloc_memory_mean'] ?? 0);
    out['overcommit_cpu_peak'] = this.modelled ? this.overcommitPeak : (base['alloc_cpu_peak'] ?? 0);
    const nodes = this.usedCpu.length;
    out['contended_s_mean'] = nodes > 0 ? this.contendedIntegral / nodes / MICROS_PER_SECOND : 0;
    return out;
  }

  private jctMean(): number {
    let sum = 0;
    let count = 0;
    for (const [job, start] of this.jobStart) {
      if ((this.jobLive.get(job) ?? 0) > 0) continue;
      const end = this.jobEnd.get(job);
      if (end === undefined) continue;
      sum += end - start;
      count++;
    }
    if (count > 0) return sum / count;
    if (this.jobStart.size > 0 || this.podTimeCount === 0) return 0;
    return this.podTimeSum / this.podTimeCount;
  }
}

const q = (sorted: ArrayLike<number>, p: number): number => (sorted.length === 0 ? 0 : quantileSorted(sorted, p));

/**
 * The index in QOS of a pod's class. Without limits it is Burstable unless
 * nothing is requested, as podQos says, decided without building its input.
 */
function qosIndex(limits: Float64Array | undefined, requests: Float64Array): number {
  if (limits === undefined) return requests[CPU]! > 0 || requests[MEMORY]! > 0 ? 1 : 2;
  return QOS.indexOf(qosOf(limits, requests));
}

/** A pod's QoS class from its one container's CPU and memory requests and limits. */
function qosOf(limits: Float64Array | undefined, requests: Float64Array): QosClass {
  const lim = (d: number): number | undefined => (limits === undefined || !Number.isFinite(limits[d]!) ? undefined : limits[d]);
  return podQos([{ requests: { cpu: requests[CPU], memory: requests[MEMORY] }, limits: { cpu: lim(CPU), memory: lim(MEMORY) } }]);
}
