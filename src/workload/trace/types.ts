/**
 * The records every trace reader yields, in the engine's integer units, and
 * the options that shape a replay. Readers (one module per trace format)
 * turn rows into these; replay.ts applies the time window, sampling and time
 * compression and turns them into nodes and pod submissions.
 */
import type { Micros } from '../../core/ids.js';

/** A machine of the trace, as a node. */
export interface TraceNode {
  /** The trace's machine id, used as the node name. */
  readonly name: string;
  /** Millicores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** Whole GPUs. */
  readonly gpu: number;
  /** The GPU model, when the trace names one. */
  readonly gpuModel?: string | undefined;
  /** Failure domains, when the trace has them (topology labels). */
  readonly zone?: string | undefined;
  readonly rack?: string | undefined;
  /** Other capacities by resource name: nvme (bytes), nic (bits/s), extended resources (counts). */
  readonly resources?: Readonly<Record<string, number>> | undefined;
  /** NVMe bandwidth shared by the node's pods under the usage model, bytes/s. */
  readonly storageBandwidth?: number | undefined;
}

/** What a trace says a pod uses (one constant profile); a value left out is the pod's request. */
export interface TraceUsage {
  /** Millicores. */
  readonly cpu?: number | undefined;
  /** Bytes. */
  readonly memory?: number | undefined;
  /** Bytes per second. */
  readonly nvmeRead?: number | undefined;
  readonly nvmeWrite?: number | undefined;
  /** Bits per second. */
  readonly nic?: number | undefined;
}

/** One pod of the trace (one task instance, container or VM). */
export interface TracePod {
  readonly name: string;
  /** The job, task group or subscription the pod belongs to. */
  readonly owner: string;
  /** Creation time in trace time, µs. */
  readonly arrival: Micros;
  /** Run time once started, µs, or LONG_RUNNING (-1) when the trace does not end it. */
  readonly duration: Micros;
  /** Millicores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** GPUs in milli-GPU (1000 = one whole GPU); a pod sharing one GPU asks for less than 1000. */
  readonly gpuMilli: number;
  /** GPU models the pod accepts; none: any. */
  readonly gpuModels?: readonly string[] | undefined;
  readonly priority: number;
  /** Quality-of-service class or scheduling class, as a label. */
  readonly qos?: string | undefined;
  /** Other requests by resource name: nvme (bytes), nic (bits/s), extended resources. */
  readonly resources?: Readonly<Record<string, number>> | undefined;
  /** The container's limits by resource name (cpu millicores, memory bytes, …). */
  readonly limits?: Readonly<Record<string, number>> | undefined;
  /** What the pod uses, when the trace says. */
  readonly usage?: TraceUsage | undefined;
  /** File and line the pod came from (for messages). */
  readonly file: string;
  readonly line: number;
}

/** How GPU requests become a node resource. */
export type GpuShare = 'whole' | 'milli';

/** Options of a replay (the `options` of a trace reference). All have defaults. */
export interface TraceOptions {
  /** Only pods created in [start, end) of trace time, µs; times are then shifted so `start` is 0. */
  readonly window: { readonly start: Micros; readonly end: Micros };
  /** Share of pods kept, in (0, 1]; a pod is kept when a hash of (sampleSeed, name) falls below it. */
  readonly sample: number;
  readonly sampleSeed: number;
  /** Arrival times are divided by this (2 = twice the arrival rate); durations are kept. */
  readonly compress: number;
  /** Normalized CPU 1.0 (or 100 in Alibaba 2018 memory) is this machine: millicores and bytes. */
  readonly machineCpu: number;
  readonly machineMemory: number;
  /** The node resource GPUs are counted in (e.g. nvidia.com/gpu). */
  readonly gpuResource: string;
  /** whole: a pod asks for whole GPUs (a shared GPU counts as one); milli: in milli-GPU, nodes have 1000 per GPU. */
  readonly gpuShare: GpuShare;
  /** Fail on the first bad row instead of counting it. */
  readonly strict: boolean;
  /** Pods held to put a nearly sorted file in arrival order; a pod arriving before one already replayed is a bad row. */
  readonly reorder: number;
  /** Open tasks (submitted, not yet ended) held at most; beyond it the oldest is replayed as running to the end. */
  readonly openLimit: number;
  /** What machine ADD and REMOVE events do: node joins and failures, or nothing (every machine a node for the whole run). */
  readonly machineEvents: MachineEventsMode;
  /** Replay the usage columns of a format that has them as what pods use (the generic csv's always are). */
  readonly usage: boolean;
}

/**
 * `failures`: a machine added after the window's start joins then, a machine
 * removed while up fails then (and is repaired when the trace adds it
 * again); `ignore`: every machine is a node from start to end.
 */
export type MachineEventsMode = 'failures' | 'ignore';

/** A machine's ADD (`up`) or REMOVE, in trace time (µs), as read. */
export interface MachineChange {
  readonly at: Micros;
  readonly up: boolean;
}

/** A machine that joins the replay after its start; `node` indexes the replay's node list. */
export interface TraceJoin {
  readonly node: number;
  readonly at: Micros;
}

/** A machine removed while up: it fails at `at`; back `repairAfter` later when the trace adds it again within the window. */
export interface TraceFailure {
  readonly node: number;
  readonly at: Micros;
  readonly repairAfter?: Micros | undefined;
}

/** The replay's machines and what happens to them, in replay time (after the window and compression). */
export interface TraceMachines {
  readonly nodes: TraceNode[];
  /** In node order. */
  readonly joins: TraceJoin[];
  /** In node order, then time. */
  readonly failures: TraceFailure[];
  /** Whether the files had machine ADD/REMOVE events to apply (whatever the machineEvents option). */
  readonly hasEvents: boolean;
}

/** A bad row, as reported. */
export interface RowIssue {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** Bad rows of one file for one reason (the message without the value found). */
export interface RejectedRows {
  readonly file: string;
  /** The field, or '' for the whole row. */
  readonly field: string;
  readonly reason: string;
  rows: number;
}

/** What a read of a trace rejected, as plain data: the counts, per file and reason, and the first bad rows. */
export interface TraceRejections {
  /** Data rows read (headers excluded), in all files. */
  readonly rows: number;
  /** Bad rows among them. */
  readonly rejected: number;
  readonly reasons: readonly RejectedRows[];
  /** The first bad rows, in the order read. */
  readonly first: readonly RowIssue[];
}

/** What reading a trace found. */
export interface TraceCounts {
  /** Data rows read (headers excluded), in all files. */
  rows: number;
  /** Bad rows: malformed or out of range (see issues). */
  rejected: number;
  /** Pods outside the window or not sampled. */
  filtered: number;
  /** Tasks still open past openLimit, replayed as running to the end. */
  truncated: number;
  /** End or update events for tasks the trace never submitted (submitted before it began). */
  unmatched: number;
  /** REMOVE events of known machines, all of them whatever the window (those of machines up in it are replayed as failures unless machineEvents is ignore). */
  removedMachines: number;
}
