/**
 * What the Google 2011 and 2019 readers do with a task event once they have
 * read its fields: the two tables number their events differently and read
 * priority and class differently, and the rest is the same. A SUBMIT
 * becomes a pod of its job (2011) or collection (2019), requests scaled
 * from shares of the largest machine; the other events go to the task's
 * lifecycle (lifecycle.ts).
 */
import type { Micros } from '../../core/ids.js';
import { CLASS_LABELS, Interner } from './fields.js';
import type { TraceContext } from './issues.js';
import { TaskTracker } from './lifecycle.js';
import type { TracePod } from './types.js';

/** The event numbers of one table (QUEUE and ENABLE: 2019 only). */
export interface TaskEventCodes {
  readonly SUBMIT: number;
  readonly SCHEDULE: number;
  readonly UPDATE_PENDING: number;
  readonly UPDATE_RUNNING: number;
  readonly QUEUE?: number;
  readonly ENABLE?: number;
}

/** A normalized resource (1.0 = the largest machine) in integer units. */
export const scaled = (share: number, unit: number): number => Math.round(share * unit);

export class GoogleTasks {
  private readonly tracker: TaskTracker;
  private readonly owners = new Interner();
  private readonly machineCpu: number;
  private readonly machineMemory: number;

  constructor(
    ctx: TraceContext,
    private readonly codes: TaskEventCodes,
  ) {
    this.tracker = new TaskTracker(ctx);
    this.machineCpu = ctx.options.machineCpu;
    this.machineMemory = ctx.options.machineMemory;
  }

  /**
   * A SUBMIT of task `key` (`owner/index`) at `time`: cpu and memory are
   * shares (undefined: none requested), klass the scheduling class
   * (undefined: no class label), usage the instance's mean use as shares.
   */
  submit(
    key: string,
    owner: string,
    time: Micros,
    cpu: number | undefined,
    memory: number | undefined,
    priority: number,
    klass: number | undefined,
    usage: { cpu: number; memory: number } | undefined,
    file: string,
    line: number,
  ): void {
    const { machineCpu, machineMemory } = this;
    const pod: TracePod = {
      name: key,
      owner: this.owners.of(owner),
      arrival: time,
      duration: 0,
      cpu: scaled(cpu ?? 0, machineCpu),
      memory: scaled(memory ?? 0, machineMemory),
      gpuMilli: 0,
      priority,
      qos: klass === undefined ? undefined : CLASS_LABELS[klass],
      usage: usage === undefined ? undefined : { cpu: scaled(usage.cpu, machineCpu), memory: scaled(usage.memory, machineMemory) },
      file,
      line,
    };
    this.tracker.submit(key, pod);
  }

  /** Any event but SUBMIT; cpu and memory are the shares of the row (an UPDATE_PENDING's new requests). */
  event(type: number, key: string, time: Micros, cpu: number | undefined, memory: number | undefined): void {
    const E = this.codes;
    switch (type) {
      case E.QUEUE:
      case E.ENABLE:
        return;
      case E.SCHEDULE:
        return this.tracker.schedule(key, time);
      case E.UPDATE_PENDING:
        return this.tracker.update(key, cpu === undefined ? undefined : scaled(cpu, this.machineCpu), memory === undefined ? undefined : scaled(memory, this.machineMemory));
      case E.UPDATE_RUNNING:
        return this.tracker.touch(key);
      default:
        return this.tracker.end(key, time);
    }
  }

  /** The next finished pod the replay may have (TaskTracker.takeReady). */
  takeReady(): TracePod | undefined {
    return this.tracker.takeReady();
  }

  /** At the end of the trace: the rest. */
  flush(): Generator<TracePod, void> {
    return this.tracker.flush();
  }
}
