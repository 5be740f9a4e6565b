/**
 * From a trace reference to what a run needs: the trace's machines as nodes
 * (with the joins and failures their machine events make) and its pods as a
 * time-ordered WorkloadSource. The time window, sampling, time compression
 * and reordering are applied here, the same for every format. Everything
 * is lazy: pods are read from the files as the simulation asks for them.
 */
import { isAbsolute, resolve } from 'node:path';
import type { NodeIndex } from '../../core/ids.js';
import { UsageError } from '../../core/errors.js';
import type { Affinity } from '../../model/affinity.js';
import type { NodeSpec } from '../../model/cluster.js';
import { CPU, DEFAULT_MAX_PODS, MEMORY, NIC, PODS } from '../../model/resources.js';
import type { ResourceSpace } from '../../model/resources.js';
import { LONG_RUNNING } from '../pod.js';
import type { PodTemplate, PodUsage, Submission } from '../pod.js';
import { firstRecord, hasJsonLine } from './csv-reader.js';
import { classifyFiles, emptyFile, noHeader } from './format.js';
import type { RoleFiles, TraceFormat } from './format.js';
import { TraceContext } from './issues.js';
import { PodQueue, QueuedPod } from './pod-queue.js';
import { traceOptions } from './options.js';
import type { TraceRef } from './options.js';
import { findTraceFormat, traceFormatNames } from './registry.js';
import { machineLifecycle } from './machines.js';
import type { TraceMachines, TraceNode, TracePod, TraceUsage } from './types.js';

/** A trace ready to read: its format, its files by role and the read's shared state. */
export interface OpenedTrace {
  readonly format: TraceFormat;
  readonly files: RoleFiles;
  readonly ctx: TraceContext;
}

/** The label that carries a node's GPU model, for pods that accept only some models. */
export const GPU_MODEL_LABEL = 'rackbench.io/gpu-model';

/**
 * Validates a trace reference and assigns its files their roles; relative
 * paths are resolved from `base`. Throws UsageError naming `where`.
 */
export function openTrace(ref: TraceRef, where: string, base = process.cwd()): OpenedTrace {
  const format = findTraceFormat(ref.format);
  if (format === undefined) {
    throw new UsageError(`${where}: unknown trace format "${ref.format}"; the formats are ${traceFormatNames().join(', ')}`);
  }
  const options = traceOptions(ref.options, where);
  const files = ref.files.map((f) => {
    const eq = f.indexOf('=');
    const role = eq > 0 && format.roles.some((r) => r.role === f.slice(0, eq)) ? f.slice(0, eq + 1) : '';
    const path = f.slice(role.length);
    return role + (isAbsolute(path) ? path : resolve(base, path));
  });
  return { format, files: classifyFiles(format, files), ctx: new TraceContext(options) };
}

/**
 * Checks, before a run reads them, that every file of the trace has rows and
 * (for files with one) a valid header, reading only the first rows of each.
 * Throws InputError naming the file.
 */
export function checkTraceFiles(t: OpenedTrace): void {
  for (const [role, files] of Object.entries(t.files)) {
    for (const file of files) {
      if (t.format.jsonLines?.(file) === true) {
        if (!hasJsonLine(file)) throw emptyFile(file, false);
        continue;
      }
      const header = t.format.header?.(role, file);
      const { record, more } = firstRecord(file);
      if (record === undefined) throw header === undefined ? emptyFile(file, false) : noHeader(file);
      if (header === undefined) continue;
      header(record);
      if (!more) throw emptyFile(file, true);
    }
  }
}

/**
 * The replay's machines (in file order) with the joins and failures their
 * machine events make, in replay time (see machines.ts and the
 * machineEvents option).
 */
export function traceMachines(t: OpenedTrace): TraceMachines {
  return machineLifecycle([...t.format.nodes(t.files, t.ctx)], t.ctx);
}

/** The replay's machines, in file order: a machine never up in the window is left out unless machineEvents is ignore. */
export function traceNodes(t: OpenedTrace): TraceNode[] {
  return traceMachines(t).nodes;
}

/** FNV-1a of a string with a final mix, as a share in [0, 1): the same name and seed always give the same share. */
export function sampleShare(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // MurmurHash3's finalizer, so short names that differ in one character spread over [0, 1).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * The trace's pods after the window, sampling and time compression, in
 * arrival order (ties in file order), taken one at a time: `next` into a
 * record the caller reuses, or `nextPod` as a new object. A file out of
 * order by more than the reorder buffer gives bad rows for the pods that
 * come too late.
 */
class ReplayOrder {
  private readonly queue = new PodQueue();
  private readonly source: Iterator<TracePod, void>;
  private last = -Infinity;
  private ended = false;

  constructor(private readonly t: OpenedTrace) {
    this.source = t.format.pods(t.files, t.ctx);
  }

  /** Reads the trace until the reorder buffer is over full (a pod is due) or the trace ends; false when no pod is left. */
  private due(): boolean {
    const { options, counts } = this.t.ctx;
    const { start, end } = options.window;
    const queue = this.queue;
    while (queue.size <= options.reorder && !this.ended) {
      const r = this.source.next();
      if (r.done === true) {
        this.ended = true;
        break;
      }
      const pod = r.value;
      if (pod.arrival < start || pod.arrival >= end || (options.sample < 1 && sampleShare(options.sampleSeed, pod.name) >= options.sample)) {
        counts.filtered++;
        continue;
      }
      const arrival = Math.round((pod.arrival - start) / options.compress);
      if (arrival < this.last) {
        const why = `out of arrival order by more than the reorder buffer (${options.reorder} pods); sort the file by arrival time or raise the reorder option`;
        this.t.ctx.reject(pod.file, pod.line, 'arrival', `arrives at ${pod.arrival / 1e6} s (trace time), before a pod already replayed: the file is ${why}`, why);
        continue;
      }
      queue.push(pod, arrival);
    }
    return queue.size > 0;
  }

  /** The next pod into `out`; false when there is none. */
  next(out: QueuedPod): boolean {
    if (!this.due()) return false;
    this.queue.popInto(out);
    this.last = out.arrival;
    return true;
  }

  /** The next pod as an object of its own; undefined when there is none. */
  nextPod(): TracePod | undefined {
    if (!this.due()) return undefined;
    const pod = this.queue.pop();
    this.last = pod.arrival;
    return pod;
  }

  /** Stops reading early: closes the files. */
  close(): void {
    this.source.return?.();
  }
}

/**
 * The trace's pods after the window, sampling and time compression, in
 * arrival order (ties in file order). A file out of order by more than the
 * reorder buffer yields bad rows for the pods that come too late.
 */
export function* tracePods(t: OpenedTrace): Generator<TracePod, void> {
  const order = new ReplayOrder(t);
  try {
    for (let pod = order.nextPod(); pod !== undefined; pod = order.nextPod()) yield pod;
  } finally {
    order.close();
  }
}

/** Nodes in the run's resource space; GPUs go to options.gpuResource (× 1000 with gpuShare milli). */
export function traceNodeSpecs(nodes: readonly TraceNode[], space: ResourceSpace, t: OpenedTrace): NodeSpec[] {
  const gpuDim = space.indexOf(t.ctx.options.gpuResource);
  const perGpu = t.ctx.options.gpuShare === 'milli' ? 1000 : 1;
  return nodes.map((n, i) => {
    const capacity = space.zeros();
    capacity[CPU] = n.cpu;
    capacity[MEMORY] = n.memory;
    capacity[PODS] = DEFAULT_MAX_PODS;
    if (gpuDim !== undefined) capacity[gpuDim] = n.gpu * perGpu;
    // Every other resource is in the space: the format names its extended ones before the space is built.
    for (const [name, amount] of Object.entries(n.resources ?? {})) capacity[space.indexOf(name)!] = amount;
    const labels: Record<string, string> = { 'kubernetes.io/hostname': n.name, 'rackbench.io/pool': 'trace' };
    if (n.zone !== undefined) labels['topology.kubernetes.io/zone'] = n.zone;
    if (n.rack !== undefined) labels['topology.rackbench.io/rack'] = n.rack;
    if (n.gpuModel !== undefined) labels[GPU_MODEL_LABEL] = n.gpuModel;
    return {
      index: i as NodeIndex,
      name: n.name,
      pool: 'trace',
      zone: n.zone ?? '',
      rack: n.rack ?? '',
      labels,
      taints: [],
      unschedulable: false,
      capacity,
      allocatable: capacity,
      ...(n.storageBandwidth === undefined ? {} : { storageBandwidth: n.storageBandwidth }),
    };
  });
}

/** Templates are shared between pods of one owner, priority, class and GPU models; the cache is bounded. */
const TEMPLATE_CACHE = 4096;

/** What every trace template shares (read-only): one object each instead of one per template. */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TOLERATIONS = Object.freeze([]);
const NO_MISSING_REQUESTS = Object.freeze({ cpu: false, memory: false });

/** The trace's pods as PodSubmissions (kind 'trace') in the run's resource space. */
export function* traceWorkload(t: OpenedTrace, space: ResourceSpace): Generator<Submission, void> {
  const gpuDim = space.indexOf(t.ctx.options.gpuResource);
  const whole = t.ctx.options.gpuShare === 'whole';
  const templates = new Map<string, PodTemplate>();
  const qosLabels = new Map<string, Readonly<Record<string, string>>>();
  const labelsOf = (qos: string | undefined): Readonly<Record<string, string>> => {
    if (qos === undefined) return NO_LABELS;
    let labels = qosLabels.get(qos);
    if (labels === undefined) {
      labels = Object.freeze({ 'rackbench.io/qos': qos });
      if (qosLabels.size >= TEMPLATE_CACHE) qosLabels.clear();
      qosLabels.set(qos, labels);
    }
    return labels;
  };
  // Consecutive pods often share their template (one job's tasks): the last one is checked first. Pods
  // without limits or GPU models (most) find theirs by owner, without a key string built for each pod.
  let lastOwner: string | undefined;
  let lastPriority = 0;
  let lastQos: string | undefined;
  let lastTemplate: PodTemplate | undefined;
  // An owner's templates: one (most owners have one priority and class) or a list, in ownerTemplates at
  // the number byOwner holds. The map holds numbers, not the templates: a map whose values are new
  // objects, filled and cleared for every 4,096 owners, cost several times as much per new owner.
  const byOwner = new Map<string, number>();
  const ownerTemplates: (PodTemplate | PodTemplate[])[] = [];
  const matches = (x: PodTemplate, p: TracePod): boolean => x.priority === p.priority && x.labels['rackbench.io/qos'] === p.qos;
  const templateFor = (p: TracePod): PodTemplate => {
    const simple = p.limits === undefined && p.gpuModels === undefined;
    if (simple) {
      if (lastOwner === p.owner && lastPriority === p.priority && lastQos === p.qos) return lastTemplate!;
      const at = byOwner.get(p.owner);
      const known = at === undefined ? undefined : ownerTemplates[at]!;
      let template: PodTemplate | undefined;
      if (known !== undefined) {
        if (!Array.isArray(known)) template = matches(known, p) ? known : undefined;
        else for (let i = 0; i < known.length && template === undefined; i++) if (matches(known[i]!, p)) template = known[i];
      }
      if (template === undefined) {
        template = newTemplate(p);
        if (known === undefined) {
          if (byOwner.size >= TEMPLATE_CACHE) {
            byOwner.clear();
            ownerTemplates.length = 0;
          }
          byOwner.set(p.owner, ownerTemplates.length);
          ownerTemplates.push(template);
        } else if (Array.isArray(known)) known.push(template);
        else ownerTemplates[at!] = [known, template];
      }
      // The pod is a record filled again for the next one: its fields are kept, not the pod.
      lastOwner = p.owner;
      lastPriority = p.priority;
      lastQos = p.qos;
      lastTemplate = template;
      return template;
    }
    const limits = p.limits === undefined ? '' : JSON.stringify(p.limits);
    const key = `${p.owner}\u0000${p.priority}\u0000${p.qos ?? ''}\u0000${p.gpuModels?.join('|') ?? ''}\u0000${limits}`;
    let template = templates.get(key);
    if (template === undefined) {
      if (templates.size >= TEMPLATE_CACHE) templates.clear();
      template = newTemplate(p);
      templates.set(key, template);
    }
    return template;
  };
  const newTemplate = (p: TracePod): PodTemplate => {
    const affinity: Affinity | undefined =
      p.gpuModels === undefined || p.gpuMilli === 0
        ? undefined
        : {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_MODEL_LABEL, operator: 'In', values: p.gpuModels }] }],
              },
            },
          };
    const labels = labelsOf(p.qos);
    // Two literals rather than a spread: a template without limits has no limits key.
    if (p.limits === undefined) {
      return { owner: p.owner, kind: 'trace', priority: p.priority, tenant: 'default', labels, nodeSelector: NO_LABELS, tolerations: NO_TOLERATIONS, affinity, missingRequests: NO_MISSING_REQUESTS };
    }
    const limits = limitVector(space, p.limits);
    return { owner: p.owner, kind: 'trace', priority: p.priority, tenant: 'default', labels, nodeSelector: NO_LABELS, tolerations: NO_TOLERATIONS, affinity, missingRequests: NO_MISSING_REQUESTS, limits };
  };
  const order = new ReplayOrder(t);
  const p = new QueuedPod();
  try {
    while (order.next(p)) {
      const requests = space.zeros();
      requests[CPU] = p.cpu;
      requests[MEMORY] = p.memory;
      requests[PODS] = 1;
      if (p.gpuMilli > 0) {
        if (gpuDim === undefined) throw new UsageError(`trace pod ${p.name} asks for GPUs, but the cluster has no ${t.ctx.options.gpuResource} resource`);
        requests[gpuDim] = whole ? Math.ceil(p.gpuMilli / 1000) : p.gpuMilli;
      }
      if (p.resources !== undefined) for (const [name, amount] of Object.entries(p.resources)) requests[space.indexOf(name)!] = amount;
      const s: Submission = {
        kind: 'pod',
        template: templateFor(p),
        arrival: p.arrival,
        duration: p.duration === LONG_RUNNING ? LONG_RUNNING : p.duration,
        requests,
        usage: p.usage === undefined ? undefined : usageProfile(p.usage, requests),
      };
      yield s;
    }
  } finally {
    order.close();
  }
}

/** A pod's limits as a vector of the space (Infinity: no limit). */
function limitVector(space: ResourceSpace, limits: Readonly<Record<string, number>>): Float64Array {
  const v = new Float64Array(space.size).fill(Infinity);
  for (const [name, amount] of Object.entries(limits)) v[space.indexOf(name)!] = amount;
  return v;
}

/** A trace's usage as a one-phase profile; what it leaves out is the request (NVMe: none), as for a scenario's `usage:`. */
function usageProfile(u: TraceUsage, requests: Float64Array): PodUsage {
  return {
    phases: [
      {
        length: Infinity,
        cpu: u.cpu ?? requests[CPU]!,
        memory: u.memory ?? requests[MEMORY]!,
        nvme: (u.nvmeRead ?? 0) + (u.nvmeWrite ?? 0),
        nic: u.nic ?? requests[NIC]!,
      },
    ],
  };
}
