/**
 * Combining the results directories of a sweep's shards into one, as if the
 * sweep had run on one machine: the tables come out byte-identical.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { pathInside, resolvesInside } from '../core/paths.js';
import type { StoredRun, SweepManifest } from './result-store.js';
import { RECORD_FILES, RECORDS_DIR } from './records.js';
import type { RunResult } from './run-protocol.js';
import { readManifest, readStoredRuns, removeTables, RUNS_NDJSON, writeManifest, writeTables } from './result-store.js';

export interface MergeReport {
  readonly sweep: string;
  readonly runs: number;
  readonly failed: readonly StoredRun[];
  /** The runs that succeeded. */
  readonly results: readonly RunResult[];
}

export interface MergeOptions {
  /** The number of shards the sweep was split into: anything else is refused. */
  readonly shards?: number | undefined;
  /** The sweep id (sweep.json's `sweep`) every shard must hold, e.g. the one `deploy sweep` rendered. */
  readonly sweep?: string | undefined;
}

export function mergeShards(dirs: readonly string[], out: string, options: MergeOptions = {}): MergeReport {
  if (dirs.length === 0) throw new UsageError('merge needs at least one shard directory');
  if (options.shards !== undefined && dirs.length !== options.shards) {
    throw new UsageError(`--shards ${options.shards}: expected ${options.shards} shard directories, got ${dirs.length}`);
  }
  const shards = dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
  const first = shards[0]!;
  for (const s of shards) {
    const problem = shardProblem(s.manifest, options);
    if (problem !== undefined) throw new UsageError(`${s.dir}: ${problem}`);
  }
  for (const s of shards) {
    if (s.manifest.sweep !== first.manifest.sweep || s.manifest.name !== first.manifest.name) {
      throw new UsageError(
        `${s.dir} holds sweep "${s.manifest.name}" (${s.manifest.sweep}) but ${first.dir} holds "${first.manifest.name}" (${first.manifest.sweep}): shards of different sweeps (or of an edited sweep file) cannot be merged`,
      );
    }
  }
  checkCoverage(shards);

  const merged = new Map<string, StoredRun>();
  const recordsFrom = new Map<string, string>();
  for (const s of shards) {
    // Read as they are: a merge leaves its input directories untouched.
    const stored = readStoredRuns(s.dir, { repair: false });
    const missing: string[] = [];
    for (const run of s.manifest.runs) {
      const r = stored.get(run.key);
      if (r === undefined) missing.push(run.label);
      else merged.set(run.key, r);
      // Keys are checked (readManifest); a records directory must also not lead out of its shard.
      const records = join(s.dir, RECORDS_DIR, run.key);
      if (!existsSync(records)) continue;
      if (!resolvesInside(s.dir, records)) throw new UsageError(`${records}: leads outside the shard directory ${s.dir} (a symbolic link); refusing to read it`);
      recordsFrom.set(run.key, records);
    }
    if (missing.length > 0) {
      throw new UsageError(
        `${s.dir}: ${missing.length} of ${s.manifest.runs.length} runs have not finished (first: ${missing[0]}); re-run that shard to complete it, then merge`,
      );
    }
  }
  if (merged.size !== first.manifest.total) {
    throw new UsageError(`the shards hold ${merged.size} distinct runs but the sweep has ${first.manifest.total}`);
  }
  const keys = [...merged.keys()].sort();
  const runs = keys.map((k) => merged.get(k)!);
  removeTables(out);
  const manifest = {
    format: 'rackbench-sweep/1',
    name: first.manifest.name,
    sweep: first.manifest.sweep,
    shard: null,
    total: first.manifest.total,
    runs: runs.map((r) => ({ key: r.key, label: r.label })),
  } as const;
  writeManifest(out, { ...manifest, complete: false });
  writeFileAtomic(pathInside(out, RUNS_NDJSON), runs.map((r) => `${JSON.stringify(r)}\n`).join(''));
  for (const [key, from] of recordsFrom) copyRecords(from, out, key);
  const { results, failed } = writeTables(out, runs);
  writeManifest(out, { ...manifest, complete: true });
  return { sweep: first.manifest.name, runs: runs.length, failed, results };
}

/**
 * Copies a run's record tables (only the files rackbench writes there, and
 * only regular files) from a shard into records/<key>/ of `out`.
 */
function copyRecords(from: string, out: string, key: string): void {
  for (const name of RECORD_FILES) {
    const source = join(from, name);
    if (!existsSync(source)) continue;
    if (!lstatSync(source).isFile()) throw new UsageError(`${source}: not a regular file (a symbolic link or a directory); refusing to read it`);
    mkdirSync(pathInside(out, RECORDS_DIR, key), { recursive: true });
    const target = pathInside(out, RECORDS_DIR, key, name);
    if (resolve(target) === resolve(source)) continue;
    copyFileSync(source, target);
  }
}

/**
 * Why a directory's manifest cannot be merged as one shard of the expected
 * split (undefined when it can, as far as its manifest tells): not finished,
 * another sweep, another shard count.
 */
export function shardProblem(manifest: SweepManifest, options: MergeOptions): string | undefined {
  const which = manifest.shard === null ? 'the whole sweep' : `shard ${manifest.shard.index}/${manifest.shard.count}`;
  if (options.sweep !== undefined && manifest.sweep !== options.sweep) {
    return `holds sweep "${manifest.name}" with id ${manifest.sweep}, not the expected ${options.sweep} (another sweep file, an edited scenario, or another rackbench version)`;
  }
  if (options.shards !== undefined && manifest.shard?.count !== options.shards) {
    return `holds ${which}, not a shard of a split into ${options.shards}`;
  }
  if (manifest.complete === false) return `${which} of sweep "${manifest.name}" has not finished (sweep.json says complete: false); run or resume it to the end, then merge`;
  return undefined;
}

/** Either one unsharded directory, or every shard 1..n of one split, each once. */
function checkCoverage(shards: readonly { dir: string; manifest: SweepManifest }[]): void {
  const whole = shards.filter((s) => s.manifest.shard === null);
  if (whole.length > 0 && shards.length > 1) {
    throw new UsageError(`${whole[0]!.dir} holds the whole sweep, not a shard: merge shards of one split only`);
  }
  if (whole.length > 0) return;
  const count = shards[0]!.manifest.shard!.count;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const shard = s.manifest.shard!;
    if (shard.count !== count) throw new UsageError(`${s.dir} is shard ${shard.index}/${shard.count}, but ${shards[0]!.dir} is of a split into ${count}`);
    const other = seen.get(shard.index);
    if (other !== undefined) throw new UsageError(`${other} and ${s.dir} are both shard ${shard.index}/${count}`);
    seen.set(shard.index, s.dir);
  }
  const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (absent.length > 0) throw new UsageError(`missing shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')}`);
}
