/**
 * A run's opt-in records as CSV: timeseries.csv, nodes.csv and pods.csv (see
 * RECORD_COLUMNS in metrics/columns.ts for every column). Each row starts
 * with the run's key columns, so tables of several runs concatenate.
 */
import { stringify } from 'csv-stringify/sync';
import { MICROS_PER_SECOND } from '../core/ids.js';
import type { RunRecords } from '../metrics/run-record.js';
import { POD_OUTCOMES, RUN_EVENTS, USAGE_SERIES } from '../metrics/run-record.js';
import { round6 } from './format.js';

export interface RunIdentity {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
}

const csvOptions = { escape_formulas: true, record_delimiter: 'unix' } as const;
const KEY = ['scenario', 'scheduler', 'queue', 'seed'];
/** Seconds as the record files write them (six decimals). */
export const seconds = (us: number): number => round6(us / MICROS_PER_SECOND);
const idCells = (run: RunIdentity): (string | number)[] => [run.scenario, run.scheduler, run.queue, run.seed];

export const timeseriesHeader = (resources: readonly string[]): string[] => [
  ...KEY,
  't_s',
  'width_s',
  'pending_pods',
  'running_pods',
  'active_nodes',
  ...resources.map((r) => `alloc_${r}`),
  ...RUN_EVENTS,
  ...USAGE_SERIES,
];

export const nodesHeader = (resources: readonly string[]): string[] => [...KEY, 'node', 't_s', 'width_s', ...resources.map((r) => `alloc_${r}`)];

export const PODS_HEADER = [...KEY, 'pod', 'owner', 'kind', 'tenant', 'priority', 'node', 'arrival_s', 'bind_s', 'start_s', 'end_s', 'delay_s', 'outcome'];

/** timeseries.csv of one run: a row per time bucket; undefined when the run did not record it. */
export function timeseriesCsv(run: RunIdentity, rec: RunRecords): string | undefined {
  const s = rec.series;
  if (s === undefined) return undefined;
  const id = idCells(run);
  const rows: (string | number)[][] = [timeseriesHeader(rec.resources)];
  for (let b = 0; b < s.buckets; b++) {
    rows.push([
      ...id,
      seconds(b * s.widthUs),
      seconds(Math.min(s.widthUs, rec.endUs - b * s.widthUs)),
      round6(s.pending[b]!),
      round6(s.running[b]!),
      round6(s.activeNodes[b]!),
      ...s.alloc.map((a) => round6(a[b]!)),
      ...s.events.map((e) => e[b]!),
      // CPU in cores, as a scenario writes it; memory in bytes.
      ...s.usage.map((u, i) => round6(i < 3 ? u[b]! / 1000 : u[b]!)),
    ]);
  }
  return stringify(rows, csvOptions);
}

/** nodes.csv of one run: a row per node and time bucket. */
export function nodesCsv(run: RunIdentity, rec: RunRecords): string | undefined {
  const chunks = nodesCsvChunks(run, rec);
  return chunks === undefined ? undefined : [...chunks].join('');
}

/** nodes.csv in pieces of at most CHUNK_ROWS rows (header first), to be written as they come: a large cluster's table never exists whole in memory. */
export function nodesCsvChunks(run: RunIdentity, rec: RunRecords): Iterable<string> | undefined {
  const n = rec.nodes;
  if (n === undefined) return undefined;
  const id = idCells(run);
  const dims = rec.resources.length;
  return chunked([nodesHeader(rec.resources)], n.names.length * n.buckets, (i) => {
    const node = Math.floor(i / n.buckets);
    const b = i - node * n.buckets;
    const shares: number[] = [];
    for (let d = 0; d < dims; d++) shares.push(round6(n.share[(node * dims + d) * n.buckets + b]!));
    return [...id, n.names[node]!, seconds(b * n.widthUs), seconds(Math.min(n.widthUs, rec.endUs - b * n.widthUs)), ...shares];
  });
}

/** Rows per piece of a chunked table: large enough that stringifying stays cheap per row, small enough to stay a few MiB. */
const CHUNK_ROWS = 16_384;

/**
 * The CSV text of `header` and rows 0 … count − 1 in pieces of CHUNK_ROWS
 * rows. Each row is escaped on its own, so the pieces joined are exactly the
 * table stringified at once.
 */
function* chunked(header: readonly (string | number)[][], count: number, row: (i: number) => (string | number)[]): Generator<string, void, undefined> {
  let rows: (string | number)[][] = [...header];
  for (let i = 0; i < count; i++) {
    rows.push(row(i));
    if (rows.length === CHUNK_ROWS) {
      yield stringify(rows, csvOptions);
      rows = [];
    }
  }
  if (rows.length > 0) yield stringify(rows, csvOptions);
}

/** pods.csv of one run: a row per pod created, in creation order. */
export function podsCsv(run: RunIdentity, rec: RunRecords): string | undefined {
  const chunks = podsCsvChunks(run, rec);
  return chunks === undefined ? undefined : [...chunks].join('');
}

/** pods.csv in pieces (as nodesCsvChunks): a million pods' rows are written as they are made, never held as one table. */
export function podsCsvChunks(run: RunIdentity, rec: RunRecords): Iterable<string> | undefined {
  const p = rec.pods;
  if (p === undefined) return undefined;
  const id = idCells(run);
  const opt = (us: number): string | number => (us < 0 ? '' : seconds(us));
  return chunked([PODS_HEADER], p.count, (i) => {
    const owner = p.owners[p.owner[i]!]!;
    const bind = p.bind[i]!;
    return [
      ...id,
      p.id[i]!,
      owner.name,
      owner.kind,
      owner.tenant,
      owner.priority,
      p.node[i]! < 0 ? '' : p.nodeNames[p.node[i]!]!,
      seconds(p.arrival[i]!),
      opt(bind),
      opt(p.start[i]!),
      opt(p.end[i]!),
      bind < 0 ? '' : seconds(bind - p.arrival[i]!),
      POD_OUTCOMES[p.outcome[i]!]!,
    ];
  });
}
