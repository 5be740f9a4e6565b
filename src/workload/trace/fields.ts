/**
 * Reading one field of a row: numbers in a stated range, or a BadField that
 * the reader turns into a counted (or, in strict mode, fatal) bad row.
 */
import { quote } from '../../core/text.js';

/**
 * A field that is malformed or out of range. `reason` is the message without
 * the value found: bad rows are counted per file and reason.
 */
export class BadField extends Error {
  readonly reason: string;
  constructor(
    readonly field: string,
    message: string,
    reason?: string,
  ) {
    super(message);
    this.reason = reason ?? message;
  }
}

/** The longest number field read, in characters (a trace's longest numbers, 2^63 − 1 µs, have 19 digits). */
export const MAX_NUMBER_LENGTH = 64;

/** A field's text as a message shows it: quoted, at most 80 characters, control characters escaped. */
export function shown(text: string): string {
  return text === '' ? 'an empty field' : quote(text);
}

/** A BadField for `expected …, got <value>`, counted under `expected …`. */
export function expected(field: string, what: string, got: string): BadField {
  return new BadField(field, `expected ${what}, got ${shown(got)}`, `expected ${what}`);
}

export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
}

const NO_RANGE: Range = {};

// The ranges the readers check, made once rather than per field and row.
export const NOT_NEGATIVE: Range = { min: 0 };
export const WHOLE: Range = { min: 0, integer: true };
export const INTEGER: Range = { integer: true };
export const PERCENT: Range = { min: 0, max: 100 };
/** A share of the largest machine (Google traces normalize to it). */
export const SHARE: Range = { min: 0, max: 1 };
/** A Google scheduling class, 0–3. */
export const CLASS: Range = { min: 0, max: 3, integer: true };
/** The label of each Google scheduling class, one string each rather than one per pod. */
export const CLASS_LABELS: readonly string[] = ['class-0', 'class-1', 'class-2', 'class-3'];

/** Whether text may need trimming (white space or line terminators at either end). */
const padded = (t: string): boolean => t.charCodeAt(0) <= 0x20 || t.charCodeAt(t.length - 1) <= 0x20 || t.charCodeAt(0) > 0x7e || t.charCodeAt(t.length - 1) > 0x7e;

/** A number from text, in [min, max]; `what` names the unit for the message. */
export function num(text: string | undefined, field: string, what: string, range: Range = NO_RANGE): number {
  // Most fields need no trim: skip its copy.
  const t = text === undefined ? '' : text.length > 0 && padded(text) ? text.trim() : text;
  if (t.length > MAX_NUMBER_LENGTH) throw expected(field, `a number of at most ${MAX_NUMBER_LENGTH} characters (${what})`, t);
  const v = t === '' ? NaN : Number(t);
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  if (!Number.isFinite(v) || !inRange(v, range)) {
    const bounds =
      min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` ≥ ${min}` : max < Infinity ? ` ≤ ${max}` : '';
    throw expected(field, `${range.integer === true ? 'a whole number' : 'a number'}${bounds} (${what})`, t);
  }
  return v;
}

/** Whether v (NaN: not read) is a number `range` accepts, as num would take it. */
export function inRange(v: number, range: Range): boolean {
  return v === v && (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max) && (range.integer !== true || Number.isInteger(v));
}

/** Digits a plain decimal may have: up to 15, any such integer is exact in a double, and so is 10^15. */
const PLAIN_DIGITS = 15;
/** 10^0 … 10^15, written out (each exact). */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * text[start, end) as a number when it is a plain decimal ("12", "-0.25":
 * an optional minus, digits, and a point followed by digits, 15 digits at
 * most), else NaN. Exactly Number()'s value: the digits as an integer and
 * the power of ten are both exact, so their quotient is rounded once, as
 * the correctly rounded decimal is (Clinger's fast path).
 */
export function plainNumber(text: string, start: number, end: number): number {
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      mantissa = mantissa * 10 + c;
      digits++;
    } else if (c === -2 && point < 0) point = digits;
    else return NaN;
  }
  // Digits on both sides of the point ("5." and ".5" are left to Number()).
  if (digits === 0 || digits > PLAIN_DIGITS || point === 0 || point === digits) return NaN;
  const v = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[digits - point]!;
  return negative ? -v : v;
}

/** Like num, but an empty field is `undefined`. */
export function optionalNum(text: string | undefined, field: string, what: string, range: Range = NO_RANGE): number | undefined {
  if (text === undefined || text === '') return undefined;
  return padded(text) && text.trim() === '' ? undefined : num(text, field, what, range);
}

/** The longest text field read (names and ids), in characters. */
export const MAX_TEXT_LENGTH = 1024;

/** A non-empty text field of at most MAX_TEXT_LENGTH characters. */
export function text(value: string | undefined, field: string, what: string): string {
  const t = value === undefined ? '' : value.length > 0 && padded(value) ? value.trim() : value;
  if (t === '') throw expected(field, what, t);
  if (t.length > MAX_TEXT_LENGTH) throw expected(field, `${what} of at most ${MAX_TEXT_LENGTH} characters`, t);
  return t;
}

/** One of the given values. */
export function oneOf<T extends string>(value: string | undefined, field: string, values: readonly T[]): T {
  const t = (value ?? '').trim();
  if (!(values as readonly string[]).includes(t)) throw expected(field, `one of ${values.join(', ')}`, t);
  return t as T;
}

/** A row must have exactly these columns (named for the message). */
export function expectColumns(fields: readonly string[], columns: readonly string[]): void {
  expectWidth(fields.length, columns);
}

/** expectColumns for a row of `width` fields. */
export function expectWidth(width: number, columns: readonly string[]): void {
  if (width !== columns.length) {
    const what = `expected ${columns.length} columns (${columns.join(', ')})`;
    throw new BadField('', `${what}, got ${width}`, what);
  }
}

/** Seconds (possibly fractional) to µs. */
export const secondsToMicros = (s: number): number => Math.round(s * 1e6);

export const MIB = 2 ** 20;
export const GIB = 2 ** 30;

/** Distinct texts an Interner keeps at most; past it, it starts again (memory stays bounded). */
const INTERNED = 4096;
/** Lookups an Interner skips after a round of mostly new texts (unique names gain nothing from it). */
const SKIP_AFTER_MISSES = 65_536;

/**
 * Repeated texts of a trace (owners, classes, task names) as one string
 * each. A pod waits in the reorder buffer for 100,000 rows: a string of its
 * own per row outlives the young generation and is copied by the garbage
 * collector, where one shared string is not. The text is the same either
 * way; when most texts are new (unique ids), lookups pause for a while.
 */
export class Interner {
  private readonly known = new Map<string, string>();
  private lookups = 0;
  private hits = 0;
  private skip = 0;

  of(text: string): string {
    if (this.skip > 0) {
      this.skip--;
      return text;
    }
    const known = this.known.get(text);
    this.lookups++;
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    if (this.known.size >= INTERNED) {
      // Mostly new texts this round: stop looking them up for a while.
      if (this.hits * 8 < this.lookups) this.skip = SKIP_AFTER_MISSES;
      this.known.clear();
      this.lookups = this.hits = 0;
    }
    this.known.set(text, text);
    return text;
  }
}
