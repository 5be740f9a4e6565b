/**
 * `rackbench query`: SQL over a results directory with DuckDB. Each table of
 * the directory is a view named for it (runs, groups, timeseries, nodes,
 * pods), over its Parquet file, or its CSV where there is no Parquet (results
 * written before Parquet was). `pods` reads every run's
 * records/<key>/pods.parquet as one table.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { sqlString, withDuckDb } from './duckdb.js';
import { PARQUET_TABLES, parquetFile, podParquetFiles } from './parquet.js';

export type Cell = string | number | boolean | null;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** A DuckDB value as JSON can hold it: integers as numbers while exact; anything else (dates, lists) as its text. */
function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/** The tables of a results directory, as `view name → files` (one file, or the pod records of every run). */
export function resultTables(dir: string): Map<string, readonly string[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such results directory: ${dir}`);
  const tables = new Map<string, readonly string[]>();
  for (const t of PARQUET_TABLES) {
    const parquet = join(dir, parquetFile(t));
    const csv = join(dir, `${t}.csv`);
    if (existsSync(parquet)) tables.set(t, [parquet]);
    else if (existsSync(csv)) tables.set(t, [csv]);
  }
  const pods = podParquetFiles(dir);
  if (!tables.has('pods') && pods.length > 0) tables.set('pods', pods);
  if (!tables.has('runs')) throw new UsageError(`${dir} holds no runs.parquet or runs.csv: give a directory that rackbench run, sweep or merge wrote`);
  return tables;
}

export async function queryResults(dir: string, sql: string): Promise<QueryResult> {
  const tables = resultTables(dir);
  return withDuckDb(async (db) => {
    for (const [name, files] of tables) {
      const list = `[${files.map(sqlString).join(', ')}]`;
      const source = files[0]!.endsWith('.parquet') ? `read_parquet(${list})` : `read_csv(${list}, header = true, sample_size = -1)`;
      await db.run(`CREATE VIEW ${name} AS SELECT * FROM ${source}`);
    }
    let reader;
    try {
      reader = await db.runAndReadAll(sql);
    } catch (e) {
      throw new UsageError(`query failed: ${(e as Error).message}\n(tables: ${[...tables.keys()].join(', ')})`);
    }
    return { columns: reader.columnNames(), rows: reader.getRowsJS().map((r) => r.map(cell)) };
  });
}
