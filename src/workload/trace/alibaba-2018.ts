/**
 * Alibaba cluster-trace-v2018 (alibaba/clusterdata, cluster-trace-v2018/
 * schema.txt and trace_2018.md). No header rows. Times are seconds from the
 * start of the 8-day trace; CPU is in hundredths of a core (100 = 1 core);
 * memory is normalized to [0, 100], 100 being a machine's memory (the
 * machineMemory option says how many bytes that is).
 *
 * machine_meta.csv: machine_id, time_stamp, failure_domain_1, failure_domain_2, cpu_num, mem_size, status
 *   One node per machine_id (its first row; later rows, status changes, are
 *   not replayed: the statuses, USING and IMPORT_INSTALLING, never say that a
 *   machine left, so the machineEvents option has nothing to replay here —
 *   see docs/traces.md). cpu_num is cores. failure_domain_1 becomes the rack label
 *   (topology.rackbench.io/rack), failure_domain_2 the zone
 *   (topology.kubernetes.io/zone).
 * container_meta.csv: container_id, machine_id, time_stamp, app_du, status, cpu_request, cpu_limit, mem_size
 *   One long-running pod per container_id (its first row), owned by app_du.
 *   The reader remembers the container ids it has seen (one entry per container).
 * batch_task.csv: task_name, instance_num, job_name, task_type, status, start_time, end_time, plan_cpu, plan_mem
 *   instance_num pods per task, arriving at start_time and running
 *   end_time − start_time (to the end of the run when end_time is 0 or empty),
 *   requesting plan_cpu and plan_mem.
 * batch_instance.csv: instance_name, task_name, job_name, task_type, status, start_time, end_time, machine_id,
 *   seq_no, total_seq_no, cpu_avg, cpu_max, mem_avg, mem_max
 *   One pod per instance; the table has no requests, so the pod requests its
 *   peak usage (cpu_max, mem_max). With the usage option it uses its average
 *   (cpu_avg, mem_avg).
 */
import { LONG_RUNNING } from '../pod.js';
import { expectColumns, expectWidth, Interner, NOT_NEGATIVE, num, optionalNum, PERCENT, secondsToMicros, text, WHOLE } from './fields.js';
import type { TraceFormat } from './format.js';
import { guarded, guardedWith, PlainCursor, plainRows } from './format.js';
import type { CsvCursor } from './csv-reader.js';
import { mergeByArrival, PartNamedPod } from './pod-queue.js';
import type { TraceContext } from './issues.js';
import type { TraceNode, TracePod } from './types.js';

const MACHINE = ['machine_id', 'time_stamp', 'failure_domain_1', 'failure_domain_2', 'cpu_num', 'mem_size', 'status'];
const CONTAINER = ['container_id', 'machine_id', 'time_stamp', 'app_du', 'status', 'cpu_request', 'cpu_limit', 'mem_size'];
// A row expands into instance_num pods: bound it so one hostile row cannot
// expand forever. The published trace's largest task has well under 100,000.
const MAX_INSTANCES = 1_000_000;
const TASK = ['task_name', 'instance_num', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'plan_cpu', 'plan_mem'];
const INSTANCE = [
  'instance_name', 'task_name', 'job_name', 'task_type', 'status', 'start_time', 'end_time', 'machine_id',
  'seq_no', 'total_seq_no', 'cpu_avg', 'cpu_max', 'mem_avg', 'mem_max',
];


/** 100 = 1 core → millicores. */
const cpuOf = (hundredths: number): number => Math.round(hundredths * 10);
/** [0, 100] of a machine → bytes. */
const memoryOf = (ctx: TraceContext, share: number): number => Math.round((share / 100) * ctx.options.machineMemory);

export const alibaba2018: TraceFormat = {
  name: 'alibaba-2018',
  description: 'Alibaba cluster-trace-v2018: machine_meta, container_meta, batch_task, batch_instance (100 = 1 core; memory normalized to 0–100)',
  roles: [
    { role: 'machines', pattern: /machine_meta/, description: 'machine_meta*.csv' },
    { role: 'containers', pattern: /container_meta/, description: 'container_meta*.csv' },
    { role: 'tasks', pattern: /batch_task/, description: 'batch_task*.csv' },
    { role: 'instances', pattern: /batch_instance/, description: 'batch_instance*.csv' },
  ],
  machineRoles: ['machines'],

  hasUsage: (files, options) => options.usage && (files.instances ?? []).length > 0,

  *nodes(files, ctx) {
    const seen = new Set<string>();
    for (const file of files.machines ?? []) {
      ctx.machineFiles.add(file);
      for (const row of plainRows(file)) {
        const node = guarded(ctx, file, row.line, (): TraceNode | undefined => {
          const f = row.fields;
          expectColumns(f, MACHINE);
          const name = text(f[0], 'machine_id', 'a machine id');
          num(f[1], 'time_stamp', 'seconds', NOT_NEGATIVE);
          const cores = num(f[4], 'cpu_num', 'cores', NOT_NEGATIVE);
          const mem = num(f[5], 'mem_size', 'normalized memory', PERCENT);
          text(f[6], 'status', 'a machine status');
          if (seen.has(name)) return undefined;
          seen.add(name);
          const rack = (f[2] ?? '').trim();
          const zone = (f[3] ?? '').trim();
          return {
            name,
            cpu: Math.round(cores * 1000),
            memory: memoryOf(ctx, mem),
            gpu: 0,
            rack: rack === '' ? undefined : rack,
            zone: zone === '' ? undefined : zone,
          };
        });
        if (node !== undefined) yield node;
      }
    }
  },

  pods(files, ctx) {
    const tables: [readonly string[] | undefined, (files: readonly string[], ctx: TraceContext) => Generator<TracePod, void>][] = [
      [files.containers, containerPods],
      [files.tasks, taskPods],
      [files.instances, instancePods],
    ];
    const sources = tables.filter(([f]) => f !== undefined && f.length > 0).map(([f, read]) => read(f!, ctx));
    // A table read alone is in order as it is: no merge between it and the replay.
    return sources.length === 1 ? sources[0]! : mergeByArrival(sources);
  },
};

/** Files of one table are read one after another: give them in time order. */
function* containerPods(files: readonly string[], ctx: TraceContext): Generator<TracePod, void> {
  const containers = new Set<string>();
  for (const file of files) {
    for (const row of plainRows(file)) {
      const pod = guarded(ctx, file, row.line, (): TracePod | undefined => {
        const f = row.fields;
        expectColumns(f, CONTAINER);
        const name = text(f[0], 'container_id', 'a container id');
        const at = num(f[2], 'time_stamp', 'seconds', NOT_NEGATIVE);
        const owner = text(f[3], 'app_du', 'an application group');
        const cpu = num(f[5], 'cpu_request', 'hundredths of a core', NOT_NEGATIVE);
        const mem = num(f[7], 'mem_size', 'normalized memory', PERCENT);
        if (containers.has(name)) return undefined;
        containers.add(name);
        return { name, owner, arrival: secondsToMicros(at), duration: LONG_RUNNING, cpu: cpuOf(cpu), memory: memoryOf(ctx, mem), gpuMilli: 0, priority: 0, qos: 'container', file, line: row.line };
      });
      if (pod !== undefined) yield pod;
    }
  }
}

function* taskPods(files: readonly string[], ctx: TraceContext): Generator<TracePod, void> {
  const names = new Interner();
  const jobs = new Interner();
  for (const file of files) {
    // The row last read: one object for the file rather than one per row.
    const task = { task: '', count: 0, job: '', arrival: 0, duration: 0, cpu: 0, memory: 0 };
    // Numbers are read from the row's text by position: only the names become strings.
    const read = (f: CsvCursor): true => {
      expectWidth(f.count, TASK);
      const start = f.num(5, 'start_time', 'seconds', NOT_NEGATIVE);
      const end = f.optionalNum(6, 'end_time', 'seconds', NOT_NEGATIVE) ?? 0;
      if (end !== 0 && end < start) num(f.field(6), 'end_time', 'seconds, not before start_time', { min: start });
      task.task = names.of(text(f.field(0), 'task_name', 'a task name'));
      task.count = f.num(1, 'instance_num', 'instances', WHOLE);
      if (task.count > MAX_INSTANCES) num(f.field(1), 'instance_num', 'instances', { min: 0, max: MAX_INSTANCES, integer: true });
      task.job = jobs.of(text(f.field(2), 'job_name', 'a job name'));
      task.arrival = secondsToMicros(start);
      task.duration = end === 0 ? LONG_RUNNING : Math.max(1, secondsToMicros(end - start));
      task.cpu = cpuOf(f.num(7, 'plan_cpu', 'hundredths of a core', NOT_NEGATIVE));
      task.memory = memoryOf(ctx, f.num(8, 'plan_mem', 'normalized memory', PERCENT));
      return true;
    };
    const cursor = new PlainCursor(file);
    try {
      while (cursor.next()) {
        const line = cursor.line;
        if (guardedWith(ctx, file, line, read, cursor) === undefined) continue;
        const { job, arrival, duration, cpu, memory, count } = task;
        // Pod i of the task is named job/task/i.
        for (let i = 0; i < count; i++) yield new PartNamedPod(job, task.task, i, arrival, duration, cpu, memory, 0, 0, 'batch', file, line);
      }
    } finally {
      cursor.close();
    }
  }
}

function* instancePods(files: readonly string[], ctx: TraceContext): Generator<TracePod, void> {
  for (const file of files) {
    for (const row of plainRows(file)) {
      const pod = guarded(ctx, file, row.line, (): TracePod => {
        const f = row.fields;
        expectColumns(f, INSTANCE);
        const start = num(f[5], 'start_time', 'seconds', NOT_NEGATIVE);
        const end = optionalNum(f[6], 'end_time', 'seconds', NOT_NEGATIVE) ?? 0;
        if (end !== 0 && end < start) num(f[6], 'end_time', 'seconds, not before start_time', { min: start });
        return {
          name: text(f[0], 'instance_name', 'an instance name'),
          owner: text(f[2], 'job_name', 'a job name'),
          arrival: secondsToMicros(start),
          duration: end === 0 ? LONG_RUNNING : Math.max(1, secondsToMicros(end - start)),
          cpu: cpuOf(num(f[11], 'cpu_max', 'hundredths of a core', NOT_NEGATIVE)),
          memory: memoryOf(ctx, num(f[13], 'mem_max', 'normalized memory', PERCENT)),
          gpuMilli: 0,
          priority: 0,
          qos: 'batch',
          usage: ctx.options.usage
            ? { cpu: cpuOf(num(f[10], 'cpu_avg', 'hundredths of a core', NOT_NEGATIVE)), memory: memoryOf(ctx, num(f[12], 'mem_avg', 'normalized memory', PERCENT)) }
            : undefined,
          file,
          line: row.line,
        };
      });
      if (pod !== undefined) yield pod;
    }
  }
}
