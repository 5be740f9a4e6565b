/**
 * A run's pod records written straight from their typed arrays to
 * records/<key>/pods.parquet, with no pods.csv on the way: formatting a
 * million rows as CSV text and parsing them back cost several times what
 * DuckDB needs to write the Parquet file itself.
 *
 * The numbers go to DuckDB a vector of rows at a time (data chunks through
 * an appender); the text columns become indexes into short lists (owners,
 * node names, outcomes) looked up by DuckDB as it writes the file. The
 * values are those the CSV route gives (records-csv.ts, then DuckDB's CSV
 * reader): seconds rounded to the microsecond, empty cells as NULL, and text
 * that a spreadsheet would take for a formula prefixed with `'`, so a query
 * answers the same whichever route wrote the file.
 */
import { renameSync, rmSync } from 'node:fs';
import type { DuckDBAppender, DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { PodRecord } from '../metrics/run-record.js';
import { POD_OUTCOMES } from '../metrics/run-record.js';
import { PODS_HEADER, seconds } from '../report/records-csv.js';
import type { RunIdentity } from '../report/records-csv.js';
import type { DuckDbModule } from './duckdb.js';
import { PARQUET_FORMAT, sqlString, withDuckDb } from './duckdb.js';


/** Rows per data chunk: DuckDB's vector size, the most one chunk holds. */
const CHUNK_ROWS = 2048;
/** Marks an empty time cell in the staged numbers (the records' own marker for "never"); no time written is negative. */
const EMPTY = -1;

/**
 * A text cell as it reads back from a CSV that csv-stringify wrote with
 * `escape_formulas` and DuckDB read: empty is NULL, and a leading = + - @
 * tab or carriage return (or their full-width forms) gets a `'` before it.
 */
export function csvText(s: string): string | null {
  if (s === '') return null;
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) ? `'${s}` : s;
}

const textLiteral = (s: string): string => {
  const cell = csvText(s);
  return cell === null ? 'CAST(NULL AS VARCHAR)' : `CAST(${sqlString(cell)} AS VARCHAR)`;
};

/** The staged numeric columns: [name, DuckDB type, value of row i]. */
function stagedColumns(p: PodRecord): [string, 'DOUBLE' | 'INTEGER' | 'UTINYINT', (i: number) => number][] {
  const opt = (us: number): number => (us < 0 ? EMPTY : seconds(us));
  return [
    ['pod', 'DOUBLE', (i) => p.id[i]!],
    ['owner', 'INTEGER', (i) => p.owner[i]!],
    // −1 (never bound) becomes list index 0, which DuckDB answers with NULL.
    ['node', 'INTEGER', (i) => p.node[i]!],
    ['arrival', 'DOUBLE', (i) => seconds(p.arrival[i]!)],
    ['bind', 'DOUBLE', (i) => opt(p.bind[i]!)],
    ['start', 'DOUBLE', (i) => opt(p.start[i]!)],
    ['end', 'DOUBLE', (i) => opt(p.end[i]!)],
    ['delay', 'DOUBLE', (i) => (p.bind[i]! < 0 ? EMPTY : seconds(p.bind[i]! - p.arrival[i]!))],
    ['outcome', 'UTINYINT', (i) => p.outcome[i]!],
  ];
}

/** The SELECT list giving pods.csv's columns, in its order, from the staged table. */
function podColumns(run: RunIdentity): string {
  const outcomes = `[${POD_OUTCOMES.map(textLiteral).join(', ')}]`;
  const time = (c: string): string => `nullif("${c}", ${EMPTY})`;
  const expr: Record<string, string> = {
    scenario: textLiteral(run.scenario),
    scheduler: textLiteral(run.scheduler),
    queue: textLiteral(run.queue),
    seed: `CAST(${Number(run.seed)} AS BIGINT)`,
    pod: 'CAST(pod AS BIGINT)',
    owner: `getvariable('owner_name')[owner + 1]`,
    kind: `getvariable('owner_kind')[owner + 1]`,
    tenant: `getvariable('owner_tenant')[owner + 1]`,
    priority: `CAST(getvariable('owner_priority')[owner + 1] AS BIGINT)`,
    node: `getvariable('node_name')[node + 1]`,
    arrival_s: 'arrival',
    bind_s: time('bind'),
    start_s: time('start'),
    end_s: time('end'),
    delay_s: time('delay'),
    outcome: `${outcomes}[outcome + 1]`,
  };
  return PODS_HEADER.map((c) => {
    const e = expr[c];
    if (e === undefined) throw new Error(`pods.parquet: no value for the pods.csv column ${c}`);
    return `${e} AS "${c}"`;
  }).join(', ');
}

function appendText(appender: DuckDBAppender, s: string): void {
  const cell = csvText(s);
  if (cell === null) appender.appendNull();
  else appender.appendVarchar(cell);
}

/** The owners' and nodes' text as lists (variables) indexed by the staged owner and node columns. */
async function stageLists(db: DuckDBConnection, p: PodRecord): Promise<void> {
  await db.run('CREATE TABLE owners (i INTEGER, name VARCHAR, kind VARCHAR, tenant VARCHAR, priority DOUBLE); CREATE TABLE nodes (i INTEGER, name VARCHAR)');
  const owners = await db.createAppender('owners');
  p.owners.forEach((o, i) => {
    owners.appendInteger(i);
    appendText(owners, o.name);
    appendText(owners, o.kind);
    appendText(owners, o.tenant);
    owners.appendDouble(o.priority);
    owners.endRow();
  });
  owners.closeSync();
  const nodes = await db.createAppender('nodes');
  p.nodeNames.forEach((name, i) => {
    nodes.appendInteger(i);
    appendText(nodes, name);
    nodes.endRow();
  });
  nodes.closeSync();
  for (const c of ['name', 'kind', 'tenant', 'priority']) await db.run(`SET VARIABLE owner_${c} = (SELECT list(${c} ORDER BY i) FROM owners)`);
  await db.run(`SET VARIABLE node_name = (SELECT list(name ORDER BY i) FROM nodes)`);
}

/** A DOUBLE, INTEGER or UTINYINT column of a data chunk: its values, then flush() copies them into DuckDB's vector. */
interface NumberVector {
  readonly items: Float64Array | Int32Array | Uint8Array;
  flush(): void;
}

/** The numbers of every pod, a data chunk at a time. */
async function stageNumbers(db: DuckDBConnection, duckdb: DuckDbModule, p: PodRecord): Promise<void> {
  const columns = stagedColumns(p);
  await db.run(`CREATE TABLE staged (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
  const types: DuckDBType[] = columns.map(([, type]) => duckdb[type]);
  const appender = await db.createAppender('staged');
  // One chunk refilled for every full vector of rows (the appender copies it); the last, shorter one on its own.
  let chunk = duckdb.DuckDBDataChunk.create(types, CHUNK_ROWS);
  for (let from = 0; from < p.count; from += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, p.count - from);
    if (rows < CHUNK_ROWS) chunk = duckdb.DuckDBDataChunk.create(types, rows);
    columns.forEach(([, , value], c) => {
      const vector = chunk.getColumnVector(c) as unknown as NumberVector;
      const items = vector.items;
      for (let r = 0; r < rows; r++) items[r] = value(from + r);
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/**
 * Writes `pods` as the Parquet file `target` (a temporary name, then renamed
 * into place: a file under that name is always whole). Columns and values as
 * the CSV route (parquet.ts) gives them.
 */
export async function writePodsParquet(target: string, run: RunIdentity, pods: PodRecord): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await withDuckDb(async (db, duckdb) => {
      await stageLists(db, pods);
      await stageNumbers(db, duckdb, pods);
      await db.run(`COPY (SELECT ${podColumns(run)} FROM staged) TO ${sqlString(tmp)} (${PARQUET_FORMAT})`);
    });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${target}: cannot write the pod records as Parquet: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * writePodsParquet, one file at a time: runs finishing together on several
 * worker threads do not each hold a database and a copy of their pods.
 */
export function queuePodsParquet(target: string, run: RunIdentity, pods: PodRecord): Promise<void> {
  const job = queue.then(() => writePodsParquet(target, run, pods));
  queue = job.catch(() => undefined);
  return job;
}
