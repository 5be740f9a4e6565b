/**
 * What writing Parquet adds to a whole `rackbench run … --record pods`:
 * fresh processes with and without the Parquet files (parquet-one.ts),
 * alternated so both see the same machine load; the overhead is the ratio of
 * the medians, less 1. Also the median peak resident memory of each.
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
const median = (xs: readonly number[]): number => quantileSorted([...xs].sort((a, b) => a - b), 0.5);

interface Once {
  readonly wallMs: number;
  readonly maxRssMb: number;
}

function once(mode: 'on' | 'off'): Once {
  const out = mkdtempSync(join(tmpdir(), 'rackbench-parquet-'));
  try {
    const line = execFileSync(process.execPath, [runner, join(packageRoot(), scenario), scheduler, out, mode], { encoding: 'utf8' });
    return JSON.parse(line) as Once;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const off: Once[] = [];
const on: Once[] = [];
for (let i = 0; i < repeats; i++) {
  off.push(once('off'));
  on.push(once('on'));
}
const wall = (xs: readonly Once[]): number => median(xs.map((x) => x.wallMs));
const rss = (xs: readonly Once[]): number => Math.round(median(xs.map((x) => x.maxRssMb)));
console.log(
  JSON.stringify({
    scenario,
    scheduler,
    repeats,
    without_parquet_ms_median: Math.round(wall(off)),
    with_parquet_ms_median: Math.round(wall(on)),
    overhead: Number((wall(on) / wall(off) - 1).toFixed(4)),
    without_ms: off.map((x) => Math.round(x.wallMs)),
    with_ms: on.map((x) => Math.round(x.wallMs)),
    without_peak_rss_mb_median: rss(off),
    with_peak_rss_mb_median: rss(on),
  }),
);
