/**
 * Requests are not usage: what running pods use, and what they do to each
 * other, as fluid sharing on each node in simulated time. Rates change only
 * when a pod starts or stops working, changes phase, is OOM-killed or
 * restarts; between such instants every rate is constant, so a node's next
 * event is the earliest completion or phase end at the current rates (no
 * ticks). Each change costs O(pods on the node).
 *
 * - CPU: each pod's demand is capped by its limit (the CFS quota); when the
 *   capped demands exceed the node's CPU, CPU is shared in proportion to
 *   cpu.shares, that is requests (fair-share.ts). A pod held at its quota
 *   below its demand is throttled for 1 − limit ÷ demand of the time, as the
 *   kernel's cpu.stat throttled_time counts it (one quota per period, the rest
 *   of the period throttled).
 * - NVMe and NIC bandwidth: max-min fair among the pods that use them. The
 *   node's image pulls are one more flow on the NIC (pull-flow.ts).
 * - Batch work (jobs, streams, traces) is an amount: its run time alone at
 *   full demand; it progresses at the smallest share of its demands it gets,
 *   so contention stretches it. A service's time is fixed and it gets the
 *   share of its demand the node can give.
 * - Memory: a container whose usage goes over its limit is OOM-killed. A
 *   Job's pod (restartPolicy Never) fails, and its Job replaces it; any other
 *   restarts in place after kubelet's CrashLoopBackOff (10 s doubling to
 *   5 min), from the start of its work. When the pods of a node use more
 *   memory than it has allocatable (memory.available under the hard
 *   eviction threshold, which allocatable keeps back), the kubelet's
 *   eviction manager, every 10 s, evicts one pod in upstream's order
 *   (pkg/kubelet/eviction/helpers.go rankMemoryPressure: pods using more than
 *   they request first, then lower priority, then the largest use above the
 *   request). It never evicts a critical pod (pkg/kubelet/eviction/
 *   eviction_manager.go evictPod refuses kubelettypes.IsCriticalPod: a
 *   static or mirror pod, or priority ≥ SystemCriticalPriority, 2000000000,
 *   pkg/kubelet/types/pod_update.go); it takes the next pod in the ranking,
 *   and when only critical pods are left it evicts none.
 *
 * Simplifications: the node's allocatable CPU and memory are what its pods
 * share (the system's own use is taken to be what is reserved for it); a
 * pod's progress is limited by its scarcest resource, and what it is given
 * of the others beyond that is not handed on to other pods.
 */
import { MICROS_PER_SECOND } from '../../core/ids.js';
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode } from '../../core/ids.js';
import { CPU, MEMORY, NIC } from '../../model/resources.js';
import type { PodTemplate, PodUsage } from '../../workload/pod.js';
import type { World } from '../world.js';
import { cpuShares, weightedMaxMin } from './fair-share.js';
import { ContainerSplit } from './container-split.js';
import { PodWork } from './pod-work.js';
import type { NicSharing, PullFlow } from './pull-flow.js';

/** kubelet's container restart back-off: 10 s, doubling, at most 5 minutes (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff). */
const BACKOFF_INITIAL: Micros = 10 * MICROS_PER_SECOND;
const BACKOFF_MAX: Micros = 300 * MICROS_PER_SECOND;
/** The eviction manager's monitoring interval (evictionMonitoringPeriod). */
const EVICTION_PERIOD: Micros = 10 * MICROS_PER_SECOND;
/** scheduling.SystemCriticalPriority (2 × HighestUserDefinablePriority): from here up a pod is critical to the kubelet. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
/** Work left below half a µs is done (times are whole µs). */
const DONE = 0.5;

export interface ContentionPort {
  /** The pod's work ended: it completes (`fails`: an OOM-killed Job pod). */
  finish(slot: PodSlot, fails: boolean): void;
  /** The kubelet evicts the pod for memory pressure. */
  evict(slot: PodSlot): void;
  /** Whether anything can still happen besides crash-looping restarts (they are simulated only then, or up to `until`). */
  alive(): boolean;
}

export class Contention implements NicSharing {
  private readonly w = new PodWork();
  /** Per slot, the usage profile of the pod working there, and for a pod of several containers their CPU split. */
  private readonly profiles: PodUsage[] = [];
  private readonly splits: (ContainerSplit | undefined)[] = [];
  private readonly onNode: number[][];
  private readonly settledAt: Float64Array;
  private readonly epoch: Int32Array;
  private readonly checking: Uint8Array;
  private readonly usedMemory: Float64Array;
  /** Per node, what its image pulls want of the NIC and what they get, bits/s. */
  private readonly pullDemand: Float64Array;
  private readonly pullRate: Float64Array;
  private pulls: PullFlow | null = null;
  private readonly NODE: number;
  private readonly CHECK: number;
  /** Pods working with an amount of work or a fixed time left (not backing off): while any, the run goes on. */
  private live = 0;
  /** Ends waiting to be reported once the node's state is settled: (slot, fails) pairs. */
  private readonly ends: number[] = [];
  private draining = false;
  // Scratch for one node's shares.
  private demand = new Float64Array(16);
  private weight = new Float64Array(16);
  private share = new Float64Array(16);
  private order = new Int32Array(16);

  constructor(
    private readonly world: World,
    private readonly until: Micros | undefined,
    private readonly port: ContentionPort,
  ) {
    const n = world.cluster.nodeCount;
    this.onNode = Array.from({ length: n }, () => []);
    this.settledAt = new Float64Array(n);
    this.epoch = new Int32Array(n);
    this.checking = new Uint8Array(n);
    this.usedMemory = new Float64Array(n);
    this.pullDemand = new Float64Array(n);
    this.pullRate = new Float64Array(n);
    this.NODE = world.kernel.on((node, epoch) => {
      if (this.epoch[node] === epoch) this.nodeEvent(asNode(node));
    }, 'timer');
    this.CHECK = world.kernel.on((node) => this.check(asNode(node)), 'timer');
  }

  /** Pods working now, which will end or change on their own. */
  get working(): number {
    return this.live;
  }

  attachPulls(flow: PullFlow): void {
    this.pulls = flow;
  }

  setPullDemand(node: NodeIndex, bitsPerSecond: number): void {
    if (this.pullDemand[node] === bitsPerSecond) return;
    this.settle(node);
    this.pullDemand[node] = bitsPerSecond;
    this.refresh(node);
    this.drain();
  }

  /** The pod's containers started on `node`: it begins its work. */
  begin(slot: PodSlot, node: NodeIndex): void {
    const { w } = this;
    const p = this.world.pods;
    w.ensure(slot);
    this.settle(node);
    const profile = this.profileOf(slot);
    this.profiles[slot] = profile;
    const containers = p.template[slot]!.containers;
    this.splits[slot] = containers !== undefined && profile.containers !== undefined ? new ContainerSplit(containers, profile.containers) : undefined;
    w.phaseCount[slot] = profile.phases.length;
    w.limCpu[slot] = this.limitOf(slot, CPU);
    w.limMemory[slot] = this.limitOf(slot, MEMORY);
    w.shares[slot] = cpuShares(p.requests[slot]![CPU]!);
    const duration = p.duration[slot]!;
    w.node[slot] = node;
    w.batch[slot] = duration >= 0 && p.template[slot]!.kind !== 'service' ? 1 : 0;
    w.restarts[slot] = 0;
    w.throttled[slot] = 0;
    w.delivered[slot] = 0;
    w.ideal[slot] = w.batch[slot] === 1 ? this.idealTime(slot, node) : Math.max(0, duration);
    this.startWork(slot);
    w.at[slot] = this.onNode[node]!.length;
    this.onNode[node]!.push(slot);
    this.measure(slot, node, 1);
    this.refresh(node);
    this.drain();
  }

  /** The pod stops working before its end (deleted, or its node failed). */
  stop(slot: PodSlot): void {
    const node = slot < this.w.node.length ? this.w.node[slot]! : -1;
    if (node < 0) return;
    this.settle(asNode(node));
    this.leave(slot, asNode(node));
    this.refresh(asNode(node));
    this.drain();
  }

  /** The run stops: what every pod still working got so far is reported (its throttling, its delivered share). */
  finishRun(): void {
    const { w } = this;
    const now = this.world.kernel.now;
    for (let n = 0; n < this.onNode.length; n++) {
      const node = asNode(n);
      this.settle(node);
      for (const slot of this.onNode[n]!) {
        const elapsed = now - this.world.pods.startAt[slot]!;
        const delivered = w.batch[slot] === 1 ? 0 : elapsed > 0 ? Math.min(1, w.delivered[slot]! / elapsed) : 1;
        for (const o of this.world.observers) o.podWorkEnded?.(slot as PodSlot, node, w.ideal[slot]!, w.throttled[slot]!, delivered, now);
      }
    }
  }

  /** The pod's requests join (+1) or leave (−1) those whose use the node reports. */
  private measure(slot: PodSlot, node: NodeIndex, sign: 1 | -1): void {
    const usage = this.world.cluster.usage;
    const r = this.world.pods.requests[slot]!;
    usage.measuredCpuRequests[node]! += sign * r[CPU]!;
    usage.measuredMemoryRequests[node]! += sign * r[MEMORY]!;
  }

  /** What the pod uses (set when it begins): its workload's usage, else its requests for its whole run. */
  private usageOf(slot: number): PodUsage {
    return this.profiles[slot]!;
  }

  private profileOf(slot: PodSlot): PodUsage {
    const p = this.world.pods;
    const own = p.usage[slot];
    if (own !== undefined) return own;
    const r = p.requests[slot]!;
    return { phases: [{ length: Infinity, cpu: r[CPU]!, memory: r[MEMORY]!, nvme: 0, nic: r[NIC] ?? 0 }] };
  }

  private limitOf(slot: number, dim: number): number {
    return this.world.pods.template[slot]!.limits?.[dim] ?? Infinity;
  }

  /** Starts (or restarts) the pod's work from its beginning. */
  private startWork(slot: PodSlot): void {
    const { w } = this;
    const duration = this.world.pods.duration[slot]!;
    w.phase[slot] = 0;
    w.phaseLeft[slot] = this.usageOf(slot).phases[0]!.length;
    this.loadPhase(slot);
    w.left[slot] = duration < 0 ? Infinity : duration;
    w.backingOff[slot] = 0;
    if (duration >= 0) this.live++;
  }

  /** How long the batch pod would run alone on `node` under its own limits: Σ over its phases of length ÷ its speed alone. */
  private idealTime(slot: PodSlot, node: NodeIndex): number {
    const phases = this.usageOf(slot).phases;
    let remaining = this.world.pods.duration[slot]!;
    let ideal = 0;
    for (const phase of phases) {
      if (remaining <= 0) break;
      const length = Math.min(phase.length, remaining);
      ideal += length / this.aloneSpeed(slot, node, phase.cpu, phase.nvme, phase.nic);
      remaining -= length;
    }
    return ideal;
  }

  private aloneSpeed(slot: PodSlot, node: NodeIndex, cpu: number, nvme: number, nic: number): number {
    const spec = this.world.cluster.nodes[node]!;
    const split = this.splits[slot];
    let speed = 1;
    if (split !== undefined) speed = split.split(Math.min(split.cappedCpu, spec.allocatable[CPU]!));
    else if (cpu > 0) speed = Math.min(speed, Math.min(cpu, this.limitOf(slot, CPU), spec.allocatable[CPU]!) / cpu);
    if (nvme > 0) speed = Math.min(speed, Math.min(nvme, this.storageBandwidth(node)) / nvme);
    if (nic > 0) speed = Math.min(speed, Math.min(nic, this.nicBandwidth(node)) / nic);
    return speed;
  }

  private storageBandwidth(node: NodeIndex): number {
    const b = this.world.cluster.nodes[node]!.storageBandwidth;
    return b === undefined || b <= 0 ? Infinity : b;
  }

  private nicBandwidth(node: NodeIndex): number {
    const b = this.world.cluster.nodes[node]!.allocatable[NIC] ?? 0;
    return b > 0 ? b : Infinity;
  }

  /** Copies the pod's current phase's demands into the typed arrays the sharing reads. */
  private loadPhase(slot: PodSlot): void {
    const { w } = this;
    const phase = this.usageOf(slot).phases[w.phase[slot]!]!;
    w.dCpu[slot] = phase.cpu;
    w.dMemory[slot] = phase.memory;
    w.dNvme[slot] = phase.nvme;
    w.dNic[slot] = phase.nic;
  }

  /** Brings the node's pods' progress up to now at their current rates. */
  private settle(node: NodeIndex): void {
    const now = this.world.kernel.now;
    const dt = now - this.settledAt[node]!;
    this.settledAt[node] = now;
    if (dt <= 0) return;
    const { w } = this;
    for (const slot of this.onNode[node]!) {
      if (w.backingOff[slot] === 1) continue;
      const rate = w.rate[slot]!;
      const progress = w.batch[slot] === 1 ? rate * dt : dt;
      w.left[slot]! -= progress;
      w.phaseLeft[slot]! -= progress;
      w.delivered[slot]! += rate * dt;
      w.throttled[slot]! += w.throttle[slot]! * dt;
    }
  }

  /** Takes the pod off its node's list (its work ended or stopped); reports what it got. */
  private leave(slot: PodSlot, node: NodeIndex): void {
    const { w } = this;
    const list = this.onNode[node]!;
    const i = w.at[slot]!;
    const last = list.pop()!;
    if (last !== slot) {
      list[i] = last;
      w.at[last] = i;
    }
    if (w.backingOff[slot] === 0 && this.world.pods.duration[slot]! >= 0) this.live--;
    w.node[slot] = -1;
    this.measure(slot, node, -1);
    const now = this.world.kernel.now;
    // A batch pod's share is whether it finished; a service's, what it got of its demand over the time it ran.
    const elapsed = now - this.world.pods.startAt[slot]!;
    const delivered = w.batch[slot] === 1 ? (w.left[slot]! < DONE ? 1 : 0) : elapsed > 0 ? Math.min(1, w.delivered[slot]! / elapsed) : 1;
    for (const o of this.world.observers) o.podWorkEnded?.(slot, node, w.ideal[slot]!, w.throttled[slot]!, delivered, now);
  }

  /** A node event: work done, phases over, restarts due; then the node's new rates. */
  private nodeEvent(node: NodeIndex): void {
    this.world.kernel.touch();
    this.settle(node);
    const { w } = this;
    const now = this.world.kernel.now;
    const list = this.onNode[node]!;
    for (let i = 0; i < list.length; i++) {
      const slot = list[i]! as PodSlot;
      if (w.backingOff[slot] === 1) {
        if (w.restartAt[slot]! <= now) this.startWork(slot);
        continue;
      }
      if (w.left[slot]! < DONE) {
        this.ends.push(slot, 0);
        continue;
      }
      if (w.phaseLeft[slot]! < DONE && w.phase[slot]! < w.phaseCount[slot]! - 1) {
        const phases = this.usageOf(slot).phases;
        while (w.phaseLeft[slot]! < DONE && w.phase[slot]! < phases.length - 1) w.phaseLeft[slot]! += phases[++w.phase[slot]!]!.length;
        this.loadPhase(slot);
      }
    }
    // Done pods leave before the node's rates are worked out again.
    for (let k = 0; k < this.ends.length; k += 2) {
      const slot = this.ends[k]! as PodSlot;
      if (w.node[slot] === node) this.leave(slot, node);
    }
    this.refresh(node);
    this.drain();
  }

  /** Reports the ends gathered while a node was being worked out (they may start other pods here). */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let k = 0; k < this.ends.length; k += 2) this.port.finish(this.ends[k]! as PodSlot, this.ends[k + 1] === 1);
    } finally {
      this.ends.length = 0;
      this.draining = false;
    }
  }

  /** The node's rates from its pods' current demands, after any OOM kill; then its next event and any memory pressure. */
  private refresh(node: NodeIndex): void {
    this.oomKills(node);
    const memory = this.share_(node);
    this.usedMemory[node] = memory;
    this.schedule(node);
    if (this.checking[node] === 0 && memory > this.world.cluster.nodes[node]!.allocatable[MEMORY]!) {
      this.checking[node] = 1;
      const now = this.world.kernel.now;
      this.world.kernel.schedule((Math.floor(now / EVICTION_PERIOD) + 1) * EVICTION_PERIOD, this.CHECK, node);
    }
  }

  /** Containers over their memory limit are OOM-killed: a Job's pod fails, any other waits to restart. */
  private oomKills(node: NodeIndex): void {
    const { w } = this;
    const now = this.world.kernel.now;
    const list = this.onNode[node]!;
    for (let i = list.length - 1; i >= 0; i--) {
      const slot = list[i]! as PodSlot;
      if (w.backingOff[slot] === 1) continue;
      const split = this.splits[slot];
      if (split === undefined ? w.dMemory[slot]! <= w.limMemory[slot]! : !split.overMemory()) continue;
      for (const o of this.world.observers) o.podOomKilled?.(slot, node, now);
      if (this.world.pods.job[slot]! >= 0) {
        this.leave(slot, node);
        this.ends.push(slot, 1);
        continue;
      }
      if (this.world.pods.duration[slot]! >= 0) this.live--;
      w.backingOff[slot] = 1;
      const delay = Math.min(BACKOFF_MAX, BACKOFF_INITIAL * 2 ** Math.min(w.restarts[slot]!, 10));
      w.restarts[slot]!++;
      // Without an end to the run, a crash loop is simulated only while something else can still happen.
      w.restartAt[slot] = this.until !== undefined || this.port.alive() ? now + delay : Infinity;
      w.rate[slot] = 0;
      w.throttle[slot] = 0;
    }
  }

  /**
   * Shares the node's CPU, NVMe and NIC among its working pods; sets each
   * pod's rate, CPU and throttling; reports the node's use. Returns the
   * memory its pods use.
   */
  private share_(node: NodeIndex): number {
    const { w } = this;
    const list = this.onNode[node]!;
    const k = list.length;
    this.grow(k + 1);
    const { demand, weight, share, order } = this;
    const spec = this.world.cluster.nodes[node]!;
    // CPU: demand capped by the quota, weighted by cpu.shares.
    for (let i = 0; i < k; i++) {
      const slot = list[i]!;
      const off = w.backingOff[slot] === 1;
      const split = this.splits[slot];
      demand[i] = off ? 0 : split !== undefined ? split.cappedCpu : Math.min(w.dCpu[slot]!, w.limCpu[slot]!);
      weight[i] = w.shares[slot]!;
      w.rate[slot] = off ? 0 : 1;
    }
    const cpuCapacity = spec.allocatable[CPU]!;
    let contended = sum(demand, k) > cpuCapacity;
    weightedMaxMin(cpuCapacity, demand, weight, k, share, order);
    let cpu = 0;
    let memory = 0;
    for (let i = 0; i < k; i++) {
      const slot = list[i]!;
      if (w.backingOff[slot] === 1) continue;
      const want = w.dCpu[slot]!;
      const limit = w.limCpu[slot]!;
      w.cpu[slot] = share[i]!;
      cpu += share[i]!;
      memory += w.dMemory[slot]!;
      const split = this.splits[slot];
      if (split !== undefined) {
        w.rate[slot] = Math.min(w.rate[slot]!, split.split(share[i]!));
        w.throttle[slot] = split.throttle;
        continue;
      }
      if (want > 0) w.rate[slot] = Math.min(w.rate[slot]!, share[i]! / want);
      w.throttle[slot] = want > limit && share[i]! >= limit * (1 - 1e-12) ? 1 - limit / want : 0;
    }
    contended = this.bandwidth(node, 'nvme', this.storageBandwidth(node)) || contended;
    contended = this.bandwidth(node, 'nic', this.nicBandwidth(node)) || contended;
    const now = this.world.kernel.now;
    const usage = this.world.cluster.usage;
    usage.cpu[node] = cpu;
    usage.memory[node] = memory;
    for (const o of this.world.observers) o.usageChanged?.(node, cpu, memory, contended, now);
    return memory;
  }

  /**
   * Max-min fair shares of one bandwidth; lowers each pod's rate to the
   * share of its demand it gets. On the NIC the node's pulls are one more
   * flow (at index k), told what they get. Returns whether demand exceeds
   * capacity.
   */
  private bandwidth(node: NodeIndex, what: 'nvme' | 'nic', capacity: number): boolean {
    const { w, demand, weight, share, order } = this;
    const wants = what === 'nvme' ? w.dNvme : w.dNic;
    const list = this.onNode[node]!;
    const k = list.length;
    let total = 0;
    for (let i = 0; i < k; i++) {
      const slot = list[i]! as PodSlot;
      demand[i] = w.backingOff[slot] === 1 ? 0 : wants[slot]!;
      weight[i] = 1;
      total += demand[i]!;
    }
    (what === 'nvme' ? this.world.cluster.usage.nvmeDemand : this.world.cluster.usage.nicDemand)[node] = total;
    const pull = what === 'nic' ? this.pullDemand[node]! : 0;
    demand[k] = pull;
    weight[k] = 1;
    total += pull;
    if (total === 0 || !Number.isFinite(capacity)) {
      // Pulls share only the NIC: the NVMe pass leaves their rate alone.
      if (what === 'nic') this.pullGets(node, pull);
      return false;
    }
    weightedMaxMin(capacity, demand, weight, pull > 0 ? k + 1 : k, share, order);
    for (let i = 0; i < k; i++) {
      if (demand[i]! > 0) {
        const slot = list[i]!;
        w.rate[slot] = Math.min(w.rate[slot]!, share[i]! / demand[i]!);
      }
    }
    if (what === 'nic') this.pullGets(node, pull > 0 ? share[k]! : 0);
    return total > capacity;
  }

  /** The node's pulls get `bitsPerSecond` from now on: the runtime is told when that changes. */
  private pullGets(node: NodeIndex, bitsPerSecond: number): void {
    if (this.pullRate[node] === bitsPerSecond) return;
    this.pullRate[node] = bitsPerSecond;
    this.pulls?.pullRateChanged(node, bitsPerSecond);
  }

  /** The node's next event: the earliest end, phase end or restart at the current rates. */
  private schedule(node: NodeIndex): void {
    const { w } = this;
    const now = this.world.kernel.now;
    let next = Infinity;
    for (const slot of this.onNode[node]!) {
      if (w.backingOff[slot] === 1) {
        next = Math.min(next, w.restartAt[slot]!);
        continue;
      }
      const speed = w.batch[slot] === 1 ? w.rate[slot]! : 1;
      if (speed <= 0) continue;
      next = Math.min(next, now + w.left[slot]! / speed);
      if (w.phase[slot]! < w.phaseCount[slot]! - 1) next = Math.min(next, now + w.phaseLeft[slot]! / speed);
    }
    const epoch = ++this.epoch[node]!;
    if (next === Infinity) return;
    const at = Math.max(now, Math.ceil(next - 1e-6));
    if (this.until !== undefined && at > this.until) return;
    this.world.kernel.schedule(at, this.NODE, node, epoch);
  }

  /** The eviction manager's check: under memory pressure, one pod is evicted, and the node is checked again later. */
  private check(node: NodeIndex): void {
    this.settle(node);
    if (this.usedMemory[node]! <= this.world.cluster.nodes[node]!.allocatable[MEMORY]!) {
      this.checking[node] = 0;
      return;
    }
    const victim = this.rankForEviction(node);
    if (victim === undefined) {
      // Only critical pods are left: nothing is evicted until the node's pods change (refresh checks again).
      this.checking[node] = 0;
      return;
    }
    this.world.kernel.touch();
    this.leave(victim, node);
    this.port.evict(victim);
    this.refresh(node);
    this.drain();
    const still = this.usedMemory[node]! > this.world.cluster.nodes[node]!.allocatable[MEMORY]!;
    if (still) this.world.kernel.schedule(this.world.kernel.now + EVICTION_PERIOD, this.CHECK, node);
    else this.checking[node] = 0;
  }

  /** rankMemoryPressure: usage above requests first, then lower priority, then the most memory used above the request; the first pod that is not critical, if any. */
  private rankForEviction(node: NodeIndex): PodSlot | undefined {
    const p = this.world.pods;
    const { w } = this;
    let best = -1;
    for (const slot of this.onNode[node]!) {
      if (isCritical(p.template[slot]!)) continue;
      if (best < 0 || evictsBefore(slot, best)) best = slot;
    }
    return best < 0 ? undefined : (best as PodSlot);

    function evictsBefore(a: number, b: number): boolean {
      const overA = memoryUse(a) - p.requests[a]![MEMORY]!;
      const overB = memoryUse(b) - p.requests[b]![MEMORY]!;
      if (overA > 0 !== overB > 0) return overA > 0;
      const pa = p.template[a]!.priority;
      const pb = p.template[b]!.priority;
      if (pa !== pb) return pa < pb;
      return overA > overB;
    }
    function memoryUse(slot: number): number {
      return w.backingOff[slot] === 1 ? 0 : w.dMemory[slot]!;
    }
  }

  private grow(k: number): void {
    if (k <= this.demand.length) return;
    let n = this.demand.length;
    while (n < k) n *= 2;
    this.demand = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.share = new Float64Array(n);
    this.order = new Int32Array(n);
  }
}

/** kubelettypes.IsCriticalPod: a static pod (whose mirror pod the API shows) or a pod of system-critical priority. */
export function isCritical(template: PodTemplate): boolean {
  return template.kind === 'static' || template.priority >= SYSTEM_CRITICAL_PRIORITY;
}

function sum(a: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[i]!;
  return s;
}
