/**
 * rackbench's own trace format: CSV files with a header row, in Kubernetes
 * notation, for traces from anywhere else. A file whose header has a `node`
 * column lists nodes; one with an `arrival` column lists pods. Columns may
 * come in any order; unknown columns are an error (a typo would otherwise
 * be ignored).
 *
 * Nodes:  node, cpu, memory[, gpu][, gpu_model][, zone][, rack]
 *   cpu and memory are quantities ("32", "500m"; "128Gi", "64G"); gpu a count.
 * Pods:   arrival, cpu, memory[, name][, duration][, gpu][, gpu_model][, priority][, owner][, class]
 *   arrival and duration are durations from the start ("90", "1.5s", "2h30m";
 *   a bare number is seconds); an empty duration runs to the end of the run.
 *   gpu is a number of GPUs, fractions for shared GPUs (0.5 = half of one);
 *   gpu_model lists the GPU models the pod accepts, separated by `|`.
 *   name defaults to `pod-<line>`, owner to `csv`, priority to 0.
 */
import { parseDuration, parseQuantity, QuantityError } from '../../model/quantity.js';
import type { QuantityUnit } from '../../model/quantity.js';
import { LONG_RUNNING } from '../pod.js';
import { csvRows } from './csv-reader.js';
import type { CsvRow } from './csv-reader.js';
import { BadField, num, text } from './fields.js';
import type { TraceFormat } from './format.js';
import { emptyFile, field, guarded, headerIndex } from './format.js';
import { InputError } from '../../model/yaml-input.js';
import type { TraceNode, TracePod } from './types.js';

const NODE_REQUIRED = ['node', 'cpu', 'memory'];
const NODE_OPTIONAL = ['gpu', 'gpu_model', 'zone', 'rack'];
const POD_REQUIRED = ['arrival', 'cpu', 'memory'];
const POD_OPTIONAL = ['name', 'duration', 'gpu', 'gpu_model', 'priority', 'owner', 'class'];

function quantity(value: string, name: string, unit: QuantityUnit): number {
  try {
    return parseQuantity(value.trim(), unit);
  } catch (e) {
    if (e instanceof QuantityError) throw new BadField(name, e.message, e.reason);
    throw e;
  }
}

function duration(value: string, name: string): number {
  try {
    return parseDuration(value.trim());
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
  const columns = kind === 'nodes' ? { required: NODE_REQUIRED, optional: NODE_OPTIONAL } : { required: POD_REQUIRED, optional: POD_OPTIONAL };
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
    if (index === undefined) throw new InputError(file, [{ path: '', message: 'empty file: no header row; the trace file is empty' }]);
    if (rows === 0) throw emptyFile(file, true);
  }
}

function checkWidth(row: CsvRow, index: Map<string, number>): void {
  if (row.fields.length !== index.size) {
    const what = `expected ${index.size} columns, as in the header`;
    throw new BadField('', `${what}, got ${row.fields.length}`, what);
  }
}

export const genericCsv: TraceFormat = {
  name: 'csv',
  description: "rackbench's generic CSV: a node list (node, cpu, memory, gpu…) and a pod list (arrival, duration, cpu, memory, gpu…) in Kubernetes notation",
  roles: [{ role: 'files', pattern: /./, description: 'any CSV file with a header row' }],
  machineRoles: ['files'],
  header: (_role, file) => (row) => headerOf(file, row),

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
          gpu: f('gpu').trim() === '' ? 0 : num(f('gpu'), 'gpu', 'GPUs', { min: 0, integer: true }),
          gpuModel: model === '' ? undefined : model,
          zone: f('zone').trim() || undefined,
          rack: f('rack').trim() || undefined,
        };
      });
      if (node !== undefined) yield node;
    }
  },

  *pods(files, ctx) {
    for (const { file, row, index } of rowsOf(files.files ?? [], 'pods')) {
      const pod = guarded(ctx, file, row.line, (): TracePod => {
        checkWidth(row, index);
        const f = (n: string): string => field(row, index, n);
        const models = f('gpu_model').trim();
        return {
          name: f('name').trim() || `pod-${row.line}`,
          owner: f('owner').trim() || 'csv',
          arrival: duration(f('arrival'), 'arrival'),
          duration: f('duration').trim() === '' ? LONG_RUNNING : Math.max(1, duration(f('duration'), 'duration')),
          cpu: quantity(f('cpu'), 'cpu', 'millicores'),
          memory: quantity(f('memory'), 'memory', 'bytes'),
          gpuMilli: f('gpu').trim() === '' ? 0 : Math.round(num(f('gpu'), 'gpu', 'GPUs (fractions share one)', { min: 0 }) * 1000),
          gpuModels: models === '' ? undefined : models.split('|').map((m) => m.trim()),
          priority: f('priority').trim() === '' ? 0 : num(f('priority'), 'priority', 'a priority', { integer: true }),
          qos: f('class').trim() || undefined,
          file,
          line: row.line,
        };
      });
      if (pod !== undefined) yield pod;
    }
  },
};
