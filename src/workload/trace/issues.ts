/**
 * Bad rows: each one is counted, per file and reason, and kept (the first
 * few, with file and line) for the report; in strict mode the first one stops
 * the read with an InputError naming the file, line, field and what was
 * expected. `trace inspect`, `run --trace` and `sweep` report them alike
 * (rejectionReport).
 */
import { InputError } from '../../model/yaml-input.js';
import type { Micros } from '../../core/ids.js';
import type { MachineChange, RejectedRows, RowIssue, TraceCounts, TraceOptions, TraceRejections } from './types.js';

/** How many bad rows are kept for the report (all are counted). */
export const KEPT_ISSUES = 20;

/** How many rows a report lists one by one. */
export const SHOWN_ISSUES = 10;

/** Distinct (file, field, reason) counts kept; rows of further reasons are counted under "other reasons" of their file. */
export const KEPT_REASONS = 50;

const OTHER_REASONS = 'other reasons';

/** The state one trace read shares between its readers. */
export class TraceContext {
  readonly counts: TraceCounts = { rows: 0, rejected: 0, filtered: 0, truncated: 0, unmatched: 0, removedMachines: 0 };
  /** The first KEPT_ISSUES bad rows. */
  readonly issues: RowIssue[] = [];
  /** Bad rows per file, field and reason, in the order each was first met. */
  readonly reasons = new Map<string, RejectedRows>();
  /** Files that the readers read as machine lists (whatever their rows held). */
  readonly machineFiles = new Set<string>();
  /**
   * Each machine's ADD and REMOVE events in file order, kept by readers whose
   * machine table has them (see machines.ts). Bounded by the machine events,
   * not by the pods.
   */
  readonly machineHistory = new Map<string, MachineChange[]>();

  constructor(readonly options: TraceOptions) {}

  /** Notes a machine's ADD (`up`) or REMOVE at trace time `at`. */
  machineChange(id: string, at: Micros, up: boolean): void {
    const history = this.machineHistory.get(id);
    if (history === undefined) this.machineHistory.set(id, [{ at, up }]);
    else history.push({ at, up });
  }

  /**
   * Counts a bad row under `reason` (the message without the value found;
   * default: the message); in strict mode throws InputError instead.
   */
  reject(file: string, line: number, field: string, message: string, reason = message): void {
    if (this.options.strict) throw new InputError(file, [{ path: field, line, message }]);
    this.counts.rejected++;
    if (this.issues.length < KEPT_ISSUES) this.issues.push({ file, line, field, message });
    let key = `${file}\u0000${field}\u0000${reason}`;
    if (!this.reasons.has(key) && this.reasons.size >= KEPT_REASONS) {
      key = `${file}\u0000\u0000${OTHER_REASONS}`;
      field = '';
      reason = OTHER_REASONS;
    }
    const counted = this.reasons.get(key);
    if (counted === undefined) this.reasons.set(key, { file, field, reason, rows: 1 });
    else counted.rows++;
  }

  /** What the read rejected, as plain data (it crosses the worker boundary in a run's result). */
  rejections(): TraceRejections {
    return { rows: this.counts.rows, rejected: this.counts.rejected, reasons: [...this.reasons.values()].map((r) => ({ ...r })), first: [...this.issues] };
  }
}

/** The rejections of several reads of one trace (its machines, its pods) as one. */
export function combineRejections(parts: readonly TraceRejections[]): TraceRejections {
  const reasons = new Map<string, RejectedRows>();
  for (const part of parts) {
    for (const r of part.reasons) {
      const key = `${r.file}\u0000${r.field}\u0000${r.reason}`;
      const counted = reasons.get(key);
      if (counted === undefined) reasons.set(key, { ...r });
      else counted.rows += r.rows;
    }
  }
  return {
    rows: parts.reduce((n, p) => n + p.rows, 0),
    rejected: parts.reduce((n, p) => n + p.rejected, 0),
    reasons: [...reasons.values()],
    first: parts.flatMap((p) => p.first).slice(0, KEPT_ISSUES),
  };
}

/** `file:line: field: message`, one issue per line. */
export function formatRowIssue(i: RowIssue): string {
  return `${i.file}:${i.line}: ${i.field === '' ? '' : `${i.field}: `}${i.message}`;
}

const rowsWord = (n: number): string => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

/**
 * The lines that report bad rows (none when there are none): the count, then
 * one line per file and reason (`file: N rows: field: reason`), then the
 * first few rows as `file:line: field: message`. `strict` names the option
 * that makes a bad row an error, for the first line.
 */
export function rejectionReport(r: TraceRejections, strict: string, shown = SHOWN_ISSUES): string[] {
  if (r.rejected === 0) return [];
  const lines = [`${rowsWord(r.rejected).replace(/rows?$/, (w) => `bad ${w}`)} of ${r.rows.toLocaleString('en-US')} read, left out (${strict} makes any bad row an error)`];
  for (const x of r.reasons) lines.push(`  ${x.file}: ${rowsWord(x.rows)}: ${x.field === '' ? '' : `${x.field}: `}${x.reason}`);
  const first = r.first.slice(0, shown);
  lines.push(first.length === r.rejected ? (first.length === 1 ? '  the row:' : '  the rows:') : `  the first ${first.length}:`);
  for (const i of first) lines.push(`    ${formatRowIssue(i)}`);
  return lines;
}
