/**
 * Reading input files (YAML, of which JSON is a subset) and validating them
 * with zod, with errors that name the file, the field path and the line.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';

export interface InputIssue {
  /** Dotted field path, e.g. `cluster.pools[0].capacity.cpu`; empty for the whole file. */
  readonly path: string;
  /** 1-based line in the file, when the field (or its nearest parent) is found there. */
  readonly line?: number | undefined;
  readonly message: string;
}

/** Bad user input: a file that does not parse or validate. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly InputIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'InputError';
  }
}

export function formatIssues(file: string, issues: readonly InputIssue[]): string {
  return issues
    .map((i) => `${file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`)
    .join('\n');
}

/** `['cluster', 'pools', 0, 'count']` → `cluster.pools[0].count`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The line of the deepest node along `path` that exists in the document. */
export function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** A parsed YAML document, kept to find the line of a field. */
export interface LocatedYaml {
  readonly doc: Document;
  readonly counter: LineCounter;
}

/** Parses YAML text into plain data, or throws InputError naming the line. */
export function parseYaml(text: string, file: string): LocatedYaml & { data: unknown } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      file,
      doc.errors.map((e) => ({
        path: '',
        line: counter.linePos(e.pos[0]).line,
        message: `not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
      })),
    );
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), doc, counter };
}

/** Reads a user's input file, with an InputError naming it when it cannot be read. */
export function readInputText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${String(e)}` }]);
  }
}

/** A problem at a field of the input, before it is placed in the file. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Where the line is looked up when not at `path` (for an unknown key, the key itself). */
  readonly at?: readonly PropertyKey[] | undefined;
}

/** zod's issues as field issues. */
export function fieldIssuesOf(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    return { path, message: issue.message, at: issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : undefined };
  });
}

/** An InputError for these issues, each with its line when the document is known. */
export function fieldIssuesError(file: string, issues: readonly FieldIssue[], located?: LocatedYaml): InputError {
  return new InputError(
    file,
    issues.map((issue) => ({
      path: formatPath(issue.path),
      line: located ? lineOf(located.doc, located.counter, issue.at ?? issue.path) : undefined,
      message: issue.message,
    })),
  );
}

/** Validates parsed data against a zod schema, mapping issues to YAML lines. */
export function validateWith<S extends z.ZodType>(schema: S, data: unknown, file: string, located?: LocatedYaml): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw fieldIssuesError(file, fieldIssuesOf(result.error.issues), located);
}
