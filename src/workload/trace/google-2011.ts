/**
 * Google cluster-usage traces, 2011 (google/cluster-data,
 * ClusterData2011_2.md and "Google cluster-usage traces: format + schema",
 * 2014). CSV without a header row. Times are µs since 600 s before the
 * trace window; 0 means "before the trace", 2^63 − 1 "after it". CPU and
 * memory are normalized to the largest machine (1.0); the machineCpu and
 * machineMemory options say what 1.0 is.
 *
 * machine_events: time, machine_id, event_type, platform_id, cpus, memory
 *   event_type 0 ADD, 1 REMOVE, 2 UPDATE. A node per machine ADDed; its
 *   capacity is the last one an ADD or UPDATE gives it (capacity does not
 *   change during a run). ADD and REMOVE times are kept per machine: with
 *   the machineEvents option at its default, a machine ADDed after the
 *   window's start joins then and a REMOVE is a node failure, repaired at
 *   the machine's next ADD (machines.ts). UPDATE changes only capacity. An
 *   ADD whose capacity is missing (empty cpus or memory) is a bad row.
 * task_events: time, missing_info, job_id, task_index, machine_id, event_type, user,
 *   scheduling_class, priority, cpu_request, memory_request, disk_request, different_machines
 *   event_type 0 SUBMIT, 1 SCHEDULE, 2 EVICT, 3 FAIL, 4 FINISH, 5 KILL,
 *   6 LOST, 7 UPDATE_PENDING, 8 UPDATE_RUNNING. A pod per SUBMIT of a task
 *   (job_id, task_index), see lifecycle.ts. priority (0–11) is the pod's
 *   priority; scheduling_class (0–3) its class label.
 *
 * Files of one table must be given in time order (part-00000 first).
 */
import type { Micros } from '../../core/ids.js';
import { BadField, CLASS, expectColumns, expectWidth, NOT_NEGATIVE, num, optionalNum, SHARE, text, WHOLE } from './fields.js';
import type { Range } from './fields.js';
import type { TraceFormat } from './format.js';
import type { CsvCursor } from './csv-reader.js';
import { guarded, guardedWith, PlainCursor, plainRows } from './format.js';
import type { TraceContext } from './issues.js';
import { GoogleTasks, scaled } from './google-tasks.js';
import type { TraceNode } from './types.js';

const MACHINE = ['time', 'machine_id', 'event_type', 'platform_id', 'cpus', 'memory'];
const TASK = [
  'time', 'missing_info', 'job_id', 'task_index', 'machine_id', 'event_type', 'user',
  'scheduling_class', 'priority', 'cpu_request', 'memory_request', 'disk_request', 'different_machines',
];

/** The ranges of the task_events fields only, made once rather than per row. */
const TASK_EVENT: Range = { min: 0, max: 8, integer: true };
const PRIORITY: Range = { min: 0, max: 11, integer: true };

/** The trace's "after the end" time, 2^63 − 1 µs. */
const AFTER_END = 2 ** 63 - 1;

export const MACHINE_ADD_2011 = 0;
export const MACHINE_REMOVE_2011 = 1;
export const MACHINE_UPDATE_2011 = 2;

export const TASK_EVENTS_2011 = { SUBMIT: 0, SCHEDULE: 1, EVICT: 2, FAIL: 3, FINISH: 4, KILL: 5, LOST: 6, UPDATE_PENDING: 7, UPDATE_RUNNING: 8 } as const;

/** A machine's state while reading machine events. */
export interface MachineState {
  cpu: number;
  memory: number;
  zone?: string | undefined;
  rack?: string | undefined;
}

/**
 * Machine events → nodes, in order of first ADD, shared by both Google
 * formats. ADD and REMOVE times go to the context's machine history.
 */
export class MachineTable {
  private readonly machines = new Map<string, MachineState>();
  constructor(private readonly ctx: TraceContext) {}
  add(id: string, state: MachineState, at: Micros): void {
    const known = this.machines.get(id);
    if (known === undefined) this.machines.set(id, state);
    else Object.assign(known, state);
    this.ctx.machineChange(id, at, true);
  }
  update(id: string, state: Partial<MachineState>): void {
    const known = this.machines.get(id);
    if (known === undefined) this.ctx.counts.unmatched++;
    else Object.assign(known, Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)));
  }
  remove(id: string, at: Micros): void {
    if (this.machines.has(id)) {
      this.ctx.counts.removedMachines++;
      this.ctx.machineChange(id, at, false);
    } else this.ctx.counts.unmatched++;
  }
  nodes(): TraceNode[] {
    return [...this.machines].map(([name, m]) => ({ name, cpu: m.cpu, memory: m.memory, gpu: 0, zone: m.zone, rack: m.rack }));
  }
}

/** µs; the "after the end" marker is refused, as no event of interest carries it here. */
function time2011(value: string | undefined): number {
  return within(num(value, 'time', 'µs since the trace start', NOT_NEGATIVE));
}

function within(t: number): number {
  if (t >= AFTER_END) throw new BadField('time', 'expected a time within the trace, got 2^63 − 1 ("after the end of the trace")');
  return t;
}

export const google2011: TraceFormat = {
  name: 'google-2011',
  description: 'Google cluster-usage trace 2011: task_events and machine_events (µs; CPU and memory normalized to the largest machine)',
  roles: [
    { role: 'machines', pattern: /machine_events/, description: 'machine_events/part-*.csv' },
    { role: 'tasks', pattern: /task_events/, description: 'task_events/part-*.csv' },
  ],
  machineRoles: ['machines'],

  *nodes(files, ctx) {
    const table = new MachineTable(ctx);
    const { machineCpu, machineMemory } = ctx.options;
    for (const file of files.machines ?? []) {
      ctx.machineFiles.add(file);
      for (const row of plainRows(file)) {
        guarded(ctx, file, row.line, () => {
          const f = row.fields;
          expectColumns(f, MACHINE);
          const time = time2011(f[0]);
          const id = text(f[1], 'machine_id', 'a machine id');
          const type = num(f[2], 'event_type', 'machine event 0 ADD, 1 REMOVE, 2 UPDATE', { min: 0, max: 2, integer: true });
          if (type === MACHINE_REMOVE_2011) return table.remove(id, time);
          const cpus = optionalNum(f[4], 'cpus', 'share of the largest machine', SHARE);
          const memory = optionalNum(f[5], 'memory', 'share of the largest machine', SHARE);
          if (type === MACHINE_ADD_2011) {
            if (cpus === undefined) throw new BadField('cpus', 'expected the capacity of an added machine, got an empty field');
            if (memory === undefined) throw new BadField('memory', 'expected the capacity of an added machine, got an empty field');
            return table.add(id, { cpu: scaled(cpus, machineCpu), memory: scaled(memory, machineMemory) }, time);
          }
          return table.update(id, {
            cpu: cpus === undefined ? undefined : scaled(cpus, machineCpu),
            memory: memory === undefined ? undefined : scaled(memory, machineMemory),
          });
        });
      }
    }
    yield* table.nodes();
  },

  *pods(files, ctx) {
    const tasks = new GoogleTasks(ctx, TASK_EVENTS_2011);
    for (const file of files.tasks ?? []) {
      // One row function per file rather than a closure per row.
      // Numbers are read from the row's text by position: only the job id becomes a string.
      const read = (f: CsvCursor): void => {
        expectWidth(f.count, TASK);
        const time = within(f.num(0, 'time', 'µs since the trace start', NOT_NEGATIVE));
        const job = text(f.field(2), 'job_id', 'a job id');
        const index = f.num(3, 'task_index', 'a task index', WHOLE);
        const type = f.num(5, 'event_type', 'task event 0–8 (SUBMIT … UPDATE_RUNNING)', TASK_EVENT);
        const key = `${job}/${index}`;
        const cpu = f.optionalNum(9, 'cpu_request', 'share of the largest machine', SHARE);
        const memory = f.optionalNum(10, 'memory_request', 'share of the largest machine', SHARE);
        if (type !== TASK_EVENTS_2011.SUBMIT) return tasks.event(type, key, time, cpu, memory);
        const priority = f.num(8, 'priority', 'priority 0–11', PRIORITY);
        const klass = f.num(7, 'scheduling_class', 'scheduling class 0–3', CLASS);
        return tasks.submit(key, job, time, cpu, memory, priority, klass, undefined, file, f.line);
      };
      const cursor = new PlainCursor(file);
      try {
        while (cursor.next()) {
          guardedWith(ctx, file, cursor.line, read, cursor);
          for (let pod = tasks.takeReady(); pod !== undefined; pod = tasks.takeReady()) yield pod;
        }
      } finally {
        cursor.close();
      }
    }
    yield* tasks.flush();
  },
};
