/**
 * What a failed gate prints: one row per scenario × metric (how many runs
 * changed and the largest change), largest changes first, so a small change
 * to one input that moves thousands of numbers reads as a few lines; and the
 * full table, for a file, when it is too long to print.
 */
import { round6 } from './format.js';
import type { GateFinding, GateReport } from './gate.js';
import { gateMarkdown } from './gate.js';

export interface RollupRow {
  readonly scenario: string;
  readonly metric: string;
  /** Findings for this scenario and metric (runs, or groups across seeds). */
  readonly changed: number;
  /** The finding with the largest change. */
  readonly largest: GateFinding;
}

/** How large a change is, for ordering: a missing or new run or metric first, then |relative change|, then |change|. */
function size(f: GateFinding): [number, number, number] {
  if (f.baseline === null || f.current === null) return [1, 0, 0];
  const diff = Math.abs(f.current - f.baseline);
  return [0, f.baseline === 0 ? (diff === 0 ? 0 : Infinity) : diff / Math.abs(f.baseline), diff];
}

/** Negative when `a` is the larger change (it sorts first). */
function larger(a: GateFinding, b: GateFinding): number {
  const [x, y] = [size(a), size(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]! ? -1 : 1;
  return 0;
}

/** The findings rolled up per scenario × metric, largest change first (ties by scenario and metric name). */
export function rollUp(report: GateReport): RollupRow[] {
  const rows = new Map<string, { scenario: string; metric: string; changed: number; largest: GateFinding }>();
  for (const f of report.findings) {
    const key = `${f.scenario}\u0000${f.metric}`;
    const row = rows.get(key);
    if (row === undefined) rows.set(key, { scenario: f.scenario, metric: f.metric, changed: 1, largest: f });
    else {
      row.changed++;
      if (larger(f, row.largest) < 0) row.largest = f;
    }
  }
  const name = (a: RollupRow, b: RollupRow): number => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0);
  return [...rows.values()].sort((a, b) => larger(a.largest, b.largest) || name(a, b));
}

function change(f: GateFinding): string {
  if (f.baseline === null || f.current === null) return f.note;
  const diff = f.current - f.baseline;
  const rel = f.baseline !== 0 ? ` (${diff > 0 ? '+' : ''}${((100 * diff) / Math.abs(f.baseline)).toFixed(2)} %)` : '';
  return `${diff > 0 ? '+' : ''}${round6(diff)}${rel}`;
}

export interface GateSummaryOptions {
  /** How the runs were compared, for the heading: `exact`, or `across seeds at α = 0.05`. */
  readonly mode: string;
  /** Where the full table was written, when it is not printed in full. */
  readonly details?: string | undefined;
  /** Findings up to this many are printed in full (default 20); roll-up rows too. */
  readonly maxRows?: number | undefined;
}

const esc = (s: string): string => s.replace(/\|/g, '\\|');
const cell = (x: number | null): string => (x === null ? '—' : String(x));

/** Whether the full table is short enough to print (else it goes to a file). */
export function printsInFull(report: GateReport, maxRows = 20): boolean {
  return report.findings.length <= maxRows;
}

/** The gate's outcome as markdown for a terminal, a CI log or $GITHUB_STEP_SUMMARY: the roll-up, then the full table when short. */
export function gateSummaryMarkdown(report: GateReport, options: GateSummaryOptions): string {
  const max = options.maxRows ?? 20;
  if (report.passed) return `**rackbench gate: passed** — ${report.compared} runs match the baseline (${options.mode}).\n`;
  const rows = rollUp(report);
  const shown = rows.slice(0, max);
  const lines = [
    `**rackbench gate: failed** — ${report.findings.length} difference(s) from the baseline in ${report.compared} runs (${options.mode}), in ${rows.length} scenario × metric pair(s); largest first:`,
    '',
    '| scenario | metric | changed | largest change | in | baseline | current |',
    '| --- | --- | ---: | --- | --- | ---: | ---: |',
    ...shown.map((r) => `| ${esc(r.scenario)} | ${esc(r.metric)} | ${r.changed} | ${esc(change(r.largest))} | ${esc(r.largest.run)} | ${cell(r.largest.baseline)} | ${cell(r.largest.current)} |`),
  ];
  if (rows.length > shown.length) lines.push('', `… and ${rows.length - shown.length} more scenario × metric pair(s).`);
  if (printsInFull(report, max)) {
    lines.push('', gateMarkdown(report).split('\n').slice(2).join('\n').trimEnd());
  } else if (options.details !== undefined) {
    lines.push('', `The full table (${report.findings.length} rows) is in ${options.details}.`);
  }
  return `${lines.join('\n')}\n`;
}
