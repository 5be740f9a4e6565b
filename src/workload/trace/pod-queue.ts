/**
 * Pods ordered by (arrival, insertion order), on the typed-array heap. A
 * queued pod is kept as columns — its numbers in one Float64Array, its
 * texts and rare fields in arrays of references — rather than as the
 * object pushed: the replay holds its reorder buffer (100,000 pods by
 * default) here, and objects living that long would each be copied by the
 * garbage collector before they leave. pop builds the pod again.
 *
 * Most traces are sorted, or nearly: the heap then takes each pod into its
 * sorted run (see PairHeap), at a constant cost per pod.
 */
import { resized } from '../../core/typed-arrays.js';
import { PairHeap } from '../../core/heap.js';
import type { TracePod, TraceUsage } from './types.js';

/** The numeric fields of a queued pod, in its row of `numbers`. */
const ARRIVAL = 0;
const DURATION = 1;
const CPU = 2;
const MEMORY = 3;
const GPU_MILLI = 4;
const PRIORITY = 5;
const LINE = 6;
const NAME_INDEX = 7;
const STRIDE = 8;

/** The references of a queued pod, in its row of `refs`. */
const NAME = 0;
/** The part of a PartNamedPod's name (its number goes to NAME_INDEX); undefined for other pods. */
const NAME_PART = 1;
const OWNER = 2;
const QOS = 3;
const FILE = 4;
/** The pod itself when it has a rare field (GPU models, other resources, limits or usage); undefined for most. */
const RARE = 5;
const REFS = 6;

/**
 * A pod whose name, `owner/part/index` (an instance of a task), is joined
 * only when read: a replay seldom reads names, and a name string made per
 * pod would live as long as the pod waits in the reorder buffer.
 */
export class PartNamedPod implements TracePod {
  readonly gpuModels = undefined;
  readonly resources = undefined;
  readonly limits = undefined;
  readonly usage = undefined;
  constructor(
    readonly owner: string,
    readonly namePart: string,
    readonly nameIndex: number,
    readonly arrival: number,
    readonly duration: number,
    readonly cpu: number,
    readonly memory: number,
    readonly gpuMilli: number,
    readonly priority: number,
    readonly qos: string | undefined,
    readonly file: string,
    readonly line: number,
  ) {}

  get name(): string {
    return `${this.owner}/${this.namePart}/${this.nameIndex}`;
  }
}

/**
 * One record that PodQueue.popInto fills again for each pod, for a reader
 * that is done with a pod before it asks for the next (the replay's
 * submissions): no object per pod. Its name is joined only when read, as
 * a PartNamedPod's.
 */
export class QueuedPod implements TracePod {
  plainName = '';
  namePart: string | undefined = undefined;
  nameIndex = 0;
  owner = '';
  arrival = 0;
  duration = 0;
  cpu = 0;
  memory = 0;
  gpuMilli = 0;
  gpuModels: readonly string[] | undefined = undefined;
  priority = 0;
  qos: string | undefined = undefined;
  resources: Readonly<Record<string, number>> | undefined = undefined;
  limits: Readonly<Record<string, number>> | undefined = undefined;
  usage: TraceUsage | undefined = undefined;
  file = '';
  line = 0;

  get name(): string {
    return this.namePart === undefined ? this.plainName : `${this.owner}/${this.namePart}/${this.nameIndex}`;
  }
}

export class PodQueue {
  private readonly heap = new PairHeap(1024, true);
  private numbers = new Float64Array(1024 * STRIDE);
  /**
   * A queued pod's references, REFS to a slot side by side (a slot's reads
   * and writes then touch one or two cache lines, not one per column: a
   * slot is visited again only after the whole reorder buffer has passed).
   */
  private readonly refs: (string | TracePod | undefined)[] = [];
  private readonly free: number[] = [];
  private slots = 0;
  private seq = 0;

  get size(): number {
    return this.heap.size;
  }

  /** Queues `pod`, arriving at `arrival` and running `duration` (default: its own). */
  push(pod: TracePod, arrival = pod.arrival, duration = pod.duration): void {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.slots++;
      if (slot * STRIDE >= this.numbers.length) this.numbers = resized(this.numbers, this.numbers.length * 2);
    }
    const n = this.numbers;
    const at = slot * STRIDE;
    n[at + ARRIVAL] = arrival;
    n[at + DURATION] = duration;
    n[at + CPU] = pod.cpu;
    n[at + MEMORY] = pod.memory;
    n[at + GPU_MILLI] = pod.gpuMilli;
    n[at + PRIORITY] = pod.priority;
    n[at + LINE] = pod.line;
    const refs = this.refs;
    const r = slot * REFS;
    if (pod instanceof PartNamedPod) {
      refs[r + NAME] = undefined;
      refs[r + NAME_PART] = pod.namePart;
      n[at + NAME_INDEX] = pod.nameIndex;
    } else {
      refs[r + NAME] = pod.name;
      refs[r + NAME_PART] = undefined;
    }
    refs[r + OWNER] = pod.owner;
    refs[r + QOS] = pod.qos;
    refs[r + FILE] = pod.file;
    refs[r + RARE] = pod.gpuModels !== undefined || pod.resources !== undefined || pod.limits !== undefined || pod.usage !== undefined ? pod : undefined;
    this.heap.push(arrival, this.seq++, slot);
  }

  /** The earliest arrival; Infinity when empty. */
  peekArrival(): number {
    return this.heap.size === 0 ? Infinity : this.heap.topPrimary();
  }

  /** The slot of the next pod out. */
  private take(): number {
    const slot = this.heap.topA();
    this.heap.pop();
    return slot;
  }

  /** Lets go of what a slot held, so a drained queue keeps nothing alive, and frees it. */
  private release(slot: number): void {
    const refs = this.refs;
    const r = slot * REFS;
    for (let i = 0; i < REFS; i++) refs[r + i] = undefined;
    this.free.push(slot);
  }

  pop(): TracePod {
    const slot = this.take();
    const n = this.numbers;
    const at = slot * STRIDE;
    const refs = this.refs;
    const r = slot * REFS;
    const part = refs[r + NAME_PART] as string | undefined;
    const owner = refs[r + OWNER] as string;
    const qos = refs[r + QOS] as string | undefined;
    const file = refs[r + FILE] as string;
    const rare = refs[r + RARE] as TracePod | undefined;
    const pod: TracePod =
      part !== undefined
        ? new PartNamedPod(owner, part, n[at + NAME_INDEX]!, n[at + ARRIVAL]!, n[at + DURATION]!, n[at + CPU]!, n[at + MEMORY]!, n[at + GPU_MILLI]!, n[at + PRIORITY]!, qos, file, n[at + LINE]!)
        : {
            name: refs[r + NAME] as string,
            owner,
            arrival: n[at + ARRIVAL]!,
            duration: n[at + DURATION]!,
            cpu: n[at + CPU]!,
            memory: n[at + MEMORY]!,
            gpuMilli: n[at + GPU_MILLI]!,
            gpuModels: rare?.gpuModels,
            priority: n[at + PRIORITY]!,
            qos,
            resources: rare?.resources,
            limits: rare?.limits,
            usage: rare?.usage,
            file,
            line: n[at + LINE]!,
          };
    this.release(slot);
    return pod;
  }

  /** Takes the next pod as pop does, into `out` rather than a new object. */
  popInto(out: QueuedPod): void {
    const slot = this.take();
    const n = this.numbers;
    const at = slot * STRIDE;
    const refs = this.refs;
    const r = slot * REFS;
    const rare = refs[r + RARE] as TracePod | undefined;
    out.namePart = refs[r + NAME_PART] as string | undefined;
    out.plainName = out.namePart === undefined ? (refs[r + NAME] as string) : '';
    out.nameIndex = n[at + NAME_INDEX]!;
    out.owner = refs[r + OWNER] as string;
    out.arrival = n[at + ARRIVAL]!;
    out.duration = n[at + DURATION]!;
    out.cpu = n[at + CPU]!;
    out.memory = n[at + MEMORY]!;
    out.gpuMilli = n[at + GPU_MILLI]!;
    out.gpuModels = rare?.gpuModels;
    out.priority = n[at + PRIORITY]!;
    out.qos = refs[r + QOS] as string | undefined;
    out.resources = rare?.resources;
    out.limits = rare?.limits;
    out.usage = rare?.usage;
    out.file = refs[r + FILE] as string;
    out.line = n[at + LINE]!;
    this.release(slot);
  }
}

/** Merges pod sources, each in arrival order, into one in arrival order (ties in source order). */
export function* mergeByArrival(sources: readonly Iterator<TracePod, void>[]): Generator<TracePod, void> {
  const heads: (TracePod | undefined)[] = sources.map((s) => {
    const r = s.next();
    return r.done === true ? undefined : r.value;
  });
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && (best < 0 || h.arrival < heads[best]!.arrival)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const r = sources[best]!.next();
    heads[best] = r.done === true ? undefined : r.value;
  }
}
