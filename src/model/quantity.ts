/**
 * Text ↔ integer conversion for resource quantities, durations and rates.
 *
 * Quantities use Kubernetes' notation (k8s.io/apimachinery/pkg/api/resource,
 * type Quantity) so scenario files can copy values straight from pod specs.
 * All conversions are exact: the decimal (or binary) value is carried as a
 * BigInt mantissa and a power of ten, never as a float, so "0.1" or "1.1Gi"
 * round the way Kubernetes rounds them rather than the way IEEE doubles do.
 */

import { quote } from '../core/text.js';

/** What a quantity measures, which fixes the integer unit it is converted to. */
export type QuantityUnit = 'millicores' | 'bytes' | 'bitsPerSecond' | 'count';

export class QuantityError extends Error {
  override name = 'QuantityError';
  /** The message without the value read (what bad trace rows are counted under). */
  readonly reason: string;
  constructor(message: string, reason?: string) {
    super(message);
    this.reason = reason ?? message;
  }
}

/**
 * The longest quantity, duration or rate text read, in characters. Kubernetes
 * quantities are far shorter ("1.5Gi", "250m", "1e10"); the bound keeps a
 * hostile field of millions of digits from costing seconds of BigInt work.
 */
export const MAX_QUANTITY_LENGTH = 64;

/** Why a text is refused before it is read, or undefined: too long. */
function tooLong(text: string): string | undefined {
  return text.length > MAX_QUANTITY_LENGTH ? `too long (at most ${MAX_QUANTITY_LENGTH} characters)` : undefined;
}

// ---- exact decimals -------------------------------------------------------

/** value = mantissa × 10^exp10 (exp10 may be huge or ±Infinity for absurd exponents). */
interface Decimal {
  readonly mantissa: bigint;
  readonly exp10: number;
}

/** Unsigned decimal with at least one digit: "5", "5.", ".5", "0.25". */
const UNSIGNED_DECIMAL = /^(\d*)(?:\.(\d*))?$/;

function decimalFrom(intDigits: string, fracDigits: string, exp10: number): Decimal {
  return { mantissa: BigInt(intDigits + fracDigits || '0'), exp10: exp10 - fracDigits.length };
}

/**
 * The shortest decimal that round-trips to `n` (what a human typed into YAML),
 * not the binary double's exact expansion: 0.1 means 0.1, not 0.1000000000000000055….
 */
function decimalOfNumber(n: number): Decimal {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(String(n));
  if (!m) throw new Error(`unreachable: String(${n}) is not a plain decimal`);
  return decimalFrom(m[1] ?? '', m[2] ?? '', Number(m[3] ?? '0'));
}

function describe(value: unknown): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/** Checks a YAML-ish number: finite and not negative. Returns an error reason or undefined. */
function badNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return 'expected a finite number';
  if (n < 0) return 'negative values are not allowed';
  return undefined;
}

// ---- quantities -----------------------------------------------------------

/**
 * Suffix → [power of 10, power of 2]. Kubernetes' grammar:
 *   <binarySI>  ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI> ::= n | u | m | "" | k | M | G | T | P | E
 * Case matters ("m" is milli, "M" mega; "Ki" but "k"). Anything else must be a
 * decimal exponent, "e" or "E" followed by a signed integer (so "1E" is exa but "1E3" is 1000).
 */
const SUFFIXES: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['n', [-9, 0]],
  ['u', [-6, 0]],
  ['m', [-3, 0]],
  ['', [0, 0]],
  ['k', [3, 0]],
  ['M', [6, 0]],
  ['G', [9, 0]],
  ['T', [12, 0]],
  ['P', [15, 0]],
  ['E', [18, 0]],
  ['Ki', [0, 10]],
  ['Mi', [0, 20]],
  ['Gi', [0, 30]],
  ['Ti', [0, 40]],
  ['Pi', [0, 50]],
  ['Ei', [0, 60]],
]);

const EXPECTED: Record<QuantityUnit, string> = {
  millicores: 'a CPU quantity such as "500m", "0.25" or "2" (cores)',
  bytes: 'a byte quantity such as "512Mi", "4Gi" or "1.5T"',
  bitsPerSecond: 'a bit rate such as "100M", "25G" or "1e10" (bits/s)',
  count: 'a whole number such as "110"',
};

/** A hint for the usual mistakes: "KB", "1gi", "1GiB", "1K", "Gbps", "1e". */
function suffixHint(suffix: string, unit: QuantityUnit): string {
  if (/^[eE][+-]?$/.test(suffix)) return ' (an exponent needs digits, e.g. "1e3")';
  if (/^[bB]$/.test(suffix)) return ' (bytes take no "B": write "512Mi" or "512M")';
  if (suffix === 'µ' || suffix === 'μ') return ' (micro is written "u")';
  const m = /^([kmgtpe])(i?)(?:b|bps|b\/s)?$/i.exec(suffix);
  if (!m) return '';
  const letter = (m[1] ?? '').toUpperCase();
  const binary = `${letter}i`;
  // Decimal kilo is the one lower-case SI prefix above one.
  const decimal = letter === 'K' ? 'k' : letter;
  if (m[2]) return ` (did you mean ${binary}?)`;
  return unit === 'bytes' ? ` (did you mean ${binary} or ${decimal}?)` : ` (did you mean ${decimal}?)`;
}

/** Splits a string into a decimal and a suffix per the Kubernetes grammar, or explains why not. */
function parseQuantityText(
  text: string,
  unit: QuantityUnit,
): { negative: boolean; decimal: Decimal; pow2: number } | string {
  if (text === '') return 'empty';
  // Kubernetes rejects whitespace anywhere too; a YAML scalar never needs it.
  if (/\s/.test(text)) return 'no whitespace allowed';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (!m) return 'malformed';
  const [, sign = '', intDigits = '', fracDigits = '', suffix = ''] = m;
  // Kubernetes' scanner reads a digit-less "Gi", "+" or "." as zero; we take that for a typo.
  if (intDigits === '' && fracDigits === '') {
    return suffix !== '' && SUFFIXES.has(suffix) ? `expected a number before "${suffix}"` : 'not a number';
  }
  if (/^[.\d+-]/.test(suffix)) return 'malformed number';
  let exp10: number;
  let pow2: number;
  const known = SUFFIXES.get(suffix);
  if (known) {
    [exp10, pow2] = known;
  } else {
    const e = /^[eE]([+-]?\d+)$/.exec(suffix);
    if (!e) return `unknown suffix ${quote(suffix)}${suffixHint(suffix, unit)}`;
    exp10 = Number(e[1]);
    pow2 = 0;
  }
  return { negative: sign === '-', decimal: decimalFrom(intDigits, fracDigits, exp10), pow2 };
}

/**
 * Parses a Kubernetes resource quantity (the notation of k8s.io/apimachinery resource.Quantity)
 * into an integer in `unit`. Throws QuantityError on bad input. Pure, sync.
 *
 * A number (as YAML yields) is the plain value in base units: cores, bytes, bits/s or a count.
 * Fractions round up, as Quantity.Value()/MilliValue() do ("100u" CPU → 1 millicore), except
 * for counts, where a fraction is an error.
 */
export function parseQuantity(value: string | number, unit: QuantityUnit): number {
  const fail = (why: string): never => {
    throw new QuantityError(`invalid quantity ${describe(value)}: ${why}; expected ${EXPECTED[unit]}`, `invalid quantity: ${why}; expected ${EXPECTED[unit]}`);
  };
  let decimal: Decimal;
  let pow2 = 0;
  if (typeof value === 'number') {
    const bad = badNumber(value);
    if (bad) return fail(bad);
    decimal = decimalOfNumber(Math.abs(value)); // abs: -0
  } else if (typeof value === 'string') {
    const long = tooLong(value);
    if (long) return fail(long);
    const parsed = parseQuantityText(value, unit);
    if (typeof parsed === 'string') return fail(parsed);
    ({ decimal, pow2 } = parsed);
    if (parsed.negative && decimal.mantissa !== 0n) return fail('negative values are not allowed');
  } else {
    return fail(`expected a string or a number, got ${typeof value}`);
  }

  const { mantissa } = decimal;
  if (mantissa === 0n) return 0;
  const exp10 = decimal.exp10 + (unit === 'millicores' ? 3 : 0);
  const digits = mantissa.toString().length;
  // Bound the magnitude before building 10^exp10 so "1e999999999" cannot hang:
  // 10^(digits-1+exp10) ≤ value < 10^(digits+exp10) × 2^60, and 2^60 < 10^19.
  if (digits - 1 + exp10 > 16) return fail('too large');
  if (digits + exp10 + 19 < 0) {
    return unit === 'count' ? fail('not a whole number') : 1;
  }
  const scaled = mantissa << BigInt(pow2);
  let result: bigint;
  if (exp10 >= 0) {
    result = scaled * 10n ** BigInt(exp10);
  } else {
    const denom = 10n ** BigInt(-exp10);
    result = scaled / denom;
    if (scaled % denom !== 0n) {
      if (unit === 'count') return fail('not a whole number');
      result += 1n;
    }
  }
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) return fail('too large');
  return Number(result);
}

const BINARY_FORMATS = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
] as const;
const DECIMAL_FORMATS = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
] as const;

/** [number, suffix] for the largest suffix from `table` that divides `value` exactly. */
function withSuffix(value: number, table: readonly (readonly [string, number])[]): [string, string] {
  for (const [suffix, factor] of table) {
    if (value >= factor && value % factor === 0) return [String(value / factor), suffix];
  }
  return [String(value), ''];
}

/**
 * Formats for humans (used in error messages and tables), in notation parseQuantity reads back:
 * formatQuantity(1500, 'millicores') === "1500m", formatQuantity(4 * 2 ** 30, 'bytes') === "4Gi",
 * formatQuantity(25e9, 'bitsPerSecond') === "25G". Bytes take the largest exact binary or decimal
 * suffix, whichever gives the shorter number (binary on a tie, so 1.5e12 is "1500G", not
 * "1464843750Ki"); bits/s take decimal suffixes; counts are plain integers. Values that are not
 * non-negative safe integers are shown as they are.
 */
export function formatQuantity(value: number, unit: QuantityUnit): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    return unit === 'millicores' ? `${value}m` : String(value);
  }
  switch (unit) {
    case 'millicores':
      return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
    case 'bytes': {
      const binary = withSuffix(value, BINARY_FORMATS);
      const decimal = withSuffix(value, DECIMAL_FORMATS);
      return (decimal[0].length < binary[0].length ? decimal : binary).join('');
    }
    case 'bitsPerSecond':
      return withSuffix(value, DECIMAL_FORMATS).join('');
    case 'count':
      return String(value);
  }
}

// ---- durations ------------------------------------------------------------

const US_PER: Readonly<Record<string, bigint>> = {
  d: 86_400_000_000n,
  h: 3_600_000_000n,
  m: 60_000_000n,
  s: 1_000_000n,
  ms: 1_000n,
  us: 1n,
  'µs': 1n, // U+00B5 MICRO SIGN
  'μs': 1n, // U+03BC GREEK SMALL LETTER MU; both are typed in practice
};
const US_PER_S = 1_000_000n;
const DURATION_UNIT_ORDER = ['d', 'h', 'm', 's', 'ms', 'us'];
// "ms" before "m" so the alternation does not stop at "m".
const DURATION_PART = /(\d*)(?:\.(\d*))?(ms|us|µs|μs|d|h|m|s)/y;

/** Sum of decimal × unit (in µs), rounded half up to an integer; undefined if not safe. */
function roundMicros(parts: readonly (readonly [Decimal, bigint])[]): number | undefined {
  // Common denominator 10^k, k = the deepest fractional power among the parts.
  const k = Math.max(0, ...parts.map(([d]) => -d.exp10));
  let sum = 0n;
  for (const [d, usPer] of parts) {
    sum += d.mantissa * usPer * 10n ** BigInt(d.exp10 + k);
  }
  const denom = 10n ** BigInt(k);
  const rounded = (2n * sum + denom) / (2n * denom);
  return rounded <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(rounded) : undefined;
}

/**
 * Parses a duration like "250ms", "30s", "5m", "1h", "1h30m", "2d", "1.5s", "100us", "0" or a
 * number of seconds, into integer microseconds (rounded half up to the nearest µs). Compound
 * durations list units largest first, each at most once. Negative values are errors.
 */
export function parseDuration(value: string | number): number {
  const fail = (why: string): never => {
    const expected = 'expected e.g. "250ms", "30s", "1h30m", "2d" or a number of seconds';
    throw new QuantityError(`invalid duration ${describe(value)}: ${why}; ${expected}`, `invalid duration: ${why}; ${expected}`);
  };
  let parts: [Decimal, bigint][];
  if (typeof value === 'number') {
    const bad = badNumber(value);
    if (bad) return fail(bad);
    const d = decimalOfNumber(Math.abs(value));
    // A double's decimal exponent is within ±324, so exact BigInt work stays small.
    if (d.mantissa !== 0n && d.exp10 > 20) return fail('too large');
    parts = [[d, US_PER_S]];
  } else if (typeof value === 'string') {
    const long = tooLong(value);
    if (long) return fail(long);
    parts = parseDurationText(value, fail);
  } else {
    return fail(`expected a string or a number, got ${typeof value}`);
  }
  return roundMicros(parts) ?? fail('too large');
}

function parseDurationText(text: string, fail: (why: string) => never): [Decimal, bigint][] {
  if (text === '') return fail('empty');
  if (/\s/.test(text)) return fail('no whitespace allowed');
  if (text.startsWith('-')) return fail('negative values are not allowed');
  const bare = UNSIGNED_DECIMAL.exec(text);
  if (bare) {
    const [, i = '', f = ''] = bare;
    if (i === '' && f === '') return fail('expected digits');
    return [[decimalFrom(i, f, 0), US_PER_S]];
  }
  const parts: [Decimal, bigint][] = [];
  let lastRank = -1;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const at = DURATION_PART.lastIndex;
    const m = DURATION_PART.exec(text);
    if (!m) {
      const rest = text.slice(at);
      if (/^\d*\.?\d*$/.test(rest)) return fail(`missing unit after ${quote(rest)}`);
      const unit = /^\d*\.?\d*([^\d.]+)/.exec(rest)?.[1];
      if (unit === 'ns') return fail('nanoseconds are below the 1us resolution');
      if (unit !== undefined && /^\d/.test(rest)) return fail(`unknown unit ${quote(unit)} (use d, h, m, s, ms or us)`);
      return fail(`cannot read ${quote(rest)}`);
    }
    const [, i = '', f = '', unit = ''] = m;
    if (i === '' && f === '') return fail(`expected digits before "${unit}"`);
    const canonical = unit === 'µs' || unit === 'μs' ? 'us' : unit;
    const rank = DURATION_UNIT_ORDER.indexOf(canonical);
    if (rank <= lastRank) return fail('units must go from largest to smallest, each at most once');
    lastRank = rank;
    parts.push([decimalFrom(i, f, 0), US_PER[unit] ?? 1n]);
  }
  return parts;
}

/**
 * formatDuration(90_000_000) === "1m30s", formatDuration(1500) === "1.5ms": compact and exact for
 * integer µs, in notation parseDuration reads back. Whole days, hours and minutes come first; the
 * sub-minute rest is whole or fractional seconds, milliseconds or microseconds.
 */
export function formatDuration(us: number): string {
  if (!Number.isSafeInteger(us) || us < 0) return `${us}us`;
  if (us === 0) return '0s';
  let out = '';
  let rest = us;
  for (const [unit, size] of [
    ['d', 86_400_000_000],
    ['h', 3_600_000_000],
    ['m', 60_000_000],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest >= 1_000_000) out += fixed(rest, 1_000_000, 6) + 's';
  else if (rest >= 1_000) out += fixed(rest, 1_000, 3) + 'ms';
  else if (rest > 0) out += `${rest}us`;
  return out;
}

/** n / size as an exact decimal with trailing zeros dropped (size = 10^places). */
function fixed(n: number, size: number, places: number): string {
  const whole = Math.floor(n / size);
  const frac = String(n % size)
    .padStart(places, '0')
    .replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

// ---- rates ----------------------------------------------------------------

const SECONDS_PER: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parses a rate like "2/s", "120/m", "3.5/h", "10/d" or a bare number (per second) into events
 * per second (a float). The result must be finite and greater than zero.
 */
export function parseRate(value: string | number): number {
  const fail = (why: string): never => {
    const expected = 'expected e.g. "2/s", "120/m", "3.5/h" or "10/d"';
    throw new QuantityError(`invalid rate ${describe(value)}: ${why}; ${expected}`, `invalid rate: ${why}; ${expected}`);
  };
  let perSecond: number;
  if (typeof value === 'number') {
    perSecond = value;
  } else if (typeof value === 'string') {
    if (value === '') return fail('empty');
    const long = tooLong(value);
    if (long) return fail(long);
    if (/\s/.test(value)) return fail('no whitespace allowed');
    const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(?:\/(\w+))?$/.exec(value);
    if (!m) return fail(value.startsWith('-') ? 'negative values are not allowed' : 'malformed');
    const [, num = '', exp = '', per = 's'] = m;
    const seconds = SECONDS_PER[per];
    if (seconds === undefined) return fail(`unknown time unit ${quote(per)} (use s, m, h or d)`);
    perSecond = Number(num + exp) / seconds;
  } else {
    return fail(`expected a string or a number, got ${typeof value}`);
  }
  if (!Number.isFinite(perSecond)) return fail('expected a finite number');
  if (!(perSecond > 0)) return fail('must be greater than zero');
  return perSecond;
}
