/**
 * Reading kubectl dumps: JSON or YAML files holding a `List` (kubectl's
 * wrapper), a typed list (`NodeList`, `PodList`, … as the API server returns
 * them, whose items carry no `kind`), a single object, or several YAML
 * documents. Every object keeps where it came from, so a later error can name
 * the file, the item and the line.
 */
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { formatQuantity, QuantityError, parseQuantity } from '../model/quantity.js';
import { isBuiltin, unitOf } from '../model/resources.js';
import type { QuantityUnit } from '../model/quantity.js';
import { checkYamlText, DUMP_LIMITS, formatPath, InputError, lineOf, readInputText, tooDeep, yamlToData } from '../model/yaml-input.js';

export type Path = readonly (string | number)[];
export type Obj = Readonly<Record<string, unknown>>;

/** The kinds the import reads; anything else is an error (or skipped with ignoreUnknown). */
export const IMPORT_KINDS = ['Node', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Where an object came from: its file, its path there (`items[3]`) and a way to find a line. */
export interface Source {
  readonly file: string;
  /** The YAML document (from 0) in a multi-document file; 0 otherwise. */
  readonly doc: number;
  readonly path: Path;
  /** 1-based line of `sub` (a path inside this object), or of its nearest parent found. */
  line(sub: Path): number | undefined;
}

export interface K8sObject {
  readonly kind: ImportKind;
  readonly data: Obj;
  readonly source: Source;
}

/** A problem at `path` inside one object, turned into an InputError by whoever knows the object's source. */
export class DumpIssue extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
    this.name = 'DumpIssue';
  }
}

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `Pod "ns/name"`, `Node "worker-1"`: how messages name an object. */
export function describeObject(o: K8sObject): string {
  const meta = isObj(o.data.metadata) ? o.data.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}…` : '(no name)';
  const ns = typeof meta.namespace === 'string' && o.kind !== 'Node' ? `${meta.namespace}/` : '';
  return `${o.kind} "${ns}${name}"`;
}

/** An InputError naming the file, the path from the file's root, the line and the object. */
export function issueError(o: K8sObject, issue: DumpIssue): InputError {
  const doc = o.source.doc > 0 ? `document ${o.source.doc + 1}: ` : '';
  return new InputError(o.source.file, [
    { path: formatPath([...o.source.path, ...issue.path]), line: o.source.line(issue.path), message: `${doc}${describeObject(o)}: ${issue.message}` },
  ]);
}

// ---- typed access with paths ---------------------------------------------

export function objAt(o: Obj, key: string, path: Path): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new DumpIssue([...path, key], `expected an object, got ${typeName(v)}`);
  return v;
}

export function arrAt(o: Obj, key: string, path: Path): readonly unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DumpIssue([...path, key], `expected a list, got ${typeName(v)}`);
  return v;
}

export function strAt(o: Obj, key: string, path: Path): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new DumpIssue([...path, key], `expected a string, got ${typeName(v)}`);
  return v;
}

export function intAt(o: Obj, key: string, path: Path): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new DumpIssue([...path, key], `expected an integer, got ${typeName(v)}`);
  return v;
}

export function boolAt(o: Obj, key: string, path: Path): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new DumpIssue([...path, key], `expected true or false, got ${typeName(v)}`);
  return v;
}

/** A string → string map (labels, nodeSelector); a non-string value is an error. */
export function stringMapAt(o: Obj, key: string, path: Path): Record<string, string> {
  const m = objAt(o, key, path);
  const out: Record<string, string> = {};
  if (m === undefined) return out;
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') throw new DumpIssue([...path, key, k], `expected a string value, got ${typeName(v)}`);
    out[k] = v;
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

// ---- resources ------------------------------------------------------------

/**
 * The rackbench resource a Kubernetes resource name becomes, and the unit its
 * quantities are read in: ephemeral-storage is the model's local storage
 * (`nvme`, bytes); hugepages are bytes; extended resources (nvidia.com/gpu, …)
 * keep their name and are counts.
 */
export function modelResource(k8sName: string): { readonly name: string; readonly unit: QuantityUnit } {
  switch (k8sName) {
    case 'cpu':
      return { name: 'cpu', unit: 'millicores' };
    case 'memory':
      return { name: 'memory', unit: 'bytes' };
    case 'ephemeral-storage':
      return { name: 'nvme', unit: 'bytes' };
    case 'pods':
      return { name: 'pods', unit: 'count' };
    default:
      return { name: k8sName, unit: k8sName.startsWith('hugepages-') ? 'bytes' : 'count' };
  }
}

/** A rackbench resource amount in the notation a scenario reads back exactly: 500m, 4Gi, 110 (numbers when plain). */
export function formatResource(name: string, v: number): number | string {
  const unit: QuantityUnit = isBuiltin(name) ? unitOf(name) : name.startsWith('hugepages-') ? 'bytes' : 'count';
  const text = formatQuantity(v, unit);
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** A ResourceList (name → quantity) in rackbench names and integer units. */
export function resourceListAt(o: Obj, key: string, path: Path): Map<string, number> {
  const m = objAt(o, key, path);
  const out = new Map<string, number>();
  if (m === undefined) return out;
  for (const [k, v] of Object.entries(m)) {
    const { name, unit } = modelResource(k);
    if (typeof v !== 'string' && typeof v !== 'number') throw new DumpIssue([...path, key, k], `expected a quantity, got ${typeName(v)}`);
    try {
      out.set(name, (out.get(name) ?? 0) + parseQuantity(v, unit));
    } catch (e) {
      if (e instanceof QuantityError) throw new DumpIssue([...path, key, k], e.message);
      throw e;
    }
  }
  return out;
}

// ---- files ----------------------------------------------------------------

/** Lines of JSON text are found by parsing it again as YAML, only when an error needs one, and only for files up to this size. */
const MAX_LOCATE_BYTES = 32 * 2 ** 20;

/** "… at position 123" (V8's JSON.parse message) → line and column. */
function jsonError(text: string, file: string, e: unknown): InputError {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(message);
  let line: number | undefined;
  let where = '';
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    line = before.split('\n').length;
    where = ` (column ${Number(pos[1]) - before.lastIndexOf('\n')})`;
  }
  const why = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  return new InputError(file, [{ path: '', line, message: `not valid JSON: ${why}${where}` }]);
}

interface ParsedFile {
  readonly docs: readonly unknown[];
  readonly locate: (doc: number, path: Path) => number | undefined;
}

function parseFile(file: string, text: string): ParsedFile {
  const start = /\S/.exec(text);
  if (start === null) throw new InputError(file, [{ path: '', message: 'empty file; expected the output of kubectl get … -o json (or -o yaml)' }]);
  if (start[0] === '{' || start[0] === '[') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw jsonError(text, file, e);
    }
    const deep = tooDeep(data, DUMP_LIMITS.maxDepth);
    if (deep !== undefined) {
      throw new InputError(file, [{ path: formatPath(deep.slice(0, 8)), message: `collections nested more than ${DUMP_LIMITS.maxDepth} deep; rackbench reads at most ${DUMP_LIMITS.maxDepth} levels` }]);
    }
    let located: { doc: Document; counter: LineCounter } | null | undefined;
    return {
      docs: [data],
      locate: (_doc, path) => {
        if (located === undefined) {
          if (text.length > MAX_LOCATE_BYTES) located = null;
          else {
            const counter = new LineCounter();
            located = { doc: parseDocument(text, { lineCounter: counter, prettyErrors: false }), counter };
          }
        }
        return located === null ? undefined : lineOf(located.doc, located.counter, path);
      },
    };
  }
  checkYamlText(text, file, DUMP_LIMITS);
  const counter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  const errors = list.flatMap((d) => d.errors);
  if (!Array.isArray(documents) || errors.length > 0) {
    const e = errors[0];
    throw new InputError(file, [
      {
        path: '',
        line: e === undefined ? 1 : counter.linePos(e.pos[0]).line,
        message: `not valid JSON or YAML: ${e === undefined ? 'cannot parse' : e.code === 'RESOURCE_EXHAUSTION' ? 'nested too deep to read' : (e.message.split('\n')[0] ?? e.code)}`,
      },
    ]);
  }
  const docs = list.map((d, i) => yamlToData(d, counter, file, DUMP_LIMITS, list.length > 1 ? `document ${i + 1}: ` : ''));
  return { docs, locate: (doc, path) => lineOf(list[doc]!, counter, path) };
}

export interface ReadOptions {
  /** Skip objects of kinds the import does not read (Services, ConfigMaps, …) instead of failing. */
  readonly ignoreUnknown?: boolean | undefined;
}

export interface ReadResult {
  readonly objects: K8sObject[];
  /** Skipped objects by kind (only with ignoreUnknown). */
  readonly skippedKinds: Map<string, number>;
}

/** Reads every file into objects in file order. Throws InputError naming the file, item and line on bad input. */
export function readDumps(files: readonly string[], options: ReadOptions = {}): ReadResult {
  const objects: K8sObject[] = [];
  const skippedKinds = new Map<string, number>();
  for (const file of files) {
    const parsed = parseFile(file, readInputText(file, DUMP_LIMITS.maxBytes));
    parsed.docs.forEach((root, doc) => {
      if (root === null || root === undefined) return; // an empty YAML document (a trailing ---)
      const fail = (path: Path, message: string): never => {
        throw new InputError(file, [{ path: formatPath(path), line: parsed.locate(doc, path), message: `${doc > 0 ? `document ${doc + 1}: ` : ''}${message}` }]);
      };
      const visit = (value: unknown, path: Path, impliedKind: string | undefined): void => {
        if (!isObj(value)) return fail(path, `expected a Kubernetes object (a mapping with "kind"), got ${typeName(value)}`);
        const kind = value.kind ?? impliedKind;
        if (kind === undefined) {
          const hint = path.length === 0 ? '; this file is not a kubectl dump (kubectl get nodes -o json, kubectl get pods -A -o json)' : '';
          return fail(path, `no "kind"${hint}`);
        }
        if (typeof kind !== 'string') return fail([...path, 'kind'], `expected a string, got ${typeName(kind)}`);
        if (kind === 'List' || kind.endsWith('List')) {
          const items = value.items;
          if (!Array.isArray(items)) return fail([...path, 'items'], `a ${kind} needs an "items" list`);
          const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
          items.forEach((item, i) => visit(item, [...path, 'items', i], itemKind));
          return;
        }
        if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
          if (options.ignoreUnknown) {
            skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + 1);
            return;
          }
          return fail(path, `unknown kind "${kind}": the import reads ${IMPORT_KINDS.join(', ')} objects, alone or in a List (--ignore-unknown skips the others)`);
        }
        objects.push({
          kind: kind as ImportKind,
          data: value,
          source: { file, doc, path, line: (sub) => parsed.locate(doc, [...path, ...sub]) },
        });
      };
      visit(root, [], undefined);
    });
  }
  return { objects, skippedKinds };
}
