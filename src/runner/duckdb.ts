/**
 * DuckDB (@duckdb/node-api), in memory, for writing Parquet and querying
 * results directories. Loaded on first use, not with the command line: its
 * native library takes a second or more to load, which commands that never
 * touch it should not pay, and which a run can pay while its simulations
 * are still on the worker threads (preloadDuckDb).
 */
import type * as DuckDb from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export type DuckDbModule = typeof DuckDb;

let loading: Promise<DuckDbModule> | undefined;

function loadDuckDb(): Promise<DuckDbModule> {
  loading ??= import('@duckdb/node-api');
  return loading;
}

/** Starts loading DuckDB in the background (a run calls it as its simulations start); a failure shows when it is used. */
export function preloadDuckDb(): void {
  loadDuckDb().catch(() => {
    loading = undefined;
  });
}

/**
 * Runs `fn` on a fresh in-memory database, closed afterwards; `fn` also gets
 * the module (its types and data chunks). One thread: Parquet files come out
 * the same on every machine.
 */
export async function withDuckDb<T>(fn: (connection: DuckDBConnection, duckdb: DuckDbModule) => Promise<T>): Promise<T> {
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    return await fn(connection, duckdb);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A string literal for SQL. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Parquet written by rackbench: zstd level 1 (level 3, DuckDB's default, took 4× as long here for files 6 % smaller). */
export const PARQUET_FORMAT = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1';
