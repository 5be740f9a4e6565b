/**
 * Reading scenario text (YAML, of which JSON is a subset) into a validated
 * Scenario, with errors that name the file, the field path and the line.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema } from './scenario.js';
import type { Scenario } from './scenario.js';

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

/** Parses YAML text into plain data, or throws InputError naming the line. */
export function parseYaml(text: string, file: string): { data: unknown; doc: Document; counter: LineCounter } {
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

/** Validates parsed data against a zod schema, mapping issues to YAML lines. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  file: string,
  located?: { doc: Document; counter: LineCounter },
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.map((k) => `"${k}"`).join(', ')})` : '';
    return {
      path: formatPath(path),
      line: located ? lineOf(located.doc, located.counter, issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path) : undefined,
      message: `${issue.message}${issue.code === 'unrecognized_keys' ? '' : keys}`,
    };
  });
  throw new InputError(file, issues);
}

/** Parses and validates scenario text. Throws InputError on bad input. */
export function parseScenario(text: string, file: string): Scenario {
  const parsed = parseYaml(text, file);
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a mapping with name, cluster and workload' }]);
  }
  return validateWith(scenarioSchema, parsed.data, file, parsed);
}

/** Validates an already-parsed scenario object (for instance one sent to a worker). */
export function scenarioFromData(data: unknown, file: string): Scenario {
  return validateWith(scenarioSchema, data, file);
}
