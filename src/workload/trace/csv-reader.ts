/**
 * The records of a CSV file in order, lazily: the file is read in 1 MiB
 * chunks with fs.readSync and split here, so a reader is a plain loop over
 * a cursor (or a generator) and memory stays flat however long the file is. The splitter gives the
 * records csv-parse gives with `relax_column_count` and `bom` (the reference
 * kept in bench/csv-parse-rows.ts; test/csv-reader.test.ts compares them):
 * the record delimiter is the first of CRLF, LF or CR met outside quotes,
 * fields may be quoted ("" is a quote inside them) and then hold commas and
 * newlines. It is 2–8× faster than feeding csv-parse (split:csv-parse and
 * split:reader in bench/trace.ts):
 * a record without a quote is cut with indexOf, and only records with a
 * quote go through the character-by-character path.
 */
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse/sync';
import { safeText } from '../../core/text.js';
import { resized } from '../../core/typed-arrays.js';
import { InputError } from '../../model/yaml-input.js';
import { inRange, num, optionalNum, plainNumber } from './fields.js';
import type { Range } from './fields.js';

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
      const chunk = readChunk(file, fd, buffer, offset);
      if (chunk === undefined) return;
      offset += chunk.length;
      // The chunk is decoded to text at once, so the buffer can be reused.
      yield chunk;
    }
  } finally {
    closeSync(fd);
  }
}

/** The next chunk of an open file into `buffer` (undefined at its end); `offset` is where it starts in the file, for the message. */
function readChunk(file: string, fd: number, buffer: Buffer, offset: number): Buffer | undefined {
  const n = readSync(fd, buffer, 0, buffer.length, null);
  if (n === 0) return undefined;
  const nul = buffer.subarray(0, n).indexOf(0);
  if (nul >= 0) {
    throw new InputError(file, [{ path: '', message: `not a text file: byte ${(offset + nul).toLocaleString('en-US')} is NUL; expected CSV or JSON lines in UTF-8` }]);
  }
  return buffer.subarray(0, n);
}

/** A CSV syntax error at a line (the reader turns it into an InputError naming the file). */
class CsvSyntax extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Newlines in text[from, to): a record's line count includes those inside its fields. */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits decoded text into records. `push` is given text as it is read and
 * `end` says no more will come; records are taken with `next` until it
 * returns undefined (then more text is needed, or the text is done).
 */
class CsvSplitter {
  private text = '';
  private pos = 0;
  /** The record delimiter: '' until the first one outside quotes is met. */
  private delimiter = '';
  /** Where the next quote is at or after pos (text.length + 1: none in the text). */
  private quote = -1;
  private final = false;
  private started = false;
  /** The 1-based line of the next record. */
  line = 1;
  /**
   * The record `next` last returned true for: a record without quotes as
   * positions in `text` (field i from starts[i] to ends[i]), so a reader
   * makes strings only of the fields it wants as text; a quoted one in
   * `fields`. `count` is its number of fields either way.
   */
  byPosition = false;
  recordText = '';
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);
  count = 0;
  fields: string[] = [];
  recordLine = 0;

  /** Characters pushed and not yet taken as records. */
  get pending(): number {
    return this.text.length - this.pos;
  }

  push(text: string): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.text = this.pos < this.text.length ? this.text.slice(this.pos) + text : text;
    this.pos = 0;
    this.quote = -1;
  }

  end(): void {
    this.final = true;
  }

  /** Reads the next record into fields; false when the text so far holds no whole record. */
  next(): boolean {
    const text = this.text;
    const pos = this.pos;
    if (pos >= text.length) return false;
    const delimiter = this.delimiter;
    if (delimiter !== '') {
      let end = text.indexOf(delimiter, pos);
      if (end < 0) {
        if (!this.final) return false;
        end = text.length;
      }
      if (this.quote < pos) {
        const q = text.indexOf('"', pos);
        this.quote = q < 0 ? text.length + 1 : q;
      }
      if (this.quote > end) {
        let starts = this.starts;
        let ends = this.ends;
        let n = 0;
        let start = pos;
        for (let c = text.indexOf(',', start); c >= 0 && c < end; c = text.indexOf(',', start)) {
          if (n + 1 >= starts.length) ({ starts, ends } = this.grow());
          starts[n] = start;
          ends[n++] = c;
          start = c + 1;
        }
        starts[n] = start;
        ends[n++] = end;
        this.count = n;
        this.byPosition = true;
        this.recordText = text;
        this.recordLine = this.line;
        this.line += 1 + (delimiter === '\n' ? 0 : newlines(text, pos, end));
        this.pos = Math.min(text.length, end + delimiter.length);
        return true;
      }
    }
    return this.slow();
  }

  /** Room for twice as many fields. */
  private grow(): { starts: Int32Array; ends: Int32Array } {
    this.starts = resized(this.starts, this.starts.length * 2);
    this.ends = resized(this.ends, this.ends.length * 2);
    return this;
  }

  /** The length of a record delimiter at i (0: none there); -1 when more text is needed to tell. */
  private delimiterAt(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (this.delimiter !== '') {
      if (this.delimiter === '\r\n' && c === CR && i + 1 >= text.length && !this.final) return -1;
      return text.startsWith(this.delimiter, i) ? this.delimiter.length : 0;
    }
    if (c === LF) {
      this.delimiter = '\n';
      return 1;
    }
    if (c !== CR) return 0;
    if (i + 1 >= text.length && !this.final) return -1;
    this.delimiter = text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    return this.delimiter.length;
  }

  /** A record character by character (quoted fields, or the record delimiter still unknown). */
  private slow(): boolean {
    const text = this.text;
    const n = text.length;
    const fields: string[] = [];
    let lines = 1;
    let i = this.pos;
    const done = (end: number): boolean => {
      this.fields = fields;
      this.count = fields.length;
      this.byPosition = false;
      this.recordLine = this.line;
      this.line += lines;
      this.pos = end;
      return true;
    };
    for (;;) {
      if (i < n && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || (q + 1 >= n && !this.final)) {
            if (!this.final) return false;
            throw new CsvSyntax(this.line, 'a quoted field is not closed before the end of the file');
          }
          value += text.slice(j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        lines += newlines(value, 0, value.length);
        if (i >= n) return done(n);
        if (text.charCodeAt(i) === COMMA) {
          i++;
          continue;
        }
        const d = this.delimiterAt(i);
        if (d < 0) return false;
        if (d === 0) throw new CsvSyntax(this.line + lines - 1, `field ${fields.length}: ${JSON.stringify(text.charAt(i))} after a closing quote, where a comma or the end of the line belongs`);
        return done(i + d);
      }
      let j = i;
      let d = 0;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === COMMA) break;
        if (c === QUOTE) throw new CsvSyntax(this.line + lines - 1, `field ${fields.length + 1}: a quote inside a field that does not start with one`);
        if (c === LF || c === CR) {
          d = this.delimiterAt(j);
          if (d < 0) return false;
          if (d > 0) break;
        }
      }
      if (j >= n && !this.final) return false;
      fields.push(text.slice(i, j));
      if (this.delimiter !== '\n') lines += newlines(text, i, j);
      if (j >= n) return done(n);
      if (d === 0) {
        i = j + 1;
        continue;
      }
      return done(j + d);
    }
  }
}

/**
 * A chunk as text: an ASCII chunk (most trace files are ASCII throughout)
 * is copied byte for byte, faster than UTF-8 decoding and the same text,
 * unless the decoder holds the start of a character from the chunk before.
 */
function decoded(decoder: StringDecoder, chunk: Buffer): string {
  return (decoder as StringDecoder & { lastNeed: number }).lastNeed === 0 && isAscii(chunk) ? chunk.toString('latin1') : decoder.write(chunk);
}

/**
 * The records of a CSV file in order, read by a plain loop rather than
 * through generators (a trace reader calls `next` once per row):
 * `while (cursor.next()) use(cursor.fields, cursor.line)`, or field by
 * field (`field(i)`, `num(i, …)`), which makes no string of a number. Rows of any
 * length are given (the caller checks the column count and reports the
 * row); a CSV syntax error (an unbalanced or misplaced quote) stops the read
 * with an InputError naming the line. Empty lines are skipped. A record's
 * line is where it starts; newlines inside quoted fields count. The file is
 * opened at the first `next` and closed when the last record has been read
 * or the read stops with an error (`close` closes it early).
 */
export class CsvCursor {
  private readonly splitter = new CsvSplitter();
  private readonly decoder = new StringDecoder('utf8');
  private fd = -1;
  private buffer: Buffer | undefined;
  private offset = 0;
  private ended = false;
  /** The record's fields as strings, once asked for. */
  private strings: string[] | undefined;
  /** The 1-based line of the record `next` last read. */
  line = 0;
  /** Its number of fields. */
  count = 0;

  constructor(
    readonly file: string,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Reads the next non-empty record into fields and line; false at the end of the file. */
  next(): boolean {
    const splitter = this.splitter;
    try {
      for (;;) {
        while (splitter.next()) {
          if (splitter.count === 1 && this.blank()) continue;
          this.strings = splitter.byPosition ? undefined : splitter.fields;
          this.count = splitter.count;
          this.line = splitter.recordLine;
          return true;
        }
        if (this.ended) return false;
        this.more();
      }
    } catch (e) {
      this.close();
      if (e instanceof CsvSyntax) throw new InputError(this.file, [{ path: '', line: e.line, message: `not valid CSV: ${e.message}` }]);
      throw e;
    }
  }

  /** Whether the record of one field just split is an empty line ('' or a lone CR). */
  private blank(): boolean {
    const s = this.splitter;
    if (!s.byPosition) return s.fields[0] === '' || s.fields[0] === '\r';
    const length = s.ends[0]! - s.starts[0]!;
    return length === 0 || (length === 1 && s.recordText.charCodeAt(s.starts[0]!) === 0x0d);
  }

  /** The fields of the record `next` last read, as strings. */
  get fields(): string[] {
    if (this.strings === undefined) {
      const out: string[] = [];
      for (let i = 0; i < this.count; i++) out.push(this.field(i)!);
      this.strings = out;
    }
    return this.strings;
  }

  /** Field i of the record as a string (undefined past its last field). */
  field(i: number): string | undefined {
    if (this.strings !== undefined) return this.strings[i];
    const s = this.splitter;
    return i < this.count ? s.recordText.slice(s.starts[i], s.ends[i]) : undefined;
  }

  /** Field i as fields.ts's num reads it, without a string when it is a plain decimal in range. */
  num(i: number, field: string, what: string, range: Range): number {
    if (this.strings === undefined && i < this.count) {
      const s = this.splitter;
      const v = plainNumber(s.recordText, s.starts[i]!, s.ends[i]!);
      if (inRange(v, range)) return v;
    }
    return num(this.field(i), field, what, range);
  }

  /** Field i as fields.ts's optionalNum reads it (an empty field is undefined). */
  optionalNum(i: number, field: string, what: string, range: Range): number | undefined {
    if (this.strings === undefined && i < this.count) {
      const s = this.splitter;
      const start = s.starts[i]!;
      const end = s.ends[i]!;
      if (start === end) return undefined;
      const v = plainNumber(s.recordText, start, end);
      if (inRange(v, range)) return v;
    }
    return optionalNum(this.field(i), field, what, range);
  }

  /** Stops reading: closes the file (again harmless). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.ended = true;
  }

  /** Gives the splitter the next chunk, or the end of the text. */
  private more(): void {
    // What is left is one unfinished row: bound it, so a file without newlines cannot fill memory.
    if (this.splitter.pending > MAX_ROW_CHARS) {
      throw new InputError(this.file, [{ path: '', line: this.splitter.line, message: `not valid CSV: a row longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters` }]);
    }
    if (this.buffer === undefined) {
      this.fd = openTraceFile(this.file);
      this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    }
    const chunk = this.fd < 0 ? undefined : readChunk(this.file, this.fd, this.buffer, this.offset);
    if (chunk === undefined) {
      this.close();
      this.splitter.push(this.decoder.end());
      this.splitter.end();
      return;
    }
    this.offset += chunk.length;
    this.splitter.push(decoded(this.decoder, chunk));
  }
}

/**
 * The records of a CSV file in order, lazily, as CsvCursor reads them (one
 * object per record, for callers that keep them).
 */
export function* csvRows(file: string, chunkBytes = CHUNK_BYTES): Generator<CsvRow, void> {
  const cursor = new CsvCursor(file, chunkBytes);
  try {
    while (cursor.next()) yield { fields: cursor.fields, line: cursor.line };
  } finally {
    cursor.close();
  }
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
