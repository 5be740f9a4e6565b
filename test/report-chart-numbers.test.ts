/**
 * Every number a report chart draws, recomputed from the raw result files
 * alone (runs.csv, sketches.json, timeseries.csv read here with csv-parse and
 * JSON.parse, not through the report's own readers): the per-seed values and
 * their means, the Pareto points and frontier, the delay distributions' pod
 * counts, the sweep curves, and the events on the timelines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../src/report/chart.js';
import { reportCharts } from '../src/report/charts.js';
import type { ReportModel } from '../src/report/report-model.js';
import { loadReport } from '../src/runner/report.js';
import { runMain } from './support/in-process.js';
import { fileTempDir, ROOT } from './support/report-fixtures.js';
import { writeRunSet } from './support/results.js';

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];
const SHARES = new Set(['alloc_cpu_mean', 'alloc_memory_mean', 'packing_efficiency_peak', 'fragmentation_cpu', 'stranded_cpu', 'stranded_memory']);
const shown = (metric: string, v: number): number => (SHARES.has(metric) ? v * 100 : v);

/** The values of a metric per seed of a group, straight from runs.csv. */
function rawValues(rows: readonly Row[], scenario: string, scheduler: string, metric: string): number[] {
  return rows.filter((r) => r.scenario === scenario && r.scheduler === scheduler && (r[metric] ?? '') !== '').map((r) => Number(r[metric]));
}
const avg = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The data rows of a chart: a spec's inline values, or those of its panels. */
function chartValues(c: Chart): Record<string, unknown>[] {
  const spec = c.spec as { data?: { values?: Record<string, unknown>[] }; concat?: { data?: { values?: Record<string, unknown>[] }; title?: { text?: string } }[] };
  return spec.data?.values ?? [];
}

describe('chart numbers against the raw files', () => {
  let run = '';
  let sweep = '';
  let model: ReportModel;
  let sweepModel: ReportModel;

  beforeAll(async () => {
    run = fileTempDir();
    writeRunSet(run, [join(ROOT, 'test', 'fixtures', 'reports', 'office.yaml')], { schedulers: ['best-fit', 'worst-fit', 'kube-default'], seeds: [1, 2, 3], record: ['timeseries'] });
    model = loadReport(run);
    sweep = fileTempDir();
    const r = await runMain('sweep', join(ROOT, 'test', 'fixtures', 'reports', 'office-sweep.yaml'), '--out', sweep, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    sweepModel = loadReport(sweep);
  }, 240_000);

  it('per-seed panels: each seed as runs.csv holds it, and the mean of those', () => {
    const rows = csv(join(run, 'runs.csv'));
    const chart = reportCharts(model).find((c) => c.kind === 'per-seed')!;
    const panels = (chart.spec as { concat: { title: { text: string }; data: { values: Record<string, unknown>[] } }[] }).concat;
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) {
      const metric = panel.title.text.split(' ')[0]!;
      for (const policy of ['best-fit', 'worst-fit', 'kube-default']) {
        const raw = rawValues(rows, 'office', policy, metric);
        const seeds = panel.data.values.filter((v) => v.policy === policy && v.kind === 'seed').map((v) => v.value as number);
        expect(seeds.sort((a, b) => a - b)).toEqual(raw.map((v) => shown(metric, v)).sort((a, b) => a - b));
        const mean = panel.data.values.find((v) => v.policy === policy && v.kind === 'mean')!;
        expect(mean.value as number).toBeCloseTo(shown(metric, avg(raw)), 4);
        // The interval lies within the seeds' values (percentile bootstrap).
        expect(mean.lo as number).toBeGreaterThanOrEqual(Math.min(...seeds) - 1e-6);
        expect(mean.hi as number).toBeLessThanOrEqual(Math.max(...seeds) + 1e-6);
      }
    }
  });

  it('Pareto: means of active_nodes_mean and delay_p99_s, and the frontier by brute force', () => {
    const rows = csv(join(run, 'runs.csv'));
    const chart = reportCharts(model).find((c) => c.kind === 'pareto')!;
    const means = chartValues(chart).filter((v) => v.kind === 'mean');
    expect(means).toHaveLength(3);
    const raw = means.map((m) => ({ policy: m.policy as string, x: avg(rawValues(rows, 'office', m.policy as string, 'delay_p99_s')), y: avg(rawValues(rows, 'office', m.policy as string, 'active_nodes_mean')) }));
    for (const m of means) {
      const r = raw.find((x) => x.policy === m.policy)!;
      expect(m.delay as number).toBeCloseTo(r.x, 4);
      expect(m.nodes as number).toBeCloseTo(r.y, 4);
      const dominated = raw.some((o) => o.x <= r.x && o.y <= r.y && (o.x < r.x || o.y < r.y));
      expect(m.frontier).toBe(dominated ? 'dominated' : 'on the frontier');
    }
  });

  it('delay distributions: per policy, as many pods as sketches.json counts and runs.csv scheduled, up to 100 %', () => {
    const rows = csv(join(run, 'runs.csv'));
    const sketches = JSON.parse(readFileSync(join(run, 'sketches.json'), 'utf8')) as { runs: { scheduler: string; delay_s: { count: number } }[] };
    const chart = reportCharts(model).find((c) => c.kind === 'delay-ecdf')!;
    const values = chartValues(chart);
    for (const policy of ['best-fit', 'worst-fit', 'kube-default']) {
      const mine = values.filter((v) => v.policy === policy);
      const counted = sketches.runs.filter((r) => r.scheduler === policy).reduce((a, r) => a + r.delay_s.count, 0);
      expect(mine[0]!.pods).toBe(counted);
      // Every bind is one pod bound (no pod here is bound twice).
      expect(counted).toBe(rawValues(rows, 'office', policy, 'pods_scheduled').reduce((a, b) => a + b, 0));
      expect(mine.at(-1)!.share).toBe(1);
      const shares = mine.map((v) => v.share as number);
      expect(shares).toEqual([...shares].sort((a, b) => a - b));
    }
  });

  it('timelines: the node failures marked add up to those timeseries.csv counts', () => {
    const series = csv(join(run, 'timeseries.csv'));
    const chart = reportCharts(model).find((c) => c.kind === 'timeline-active_nodes')!;
    const marked = chartValues(chart).filter((v) => v.event === 'node failure').reduce((a, v) => a + (v.count as number), 0);
    const counted = series.reduce((a, r) => a + Number(r.node_failures ?? 0), 0);
    expect(counted).toBeGreaterThan(0);
    expect(marked).toBe(counted);
  });

  it('sweep curves: each point the mean across seeds of runs.csv', () => {
    const rows = csv(join(sweep, 'runs.csv'));
    const curve = reportCharts(sweepModel).find((c) => c.kind === 'sweep-curve' && c.title.startsWith('delay_p99_s '))!;
    const means = chartValues(curve).filter((v) => v.kind === 'mean');
    expect(means.length).toBe(18);
    for (const m of means) {
      const scenario = rows.find((r) => (r.scenario ?? '').includes(`rate=${m.value_label as string}`) && (r.scenario ?? '').includes((m.panel as string).replace(/^.*count=/, 'count=')))!.scenario!;
      expect(m.mean as number).toBeCloseTo(avg(rawValues(rows, scenario, m.policy as string, 'delay_p99_s')), 4);
    }
  });
});
