/**
 * `rackbench report` and `rackbench compare`: read a results directory, build
 * the report model, and write report.html, report.md, groups.csv and (for a
 * complete set) summary.json with the comparisons.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { UsageError } from '../core/errors.js';
import type { Chart } from '../report/chart.js';
import { reportCharts } from '../report/charts.js';
import { schedulersOf } from '../report/compare.js';
import { groupsCsv } from '../report/groups-csv.js';
import { htmlReport } from '../report/html.js';
import type { RenderedChart } from '../report/html.js';
import { markdownReport } from '../report/markdown.js';
import { compileChart, renderSvg } from '../report/render-svg.js';
import type { ReportModel } from '../report/report-model.js';
import { buildReport } from '../report/report-model.js';
import { formatSummary } from '../report/summary.js';
import { readPlatformRows, readRecordRows, readResultsDir, readSketches } from './read-results.js';
import { vegaRuntime } from './vega-assets.js';
import { MANIFEST, readManifest } from './result-store.js';

/** The policy reports compare with when none is named: the Kubernetes default scheduler, when it ran. */
export const DEFAULT_BASELINE = 'kube-default';

/**
 * The baseline to compare with: the one asked for (which must have run), else
 * kube-default when it ran, else none (or an error, when one is required).
 */
export function resolveBaseline(schedulers: readonly string[], requested: string | undefined, required: boolean): string | undefined {
  const list = schedulers.map((s) => JSON.stringify(s)).join(', ');
  if (requested !== undefined) {
    if (!schedulers.includes(requested)) throw new UsageError(`baseline ${JSON.stringify(requested)} is not among the schedulers of these results: ${list}`);
    return requested;
  }
  if (schedulers.includes(DEFAULT_BASELINE)) return DEFAULT_BASELINE;
  if (required) throw new UsageError(`name the policy to compare with: --baseline <scheduler>, one of ${list}`);
  return undefined;
}

export interface ReportOptions {
  readonly baseline?: string | undefined;
  readonly title?: string | undefined;
}

function loadModel(dir: string, options: ReportOptions, baselineRequired: boolean, withRecords: boolean): { model: ReportModel; complete: boolean } {
  const results = readResultsDir(dir);
  if (results.rows.length === 0) throw new UsageError(`${join(dir, 'runs.csv')} holds no runs`);
  const baseline = resolveBaseline(schedulersOf(results.rows), options.baseline, baselineRequired);
  const name = existsSync(join(dir, MANIFEST)) ? readManifest(dir).name : basename(resolve(dir));
  const model = buildReport({
    title: options.title ?? `rackbench: ${name}`,
    source: dir,
    rows: results.rows,
    baseline,
    failed: results.failed,
    records: withRecords ? readRecordRows(dir) : undefined,
    platformNodes: readPlatformRows(dir),
    sketches: withRecords ? readSketches(dir) : undefined,
  });
  return { model, complete: results.complete && results.failed === 0 };
}

export interface WrittenReport {
  readonly model: ReportModel;
  readonly files: readonly string[];
  readonly charts: number;
}

/** The report model of a results directory, with its records and sketches: what report.html is drawn from. */
export function loadReport(dir: string, options: ReportOptions = {}): ReportModel {
  return loadModel(dir, options, false, true).model;
}

/** Compiles every chart to a vega spec and renders it to SVG, one after another (vega views are cheap; a report has tens of charts). */
export async function renderCharts(model: ReportModel): Promise<RenderedChart[]> {
  return renderChartList(reportCharts(model));
}

export async function renderChartList(charts: readonly Chart[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const [i, chart] of charts.entries()) {
    const vega = compileChart(chart.spec);
    out.push({ chart, vega, svg: await renderSvg(vega, `c${i + 1}`) });
  }
  return out;
}

export async function writeReport(dir: string, options: ReportOptions): Promise<WrittenReport> {
  const { model, complete } = loadModel(dir, options, false, true);
  const charts = await renderCharts(model);
  const files = [join(dir, 'report.html'), join(dir, 'report.md'), join(dir, 'groups.csv')];
  writeFileAtomic(files[0]!, htmlReport(model, charts, { runtime: vegaRuntime() }));
  writeFileAtomic(files[1]!, markdownReport(model));
  writeFileAtomic(files[2]!, groupsCsv(model.summary));
  // summary.json vouches for a complete set: refreshed (with the comparisons) only where it already does.
  if (complete) {
    const summary = join(dir, 'summary.json');
    writeFileAtomic(summary, formatSummary(model.summary));
    files.push(summary);
  }
  return { model, files, charts: charts.length };
}

/** The model `rackbench compare` prints; a baseline is required (kube-default when it ran). */
export function comparison(dir: string, options: ReportOptions & { readonly metrics?: readonly string[] | undefined }): ReportModel {
  const { model } = loadModel(dir, options, true, false);
  const known = new Set(model.summary.groups.flatMap((g) => Object.keys(g.metrics)));
  const unknown = (options.metrics ?? []).filter((m) => !known.has(m));
  if (unknown.length > 0) throw new UsageError(`no metric ${unknown.map((m) => JSON.stringify(m)).join(', ')} in these results; the columns are: ${[...known].join(', ')}`);
  return model;
}
