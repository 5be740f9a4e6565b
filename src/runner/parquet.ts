/**
 * Parquet beside the CSVs of a results directory, so analysis starts with a
 * query (`rackbench query`, docs/query.md) instead of loading CSVs by hand:
 * runs.parquet, groups.parquet (the summary per scenario × policy × queue ×
 * metric, as groups.csv), timeseries.parquet and nodes.parquet when recorded,
 * and the pod records, stored once as records/<key>/pods.parquet: written
 * there as each run finishes (pods-parquet.ts), or, for a run that wrote
 * pods.csv (a results directory written without Parquet, merged shards),
 * converted from it here and the CSV removed. Converted by DuckDB,
 * zstd-compressed; each file is written to a temporary name and renamed into
 * place.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import { groupsCsv } from '../report/groups-csv.js';
import { PODS_HEADER } from '../report/records-csv.js';
import type { RunRow } from '../report/runs-csv.js';
import { summarize } from '../report/summary.js';
import { PARQUET_FORMAT, sqlString, withDuckDb } from './duckdb.js';
import type { SqlRunner } from './duckdb-thread.js';
import { PODS_PARQUET, RECORDS_DIR } from './records.js';
import { RUN_KEY_PATTERN } from './run-key.js';

export const PARQUET_TABLES = ['runs', 'groups', 'timeseries', 'nodes', 'pods'] as const;
export type ParquetTable = (typeof PARQUET_TABLES)[number];

export const parquetFile = (table: ParquetTable): string => `${table}.parquet`;

/**
 * The columns of pods.csv with their types (records-csv.ts writes them), so
 * DuckDB reads the file once instead of sniffing it whole first, and every
 * run's file has the same schema whatever its values.
 */
const POD_TYPES: Record<string, string> = {
  scenario: 'VARCHAR',
  scheduler: 'VARCHAR',
  queue: 'VARCHAR',
  seed: 'BIGINT',
  pod: 'BIGINT',
  owner: 'VARCHAR',
  kind: 'VARCHAR',
  tenant: 'VARCHAR',
  priority: 'BIGINT',
  node: 'VARCHAR',
  arrival_s: 'DOUBLE',
  bind_s: 'DOUBLE',
  start_s: 'DOUBLE',
  end_s: 'DOUBLE',
  delay_s: 'DOUBLE',
  outcome: 'VARCHAR',
};

export function removeParquet(dir: string): void {
  for (const t of PARQUET_TABLES) rmSync(join(dir, parquetFile(t)), { force: true });
}

/** The records/<key>/pods.parquet files of a results directory, by run key. */
export function podParquetFiles(dir: string): string[] {
  const records = join(dir, RECORDS_DIR);
  if (!existsSync(records)) return [];
  return readdirSync(records)
    .filter((key) => RUN_KEY_PATTERN.test(key))
    .sort()
    .map((key) => join(records, key, PODS_PARQUET))
    .filter((f) => existsSync(f));
}

/** Run keys whose records directory holds a pods.csv not yet converted. */
function podCsvKeys(dir: string): string[] {
  const records = join(dir, RECORDS_DIR);
  if (!existsSync(records)) return [];
  return readdirSync(records)
    .filter((key) => RUN_KEY_PATTERN.test(key) && existsSync(join(records, key, 'pods.csv')))
    .sort();
}

/**
 * Writes the Parquet files of the CSVs in `dir`; `rows` are the runs of
 * runs.csv (for groups). `on`: a DuckDB thread started earlier (a run's
 * end then need not wait for DuckDB to load); else DuckDB in this thread.
 * Returns the files written.
 */
export async function writeParquet(dir: string, rows: readonly RunRow[], on?: SqlRunner): Promise<string[]> {
  removeParquet(dir);
  const groupsSource = join(dir, `.groups-${process.pid}.csv`);
  const sources: [string, string, string][] = [];
  // The whole file decides each column's type (a late text cell must not fail the conversion).
  const sniffed = (csv: string): string => `read_csv(${sqlString(csv)}, header = true, sample_size = -1)`;
  if (existsSync(join(dir, 'runs.csv'))) sources.push([join(dir, 'runs.csv'), sniffed(join(dir, 'runs.csv')), join(dir, parquetFile('runs'))]);
  if (rows.length > 0) {
    writeFileAtomic(groupsSource, groupsCsv(summarize(rows)));
    sources.push([groupsSource, sniffed(groupsSource), join(dir, parquetFile('groups'))]);
  }
  for (const t of ['timeseries', 'nodes'] as const) if (existsSync(join(dir, `${t}.csv`))) sources.push([join(dir, `${t}.csv`), sniffed(join(dir, `${t}.csv`)), join(dir, parquetFile(t))]);
  // In the order records-csv.ts writes them; a column not listed above is read as text.
  const podColumns = `{${PODS_HEADER.map((c) => `${sqlString(c)}: ${sqlString(POD_TYPES[c] ?? 'VARCHAR')}`).join(', ')}}`;
  const pods = podCsvKeys(dir).map((key): [string, string, string] => {
    const csv = pathInside(dir, RECORDS_DIR, key, 'pods.csv');
    return [csv, `read_csv(${sqlString(csv)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${podColumns})`, pathInside(dir, RECORDS_DIR, key, PODS_PARQUET)];
  });
  const written: string[] = [];
  try {
    const copyAll = async (db: SqlRunner): Promise<void> => {
      for (const [, source, target] of sources) written.push(await copyToParquet(db, source, target));
      for (const [csv, source, target] of pods) {
        written.push(await copyToParquet(db, source, target));
        // Stored once: the Parquet file is the run's pod records from here on.
        rmSync(csv, { force: true });
      }
    };
    if (on !== undefined) await copyAll(on);
    else await withDuckDb(copyAll);
  } finally {
    rmSync(groupsSource, { force: true });
  }
  return written;
}

async function copyToParquet(db: SqlRunner, source: string, target: string): Promise<string> {
  const tmp = `${target}.tmp-${process.pid}`;
  await db.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(tmp)} (${PARQUET_FORMAT})`);
  renameSync(tmp, target);
  return target;
}
