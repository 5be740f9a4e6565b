/**
 * Google cluster-usage traces v3, 2019 (google/cluster-data,
 * ClusterData2019.md, "Google cluster-usage traces v3" and
 * clusterdata_trace_format_v3.proto). The trace is published in BigQuery;
 * export the tables as CSV with a header row (select nested fields with
 * their dotted names, e.g. `resource_request.cpus`, or as
 * `resource_request_cpus`) or as newline-delimited JSON (`.json`/`.jsonl`,
 * nested records as they are; 64-bit integers may be strings). Times are µs
 * since the start of the trace. CPU is in normalized compute units (NCUs)
 * and memory in normalized bytes, 1.0 being the largest machine; the
 * machineCpu and machineMemory options say what 1.0 is.
 *
 * machine_events: time, machine_id, type, switch_id, capacity.cpus, capacity.memory, platform_id
 *   type 1 ADD, 2 REMOVE, 3 UPDATE (0 EVENT_TYPE_UNKNOWN is a bad row).
 *   A node per machine ADDed; switch_id (the top-of-rack switch) becomes
 *   its rack label. ADD and REMOVE ("usually due to failure or repairs",
 *   says the proto) become node joins and failures as in 2011 (machines.ts);
 *   UPDATE changes only capacity.
 * instance_events: time, type, collection_id, instance_index, priority, scheduling_class,
 *   collection_type, resource_request.cpus, resource_request.memory (the table's other
 *   fields may be exported too and are ignored; a CSV column of no field of the
 *   table, or one given twice, is a header error)
 *   type 0 SUBMIT, 1 QUEUE, 2 ENABLE, 3 SCHEDULE, 4 EVICT, 5 FAIL, 6 FINISH,
 *   7 KILL, 8 LOST, 9 UPDATE_PENDING, 10 UPDATE_RUNNING — numbered
 *   differently from 2011. QUEUE and ENABLE change nothing here. Alloc
 *   instances (collection_type 1) reserve resources rather than run work;
 *   they are replayed as pods too.
 * instance_usage (with the usage option): start_time, end_time, collection_id, instance_index,
 *   average_usage.cpus, average_usage.memory, … — what each instance uses
 *   (google-2019-usage.ts).
 */
import { CsvCursor, jsonLines } from './csv-reader.js';
import { BadField, CLASS, INTEGER, NOT_NEGATIVE, num, optionalNum, SHARE, text, WHOLE } from './fields.js';
import type { Range } from './fields.js';
import type { TraceFormat } from './format.js';
import { emptyFile, guarded, guardedWith, headerIndex, noHeader } from './format.js';
import type { HeaderColumns } from './format.js';
import type { TraceContext } from './issues.js';
import { MachineTable } from './google-2011.js';
import { GoogleTasks, scaled } from './google-tasks.js';
import { InstanceUsageTable, INSTANCE_USAGE_COLUMNS } from './google-2019-usage.js';

export const MACHINE_EVENTS_2019 = { ADD: 1, REMOVE: 2, UPDATE: 3 } as const;
export const INSTANCE_EVENTS_2019 = {
  SUBMIT: 0, QUEUE: 1, ENABLE: 2, SCHEDULE: 3, EVICT: 4, FAIL: 5, FINISH: 6, KILL: 7, LOST: 8, UPDATE_PENDING: 9, UPDATE_RUNNING: 10,
} as const;

/** A row as named fields, from a CSV header or a JSON object (nested records flattened with dots). */
type Get = (name: string) => string | undefined;

interface Row {
  readonly get: Get;
  readonly line: number;
  /** Throws BadField when the row does not have the header's columns. */
  readonly check: () => void;
  /** num and optionalNum of the field `name` (the message names it so). */
  readonly num: (name: string, what: string, range: Range) => number;
  readonly optionalNum: (name: string, what: string, range: Range) => number | undefined;
}

/** A JSON line as a Row. */
class JsonRecord implements Row {
  constructor(
    private readonly flat: ReadonlyMap<string, string>,
    readonly line: number,
  ) {}

  get(n: string): string | undefined {
    return aliases(n).map((a) => this.flat.get(a)).find((v) => v !== undefined);
  }

  check(): void {}

  num(name: string, what: string, range: Range): number {
    return num(this.get(name), name, what, range);
  }

  optionalNum(name: string, what: string, range: Range): number | undefined {
    return optionalNum(this.get(name), name, what, range);
  }
}

/** The range of the instance event type, made once rather than per row. */
const INSTANCE_EVENT: Range = { min: 0, max: 10, integer: true };

/** Column name aliases: `resource_request.cpus` may come as `resource_request_cpus`. */
function aliases(name: string): string[] {
  return [name, name.replace('.', '_')];
}

/** The column a CSV header name stands for: `resource_request_cpus` is `resource_request.cpus`. */
function canonicalColumn(known: readonly string[]): (name: string) => string {
  const byAlias = new Map(known.flatMap((k) => aliases(k).map((a) => [a, k] as const)));
  return (name) => byAlias.get(name) ?? name;
}

/** A BigQuery export as newline-delimited JSON, by its name. */
const isJsonLines = (file: string): boolean => /\.(json|jsonl|ndjson)$/i.test(file);

/** Nested records in a JSON line are read this deep (the tables nest one level: `resource_request.cpus`). */
const MAX_JSON_DEPTH = 4;

/** A JSON object's fields flattened with dots, or undefined when it nests deeper than MAX_JSON_DEPTH. */
function flatten(value: object): Map<string, string> | undefined {
  const flat = new Map<string, string>();
  const walk = (o: object, prefix: string, depth: number): boolean => {
    if (depth > MAX_JSON_DEPTH) return false;
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        if (!walk(v as object, `${prefix}${k}.`, depth + 1)) return false;
      } else if (v !== null && v !== undefined) flat.set(`${prefix}${k}`, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return true;
  };
  return walk(value, '', 1) ? flat : undefined;
}

/**
 * The rows of a BigQuery export: JSON lines or CSV with a header, whose
 * columns must be among `columns` (the table's fields in the v3 schema).
 * Throws InputError naming the file when it has no rows.
 */
function* records(file: string, ctx: TraceContext, columns: HeaderColumns): Generator<Row, void> {
  if (isJsonLines(file)) {
    let rows = 0;
    for (const { value, line } of jsonLines(file)) {
      rows++;
      const flat = value !== null && typeof value === 'object' && !Array.isArray(value) ? flatten(value) : undefined;
      if (flat === undefined) {
        ctx.counts.rows++;
        ctx.reject(file, line, '', value !== null && typeof value === 'object' && !Array.isArray(value) ? `expected a JSON object nested at most ${MAX_JSON_DEPTH} deep` : 'expected a JSON object per line');
        continue;
      }
      yield new JsonRecord(flat, line);
    }
    if (rows === 0) throw emptyFile(file, false);
    return;
  }
  const header = { ...columns, canonical: canonicalColumn([...columns.required, ...(columns.optional ?? [])]) };
  // As headedRows, read here by a cursor; one record filled again for each row (the reader is done with a
  // row before it asks for the next), not three objects per row.
  const cursor = new CsvCursor(file);
  try {
    let record: CsvRecord | undefined;
    let rows = 0;
    while (cursor.next()) {
      if (record === undefined) {
        record = new CsvRecord(headerIndex(file, { fields: cursor.fields, line: cursor.line }, header), cursor);
        continue;
      }
      rows++;
      yield record;
    }
    if (record === undefined) throw noHeader(file);
    if (rows === 0) throw emptyFile(file, true);
  } finally {
    cursor.close();
  }
}

/**
 * The cursor's row as a Row, by its header's index: numbers are read from
 * the row's text by position, so only ids become strings.
 */
class CsvRecord implements Row {
  constructor(
    readonly index: ReadonlyMap<string, number>,
    private readonly cursor: CsvCursor,
  ) {}

  get line(): number {
    return this.cursor.line;
  }

  check(): void {
    const width = this.index.size;
    if (this.cursor.count !== width) {
      const what = `expected ${width} columns, as in the header`;
      throw new BadField('', `${what}, got ${this.cursor.count}`, what);
    }
  }

  get(n: string): string | undefined {
    const i = this.index.get(n);
    return i === undefined ? undefined : this.cursor.field(i);
  }

  num(name: string, what: string, range: Range): number {
    const i = this.index.get(name);
    return i === undefined ? num(undefined, name, what, range) : this.cursor.num(i, name, what, range);
  }

  optionalNum(name: string, what: string, range: Range): number | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.cursor.optionalNum(i, name, what, range);
  }
}

/** machine_events: the columns read, then the table's other fields (clusterdata_trace_format_v3.proto, MachineEvent). */
const MACHINE_COLUMNS: HeaderColumns = {
  required: ['time', 'machine_id', 'type', 'capacity.cpus', 'capacity.memory'],
  optional: ['switch_id', 'platform_id', 'missing_data_reason'],
};
/** instance_events: the columns read, then the table's other fields (clusterdata_trace_format_v3.proto, InstanceEvent). */
const INSTANCE_COLUMNS: HeaderColumns = {
  required: ['time', 'type', 'collection_id', 'instance_index'],
  optional: [
    'priority', 'scheduling_class', 'collection_type', 'resource_request.cpus', 'resource_request.memory',
    'missing_type', 'alloc_collection_id', 'machine_id', 'alloc_instance_index', 'constraint',
  ],
};

export const google2019: TraceFormat = {
  name: 'google-2019',
  description: 'Google cluster-usage trace v3 (2019): instance_events and machine_events exported from BigQuery as CSV or JSON lines',
  roles: [
    { role: 'machines', pattern: /machine_events/, description: 'machine_events*.csv or .json' },
    { role: 'instances', pattern: /instance_events/, description: 'instance_events*.csv or .json' },
    { role: 'usage', pattern: /instance_usage/, description: 'instance_usage*.csv or .json (read with the usage option)' },
  ],
  hasUsage: (files, options) => options.usage && (files.usage ?? []).length > 0,
  machineRoles: ['machines'],
  jsonLines: isJsonLines,
  header: (role, file) => {
    if (isJsonLines(file)) return undefined;
    const columns = role === 'machines' ? MACHINE_COLUMNS : role === 'usage' ? INSTANCE_USAGE_COLUMNS : INSTANCE_COLUMNS;
    return (row) => headerIndex(file, row, { ...columns, canonical: canonicalColumn([...columns.required, ...(columns.optional ?? [])]) });
  },

  *nodes(files, ctx) {
    const table = new MachineTable(ctx);
    const { machineCpu, machineMemory } = ctx.options;
    const E = MACHINE_EVENTS_2019;
    for (const file of files.machines ?? []) {
      ctx.machineFiles.add(file);
      for (const r of records(file, ctx, MACHINE_COLUMNS)) {
        guarded(ctx, file, r.line, () => {
          r.check();
          const time = num(r.get('time'), 'time', 'µs since the trace start', NOT_NEGATIVE);
          const id = text(r.get('machine_id'), 'machine_id', 'a machine id');
          const type = num(r.get('type'), 'type', 'machine event 1 ADD, 2 REMOVE, 3 UPDATE', { min: 1, max: 3, integer: true });
          if (type === E.REMOVE) return table.remove(id, time);
          const cpus = optionalNum(r.get('capacity.cpus'), 'capacity.cpus', 'share of the largest machine', SHARE);
          const memory = optionalNum(r.get('capacity.memory'), 'capacity.memory', 'share of the largest machine', SHARE);
          const rack = (r.get('switch_id') ?? '').trim();
          if (type === E.ADD) {
            if (cpus === undefined) throw new BadField('capacity.cpus', 'expected the capacity of an added machine, got an empty field');
            if (memory === undefined) throw new BadField('capacity.memory', 'expected the capacity of an added machine, got an empty field');
            return table.add(id, { cpu: scaled(cpus, machineCpu), memory: scaled(memory, machineMemory), rack: rack === '' ? undefined : rack }, time);
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
    const tasks = new GoogleTasks(ctx, INSTANCE_EVENTS_2019);
    const usage = ctx.options.usage ? readUsage(files.usage ?? [], ctx) : undefined;
    for (const file of files.instances ?? []) {
      // One row function per file rather than a closure per row.
      const read = (r: Row): void => {
        r.check();
        const time = r.num('time', 'µs since the trace start', NOT_NEGATIVE);
        const type = r.num('type', 'instance event 0–10 (SUBMIT … UPDATE_RUNNING)', INSTANCE_EVENT);
        const collection = text(r.get('collection_id'), 'collection_id', 'a collection id');
        const index = r.num('instance_index', 'an instance index', WHOLE);
        const key = `${collection}/${index}`;
        const cpu = r.optionalNum('resource_request.cpus', 'share of the largest machine', SHARE);
        const memory = r.optionalNum('resource_request.memory', 'share of the largest machine', SHARE);
        if (type !== INSTANCE_EVENTS_2019.SUBMIT) return tasks.event(type, key, time, cpu, memory);
        const priority = r.optionalNum('priority', 'a priority', INTEGER) ?? 0;
        const klass = r.optionalNum('scheduling_class', 'scheduling class 0–3', CLASS);
        return tasks.submit(key, collection, time, cpu, memory, priority, klass, usage?.mean(key), file, r.line);
      };
      for (const r of records(file, ctx, INSTANCE_COLUMNS)) {
        guardedWith(ctx, file, r.line, read, r);
        for (let pod = tasks.takeReady(); pod !== undefined; pod = tasks.takeReady()) yield pod;
      }
    }
    yield* tasks.flush();
  },
};

/** The instance_usage files as a table of each instance's windows. */
function readUsage(files: readonly string[], ctx: TraceContext): InstanceUsageTable {
  const table = new InstanceUsageTable();
  for (const file of files) {
    for (const r of records(file, ctx, INSTANCE_USAGE_COLUMNS)) {
      guarded(ctx, file, r.line, () => {
        r.check();
        const start = num(r.get('start_time'), 'start_time', 'µs since the trace start', NOT_NEGATIVE);
        const end = num(r.get('end_time'), 'end_time', 'µs since the trace start, not before start_time', { min: start });
        const key = `${text(r.get('collection_id'), 'collection_id', 'a collection id')}/${num(r.get('instance_index'), 'instance_index', 'an instance index', WHOLE)}`;
        const cpu = num(r.get('average_usage.cpus'), 'average_usage.cpus', 'share of the largest machine', SHARE);
        const memory = num(r.get('average_usage.memory'), 'average_usage.memory', 'share of the largest machine', SHARE);
        optionalNum(r.get('maximum_usage.cpus'), 'maximum_usage.cpus', 'share of the largest machine', SHARE);
        optionalNum(r.get('maximum_usage.memory'), 'maximum_usage.memory', 'share of the largest machine', SHARE);
        table.add(key, start, end, cpu, memory);
      });
    }
  }
  return table;
}
