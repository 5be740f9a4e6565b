/** `rackbench trace inspect`: what a trace holds, read once, streaming. */
import { MICROS_PER_SECOND } from '../core/ids.js';
import type { RowIssue, TraceCounts, TraceOptions, TraceRejections } from '../workload/trace/types.js';
import { LONG_RUNNING } from '../workload/pod.js';
import { optionsFromFlags } from '../workload/trace/options.js';
import { checkTraceFiles, openTrace, traceMachines, tracePods } from '../workload/trace/replay.js';

export interface TraceSummary {
  /** Data rows read in all files. */
  readonly rows: number;
  /** Bad rows (malformed or out of range). */
  readonly rejected: number;
  readonly nodes: number;
  /** Pods replayed (after the window and sampling). */
  readonly pods: number;
  /** Total node capacity: millicores, bytes, whole GPUs. */
  readonly capacity: { readonly cpu: number; readonly memory: number; readonly gpu: number };
  /** From the first pod's arrival to the last arrival or finish, seconds (after window and compression). */
  readonly span_s: number;
  /**
   * Only when the files have machine ADD/REMOVE events: the nodes that join
   * after the replay's start, the node failures (machines removed while up)
   * and how many of those the trace repairs (adds again) within the window.
   * All 0 with machineEvents=ignore.
   */
  readonly joins?: number;
  readonly removals?: number;
  readonly repairs?: number;
}

export interface TraceInspection {
  readonly summary: TraceSummary;
  readonly counts: TraceCounts;
  /** The options the trace was read with, defaults filled in. */
  readonly options: TraceOptions;
  /** The first bad rows, with file and line. */
  readonly issues: readonly RowIssue[];
  /** The bad rows per file and reason, and the first ones (as run and sweep report them). */
  readonly rejections: TraceRejections;
}

/** Reads the whole trace once. Throws UsageError or InputError (strict mode: on the first bad row). */
export function inspectTrace(format: string, files: readonly string[], optionFlags: readonly string[] = []): TraceInspection {
  const t = openTrace({ format, files, options: optionsFromFlags(optionFlags) }, `trace inspect ${format}`);
  checkTraceFiles(t);
  let cpu = 0;
  let memory = 0;
  let gpu = 0;
  const machines = traceMachines(t);
  const nodes = machines.nodes;
  for (const n of nodes) {
    cpu += n.cpu;
    memory += n.memory;
    gpu += n.gpu;
  }
  let pods = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const p of tracePods(t)) {
    pods++;
    if (p.arrival < first) first = p.arrival;
    const end = p.duration === LONG_RUNNING ? p.arrival : p.arrival + p.duration;
    if (end > last) last = end;
  }
  return {
    summary: {
      rows: t.ctx.counts.rows,
      rejected: t.ctx.counts.rejected,
      nodes: nodes.length,
      pods,
      capacity: { cpu, memory, gpu },
      span_s: pods === 0 ? 0 : (last - first) / MICROS_PER_SECOND,
      ...(machines.hasEvents
        ? {
            joins: machines.joins.length,
            removals: machines.failures.length,
            repairs: machines.failures.filter((f) => f.repairAfter !== undefined).length,
          }
        : {}),
    },
    counts: t.ctx.counts,
    options: t.ctx.options,
    issues: t.ctx.issues,
    rejections: t.ctx.rejections(),
  };
}
