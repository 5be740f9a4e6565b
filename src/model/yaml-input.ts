/**
 * Reading input files (YAML, of which JSON is a subset) and validating them
 * with zod, with errors that name the file, the field path and the line.
 */
import { readFileSync, statSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';

/**
 * Bounds on YAML and JSON input, so a hostile file fails with a message
 * naming it rather than exhausting memory or the stack: its size, how deep
 * collections nest, and how many times aliases are expanded (an "alias bomb"
 * of nested aliases expands exponentially).
 */
export interface InputLimits {
  /** Bytes of one file. */
  readonly maxBytes: number;
  /** Collections nested in collections. */
  readonly maxDepth: number;
  /** Alias expansions, as the yaml library counts them (maxAliasCount). */
  readonly maxAliases: number;
}

/** Scenarios, sweeps, capacity files, catalogs, baselines: small files written by hand or by rackbench. */
export const INPUT_LIMITS: InputLimits = { maxBytes: 16 * 2 ** 20, maxDepth: 64, maxAliases: 100 };
/** kubectl dumps: every pod of a cluster in one file (`rackbench import`). */
export const DUMP_LIMITS: InputLimits = { ...INPUT_LIMITS, maxBytes: 256 * 2 ** 20 };

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

/** One line per issue: `file:line: path: message` (a line break inside a message or path becomes a space). */
export function formatIssues(file: string, issues: readonly InputIssue[]): string {
  const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');
  return issues
    .map((i) => oneLine(`${file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`))
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

/**
 * Checks text before a YAML parser sees it: no NUL byte (not a text file),
 * and flow collections (`[`, `{`) nested at most `maxDepth` deep — the yaml
 * library recurses once per level. Brackets in quoted strings and comments
 * are skipped; those in plain scalars count, so the check errs on the safe side.
 */
export function checkYamlText(text: string, file: string, limits: InputLimits = INPUT_LIMITS): void {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new InputError(file, [{ path: '', line: lineAt(text, nul), message: 'not a text file (it holds a NUL byte); expected YAML or JSON text' }]);
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    // A quote opens a quoted scalar only where a scalar starts.
    if ((c === '"' || c === "'") && /[\s[{,:-]/.test(text[i - 1] ?? ' ')) quote = c;
    else if (c === '#' && /\s/.test(text[i - 1] ?? '\n')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > limits.maxDepth) {
        throw new InputError(file, [{ path: '', line: lineAt(text, i), message: `collections nested more than ${limits.maxDepth} deep; rackbench reads at most ${limits.maxDepth} levels` }]);
      }
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The path of the first value nested more than `maxDepth` collections deep in
 * plain data, or undefined. Iterative, so it cannot overflow the stack itself.
 */
export function tooDeep(data: unknown, maxDepth: number): PropertyKey[] | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxDepth) return path;
    const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) if (v !== null && typeof v === 'object') stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}

/**
 * A parsed document as plain data: aliases expanded at most `maxAliases`
 * times and collections at most `maxDepth` deep, else InputError naming the
 * line. `prefix` goes before the message (`document 2: `).
 */
export function yamlToData(doc: Document, counter: LineCounter, file: string, limits: InputLimits = INPUT_LIMITS, prefix = ''): unknown {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.range) line = counter.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    const why =
      e instanceof RangeError
        ? 'its aliases expand too deep to read'
        : `its aliases expand more than ${limits.maxAliases} times, which would multiply the document (an "alias bomb"); write the values out or use fewer aliases`;
    throw new InputError(file, [{ path: '', line, message: `${prefix}${why}` }]);
  }
  const deep = tooDeep(data, limits.maxDepth);
  if (deep !== undefined) {
    const path = deep.length > 6 ? [...deep.slice(0, 3), '…', ...deep.slice(-2)] : deep;
    throw new InputError(file, [{ path: formatPath(path), line: lineOf(doc, counter, deep), message: `${prefix}collections nested more than ${limits.maxDepth} deep (aliases included); rackbench reads at most ${limits.maxDepth} levels` }]);
  }
  return data;
}

/** Parses YAML text into plain data, or throws InputError naming the line (see InputLimits for the bounds). */
export function parseYaml(text: string, file: string, limits: InputLimits = INPUT_LIMITS): LocatedYaml & { data: unknown } {
  checkYamlText(text, file, limits);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      file,
      doc.errors.slice(0, 10).map((e) => ({
        path: '',
        line: counter.linePos(e.pos[0]).line,
        message: `not valid YAML: ${e.code === 'RESOURCE_EXHAUSTION' ? 'nested too deep to read' : (e.message.split('\n')[0] ?? e.code)}`,
      })),
    );
  }
  return { data: yamlToData(doc, counter, file, limits), doc, counter };
}

/** Reads a user's input file of at most `maxBytes`, with an InputError naming it when it cannot be read. */
export function readInputText(file: string, maxBytes = INPUT_LIMITS.maxBytes): string {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) {
      const mib = (b: number): string => `${(b / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB`;
      throw new InputError(file, [{ path: '', message: `too large: ${mib(size)}; rackbench reads input files of at most ${mib(maxBytes)}` }]);
    }
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ path: '', message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : `cannot read it (${code ?? String(e)})` }]);
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
