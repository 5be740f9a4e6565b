/**
 * Streaming readers for trace files: the file is read in chunks with
 * fs.readSync and fed to a csv-parse Parser, whose records come out
 * synchronously, so a reader is a plain generator and memory stays flat
 * however long the file is. JSON lines are split the same way.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Parser } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { safeText } from '../../core/text.js';
import { InputError } from '../../model/yaml-input.js';

/** Bytes read per chunk. */
export const CHUNK_BYTES = 1 << 20;

/**
 * The longest row read, in characters: a row beyond it stops the read (a
 * trace row is a few hundred characters; this bounds the parser's buffer).
 * Single fields are bounded far below it (fields.ts).
 */
export const MAX_ROW_CHARS = 16 << 20;

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

/**
 * The chunks of a file, read synchronously. The last chunk may be short. A
 * NUL byte stops the read with an InputError: the file is not text (a
 * binary file, or text in UTF-16), and its bytes are never echoed.
 */
function* chunks(file: string, chunkBytes: number): Generator<Buffer, void> {
  const fd = openTraceFile(file);
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let offset = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) return;
      const nul = buffer.subarray(0, n).indexOf(0);
      if (nul >= 0) {
        throw new InputError(file, [{ path: '', message: `not a text file: byte ${(offset + nul).toLocaleString('en-US')} is NUL; expected CSV or JSON lines in UTF-8` }]);
      }
      offset += n;
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
  const parser = new Parser({ relax_column_count: true, skip_empty_lines: false, bom: true, max_record_size: MAX_ROW_CHARS });
  // The parser reports syntax errors through `errored`, checked after each write.
  parser.on('error', () => undefined);
  const failed = (): InputError => {
    const err = parser.errored as (Error & { lines?: number; code?: string }) | null;
    const why =
      err?.code === 'CSV_MAX_RECORD_SIZE'
        ? `a row longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters`
        : safeText(err?.message ?? 'unknown error', 200);
    return new InputError(file, [{ path: '', line: err?.lines, message: `not valid CSV: ${why}` }]);
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

/** Bytes looked at by firstRecord. */
export const HEAD_BYTES = 64 << 10;

/**
 * The first CSV record of a file (its header, for formats with one) and
 * whether anything but blank lines follows it, read from the first
 * HEAD_BYTES of the file only, so a check costs the same whatever the size
 * of the file. `record` is undefined for a file of blank lines only. Throws
 * InputError for a file that is not text or whose first record is not valid
 * CSV (or longer than HEAD_BYTES).
 */
export function firstRecord(file: string): { record: CsvRow | undefined; more: boolean } {
  const head = chunks(file, HEAD_BYTES).next();
  if (head.done === true) return { record: undefined, more: false };
  const bytes = head.value;
  const text = new StringDecoder('utf8').write(bytes);
  const start = /[^\s]/.exec(text.replace(/^\ufeff/, ''));
  if (start === null) return { record: undefined, more: false };
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(text, { to: 1, relax_column_count: true, bom: true, skip_empty_lines: true, raw: true }) as unknown as { record: string[]; raw: string }[];
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'CSV_QUOTE_NOT_CLOSED' && bytes.length === HEAD_BYTES ? `the first row is longer than ${HEAD_BYTES.toLocaleString('en-US')} bytes` : safeText((e as Error).message, 200);
    throw new InputError(file, [{ path: '', line: 1, message: `not valid CSV: ${why}` }]);
  }
  const first = parsed[0];
  if (first === undefined) return { record: undefined, more: false };
  const end = text.indexOf(first.raw) + first.raw.length;
  const line = text.slice(0, text.indexOf(first.raw)).split('\n').length;
  return { record: { fields: first.record, line }, more: /[^\s]/.test(text.slice(end)) };
}

/** Whether a JSON lines file has a non-blank line, from its first HEAD_BYTES. Throws InputError for a file that is not text. */
export function hasJsonLine(file: string): boolean {
  const head = chunks(file, HEAD_BYTES).next();
  return head.done !== true && /[^\s]/.test(head.value.toString('utf8'));
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
    if (rest.length > MAX_ROW_CHARS) {
      throw new InputError(file, [{ path: '', line: line + 1, message: `a line longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters; expected one JSON object per line` }]);
    }
  }
  const last = parse(rest + decoder.end());
  if (last !== undefined) yield last;
}
