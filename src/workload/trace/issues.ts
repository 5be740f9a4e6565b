/**
 * Bad rows: each one is counted and kept (the first few, with file and line)
 * for the report; in strict mode the first one stops the read with an
 * InputError naming the file, line, field and what was expected.
 */
import { InputError } from '../../model/yaml-input.js';
import type { Micros } from '../../core/ids.js';
import type { MachineChange, RowIssue, TraceCounts, TraceOptions } from './types.js';

/** How many bad rows are kept for the report (all are counted). */
export const KEPT_ISSUES = 20;

/** The state one trace read shares between its readers. */
export class TraceContext {
  readonly counts: TraceCounts = { rows: 0, rejected: 0, filtered: 0, truncated: 0, unmatched: 0, removedMachines: 0 };
  /** The first KEPT_ISSUES bad rows. */
  readonly issues: RowIssue[] = [];
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

  /** Counts a bad row; in strict mode throws InputError instead. */
  reject(file: string, line: number, field: string, message: string): void {
    if (this.options.strict) throw new InputError(file, [{ path: field, line, message }]);
    this.counts.rejected++;
    if (this.issues.length < KEPT_ISSUES) this.issues.push({ file, line, field, message });
  }
}

/** `file:line: field: message`, one issue per line. */
export function formatRowIssue(i: RowIssue): string {
  return `${i.file}:${i.line}: ${i.field === '' ? '' : `${i.field}: `}${i.message}`;
}
