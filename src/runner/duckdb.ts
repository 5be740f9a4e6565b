/** DuckDB (@duckdb/node-api), in memory, for writing Parquet and querying results directories. */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Runs `fn` on a fresh in-memory database, closed afterwards. One thread: Parquet files come out the same on every machine. */
export async function withDuckDb<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  // Imported here: loading the native module costs more than many a run, and most commands never need it.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A string literal for SQL. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
