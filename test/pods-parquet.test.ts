/**
 * Pod records written straight to pods.parquet from their typed arrays hold
 * what the CSV route holds (pods.csv as records-csv.ts writes it, converted
 * by DuckDB's CSV reader): the same columns, types and values, row for row,
 * so a query answers the same whichever route wrote the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeChunksAtomic } from '../src/core/atomic-file.js';
import type { PodRecord } from '../src/metrics/run-record.js';
import { POD_OUTCOMES } from '../src/metrics/run-record.js';
import { podsCsvChunks } from '../src/report/records-csv.js';
import type { RunIdentity } from '../src/report/records-csv.js';
import { sqlString, withDuckDb } from '../src/runner/duckdb.js';
import { writeParquet } from '../src/runner/parquet.js';
import { csvText, writePodsParquet } from '../src/runner/pods-parquet.js';
import { tempDir } from './support/cli.js';
import { runs } from './support/property-runs.js';

const KEY = '0123456789abcdef';

/** The file's schema and rows, in file order. */
async function contents(file: string): Promise<{ schema: unknown[][]; rows: unknown[][] }> {
  return withDuckDb(async (db) => {
    const schema = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)).getRows().map((r) => r.slice(0, 2));
    const rows = (await db.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`)).getRows();
    return { schema, rows };
  });
}

/** pods.parquet both ways: through pods.csv and writeParquet, and straight. */
async function bothRoutes(run: RunIdentity, pods: PodRecord): Promise<{ viaCsv: string; direct: string }> {
  const dir = tempDir();
  writeChunksAtomic(join(dir, 'records', KEY, 'pods.csv'), podsCsvChunks(run, { endUs: 0, resources: [], pods })!);
  await writeParquet(dir, []);
  const direct = join(dir, 'direct.parquet');
  await writePodsParquet(direct, run, pods);
  return { viaCsv: join(dir, 'records', KEY, 'pods.parquet'), direct };
}

/** Text that names owners, tenants and nodes: separators, quotes, formula starts, empty, other scripts. */
const text = fc.oneof(
  fc.constantFrom('', 'pods', 'a,b', 'say "hi"', '=SUM(A1)', '-x', '+1', '@me', '\tt', 'line\nbreak', ' spaced ', 'Ｏｎｅ', '＝x', 'ünïcødé', "it's"),
  fc.string({ unit: fc.constantFrom('a', 'z', '-', '=', ',', '"', ' ', '0', 'é'), maxLength: 8 }),
);

/** Microseconds, or −1 for "never". */
const time = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 ** 44 }), fc.integer({ min: 0, max: 10_000_000 }));

const podRecord: fc.Arbitrary<PodRecord> = fc
  .record({
    owners: fc.array(fc.record({ name: text, kind: fc.constantFrom('stream', 'job', '-x'), tenant: text, priority: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }) }), { minLength: 1, maxLength: 5 }),
    nodeNames: fc.array(text, { minLength: 1, maxLength: 6 }),
    rows: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), time, time, time, fc.nat(), fc.nat(), fc.nat({ max: POD_OUTCOMES.length - 1 }), fc.boolean()), { maxLength: 40 }),
  })
  .map(({ owners, nodeNames, rows }) => {
    const n = rows.length;
    const pods = {
      count: n,
      id: new Float64Array(n),
      arrival: new Float64Array(n),
      bind: new Float64Array(n),
      start: new Float64Array(n),
      end: new Float64Array(n),
      node: new Int32Array(n),
      owner: new Int32Array(n),
      outcome: new Uint8Array(n),
      owners,
      nodeNames,
    };
    rows.forEach(([arrival, bind, start, end, node, owner, outcome, bound], i) => {
      pods.id[i] = i * 3;
      pods.arrival[i] = arrival;
      pods.bind[i] = bind < 0 ? -1 : arrival + bind;
      pods.start[i] = start;
      pods.end[i] = end;
      pods.node[i] = bound ? node % nodeNames.length : -1;
      pods.owner[i] = owner % owners.length;
      pods.outcome[i] = outcome;
    });
    return pods;
  });

const identity = fc.record({ scenario: text, scheduler: fc.constantFrom('first-fit', '-odd', '=f'), queue: fc.constantFrom('priority', 'fifo'), seed: fc.nat({ max: 2 ** 31 }) });

describe('pods.parquet written from the records', () => {
  it('holds the columns, types and rows of pods.csv converted by DuckDB', async () => {
    await fc.assert(
      fc.asyncProperty(identity, podRecord, async (run, pods) => {
        const { viaCsv, direct } = await bothRoutes(run, pods);
        expect(await contents(direct)).toEqual(await contents(viaCsv));
      }),
      { numRuns: runs(15) },
    );
  });

  it('across several data chunks, with unbound pods and empty times as NULL', async () => {
    const n = 5000;
    const pods: PodRecord = {
      count: n,
      id: Float64Array.from({ length: n }, (_, i) => i),
      arrival: Float64Array.from({ length: n }, (_, i) => i * 15_384 + 7),
      bind: Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i * 15_384 + 1_007)),
      start: Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i * 15_384 + 2_007)),
      end: Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : i * 15_384 + 300_000_123)),
      node: Int32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -1 : i % 3)),
      owner: Int32Array.from({ length: n }, (_, i) => i % 2),
      outcome: Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 2 : 0)),
      owners: [
        { name: 'web', kind: 'stream', tenant: 'a', priority: 0 },
        { name: 'batch', kind: 'job', tenant: 'b', priority: 100 },
      ],
      nodeNames: ['n0', 'n1', 'n2'],
    };
    const run = { scenario: 's', scheduler: 'first-fit', queue: 'priority', seed: 1 };
    const { viaCsv, direct } = await bothRoutes(run, pods);
    const got = await contents(direct);
    expect(got).toEqual(await contents(viaCsv));
    expect(got.rows).toHaveLength(n);
    // Row 7: never bound (NULL node, bind, start and delay); its end time is recorded.
    expect(got.rows[7]).toEqual(['s', 'first-fit', 'priority', 1n, 7n, 'batch', 'job', 'b', 100n, null, 0.107695, null, null, 300.107811, null, 'never-fit']);
    // Row 4097, in the third data chunk: bound to n2, delay 1 ms.
    expect(got.rows[4097]).toEqual(['s', 'first-fit', 'priority', 1n, 4097n, 'batch', 'job', 'b', 100n, 'n2', 63.028255, 63.029255, 63.030255, 363.028371, 0.001, 'completed']);
  });

  it('comes out byte for byte the same each time', async () => {
    const pods = fc.sample(podRecord, { numRuns: 1, seed: 7 })[0]!;
    const run = { scenario: 's', scheduler: 'first-fit', queue: 'priority', seed: 1 };
    const dir = tempDir();
    await writePodsParquet(join(dir, 'a.parquet'), run, pods);
    await writePodsParquet(join(dir, 'b.parquet'), run, pods);
    expect(readFileSync(join(dir, 'a.parquet')).equals(readFileSync(join(dir, 'b.parquet')))).toBe(true);
  });

  it('names the file it cannot write, and leaves nothing under its name', async () => {
    const pods = fc.sample(podRecord, { numRuns: 1, seed: 3 })[0]!;
    const target = join(tempDir(), 'missing', 'pods.parquet');
    await expect(writePodsParquet(target, { scenario: 's', scheduler: 'f', queue: 'q', seed: 1 }, pods)).rejects.toThrow(`${target}: cannot write the pod records as Parquet`);
    expect(existsSync(target)).toBe(false);
  });
});

describe('csvText', () => {
  it('reads a cell back as csv-stringify with escape_formulas writes it', () => {
    expect(['', 'a', '=1', '+1', '-1', '@a', '\tx', '\rx', '＝', '＋', '－', '＠', "'x", ' =x'].map(csvText)).toEqual([
      null,
      'a',
      "'=1",
      "'+1",
      "'-1",
      "'@a",
      "'\tx",
      "'\rx",
      "'＝",
      "'＋",
      "'－",
      "'＠",
      "'x",
      ' =x',
    ]);
  });
});
