/**
 * The report's statistics, from the libraries it uses, on a realistic
 * results set: 8 policies × 10 seeds of one scenario (80 runs), every
 * runs.csv metric, and per run a DDSketch of 5,000 scheduling delays and of
 * as many start-up latencies. Each library call alone (the seeded bootstrap
 * on simple-statistics and seedrandom, the Wilcoxon signed-rank test and
 * Holm's correction from @stdlib, Student's t from @stdlib, a DDSketch merge
 * and quantile), then all the statistics of one report (summary, paired
 * ratios, verdict, tables and chart data, without drawing), and the drawing
 * of those charts for scale: whether the libraries are too slow is read
 * against what a report costs anyway.
 */
import { bootstrapMeanInterval, holm, signedRank } from '../src/core/inference.js';
import { mergeSketches, newSketch, sketchData, sketchEcdf, sketchQuantile } from '../src/core/quantile-sketch.js';
import type { SketchData } from '../src/core/quantile-sketch.js';
import { rngFor } from '../src/core/random.js';
import { studentTCdf, studentTQuantile } from '../src/core/stats.js';
import { metricColumns } from '../src/metrics/columns.js';
import { reportCharts } from '../src/report/charts.js';
import { markdownReport } from '../src/report/markdown.js';
import { buildReport } from '../src/report/report-model.js';
import type { ReportModel } from '../src/report/report-model.js';
import type { RunRow } from '../src/report/runs-csv.js';
import type { SketchEntry } from '../src/report/sketches-json.js';
import { renderCharts } from '../src/runner/report.js';
import type { BenchFigure, MicroTask } from './harness.js';

const POLICIES = ['best-fit', 'first-fit', 'kube-default', 'l2-norm', 'random', 'spread', 'tetris', 'worst-fit'];
const SEEDS = 10;
const PODS = 5000;
const RESOURCES = ['cpu', 'memory', 'nvme', 'nic', 'pods'];

/** A lognormal draw (median m, shape s) from a uniform stream, by Box–Muller. */
function lognormal(next: () => number, m: number, s: number): number {
  const u = Math.max(next(), 1e-12);
  const v = next();
  return m * Math.exp(s * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** A sketch of `n` delays: a fifth bound at once (0), the rest lognormal around `median` seconds. */
function delaySketch(next: () => number, n: number, median: number): SketchData {
  const s = newSketch();
  for (let i = 0; i < n; i++) s.accept(next() < 0.2 ? 0 : lognormal(next, median, 1.5));
  return sketchData(s);
}

/** 8 policies × 10 seeds of one scenario: every metric column, values that differ by policy and seed. */
export function syntheticResults(): { rows: RunRow[]; sketches: SketchEntry[] } {
  const rng = rngFor(1, 'bench/statistics');
  const next = (): number => rng.next();
  const columns = metricColumns(RESOURCES);
  const rows: RunRow[] = [];
  const sketches: SketchEntry[] = [];
  POLICIES.forEach((scheduler, p) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const metrics: Record<string, number> = {};
      for (const c of columns) metrics[c] = Number(((1 + p / 10) * (0.5 + next())).toFixed(6));
      rows.push({ scenario: 'bench', scheduler, queue: 'kube', seed, resources: RESOURCES, metrics, timing: { wallMs: 1, events: 1 } });
      sketches.push({ scenario: 'bench', scheduler, queue: 'kube', seed, sketches: { delay_s: delaySketch(next, PODS, 0.5 + p / 4), startup_s: delaySketch(next, PODS, 2) } });
    }
  });
  return { rows, sketches };
}

function model(data: { rows: RunRow[]; sketches: SketchEntry[] }): ReportModel {
  return buildReport({ title: 'bench', source: 'bench', rows: data.rows, baseline: 'kube-default', failed: 0, sketches: data.sketches });
}

/** The library calls one at a time, and one report's statistics (a fresh model each call: the model caches its intervals). */
export function statisticsTasks(): MicroTask[] {
  const data = syntheticResults();
  const values = data.rows.filter((r) => r.scheduler === 'best-fit').map((r) => r.metrics.delay_p99_s!);
  const other = data.rows.filter((r) => r.scheduler === 'kube-default').map((r) => r.metrics.delay_p99_s!);
  const differences = values.map((v, i) => v - other[i]!);
  const pValues = [0.001, 0.04, 0.2, 0.03, 0.5, 0.01, 0.002];
  const tenSketches = data.sketches.filter((e) => e.scheduler === 'best-fit').map((e) => e.sketches.delay_s);
  const merged = mergeSketches(tenSketches);
  let seed = 0;
  return [
    { name: 'bootstrap interval of a mean, 10 seeds, 2,000 resamples (simple-statistics, seedrandom)', unit: 'interval', opsPerCall: 1, fn: () => void bootstrapMeanInterval(values, { seed: String(seed++) }) },
    { name: 'Wilcoxon signed-rank, 10 pairs, exact (@stdlib/stats-wilcoxon)', unit: 'test', opsPerCall: 1, fn: () => void signedRank(differences) },
    { name: 'Holm correction of 7 p-values (@stdlib/stats-padjust)', unit: 'correction', opsPerCall: 1, fn: () => void holm(pValues) },
    { name: "Student's t quantile, 9 df (@stdlib)", unit: 'quantile', opsPerCall: 1, fn: () => void studentTQuantile(0.975, 9) },
    { name: "Student's t cdf, 9 df (@stdlib)", unit: 'cdf', opsPerCall: 1, fn: () => void studentTCdf(2.1, 9) },
    { name: 'DDSketch merge of 10 runs × 5,000 delays (@datadog/sketches-js)', unit: 'merge', opsPerCall: 1, fn: () => void mergeSketches(tenSketches) },
    { name: 'DDSketch p99 of the merged sketch', unit: 'quantile', opsPerCall: 1, fn: () => void sketchQuantile(merged, 0.99) },
    { name: 'DDSketch ECDF of the merged sketch (the distribution chart)', unit: 'ecdf', opsPerCall: 1, fn: () => void sketchEcdf(merged) },
    {
      name: 'one report\'s statistics, 8 policies × 10 seeds: summary, ratios, verdict, tables, chart data',
      unit: 'report',
      opsPerCall: 1,
      fn: () => {
        const m = model(data);
        markdownReport(m);
        reportCharts(m);
      },
    },
  ];
}

/** Drawing that report's charts (vega-lite compile and SVG), the part of `rackbench report` beside the statistics. */
export async function chartDrawing(runs: number): Promise<BenchFigure> {
  const m = model(syntheticResults());
  const times: number[] = [];
  let charts = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    charts = (await renderCharts(m)).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return { group: 'statistics', name: `drawing that report's ${charts} charts (vega-lite compile, SVG)`, medianMs, opsPerSecond: 1000 / medianMs, unit: 'report', samples: runs };
}
