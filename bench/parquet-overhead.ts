/**
 * What writing Parquet adds to a run with `--record pods`: the median, over
 * fresh processes, of the Parquet phase ÷ the run with its CSV tables
 * (parquet-one.ts). A whole-process figure, so it includes loading DuckDB.
 *
 *   npm run build && node dist/bench/parquet-overhead.js [repeats] [scenario] [scheduler]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantileSorted } from '../src/core/stats.js';
import { packageRoot } from '../src/runner/defaults.js';

const repeats = Number(process.argv[2] ?? 5);
const scenario = process.argv[3] ?? 'scenarios/scale/first-fit-1k.yaml';
const scheduler = process.argv[4] ?? 'first-fit';
const runner = fileURLToPath(new URL('./parquet-one.js', import.meta.url));
const median = (xs: number[]): number => quantileSorted([...xs].sort((a, b) => a - b), 0.5);

const samples: { ranMs: number; parquetMs: number }[] = [];
for (let i = 0; i < repeats; i++) {
  const out = mkdtempSync(join(tmpdir(), 'rackbench-parquet-'));
  try {
    samples.push(JSON.parse(execFileSync(process.execPath, [runner, join(packageRoot(), scenario), scheduler, out], { encoding: 'utf8' })) as { ranMs: number; parquetMs: number });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
const ratios = samples.map((s) => s.parquetMs / s.ranMs);
console.log(
  JSON.stringify({
    scenario,
    scheduler,
    repeats,
    run_ms_median: Math.round(median(samples.map((s) => s.ranMs))),
    parquet_ms_median: Math.round(median(samples.map((s) => s.parquetMs))),
    overhead_median: Number(median(ratios).toFixed(4)),
    overhead_each: ratios.map((r) => Number(r.toFixed(4))),
  }),
);
