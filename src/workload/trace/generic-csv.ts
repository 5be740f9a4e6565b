/**
 * rackbench's own trace format: CSV files with a header row, in Kubernetes
 * notation, for traces from anywhere else. A file whose header has a `node`
 * column lists nodes; one with an `arrival` column lists pods. Columns may
 * come in any order; unknown columns are an error (a typo would otherwise
 * be ignored).
 *
 * Nodes:  node, cpu, memory[, nvme][, nic][, storage_bandwidth][, gpu][, gpu_model][, zone][, rack][, <extended>…]
 *   cpu and memory are quantities ("32", "500m"; "128Gi", "64G"); nvme bytes
 *   ("3.84T"), nic bits per second ("25G"), storage_bandwidth the NVMe's
 *   bytes per second ("6G"); gpu a count.
 * Pods:   arrival, cpu, memory[, name][, duration][, nvme][, nic][, gpu][, gpu_model][, priority][, owner][, class][, <extended>…]
 *         [, limit_cpu][, limit_memory][, limit_<resource>…]
 *         [, usage_cpu][, usage_memory][, usage_nvme_read][, usage_nvme_write][, usage_nic]
 *   arrival and duration are durations from the start ("90", "1.5s", "2h30m";
 *   a bare number is seconds); an empty duration runs to the end of the run.
 *   gpu is a number of GPUs, fractions for shared GPUs (0.5 = half of one);
 *   gpu_model lists the GPU models the pod accepts, separated by `|`.
 *   name defaults to `pod-<line>`, owner to `csv`, priority to 0.
 *   An extended resource is a column named as Kubernetes names one, with a
 *   domain (`example.com/fpga`): a count on nodes and pods.
 *   limit_* are the container's limits; usage_* what the pod uses (cores,
 *   bytes, bytes/s, bits/s), as a scenario's `usage:` says it. An empty field
 *   is no limit, or usage equal to the request.
 */
import { parseDuration, parseQuantity, QuantityError } from '../../model/quantity.js';
import type { QuantityUnit } from '../../model/quantity.js';
import { plainQuantity, plainSeconds } from './plain-quantity.js';
import { LONG_RUNNING } from '../pod.js';
import { csvRows, CsvCursor } from './csv-reader.js';
import type { CsvRow } from './csv-reader.js';
import { BadField, INTEGER, Interner, NOT_NEGATIVE, num, text, WHOLE } from './fields.js';
import type { TraceFormat } from './format.js';
import { emptyFile, field, guarded, guardedWith, headerIndex, noHeader } from './format.js';
import { InputError } from '../../model/yaml-input.js';
import type { TraceNode, TracePod, TraceUsage } from './types.js';

const NODE_REQUIRED = ['node', 'cpu', 'memory'];
const NODE_OPTIONAL = ['nvme', 'nic', 'storage_bandwidth', 'gpu', 'gpu_model', 'zone', 'rack'];
const POD_REQUIRED = ['arrival', 'cpu', 'memory'];
const USAGE_COLUMNS = ['usage_cpu', 'usage_memory', 'usage_nvme_read', 'usage_nvme_write', 'usage_nic'];
const POD_OPTIONAL = ['name', 'duration', 'nvme', 'nic', 'gpu', 'gpu_model', 'priority', 'owner', 'class', 'limit_cpu', 'limit_memory', ...USAGE_COLUMNS];

/** A Kubernetes extended resource name: a domain prefix and a name (example.com/fpga). */
const EXTENDED = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const isExtended = (column: string): boolean => EXTENDED.test(column);
/** limit_<resource> for an extended resource, or limit_nvme / limit_nic. */
const isOtherLimit = (column: string): boolean => column.startsWith('limit_') && (isExtended(column.slice(6)) || column === 'limit_nvme' || column === 'limit_nic');

function quantity(value: string, name: string, unit: QuantityUnit): number {
  const t = value.trim();
  const plain = plainQuantity(t, unit);
  if (plain !== undefined) return plain;
  try {
    return parseQuantity(t, unit);
  } catch (e) {
    if (e instanceof QuantityError) throw new BadField(name, e.message, e.reason);
    throw e;
  }
}

function duration(value: string, name: string): number {
  const t = value.trim();
  const plain = plainSeconds(t);
  if (plain !== undefined) return plain;
  try {
    return parseDuration(t);
  } catch (e) {
    if (e instanceof QuantityError) throw new BadField(name, e.message, e.reason);
    throw e;
  }
}

/** The kind of list a header row starts: a node column makes a node list, an arrival column a pod list. */
function kindOf(file: string, row: CsvRow): 'nodes' | 'pods' {
  const names = row.fields.map((f) => f.trim());
  if (names.includes('node')) return 'nodes';
  if (names.includes('arrival')) return 'pods';
  throw new InputError(file, [
    {
      path: '',
      line: row.line,
      message: `the header has neither a node column (a node list: ${[...NODE_REQUIRED, ...NODE_OPTIONAL].join(', ')}) nor an arrival column (a pod list: ${[...POD_REQUIRED, ...POD_OPTIONAL].join(', ')})`,
    },
  ]);
}

/** The header of a file, checked against the columns of its kind: each once, none unknown, the required ones present. */
function headerOf(file: string, row: CsvRow): { kind: 'nodes' | 'pods'; index: Map<string, number> } {
  const kind = kindOf(file, row);
  const extra =
    kind === 'nodes'
      ? { accepts: isExtended, described: 'extended resources named domain/name' }
      : { accepts: (c: string) => isExtended(c) || isOtherLimit(c), described: 'extended resources named domain/name (and their limit_domain/name)' };
  const columns = kind === 'nodes' ? { required: NODE_REQUIRED, optional: NODE_OPTIONAL, extra } : { required: POD_REQUIRED, optional: POD_OPTIONAL, extra };
  return { kind, index: headerIndex(file, row, columns) };
}

/**
 * The rows of the files of one kind (files of the other kind are skipped
 * after their header). `machineFiles`, when given, collects the node lists.
 * A file with no header, or of this kind with no rows, is an InputError.
 */
function* rowsOf(files: readonly string[], kind: 'nodes' | 'pods', machineFiles?: Set<string>): Generator<{ file: string; row: CsvRow; index: Map<string, number> }, void> {
  for (const file of files) {
    let index: Map<string, number> | undefined;
    let rows = 0;
    let other = false;
    for (const row of csvRows(file)) {
      if (index === undefined) {
        const h = headerOf(file, row);
        if (h.kind === 'nodes') machineFiles?.add(file);
        if (h.kind !== kind) {
          other = true;
          break;
        }
        index = h.index;
        continue;
      }
      rows++;
      yield { file, row, index };
    }
    if (other) continue;
    if (index === undefined) throw noHeader(file);
    if (rows === 0) throw emptyFile(file, true);
  }
}

function checkWidth(row: CsvRow, index: ReadonlyMap<string, number>): void {
  if (row.fields.length !== index.size) {
    const what = `expected ${index.size} columns, as in the header`;
    throw new BadField('', `${what}, got ${row.fields.length}`, what);
  }
}

function optionalQuantity(value: string, name: string, unit: QuantityUnit): number | undefined {
  return value.trim() === '' ? undefined : quantity(value, name, unit);
}

interface ResourceColumn {
  readonly column: string;
  readonly resource: string;
  readonly unit: QuantityUnit;
}

/** What a header holds beyond the fixed columns, worked out once per header rather than per row. */
interface HeaderShape {
  readonly resources: readonly ResourceColumn[];
  readonly limits: readonly ResourceColumn[];
  readonly hasLimits: boolean;
  readonly hasUsage: boolean;
}

const shapes = new WeakMap<ReadonlyMap<string, number>, HeaderShape>();

function resourceColumns(index: ReadonlyMap<string, number>, prefix: string): ResourceColumn[] {
  const out: ResourceColumn[] = [];
  for (const column of index.keys()) {
    if (!column.startsWith(prefix)) continue;
    const resource = column.slice(prefix.length);
    const unit: QuantityUnit | undefined = resource === 'nvme' ? 'bytes' : resource === 'nic' ? 'bitsPerSecond' : isExtended(resource) ? 'count' : undefined;
    if (unit !== undefined) out.push({ column, resource, unit });
  }
  return out;
}

function shapeOf(index: ReadonlyMap<string, number>): HeaderShape {
  let shape = shapes.get(index);
  if (shape === undefined) {
    const columns = [...index.keys()];
    shape = {
      resources: resourceColumns(index, ''),
      limits: resourceColumns(index, 'limit_'),
      hasLimits: columns.some((c) => c.startsWith('limit_')),
      hasUsage: columns.some((c) => c.startsWith('usage_')),
    };
    shapes.set(index, shape);
  }
  return shape;
}

/** nvme, nic and extended-resource columns (with `prefix`, e.g. limit_), by resource name; undefined when none has a value. */
function otherResources(row: CsvRow, index: ReadonlyMap<string, number>, prefix: '' | 'limit_', shape = shapeOf(index)): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const { column, resource, unit } of prefix === '' ? shape.resources : shape.limits) {
    const value = optionalQuantity(field(row, index, column), column, unit);
    if (value !== undefined) (out ??= {})[resource] = value;
  }
  return out;
}

function limitsOf(row: CsvRow, index: ReadonlyMap<string, number>, shape: HeaderShape): Record<string, number> | undefined {
  if (!shape.hasLimits) return undefined;
  const f = (n: string): string => field(row, index, n);
  const limits = otherResources(row, index, 'limit_', shape) ?? {};
  const cpu = optionalQuantity(f('limit_cpu'), 'limit_cpu', 'millicores');
  const memory = optionalQuantity(f('limit_memory'), 'limit_memory', 'bytes');
  if (cpu !== undefined) limits['cpu'] = cpu;
  if (memory !== undefined) limits['memory'] = memory;
  return Object.keys(limits).length === 0 ? undefined : limits;
}

function usageOf(row: CsvRow, index: ReadonlyMap<string, number>, shape: HeaderShape): TraceUsage | undefined {
  if (!shape.hasUsage) return undefined;
  const f = (n: string): string => field(row, index, n);
  const usage: TraceUsage = {
    cpu: optionalQuantity(f('usage_cpu'), 'usage_cpu', 'millicores'),
    memory: optionalQuantity(f('usage_memory'), 'usage_memory', 'bytes'),
    nvmeRead: optionalQuantity(f('usage_nvme_read'), 'usage_nvme_read', 'bytes'),
    nvmeWrite: optionalQuantity(f('usage_nvme_write'), 'usage_nvme_write', 'bytes'),
    nic: optionalQuantity(f('usage_nic'), 'usage_nic', 'bitsPerSecond'),
  };
  return Object.values(usage).some((v) => v !== undefined) ? usage : undefined;
}

/** A row's field at a column position (-1: the header lacks the column, read as ''). */
const at = (fields: readonly string[], i: number): string => (i < 0 ? '' : (fields[i] ?? ''));

/**
 * The pod of a row of a pod list with this header: the column positions and
 * the header's shape are found once per file, not by name per field.
 */
function podReader(file: string, index: ReadonlyMap<string, number>): (row: CsvRow) => TracePod {
  const position = (n: string): number => index.get(n) ?? -1;
  const [name, owner, arrival, runFor, cpu, memory, gpu, gpuModel, priority, klass] = ['name', 'owner', 'arrival', 'duration', 'cpu', 'memory', 'gpu', 'gpu_model', 'priority', 'class'].map(position) as [
    number, number, number, number, number, number, number, number, number, number,
  ];
  const shape = shapeOf(index);
  const width = index.size;
  const owners = new Interner();
  const classes = new Interner();
  return (row) => {
    const f = row.fields;
    if (f.length !== width) checkWidth(row, index);
    const models = at(f, gpuModel).trim();
    return {
      name: at(f, name).trim() || `pod-${row.line}`,
      owner: owners.of(at(f, owner).trim() || 'csv'),
      arrival: duration(at(f, arrival), 'arrival'),
      duration: at(f, runFor).trim() === '' ? LONG_RUNNING : Math.max(1, duration(at(f, runFor), 'duration')),
      cpu: quantity(at(f, cpu), 'cpu', 'millicores'),
      memory: quantity(at(f, memory), 'memory', 'bytes'),
      gpuMilli: at(f, gpu).trim() === '' ? 0 : Math.round(num(at(f, gpu), 'gpu', 'GPUs (fractions share one)', NOT_NEGATIVE) * 1000),
      gpuModels: models === '' ? undefined : models.split('|').map((m) => m.trim()),
      priority: at(f, priority).trim() === '' ? 0 : num(at(f, priority), 'priority', 'a priority', INTEGER),
      qos: classes.of(at(f, klass).trim()) || undefined,
      resources: shape.resources.length === 0 ? undefined : otherResources(row, index, '', shape),
      limits: limitsOf(row, index, shape),
      usage: usageOf(row, index, shape),
      file,
      line: row.line,
    };
  };
}

/** The header row of each file. */
function headers(files: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const file of files) {
    for (const row of csvRows(file)) {
      out.push(row.fields.map((c) => c.trim()));
      break;
    }
  }
  return out;
}

export const genericCsv: TraceFormat = {
  name: 'csv',
  description: "rackbench's generic CSV: a node list (node, cpu, memory, gpu…) and a pod list (arrival, duration, cpu, memory, gpu…) in Kubernetes notation",
  roles: [{ role: 'files', pattern: /./, description: 'any CSV file with a header row' }],
  machineRoles: ['files'],
  header: (_role, file) => (row) => headerOf(file, row),

  extendedResources(files) {
    const names = new Set<string>();
    for (const header of headers(files.files ?? [])) {
      for (const c of header) {
        if (isExtended(c)) names.add(c);
        else if (c.startsWith('limit_') && isExtended(c.slice(6))) names.add(c.slice(6));
      }
    }
    return [...names].sort();
  },

  hasUsage(files) {
    return headers(files.files ?? []).some((h) => h.includes('arrival') && h.some((c) => c.startsWith('usage_') || c.startsWith('limit_')));
  },

  *nodes(files, ctx) {
    for (const { file, row, index } of rowsOf(files.files ?? [], 'nodes', ctx.machineFiles)) {
      const node = guarded(ctx, file, row.line, (): TraceNode => {
        checkWidth(row, index);
        const f = (n: string): string => field(row, index, n);
        const name = text(f('node'), 'node', 'a node name');
        const model = f('gpu_model').trim();
        return {
          name,
          cpu: quantity(f('cpu'), 'cpu', 'millicores'),
          memory: quantity(f('memory'), 'memory', 'bytes'),
          gpu: f('gpu').trim() === '' ? 0 : num(f('gpu'), 'gpu', 'GPUs', WHOLE),
          gpuModel: model === '' ? undefined : model,
          zone: f('zone').trim() || undefined,
          rack: f('rack').trim() || undefined,
          resources: otherResources(row, index, ''),
          storageBandwidth: optionalQuantity(f('storage_bandwidth'), 'storage_bandwidth', 'bytes'),
        };
      });
      if (node !== undefined) yield node;
    }
  },

  *pods(files, ctx) {
    // As rowsOf, with the rows read by a cursor in this loop: one generator between the file and the replay.
    for (const file of files.files ?? []) {
      const cursor = new CsvCursor(file);
      try {
        let read: ((row: CsvRow) => TracePod) | undefined;
        let rows = 0;
        while (cursor.next()) {
          const row: CsvRow = { fields: cursor.fields, line: cursor.line };
          if (read === undefined) {
            const h = headerOf(file, row);
            if (h.kind !== 'pods') break;
            read = podReader(file, h.index);
            continue;
          }
          rows++;
          const pod = guardedWith(ctx, file, row.line, read, row);
          if (pod !== undefined) yield pod;
        }
        if (read !== undefined && rows === 0) throw emptyFile(file, true);
        if (read === undefined && cursor.line === 0) throw noHeader(file);
      } finally {
        cursor.close();
      }
    }
  },
};
