/** What a trace format module provides, and the helpers they share. */
import { basename } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { InputError } from '../../model/yaml-input.js';
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

/** Column positions from a header row; throws InputError when a required column is missing. */
export function headerIndex(file: string, row: CsvRow, required: readonly string[], optional: readonly string[] = []): Map<string, number> {
  const index = new Map<string, number>();
  row.fields.forEach((name, i) => index.set(name.trim(), i));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new InputError(file, [
      {
        path: '',
        line: row.line,
        message: `the header has no column ${missing.join(', ')}; expected columns ${[...required, ...optional].join(', ')}`,
      },
    ]);
  }
  return index;
}

/**
 * Runs `read` on a row, turning a BadField into a counted bad row (or, in
 * strict mode, an InputError), and counting the row.
 */
export function guarded<T>(ctx: TraceContext, file: string, line: number, read: () => T): T | undefined {
  ctx.counts.rows++;
  try {
    return read();
  } catch (e) {
    if (e instanceof BadField) {
      ctx.reject(file, line, e.field, e.message);
      return undefined;
    }
    throw e;
  }
}

/** The field of a row by header name ('' when the header lacks the optional column). */
export function field(row: CsvRow, index: ReadonlyMap<string, number>, name: string): string {
  const i = index.get(name);
  return i === undefined ? '' : (row.fields[i] ?? '');
}
