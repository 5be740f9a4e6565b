/** DuckDB on its own thread (src/runner/duckdb-thread.ts): the same Parquet bytes as in-process, errors passed back. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlString, withDuckDb } from '../src/runner/duckdb.js';
import { DuckDbThread } from '../src/runner/duckdb-thread.js';
import { tempDir } from './support/cli.js';

const copy = (csv: string, target: string): string =>
  `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, sample_size = -1)) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`;

describe('DuckDbThread', () => {
  it('writes the same Parquet bytes as DuckDB in the calling thread', async () => {
    const dir = tempDir();
    const csv = join(dir, 'runs.csv');
    writeFileSync(csv, ['scheduler,seed,delay_p99_s,note', 'first-fit,1,0.00021,', "best-fit,2,82.6,'=x", 'spread,3,1e-6,"a, b"'].join('\n') + '\n');
    const thread = DuckDbThread.start()!;
    try {
      await thread.run(copy(csv, join(dir, 'thread.parquet')));
    } finally {
      await thread.close();
    }
    await withDuckDb((db) => db.run(copy(csv, join(dir, 'here.parquet'))));
    expect(readFileSync(join(dir, 'thread.parquet')).equals(readFileSync(join(dir, 'here.parquet')))).toBe(true);
  });

  it('rejects a statement DuckDB refuses with DuckDB’s message, and goes on with the next', async () => {
    const thread = DuckDbThread.start()!;
    try {
      await expect(thread.run('SELECT no_such_column')).rejects.toThrow(/no_such_column/);
      await expect(thread.run('SELECT 1')).resolves.toBeUndefined();
    } finally {
      await thread.close();
    }
    await expect(thread.run('SELECT 1')).rejects.toThrow(/stopped/);
  });
});
