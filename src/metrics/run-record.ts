/**
 * Opt-in records of one run, beyond its summary metrics: the cluster over
 * time (allocation per resource, pending and running pods, active nodes),
 * each node's allocation over time (for a heatmap), and one row per pod.
 * Over-time values are time-weighted means per bucket (see Timeline), so a
 * short spike is neither lost nor mistaken for a level. Records are plain data
 * (typed arrays), so they cross a worker thread boundary as they are.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { resized } from '../core/typed-arrays.js';
import type { ClusterView } from '../model/cluster-state.js';
import { CPU, MEMORY } from '../model/resources.js';
import type { SimContext, SimObserver } from '../sim/observer.js';
import { PodState } from '../sim/pod-table.js';
import type { PodTable } from '../sim/pod-table.js';
import type { PodTemplate } from '../workload/pod.js';
import { Timeline } from './timeline.js';

/** The tables a run can record, as `--record` names them. */
export const RECORD_TABLES = ['timeseries', 'nodes', 'pods'] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];

/** Buckets kept for the cluster's series and for each node's. */
const SERIES_BUCKETS = 1000;
const NODE_BUCKETS = 200;

export interface SeriesRecord {
  readonly widthUs: number;
  readonly buckets: number;
  /** Mean pods created and not yet bound (queued or waiting for capacity) per bucket. */
  readonly pending: Float64Array;
  /** Mean pods bound and holding their node (running or terminating). */
  readonly running: Float64Array;
  readonly activeNodes: Float64Array;
  /** Per resource: Σ requested ÷ Σ allocatable, mean per bucket. */
  readonly alloc: readonly Float64Array[];
  /** Events in each bucket, per kind (RUN_EVENTS order): node failures, repairs, joins, pods evicted. */
  readonly events: readonly Float64Array[];
  /**
   * CPU (millicores) and memory (bytes) over all nodes, mean per bucket, in
   * USAGE_SERIES order: used, requested, allocatable. Used is what the pods
   * use under the usage model; without it, what they request.
   */
  readonly usage: readonly Float64Array[];
}

/** The usage columns of timeseries.csv, in SeriesRecord.usage order (cpu in cores). */
export const USAGE_SERIES = ['cpu_used', 'cpu_requested', 'cpu_allocatable', 'memory_used', 'memory_requested', 'memory_allocatable'] as const;

/** The instantaneous events timeseries.csv counts per bucket, by column name. */
export const RUN_EVENTS = ['node_failures', 'node_repairs', 'node_joins', 'pods_evicted'] as const;
const FAILURE = 0;
const REPAIR = 1;
const JOIN = 2;
const EVICTION = 3;

export interface NodeRecord {
  readonly widthUs: number;
  readonly buckets: number;
  readonly names: readonly string[];
  /** requested ÷ allocatable, mean per bucket: share[(node × resources + r) × buckets + b]; 0 where allocatable is 0. */
  readonly share: Float64Array;
}

export const enum PodOutcome {
  Completed = 0,
  Preempted = 1,
  NeverFit = 2,
  Running = 3,
  Terminating = 4,
  Pending = 5,
  Evicted = 6,
  Lost = 7,
  Failed = 8,
}

export const POD_OUTCOMES = ['completed', 'preempted', 'never-fit', 'running', 'terminating', 'pending', 'evicted', 'lost', 'failed'] as const;

export interface PodRecord {
  readonly count: number;
  /** Creation order across the run. Rows are sorted by it. */
  readonly id: Float64Array;
  readonly arrival: Float64Array;
  /** −1 when never bound. */
  readonly bind: Float64Array;
  /** −1 while the pod still runs or waits at the end. */
  readonly end: Float64Array;
  /** When its containers started; −1 if they never did. */
  readonly start: Float64Array;
  /** −1 when never bound. */
  readonly node: Int32Array;
  readonly owner: Int32Array;
  readonly outcome: Uint8Array;
  readonly owners: readonly { readonly name: string; readonly kind: string; readonly tenant: string; readonly priority: number }[];
  readonly nodeNames: readonly string[];
}

export interface RunRecords {
  readonly endUs: number;
  readonly resources: readonly string[];
  readonly series?: SeriesRecord | undefined;
  readonly nodes?: NodeRecord | undefined;
  readonly pods?: PodRecord | undefined;
}

// Cluster series indices in the timeline; resources follow.
const PENDING = 0;
const RUNNING = 1;
const ACTIVE = 2;
const USED_CPU = 3;
const USED_MEMORY = 4;
const FIXED = 5;

export class RunRecorder implements SimObserver {
  private cluster!: ClusterView;
  private podTable!: PodTable;
  private dims = 0;
  private endTime = 0;

  private series: Timeline | null = null;
  private lastTime = 0;
  private pending = 0;
  private running = 0;
  private activeNodes = 0;
  private podsOn!: Int32Array;
  private totalAllocatable!: Float64Array;
  private totalRequested!: Float64Array;
  /** What the nodes' pods use now, by node and in all, once the usage model reports it. */
  private usedCpu!: Float64Array;
  private usedMemory!: Float64Array;
  private totalUsedCpu = 0;
  private totalUsedMemory = 0;
  private modelled = false;

  /** Times (µs) and kinds of the events of RUN_EVENTS, in order. */
  private eventTimes = new Float64Array(64);
  private eventKinds = new Uint8Array(64);
  private eventCount = 0;

  private nodes: Timeline | null = null;
  /** Each node's share per resource since nodeSince[node]: [node × dims + d]. */
  private nodeShare!: Float64Array;
  private nodeSince!: Float64Array;

  private readonly pods: boolean;
  private rows = 0;
  private id = new Float64Array(1024);
  private arrival = new Float64Array(1024);
  private bind = new Float64Array(1024);
  private ended = new Float64Array(1024);
  private started = new Float64Array(1024);
  private node = new Int32Array(1024);
  private owner = new Int32Array(1024);
  private outcome = new Uint8Array(1024);
  private readonly ownerIndex = new Map<PodTemplate, number>();
  private readonly owners: PodRecord['owners'][number][] = [];

  constructor(private readonly tables: ReadonlySet<RecordTable>) {
    this.pods = tables.has('pods');
  }

  start(ctx: SimContext): void {
    this.cluster = ctx.cluster;
    this.podTable = ctx.pods;
    const dims = (this.dims = ctx.cluster.space.size);
    const n = ctx.cluster.nodeCount;
    this.podsOn = new Int32Array(n);
    this.totalAllocatable = new Float64Array(dims);
    this.totalRequested = new Float64Array(dims);
    this.usedCpu = new Float64Array(n);
    this.usedMemory = new Float64Array(n);
    for (let d = 0; d < dims; d++) for (const a of ctx.cluster.allocatable[d]!) this.totalAllocatable[d]! += a;
    if (this.tables.has('timeseries')) this.series = new Timeline(FIXED + dims, SERIES_BUCKETS);
    if (this.tables.has('nodes')) {
      this.nodes = new Timeline(n * dims, NODE_BUCKETS);
      this.nodeShare = new Float64Array(n * dims);
      this.nodeSince = new Float64Array(n);
      for (let node = 0; node < n; node++) this.readShares(node as NodeIndex);
    }
  }

  // Pod counts and active nodes leave out platform pods pinned to their node, as RunMetrics does;
  // their requests count, and pods.csv lists them with their kind.
  podArrived(slot: PodSlot, now: Micros): void {
    this.advance(now);
    if (!this.pinned(slot)) this.pending++;
  }

  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) {
      this.pending--;
      this.running++;
    }
    this.change(node, this.podTable.requests[slot]!, 1, now, pinned);
  }

  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.running--;
    this.change(node, this.podTable.requests[slot]!, -1, now, pinned);
    this.row(slot, now, PodOutcome.Completed);
  }

  podFailed(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.running--;
    this.change(node, this.podTable.requests[slot]!, -1, now, pinned);
    this.row(slot, now, PodOutcome.Failed);
  }

  podPreempted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.running--;
    this.change(node, this.podTable.requests[slot]!, -1, now, pinned);
    this.row(slot, now, PodOutcome.Preempted);
  }

  usageChanged(node: NodeIndex, cpu: number, memory: number, _contended: boolean, now: Micros): void {
    this.advance(now);
    this.modelled = true;
    this.totalUsedCpu += cpu - this.usedCpu[node]!;
    this.totalUsedMemory += memory - this.usedMemory[node]!;
    this.usedCpu[node] = cpu;
    this.usedMemory[node] = memory;
  }

  nodeFailed(_node: NodeIndex, now: Micros): void {
    this.event(FAILURE, now);
  }

  nodeRepaired(_node: NodeIndex, now: Micros): void {
    this.event(REPAIR, now);
  }

  nodeJoined(_node: NodeIndex, now: Micros): void {
    this.event(JOIN, now);
  }

  private event(kind: number, now: Micros): void {
    if (this.series === null) return;
    if (this.eventCount === this.eventTimes.length) {
      this.eventTimes = resized(this.eventTimes, this.eventCount * 2);
      this.eventKinds = resized(this.eventKinds, this.eventCount * 2);
    }
    this.eventTimes[this.eventCount] = now;
    this.eventKinds[this.eventCount++] = kind;
  }

  podEvicted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    if (!this.pinned(slot)) this.event(EVICTION, now);
    this.advance(now);
    const pinned = this.pinned(slot);
    if (!pinned) this.running--;
    this.change(node, this.podTable.requests[slot]!, -1, now, pinned);
    this.row(slot, now, PodOutcome.Evicted);
  }

  podRejected(slot: PodSlot, now: Micros): void {
    this.advance(now);
    if (!this.pinned(slot)) this.pending--;
    this.row(slot, now, PodOutcome.NeverFit);
  }

  private pinned(slot: PodSlot): boolean {
    return this.podTable.pinned[slot] === 1;
  }

  end(now: Micros): void {
    this.advance(now);
    this.endTime = now;
    if (this.nodes !== null) for (let n = 0; n < this.cluster.nodeCount; n++) this.flushNode(n as NodeIndex, now);
    if (this.pods) {
      const { state } = this.podTable;
      for (let s = 0; s < state.length; s++) {
        const st = state[s];
        if (st === PodState.Free) continue;
        const outcome =
          st === PodState.Running
            ? PodOutcome.Running
            : st === PodState.Terminating
              ? PodOutcome.Terminating
              : st === PodState.Lost
                ? PodOutcome.Lost
                : PodOutcome.Pending;
        this.row(s as PodSlot, -1, outcome);
      }
    }
  }

  /** The records, once the run has ended. */
  records(): RunRecords {
    const resources = this.cluster.space.names;
    return {
      endUs: this.endTime,
      resources,
      series: this.series === null ? undefined : this.seriesRecord(this.series),
      nodes: this.nodes === null ? undefined : this.nodeRecord(this.nodes),
      pods: this.pods ? this.podRecord() : undefined,
    };
  }

  private advance(now: Micros): void {
    const t0 = this.lastTime;
    if (now <= t0) return;
    this.lastTime = now;
    const tl = this.series;
    if (tl === null) return;
    tl.add(PENDING, this.pending, t0, now);
    tl.add(RUNNING, this.running, t0, now);
    tl.add(ACTIVE, this.activeNodes, t0, now);
    tl.add(USED_CPU, this.totalUsedCpu, t0, now);
    tl.add(USED_MEMORY, this.totalUsedMemory, t0, now);
    for (let d = 0; d < this.dims; d++) {
      const alloc = this.totalAllocatable[d]!;
      if (alloc > 0) tl.add(FIXED + d, this.totalRequested[d]! / alloc, t0, now);
    }
  }

  private change(node: NodeIndex, requests: Float64Array, sign: 1 | -1, now: Micros, pinned: boolean): void {
    for (let d = 0; d < this.dims; d++) this.totalRequested[d]! += sign * requests[d]!;
    if (!pinned) {
      const before = this.podsOn[node]!;
      this.podsOn[node] = before + sign;
      if (before === 0 && sign > 0) this.activeNodes++;
      else if (before === 1 && sign < 0) this.activeNodes--;
    }
    if (this.nodes !== null) {
      this.flushNode(node, now);
      this.readShares(node);
    }
  }

  /** Integrates the node's shares held since its last change up to `now`. */
  private flushNode(node: NodeIndex, now: Micros): void {
    const tl = this.nodes!;
    const since = this.nodeSince[node]!;
    const base = node * this.dims;
    for (let d = 0; d < this.dims; d++) tl.add(base + d, this.nodeShare[base + d]!, since, now);
    this.nodeSince[node] = now;
  }

  private readShares(node: NodeIndex): void {
    const base = node * this.dims;
    for (let d = 0; d < this.dims; d++) {
      const alloc = this.cluster.allocatable[d]![node]!;
      this.nodeShare[base + d] = alloc > 0 ? this.cluster.requested[d]![node]! / alloc : 0;
    }
  }

  private row(slot: PodSlot, end: Micros, outcome: PodOutcome): void {
    if (!this.pods) return;
    const p = this.podTable;
    if (this.rows === this.id.length) this.grow(this.rows * 2);
    const i = this.rows++;
    const template = p.template[slot]!;
    let owner = this.ownerIndex.get(template);
    if (owner === undefined) {
      owner = this.owners.length;
      this.ownerIndex.set(template, owner);
      this.owners.push({ name: template.owner, kind: template.kind, tenant: template.tenant, priority: template.priority });
    }
    this.id[i] = p.id[slot]!;
    this.arrival[i] = p.arrival[slot]!;
    this.bind[i] = p.bindAt[slot]!;
    this.ended[i] = end;
    this.started[i] = p.startAt[slot]!;
    this.node[i] = p.bindAt[slot]! < 0 ? -1 : p.node[slot]!;
    this.owner[i] = owner;
    this.outcome[i] = outcome;
  }

  private grow(n: number): void {
    this.id = resized(this.id, n);
    this.arrival = resized(this.arrival, n);
    this.bind = resized(this.bind, n);
    this.ended = resized(this.ended, n);
    this.started = resized(this.started, n);
    this.node = resized(this.node, n);
    this.owner = resized(this.owner, n);
    this.outcome = resized(this.outcome, n);
  }

  private seriesRecord(tl: Timeline): SeriesRecord {
    const end = this.endTime;
    const buckets = tl.buckets(end);
    const column = (k: number): Float64Array => Float64Array.from({ length: buckets }, (_, b) => tl.mean(k, b, end));
    const alloc: Float64Array[] = [];
    for (let d = 0; d < this.dims; d++) alloc.push(column(FIXED + d));
    const events = RUN_EVENTS.map(() => new Float64Array(buckets));
    for (let i = 0; i < this.eventCount; i++) {
      const b = Math.min(buckets - 1, Math.floor(this.eventTimes[i]! / tl.width));
      if (b >= 0) events[this.eventKinds[i]!]![b]!++;
    }
    return { widthUs: tl.width, buckets, pending: column(PENDING), running: column(RUNNING), activeNodes: column(ACTIVE), alloc, events, usage: this.usageSeries(alloc, column) };
  }

  /** Used, requested and allocatable CPU and memory per bucket; used is requested where the run does not model usage. */
  private usageSeries(alloc: readonly Float64Array[], column: (k: number) => Float64Array): Float64Array[] {
    const out: Float64Array[] = [];
    for (const [d, used] of [
      [CPU, USED_CPU],
      [MEMORY, USED_MEMORY],
    ] as const) {
      const total = this.totalAllocatable[d]!;
      // Requested from the mean share the series already holds (Σ requested ÷ Σ allocatable), in the resource's units.
      const requested = alloc[d]!.map((share) => share * total);
      out.push(this.modelled ? column(used) : requested, requested, alloc[d]!.map(() => total));
    }
    return out;
  }

  private nodeRecord(tl: Timeline): NodeRecord {
    const end = this.endTime;
    const buckets = tl.buckets(end);
    const k = this.cluster.nodeCount * this.dims;
    const share = new Float64Array(k * buckets);
    for (let s = 0; s < k; s++) for (let b = 0; b < buckets; b++) share[s * buckets + b] = tl.mean(s, b, end);
    return { widthUs: tl.width, buckets, names: this.cluster.nodes.map((n) => n.name), share };
  }

  private podRecord(): PodRecord {
    const n = this.rows;
    // Rows in creation order, whatever order the pods ended in.
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => this.id[a]! - this.id[b]!);
    const pick = <T extends Float64Array | Int32Array | Uint8Array>(src: T): T => {
      const out = new (src.constructor as new (len: number) => T)(n);
      for (let i = 0; i < n; i++) out[i] = src[order[i]!]!;
      return out;
    };
    return {
      count: n,
      id: pick(this.id),
      arrival: pick(this.arrival),
      bind: pick(this.bind),
      end: pick(this.ended),
      start: pick(this.started),
      node: pick(this.node),
      owner: pick(this.owner),
      outcome: pick(this.outcome),
      owners: this.owners,
      nodeNames: this.cluster.nodes.map((node) => node.name),
    };
  }
}
