/** What a trace format module provides, and the helpers they share. */
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { quote } from '../../core/text.js';
import { InputError } from '../../model/yaml-input.js';
import { CsvCursor } from './csv-reader.js';
import type { CsvRow } from './csv-reader.js';
import { BadField } from './fields.js';
import type { TraceContext } from './issues.js';
import type { TraceNode, TraceOptions, TracePod } from './types.js';

/** A kind of file in a format (e.g. the node list), recognised by its path. */
export interface FileRole {
  readonly role: string;
  /** Matched against the file's path, lower-cased. */
  readonly pattern: RegExp;
  readonly description: string;
}

export interface TraceFormat {
  readonly name: string;
  readonly description: string;
  readonly roles: readonly FileRole[];
  /** The roles whose files list machines (a trace without them takes its cluster from a scenario). */
  readonly machineRoles: readonly string[];
  /** The trace's machines (none when the trace has no machine list among the files). */
  nodes(files: RoleFiles, ctx: TraceContext): Generator<TraceNode, void>;
  /**
   * The trace's pods, in arrival order or nearly so (replay restores the
   * order within its reorder buffer). Lazy: memory does not grow with the file.
   */
  pods(files: RoleFiles, ctx: TraceContext): Generator<TracePod, void>;
  /**
   * For a file of `role` that starts with a header row, a check of that row
   * (throwing InputError at it, as the reader would); undefined for files
   * without one. Used to check the files before a run reads them.
   */
  readonly header?: (role: string, file: string) => ((row: CsvRow) => unknown) | undefined;
  /** Whether a file of the trace is JSON lines rather than CSV (default: never). */
  readonly jsonLines?: (file: string) => boolean;
  /** Extended resources the files name (beyond cpu, memory, nvme, nic, pods and the GPU resource), read from headers. */
  extendedResources?(files: RoleFiles): string[];
  /** Whether the files say what pods use or may use (usage or limit columns): the run then models usage. */
  hasUsage?(files: RoleFiles, options: TraceOptions): boolean;
}

/** Files by role. */
export type RoleFiles = Readonly<Record<string, readonly string[]>>;

/**
 * Assigns each file a role: `role=path` names it; otherwise the first role
 * whose pattern matches the path. Throws UsageError for a file no role matches.
 */
export function classifyFiles(format: TraceFormat, files: readonly string[]): RoleFiles {
  const out: Record<string, string[]> = {};
  for (const r of format.roles) out[r.role] = [];
  for (const f of files) {
    const eq = f.indexOf('=');
    const named = eq > 0 ? format.roles.find((r) => r.role === f.slice(0, eq)) : undefined;
    if (named !== undefined) {
      out[named.role]!.push(f.slice(eq + 1));
      continue;
    }
    const role = format.roles.find((r) => r.pattern.test(f.toLowerCase()));
    if (role === undefined) {
      const known = format.roles.map((r) => `${r.role} (${r.description})`).join('; ');
      throw new UsageError(
        `${f}: not a file of trace format ${format.name}: its name matches none of ${known}; name it role=${basename(f)} to say which it is`,
      );
    }
    out[role.role]!.push(f);
  }
  return out;
}

/** How a format's header is checked. */
export interface HeaderColumns {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
  /** The column a header name stands for (default: itself), e.g. `capacity_cpus` for `capacity.cpus`. */
  readonly canonical?: (name: string) => string;
  /** Columns accepted beyond those listed (e.g. extended resources named domain/name), and how the message names them. */
  readonly extra?: { readonly accepts: (name: string) => boolean; readonly described: string };
}

/**
 * Column positions from a header row, by (canonical) column name. Throws
 * InputError at the header's line, naming the column, when a column appears
 * twice, is not one of the format's, or a required one is missing.
 */
export function headerIndex(file: string, row: CsvRow, columns: HeaderColumns): Map<string, number> {
  const known = [...columns.required, ...(columns.optional ?? [])];
  const fail = (message: string): never => {
    throw new InputError(file, [{ path: '', line: row.line, message }]);
  };
  const index = new Map<string, number>();
  const unknown: string[] = [];
  row.fields.forEach((raw, i) => {
    const name = (columns.canonical ?? ((n: string) => n))(raw.trim());
    if (index.has(name)) fail(`the header has column ${quote(raw.trim())} twice (columns ${index.get(name)! + 1} and ${i + 1}); each column may appear once`);
    if (!known.includes(name) && columns.extra?.accepts(name) !== true) unknown.push(`${quote(raw.trim())} (column ${i + 1})`);
    index.set(name, i);
  });
  const missing = columns.required.filter((c) => !index.has(c));
  const listed = `${known.join(', ')}${columns.extra === undefined ? '' : ` and ${columns.extra.described}`}`;
  const noColumn = missing.length > 0 ? `no column ${missing.join(', ')}` : '';
  if (unknown.length > 0) {
    fail(`the header has an unknown column ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}${noColumn === '' ? '' : ` and ${noColumn}`}; the columns are ${listed}`);
  }
  if (noColumn !== '') fail(`the header has ${noColumn}; expected columns ${listed}`);
  return index;
}

/** The InputError for a file with no row to read (empty, or a header alone). */
export function emptyFile(file: string, header: boolean): InputError {
  return new InputError(file, [{ path: '', message: header ? 'no rows after the header: the trace file is empty' : 'no rows: the trace file is empty' }]);
}

/**
 * The rows of a CSV file with a header row, each with the header's column
 * positions (`header` checks the header row and indexes it). Throws
 * InputError naming the file when it has no header or no row after it.
 */
export function* headedRows(file: string, header: (row: CsvRow) => Map<string, number>): Generator<{ row: CsvRow; index: Map<string, number> }, void> {
  let index: Map<string, number> | undefined;
  let rows = 0;
  const cursor = new CsvCursor(file);
  try {
    while (cursor.next()) {
      const row: CsvRow = { fields: cursor.fields, line: cursor.line };
      if (index === undefined) {
        index = header(row);
        continue;
      }
      rows++;
      yield { row, index };
    }
  } finally {
    cursor.close();
  }
  if (index === undefined) throw noHeader(file);
  if (rows === 0) throw emptyFile(file, true);
}

/** The InputError for a file that should start with a header row and is empty. */
export function noHeader(file: string): InputError {
  return new InputError(file, [{ path: '', message: 'empty file: no header row; the trace file is empty' }]);
}

/** The rows of a CSV file without a header row. Throws InputError naming the file when it has none. */
export function* plainRows(file: string): Generator<CsvRow, void> {
  let rows = 0;
  const cursor = new CsvCursor(file);
  try {
    while (cursor.next()) {
      rows++;
      yield { fields: cursor.fields, line: cursor.line };
    }
  } finally {
    cursor.close();
  }
  if (rows === 0) throw emptyFile(file, false);
}

/**
 * The records of a CSV file without a header row, read by a plain loop
 * (`while (cursor.next())`, as plainRows gives them without a generator):
 * at its end, a file that had none is an InputError naming it.
 */
export class PlainCursor extends CsvCursor {
  private rows = 0;

  override next(): boolean {
    if (super.next()) {
      this.rows++;
      return true;
    }
    if (this.rows === 0) throw emptyFile(this.file, false);
    return false;
  }
}

/**
 * Runs `read(a, b)` on a row, turning a BadField into a counted bad row (or,
 * in strict mode, an InputError), and counting the row. The arguments let a
 * reader make its row function once rather than a closure per row.
 */
export function guardedWith<A, T, B = undefined>(ctx: TraceContext, file: string, line: number, read: (a: A, b: B) => T, a: A, b?: B): T | undefined {
  ctx.counts.rows++;
  try {
    return read(a, b as B);
  } catch (e) {
    if (e instanceof BadField) {
      ctx.reject(file, line, e.field, e.message, e.reason);
      return undefined;
    }
    throw e;
  }
}

const invoke = <T>(read: () => T): T => read();

/** guardedWith for a closure of the row. */
export function guarded<T>(ctx: TraceContext, file: string, line: number, read: () => T): T | undefined {
  return guardedWith(ctx, file, line, invoke<T>, read);
}

/** guardedWith for a row function given the row's fields and line. */
export function guardedRow<T>(ctx: TraceContext, file: string, row: CsvRow, read: (fields: readonly string[], line: number) => T): T | undefined {
  return guardedWith(ctx, file, row.line, read, row.fields, row.line);
}

/** The field of a row by header name ('' when the header lacks the optional column). */
export function field(row: CsvRow, index: ReadonlyMap<string, number>, name: string): string {
  const i = index.get(name);
  return i === undefined ? '' : (row.fields[i] ?? '');
}
