/**
 * The benchmark harness: tinybench for micro benchmarks, repeated whole runs
 * for simulations, one table and one JSON file for all of them.
 */
import { cpus, totalmem } from 'node:os';
import { Bench } from 'tinybench';

export interface BenchFigure {
  readonly group: 'frequent' | 'targeted' | 'whole' | 'queues' | 'sweep' | 'trace' | 'peer' | 'statistics';
  readonly name: string;
  /** Median wall time of one iteration, ms. */
  readonly medianMs: number;
  /** Operations per second at the median (ops per iteration ÷ median time). */
  readonly opsPerSecond: number;
  /** What one operation is. */
  readonly unit: string;
  readonly samples: number;
  /** Extra figures (peak RSS, events/s…). */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface MicroTask {
  readonly name: string;
  readonly unit: string;
  /** Operations one call performs. */
  readonly opsPerCall: number;
  readonly fn: () => void;
}

/** Runs micro benchmarks with tinybench and returns their medians. */
export async function runMicro(group: BenchFigure['group'], tasks: readonly MicroTask[], timeMs: number): Promise<BenchFigure[]> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs / 2) });
  for (const t of tasks) bench.add(t.name, t.fn);
  await bench.run();
  return bench.tasks.map((task, i) => {
    const spec = tasks[i]!;
    const r = task.result;
    if (r.state !== 'completed') {
      throw new Error(`benchmark ${spec.name} did not complete: ${r.state === 'errored' ? r.error.message : r.state}`);
    }
    const medianMs = r.latency.p50;
    return {
      group,
      name: spec.name,
      medianMs,
      opsPerSecond: (spec.opsPerCall * 1000) / medianMs,
      unit: spec.unit,
      samples: r.latency.samplesCount,
    };
  });
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const si = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1);

export function table(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.group,
    f.name,
    f.medianMs < 1 ? `${(f.medianMs * 1000).toFixed(2)} µs` : `${f.medianMs.toFixed(1)} ms`,
    `${si(f.opsPerSecond)} ${f.unit}/s`,
    Object.entries(f.extra ?? {})
      // Ratios below 1 keep three significant digits (0.035, not 0.0).
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Math.abs(v) < 1 ? v.toPrecision(3) : v.toFixed(1)}`)
      .join(' '),
  ]);
  const header = ['group', 'benchmark', 'median', 'throughput', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
