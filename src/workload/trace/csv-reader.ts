/**
 * Streaming readers for trace files: the file is read in chunks with
 * fs.readSync and fed to a csv-parse Parser, whose records come out
 * synchronously, so a reader is a plain generator and memory stays flat
 * however long the file is. JSON lines are split the same way.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Parser } from 'csv-parse';
import { InputError } from '../../model/yaml-input.js';

/** Bytes read per chunk. */
export const CHUNK_BYTES = 1 << 20;

export interface CsvRow {
  /** The record's fields, as text. */
  readonly fields: readonly string[];
  /** 1-based line of the record in its file. */
  readonly line: number;
}

function openTraceFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${String(e)}` }]);
  }
}

/** The chunks of a file, read synchronously. The last chunk may be short. */
function* chunks(file: string, chunkBytes: number): Generator<Buffer, void> {
  const fd = openTraceFile(file);
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) return;
      // Copy: the parser may keep a reference to a partial record.
      yield Buffer.from(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The records of a CSV file in order, lazily. Rows of any length are
 * returned (the caller checks the column count and reports the row); a CSV
 * syntax error (an unbalanced quote) stops the read with an InputError
 * naming the line. Empty lines are skipped. Line numbers are counted here
 * (csv-parse's per-record `info` costs more than the parse itself): one per
 * record, plus the newlines inside quoted fields.
 */
export function* csvRows(file: string, chunkBytes = CHUNK_BYTES): Generator<CsvRow, void> {
  const parser = new Parser({ relax_column_count: true, skip_empty_lines: false, bom: true });
  // The parser reports syntax errors through `errored`, checked after each write.
  parser.on('error', () => undefined);
  const failed = (): InputError => {
    const err = parser.errored as (Error & { lines?: number }) | null;
    return new InputError(file, [{ path: '', line: err?.lines, message: `not valid CSV: ${err?.message ?? 'unknown error'}` }]);
  };
  let line = 0;
  const drain = function* (): Generator<CsvRow, void> {
    for (let r = parser.read() as string[] | null; r !== null; r = parser.read() as string[] | null) {
      const start = line + 1;
      line = start;
      for (const f of r) {
        for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) line++;
      }
      if (r.length === 1 && (r[0] === '' || r[0] === '\r')) continue;
      yield { fields: r, line: start };
    }
  };
  for (const chunk of chunks(file, chunkBytes)) {
    parser.write(chunk);
    if (parser.errored) throw failed();
    yield* drain();
  }
  parser.end();
  if (parser.errored) throw failed();
  yield* drain();
}

export interface JsonLine {
  readonly value: unknown;
  readonly line: number;
}

/** One JSON value per non-empty line (JSON lines, as BigQuery exports it). A line that is not JSON yields `undefined` as its value. */
export function* jsonLines(file: string, chunkBytes = CHUNK_BYTES): Generator<JsonLine, void> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  const parse = (text: string): JsonLine | undefined => {
    line++;
    const t = text.trim();
    if (t === '') return undefined;
    try {
      return { value: JSON.parse(t) as unknown, line };
    } catch {
      return { value: undefined, line };
    }
  };
  for (const chunk of chunks(file, chunkBytes)) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const j = parse(text.slice(start, nl));
      if (j !== undefined) yield j;
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  const last = parse(rest + decoder.end());
  if (last !== undefined) yield last;
}
