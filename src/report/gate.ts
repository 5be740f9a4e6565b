/**
 * The regression gate: compares runs with a committed baseline. Simulation
 * metrics are deterministic, so they must match exactly unless the baseline
 * declares a tolerance for the metric; wall-clock speed is compared as a
 * ratio, and only when asked (shared machines are noisy).
 */
import { z } from 'zod';
import { round6 } from './format.js';
import type { RunRow } from './runs-csv.js';
import { sortRows } from './runs-csv.js';

const tolerance = z.strictObject({
  /** Allowed |current − baseline|. */
  abs: z.number().nonnegative().optional(),
  /** Allowed |current − baseline| / |baseline|. */
  rel: z.number().nonnegative().optional(),
});

export const baselineSchema = z.strictObject({
  format: z.literal('rackbench-baseline/1'),
  /** Per metric column; metrics not listed must match exactly. */
  tolerances: z.record(z.string(), tolerance).default({}),
  /** Lowest acceptable current/baseline ratio of events per wall second, when speed is checked. */
  speedTolerance: z.number().positive().max(1).default(0.7),
  runs: z.array(
    z.strictObject({
      scenario: z.string(),
      scheduler: z.string(),
      queue: z.string(),
      seed: z.number().int(),
      metrics: z.record(z.string(), z.number()),
      eventsPerSecond: z.number().nonnegative().optional(),
    }),
  ),
});

export type Baseline = z.output<typeof baselineSchema>;

export interface GateFinding {
  /** The scenario of the run or group, for the roll-up. */
  readonly scenario: string;
  /** The run (`scenario/scheduler/queue/seed n`) or, across seeds, the group (`scenario/scheduler/queue`). */
  readonly run: string;
  readonly metric: string;
  readonly baseline: number | null;
  readonly current: number | null;
  readonly note: string;
}

export interface GateReport {
  readonly compared: number;
  readonly findings: readonly GateFinding[];
  readonly passed: boolean;
}

const keyOf = (r: Pick<RunRow, 'scenario' | 'scheduler' | 'queue' | 'seed'>): string => `${r.scenario}/${r.scheduler}/${r.queue}/seed ${r.seed}`;

const eventsPerSecond = (r: RunRow): number => (r.timing.wallMs > 0 ? r.timing.events / (r.timing.wallMs / 1000) : 0);

/** A baseline holding these runs, keeping the tolerances of `previous`. */
export function makeBaseline(rows: readonly RunRow[], previous?: Baseline): Baseline {
  return {
    format: 'rackbench-baseline/1',
    tolerances: previous?.tolerances ?? {},
    speedTolerance: previous?.speedTolerance ?? 0.7,
    runs: sortRows(rows).map((r) => ({
      scenario: r.scenario,
      scheduler: r.scheduler,
      queue: r.queue,
      seed: r.seed,
      metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, round6(v)])),
      eventsPerSecond: Math.round(eventsPerSecond(r)),
    })),
  };
}

function within(metric: string, base: number, current: number, baseline: Baseline): boolean {
  if (base === current) return true;
  const t = baseline.tolerances[metric];
  if (t === undefined) return false;
  const diff = Math.abs(current - base);
  return (t.abs !== undefined && diff <= t.abs) || (t.rel !== undefined && base !== 0 && diff / Math.abs(base) <= t.rel);
}

/** Compares runs with the baseline; every difference beyond tolerance, missing run or new run is a finding. */
export function compareWithBaseline(rows: readonly RunRow[], baseline: Baseline, checkSpeed: boolean): GateReport {
  const findings: GateFinding[] = [];
  const current = new Map(rows.map((r) => [keyOf(r), r]));
  const seen = new Set<string>();
  for (const b of baseline.runs) {
    const key = keyOf(b);
    seen.add(key);
    const r = current.get(key);
    if (r === undefined) {
      findings.push({ scenario: b.scenario, run: key, metric: '(run)', baseline: null, current: null, note: 'in the baseline but not run' });
      continue;
    }
    const metrics = new Set([...Object.keys(b.metrics), ...Object.keys(r.metrics)]);
    for (const m of [...metrics].sort()) {
      const base = b.metrics[m];
      const now = r.metrics[m] === undefined ? undefined : round6(r.metrics[m]);
      if (base === undefined || now === undefined) {
        findings.push({ scenario: b.scenario, run: key, metric: m, baseline: base ?? null, current: now ?? null, note: base === undefined ? 'new metric' : 'metric gone' });
      } else if (!within(m, base, now, baseline)) {
        findings.push({ scenario: b.scenario, run: key, metric: m, baseline: base, current: now, note: describeChange(base, now) });
      }
    }
    if (checkSpeed && b.eventsPerSecond !== undefined && b.eventsPerSecond > 0) {
      const ratio = eventsPerSecond(r) / b.eventsPerSecond;
      if (ratio < baseline.speedTolerance) {
        findings.push({
          scenario: b.scenario,
          run: key,
          metric: 'events_per_s',
          baseline: b.eventsPerSecond,
          current: Math.round(eventsPerSecond(r)),
          note: `${(ratio * 100).toFixed(0)} % of the baseline speed (below ${(baseline.speedTolerance * 100).toFixed(0)} %)`,
        });
      }
    }
  }
  for (const r of sortRows(rows)) {
    const key = keyOf(r);
    if (!seen.has(key)) findings.push({ scenario: r.scenario, run: key, metric: '(run)', baseline: null, current: null, note: 'not in the baseline' });
  }
  return { compared: baseline.runs.length, findings, passed: findings.length === 0 };
}

function describeChange(base: number, now: number): string {
  const diff = now - base;
  const rel = base !== 0 ? ` (${diff > 0 ? '+' : ''}${((100 * diff) / Math.abs(base)).toFixed(2)} %)` : '';
  return `${diff > 0 ? '+' : ''}${round6(diff)}${rel}`;
}

/** The findings as a markdown table, fit for a CI log or job summary. */
export function gateMarkdown(report: GateReport): string {
  if (report.passed) return `**rackbench gate: passed** — ${report.compared} runs match the baseline.\n`;
  const cell = (x: number | null): string => (x === null ? '—' : String(x));
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [
    `**rackbench gate: failed** — ${report.findings.length} difference(s) from the baseline in ${report.compared} runs.`,
    '',
    '| run | metric | baseline | current | change |',
    '| --- | --- | ---: | ---: | --- |',
    ...report.findings.map((f) => `| ${esc(f.run)} | ${esc(f.metric)} | ${cell(f.baseline)} | ${cell(f.current)} | ${esc(f.note)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
