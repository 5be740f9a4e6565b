/**
 * DuckDB on a thread of its own, for the Parquet files a run writes at its
 * end (runs, groups). Loading DuckDB's native library costs about 0.3 s of
 * CPU; a lone run simulates on the calling thread, which then has no idle
 * moment for it, so the load waits until the simulation is done. Started as
 * the run starts, this thread loads DuckDB on the other core meanwhile, and
 * the run's end only sends it SQL.
 *
 * The thread runs plain SQL statements (COPY … TO '….parquet') on one
 * in-memory database with one DuckDB thread, as the calling thread would:
 * the files are the same bytes either way.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What a statement's writer needs of a DuckDB connection. */
export interface SqlRunner {
  run(sql: string): Promise<unknown>;
}

type Reply = { readonly id: number; readonly error?: string };

// The thread's code: CommonJS, given the resolved path of @duckdb/node-api, so it needs no file of its own
// (and none in the CLI bundle). It answers each statement by its id, in order.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = (async () => {
  const { DuckDBInstance } = require(workerData.duckdb);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  return { instance, connection: await instance.connect() };
})();
ready.catch(() => {});
let queue = Promise.resolve();
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    try {
      const db = await ready;
      if (m.sql === undefined) { db.connection.closeSync(); db.instance.closeSync(); parentPort.postMessage({ id: m.id }); return; }
      await db.connection.run(m.sql);
      parentPort.postMessage({ id: m.id });
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
`;

export class DuckDbThread implements SqlRunner {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor() {
    const duckdb = createRequire(import.meta.url).resolve('@duckdb/node-api');
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { duckdb } });
    // Never what keeps the process alive: a run that ends without writing Parquet just exits.
    this.worker.unref();
    this.worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.error === undefined) p?.resolve();
      else p?.reject(new Error(r.error));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error('the DuckDB thread stopped')));
  }

  /** Starts the thread; undefined where one cannot be started (then the caller uses DuckDB in-process). */
  static start(): DuckDbThread | undefined {
    try {
      return new DuckDbThread();
    } catch {
      return undefined;
    }
  }

  run(sql: string): Promise<void> {
    return this.send(sql);
  }

  /** Closes the database and ends the thread. */
  async close(): Promise<void> {
    try {
      if (this.failure === undefined) await this.send(undefined);
    } finally {
      await this.worker.terminate();
    }
  }

  private send(sql: string | undefined): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Waiting for an answer keeps the process alive; an idle thread does not.
      this.worker.ref();
      this.worker.postMessage({ id, sql });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
