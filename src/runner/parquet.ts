/**
 * Parquet beside the CSVs of a results directory, so analysis starts with a
 * query (`rackbench query`, docs/query.md) instead of loading CSVs by hand:
 * runs.parquet, groups.parquet (the summary per scenario × policy × queue ×
 * metric, as groups.csv), and timeseries, nodes and pods when recorded.
 * Converted from the CSVs just written, by DuckDB, zstd-compressed; each
 * file is written to a temporary name and renamed into place.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { groupsCsv } from '../report/groups-csv.js';
import type { RunRow } from '../report/runs-csv.js';
import { summarize } from '../report/summary.js';
import { sqlString, withDuckDb } from './duckdb.js';

export const PARQUET_TABLES = ['runs', 'groups', 'timeseries', 'nodes', 'pods'] as const;
export type ParquetTable = (typeof PARQUET_TABLES)[number];

export const parquetFile = (table: ParquetTable): string => `${table}.parquet`;

export function removeParquet(dir: string): void {
  for (const t of PARQUET_TABLES) rmSync(join(dir, parquetFile(t)), { force: true });
}

/** Writes the Parquet files of the CSVs in `dir`; `rows` are the runs of runs.csv (for groups). Returns the files written. */
export async function writeParquet(dir: string, rows: readonly RunRow[]): Promise<string[]> {
  removeParquet(dir);
  const groupsSource = join(dir, `.groups-${process.pid}.csv`);
  const sources: [ParquetTable, string][] = [];
  if (existsSync(join(dir, 'runs.csv'))) sources.push(['runs', join(dir, 'runs.csv')]);
  if (rows.length > 0) {
    writeFileAtomic(groupsSource, groupsCsv(summarize(rows)));
    sources.push(['groups', groupsSource]);
  }
  for (const t of ['timeseries', 'nodes', 'pods'] as const) if (existsSync(join(dir, `${t}.csv`))) sources.push([t, join(dir, `${t}.csv`)]);
  const written: string[] = [];
  try {
    await withDuckDb(async (db) => {
      for (const [table, csv] of sources) {
        const target = join(dir, parquetFile(table));
        const tmp = `${target}.tmp-${process.pid}`;
        // The whole file decides each column's type (a late text cell must not fail the conversion).
        await db.run(`COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, sample_size = -1)) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
        renameSync(tmp, target);
        written.push(target);
      }
    });
  } finally {
    rmSync(groupsSource, { force: true });
  }
  return written;
}
