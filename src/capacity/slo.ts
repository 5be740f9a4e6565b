/**
 * Service-level objectives for capacity planning: `metric op value` terms,
 * comma-separated, checked against one run's metrics.
 *
 *   sched_delay_p99<=30s, unschedulable=0, alloc_cpu_peak<80%
 *
 * The metric is a runs.csv metric column (src/metrics/columns.ts) or an alias
 * (ALIASES). Values: durations with units for time metrics (30s, 2m, 500ms;
 * a plain number is seconds), percentages for ratio metrics (80% = 0.8),
 * plain numbers for everything.
 */
import { UsageError } from '../core/errors.js';
import { parseDuration, QuantityError } from '../model/quantity.js';
import { METRIC_COLUMNS, PER_RESOURCE_COLUMNS } from '../metrics/columns.js';
import { round6 } from '../report/format.js';

export type SloOp = '<=' | '<' | '>=' | '>' | '=';
export const SLO_OPS: readonly SloOp[] = ['<=', '<', '>=', '>', '='];

/** Short names for the columns capacity planners ask about most. */
export const ALIASES: Readonly<Record<string, string>> = {
  sched_delay_p50: 'delay_p50_s',
  sched_delay_p90: 'delay_p90_s',
  sched_delay_p99: 'delay_p99_s',
  sched_delay_max: 'delay_max_s',
  unschedulable: 'pods_unschedulable',
  never_fit: 'pods_never_fit',
  startup_p99: 'startup_p99_s',
};

/**
 * Columns an SLO may name before they exist in every build, with the column
 * used meanwhile. `startup_p99_s` (scheduling delay plus container start-up)
 * needs the container start-up model; without it the scheduling delay is
 * what a pod waits before it starts, so delay_p99_s stands in.
 */
export const FALLBACKS: Readonly<Record<string, string>> = {
  startup_p99_s: 'delay_p99_s',
};

export interface Slo {
  /** As written, trimmed (for messages and reports). */
  readonly text: string;
  /** The runs.csv column it reads. */
  readonly column: string;
  readonly op: SloOp;
  /** The threshold in the column's unit (seconds, a ratio, a count). */
  readonly value: number;
}

type Unit = 's' | 'ratio' | 'other';

/** The unit of a metric column, or undefined when no column of that name can exist. */
export function columnUnit(column: string): Unit | undefined {
  const doc = METRIC_COLUMNS.find((c) => c.name === column);
  if (doc !== undefined) return doc.unit === 's' ? 's' : doc.unit === 'ratio' ? 'ratio' : 'other';
  if (FALLBACKS[column] !== undefined) return column.endsWith('_s') ? 's' : 'other';
  for (const c of PER_RESOURCE_COLUMNS) {
    const [head, tail] = c.name.split('<r>') as [string, string];
    if (column.startsWith(head) && column.endsWith(tail) && column.length > head.length + tail.length) return 'ratio';
  }
  return undefined;
}

const TERM = /^([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>|=)\s*([+-]?[\d.]\S*)$/;

function expected(): string {
  return `expected "metric op value" terms separated by commas, with op one of ${SLO_OPS.join(' ')} (e.g. "sched_delay_p99<=30s,unschedulable=0,alloc_cpu_peak<80%")`;
}

/** Parses one threshold for a column of `unit`; throws a message (string) on bad input. */
function parseValue(text: string, unit: Unit, column: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (text.endsWith('%')) {
    const n = text.slice(0, -1);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(n)) throw `cannot read "${text}" as a percentage`;
    if (unit !== 'ratio') throw `"${text}" is a percentage, but ${column} is not a ratio; give a plain number`;
    return Number(n) / 100;
  }
  if (unit === 's') {
    try {
      return parseDuration(text) / 1_000_000;
    } catch (e) {
      if (e instanceof QuantityError) throw e.message;
      throw e;
    }
  }
  throw `cannot read "${text}"; ${column} takes a plain number${unit === 'ratio' ? ' or a percentage (80%)' : ''}`;
}

/**
 * Parses a comma-separated SLO list. Throws UsageError quoting the bad term
 * and what was expected (the CLI exits 2).
 */
export function parseSlos(text: string, flag = '--slo'): Slo[] {
  const terms = text.split(',').map((t) => t.trim());
  if (text.trim() === '') throw new UsageError(`${flag} "${text}": empty; ${expected()}`);
  const out: Slo[] = [];
  for (const term of terms) {
    if (term === '') throw new UsageError(`${flag} "${text}": an empty term (two commas, or a trailing comma); ${expected()}`);
    const m = TERM.exec(term);
    if (m === null) throw new UsageError(`${flag}: cannot read "${term}"; ${expected()}`);
    const [, metric = '', op = '', raw = ''] = m;
    const column = ALIASES[metric] ?? metric;
    const unit = columnUnit(column);
    if (unit === undefined) {
      throw new UsageError(
        `${flag}: "${term}": unknown metric "${metric}"; use a runs.csv metric column (${METRIC_COLUMNS.map((c) => c.name).join(', ')}, ` +
          `alloc_<r>_mean, alloc_<r>_peak, fragmentation_<r>, stranded_<r>) or an alias (${Object.keys(ALIASES).join(', ')})`,
      );
    }
    let value: number;
    try {
      value = parseValue(raw, unit, column);
    } catch (why) {
      if (typeof why !== 'string') throw why;
      throw new UsageError(`${flag}: "${term}": ${why}`);
    }
    out.push({ text: term, column, op: op as SloOp, value });
  }
  return out;
}

/** Whether `actual op threshold`, with the metric rounded to 6 decimals as runs.csv holds it. */
export function compare(actual: number, op: SloOp, threshold: number): boolean {
  const a = round6(actual);
  switch (op) {
    case '<=':
      return a <= threshold;
    case '<':
      return a < threshold;
    case '>=':
      return a >= threshold;
    case '>':
      return a > threshold;
    case '=':
      return a === threshold;
  }
}

/** The column an SLO reads in these metrics: its own, or its stand-in (FALLBACKS) when the run lacks it. */
export function resolvedColumn(slo: Slo, metrics: Readonly<Record<string, number>>): string {
  if (metrics[slo.column] !== undefined) return slo.column;
  return FALLBACKS[slo.column] ?? slo.column;
}

export interface SloCheck {
  readonly ok: boolean;
  /** The SLOs not met, e.g. `delay_p99_s=41.2 (sched_delay_p99<=30s)`. */
  readonly violations: readonly string[];
  /** Columns that were missing and read through their stand-in, as `wanted→used`. */
  readonly fallbacks: readonly string[];
}

/**
 * Checks one run's metrics. A column the run does not have (and that has no
 * stand-in) is a violation that says so, so a typo can never pass.
 */
export function checkSlos(slos: readonly Slo[], metrics: Readonly<Record<string, number>>): SloCheck {
  const violations: string[] = [];
  const fallbacks = new Set<string>();
  for (const slo of slos) {
    const column = resolvedColumn(slo, metrics);
    if (column !== slo.column) fallbacks.add(`${slo.column}→${column}`);
    const actual = metrics[column];
    if (actual === undefined) {
      violations.push(`${column} is not reported by this run (${slo.text})`);
    } else if (!compare(actual, slo.op, slo.value)) {
      violations.push(`${column}=${round6(actual)} (${slo.text})`);
    }
  }
  return { ok: violations.length === 0, violations, fallbacks: [...fallbacks] };
}

/**
 * The worst value of the SLO's column over runs: the largest for an upper
 * bound (<=, <), the smallest for a lower bound (>=, >), the farthest from
 * the target for =. undefined when no run reports the column.
 */
export function worstValue(slo: Slo, runs: readonly Readonly<Record<string, number>>[]): number | undefined {
  let worst: number | undefined;
  for (const metrics of runs) {
    const v = metrics[resolvedColumn(slo, metrics)];
    if (v === undefined) continue;
    if (worst === undefined) worst = v;
    else if (slo.op === '<=' || slo.op === '<') worst = Math.max(worst, v);
    else if (slo.op === '>=' || slo.op === '>') worst = Math.min(worst, v);
    else if (Math.abs(v - slo.value) > Math.abs(worst - slo.value)) worst = v;
  }
  return worst;
}
