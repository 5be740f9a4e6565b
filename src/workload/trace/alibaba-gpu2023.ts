/**
 * Alibaba cluster-trace-gpu-v2023 (alibaba/clusterdata,
 * cluster-trace-gpu-v2023/README.md; the FGD paper, USENIX ATC '23).
 *
 * Node list (`openb_node_list_*.csv`, header row):
 *   sn          node name
 *   cpu_milli   CPU, millicores
 *   memory_mib  memory, MiB
 *   gpu         GPUs on the node (whole)
 *   model       GPU model (`G1`/`G2`/`G3` are undisclosed internal codes); empty without GPUs
 *
 * Pod list (`openb_pod_list_*.csv`, header row):
 *   name            pod name
 *   cpu_milli       CPU request, millicores
 *   memory_mib      memory request, MiB
 *   num_gpu         GPUs requested
 *   gpu_milli       share of one GPU when num_gpu = 1, milli-GPU (1000 = whole)
 *   gpu_spec        GPU models the pod accepts, joined by `|`; empty: any
 *   qos             LS, BE, Burstable or Guaranteed
 *   pod_phase       Running, Succeeded, Failed or Pending (at the end of the trace)
 *   creation_time   seconds
 *   deletion_time   seconds; empty: not deleted within the trace
 *   scheduled_time  seconds; empty: never scheduled
 *
 * A pod arrives at creation_time and runs deletion_time − scheduled_time
 * (deletion_time − creation_time when it was never scheduled); without a
 * deletion_time it runs to the end of the run.
 */
import { LONG_RUNNING } from '../pod.js';
import { MIB, NOT_NEGATIVE, WHOLE, expectColumns, expected, num, optionalNum, secondsToMicros, text } from './fields.js';
import type { TraceFormat } from './format.js';
import { field, guarded, guardedRow, headedRows, headerIndex } from './format.js';
import type { Range } from './fields.js';
import type { TraceNode, TracePod } from './types.js';

const NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu'] as const;
const POD_COLUMNS = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'creation_time'] as const;
const POD_OPTIONAL = ['gpu_milli', 'gpu_spec', 'qos', 'pod_phase', 'deletion_time', 'scheduled_time'] as const;
const QOS = ['LS', 'BE', 'Burstable', 'Guaranteed'];
const PHASES = ['Running', 'Succeeded', 'Failed', 'Pending'];
/** GPU shares in thousandths of a GPU. */
const MILLI_GPU: Range = { min: 0, max: 1000, integer: true };

export const alibabaGpu2023: TraceFormat = {
  name: 'alibaba-gpu2023',
  description: 'Alibaba cluster-trace-gpu-v2023: node list and pod list (CPU in millicores, memory in MiB, GPUs and GPU shares)',
  roles: [
    { role: 'nodes', pattern: /node_list|node-list|nodes?\.csv$/, description: 'openb_node_list_*.csv' },
    { role: 'pods', pattern: /pod_list|pod-list|pods?\.csv$/, description: 'openb_pod_list_*.csv' },
  ],
  machineRoles: ['nodes'],
  header: (role, file) => (row) => headerIndex(file, row, role === 'nodes' ? { required: NODE_COLUMNS, optional: ['model'] } : { required: POD_COLUMNS, optional: POD_OPTIONAL }),

  *nodes(files, ctx) {
    for (const file of files.nodes ?? []) {
      ctx.machineFiles.add(file);
      let header: ReadonlyMap<string, number> | undefined;
      let columns: string[] = [];
      for (const { row, index: ix } of headedRows(file, (row) => headerIndex(file, row, { required: NODE_COLUMNS, optional: ['model'] }))) {
        // The header's column list, once per file rather than per row.
        if (ix !== header) [header, columns] = [ix, [...ix.keys()]];
        const node = guarded(ctx, file, row.line, (): TraceNode => {
          expectColumns(row.fields, columns);
          const gpu = num(field(row, ix, 'gpu'), 'gpu', 'GPUs', WHOLE);
          const model = field(row, ix, 'model').trim();
          return {
            name: text(field(row, ix, 'sn'), 'sn', 'a node name'),
            cpu: num(field(row, ix, 'cpu_milli'), 'cpu_milli', 'millicores', WHOLE),
            memory: Math.round(num(field(row, ix, 'memory_mib'), 'memory_mib', 'MiB', NOT_NEGATIVE) * MIB),
            gpu,
            gpuModel: model === '' ? undefined : model,
          };
        });
        if (node !== undefined) yield node;
      }
    }
  },

  *pods(files, ctx) {
    for (const file of files.pods ?? []) {
      let header: ReadonlyMap<string, number> | undefined;
      let read: (fields: readonly string[], line: number) => TracePod = () => {
        throw new Error('no header');
      };
      for (const { row, index: ix } of headedRows(file, (row) => headerIndex(file, row, { required: POD_COLUMNS, optional: POD_OPTIONAL }))) {
        if (ix !== header) [header, read] = [ix, podReader(file, ix)];
        const pod = guardedRow(ctx, file, row, read);
        if (pod !== undefined) yield pod;
      }
    }
  },
};

/** A row's field at a column position (-1: the header lacks the column, read as ''). */
const at = (fields: readonly string[], i: number): string => (i < 0 ? '' : (fields[i] ?? ''));

/** The pod of a row under header `ix`: column positions found once per header rather than by name per field. */
function podReader(file: string, ix: ReadonlyMap<string, number>): (fields: readonly string[], line: number) => TracePod {
  const columns = [...ix.keys()];
  const p = (name: string): number => ix.get(name) ?? -1;
  const [name, cpuMilli, memoryMib, numGpu, created, gpuMilli, gpuSpec, qosAt, phaseAt, deletion, scheduledAt] = [...POD_COLUMNS, ...POD_OPTIONAL].map(p) as [
    number, number, number, number, number, number, number, number, number, number, number,
  ];
  return (fields, line) => {
    expectColumns(fields, columns);
    const gpus = num(at(fields, numGpu), 'num_gpu', 'GPUs', WHOLE);
    const share = optionalNum(at(fields, gpuMilli), 'gpu_milli', 'milli-GPU', MILLI_GPU) ?? 1000;
    const qos = at(fields, qosAt).trim();
    const qosIndex = qos === '' ? -1 : QOS.indexOf(qos);
    if (qos !== '' && qosIndex < 0) throw expected('qos', `one of ${QOS.join(', ')}`, qos);
    const phase = at(fields, phaseAt).trim();
    if (phase !== '' && !PHASES.includes(phase)) throw expected('pod_phase', `one of ${PHASES.join(', ')}`, phase);
    const createdAt = num(at(fields, created), 'creation_time', 'seconds', NOT_NEGATIVE);
    const deleted = optionalNum(at(fields, deletion), 'deletion_time', 'seconds', { min: createdAt });
    const scheduled = optionalNum(at(fields, scheduledAt), 'scheduled_time', 'seconds', { min: createdAt, max: deleted ?? Infinity });
    const spec = at(fields, gpuSpec).trim();
    return {
      name: text(at(fields, name), 'name', 'a pod name'),
      owner: 'alibaba-gpu2023',
      arrival: secondsToMicros(createdAt),
      duration: deleted === undefined ? LONG_RUNNING : Math.max(1, secondsToMicros(deleted - (scheduled ?? createdAt))),
      cpu: num(at(fields, cpuMilli), 'cpu_milli', 'millicores', WHOLE),
      memory: Math.round(num(at(fields, memoryMib), 'memory_mib', 'MiB', NOT_NEGATIVE) * MIB),
      gpuMilli: gpus === 1 ? share : gpus * 1000,
      gpuModels: spec === '' ? undefined : spec.split('|').map((m) => m.trim()),
      priority: 0,
      // The list's own string: one per class rather than one per row.
      qos: qosIndex < 0 ? undefined : QOS[qosIndex],
      file,
      line,
    };
  };
}
