/**
 * Reading one field of a row: numbers in a stated range, or a BadField that
 * the reader turns into a counted (or, in strict mode, fatal) bad row.
 */

/** A field that is malformed or out of range. */
export class BadField extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function shown(text: string): string {
  return text === '' ? 'an empty field' : JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
}

const NO_RANGE: Range = {};

/** Whether text may need trimming (white space or line terminators at either end). */
const padded = (t: string): boolean => t.charCodeAt(0) <= 0x20 || t.charCodeAt(t.length - 1) <= 0x20 || t.charCodeAt(0) > 0x7e || t.charCodeAt(t.length - 1) > 0x7e;

/** A number from text, in [min, max]; `what` names the unit for the message. */
export function num(text: string | undefined, field: string, what: string, range: Range = NO_RANGE): number {
  // Most fields need no trim: skip its copy.
  const t = text === undefined ? '' : text.length > 0 && padded(text) ? text.trim() : text;
  const v = t === '' ? NaN : Number(t);
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  if (!Number.isFinite(v) || (range.integer === true && !Number.isInteger(v)) || v < min || v > max) {
    const bounds =
      min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` ≥ ${min}` : max < Infinity ? ` ≤ ${max}` : '';
    throw new BadField(field, `expected ${range.integer === true ? 'a whole number' : 'a number'}${bounds} (${what}), got ${shown(t)}`);
  }
  return v;
}

/** Like num, but an empty field is `undefined`. */
export function optionalNum(text: string | undefined, field: string, what: string, range: Range = NO_RANGE): number | undefined {
  if (text === undefined || text === '') return undefined;
  return padded(text) && text.trim() === '' ? undefined : num(text, field, what, range);
}

/** A non-empty text field. */
export function text(value: string | undefined, field: string, what: string): string {
  const t = value === undefined ? '' : value.length > 0 && padded(value) ? value.trim() : value;
  if (t === '') throw new BadField(field, `expected ${what}, got an empty field`);
  return t;
}

/** One of the given values. */
export function oneOf<T extends string>(value: string | undefined, field: string, values: readonly T[]): T {
  const t = (value ?? '').trim();
  if (!(values as readonly string[]).includes(t)) throw new BadField(field, `expected one of ${values.join(', ')}, got ${shown(t)}`);
  return t as T;
}

/** A row must have exactly these columns (named for the message). */
export function expectColumns(fields: readonly string[], columns: readonly string[]): void {
  if (fields.length !== columns.length) {
    throw new BadField('', `expected ${columns.length} columns (${columns.join(', ')}), got ${fields.length}`);
  }
}

/** Seconds (possibly fractional) to µs. */
export const secondsToMicros = (s: number): number => Math.round(s * 1e6);

export const MIB = 2 ** 20;
export const GIB = 2 ** 30;
