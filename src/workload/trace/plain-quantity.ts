/**
 * The common quantities and durations of a generic CSV trace ("4", "250m",
 * "16Gi"; "90", "1.5") read in plain arithmetic, beside model/quantity.ts,
 * which reads every other text: a fast path that gives exactly what
 * parseQuantity and parseDuration give, or undefined (test/plain-quantity.test.ts
 * checks this on random valid and invalid texts).
 */
import type { QuantityUnit } from '../../model/quantity.js';

/**
 * Decimal exponent and power of two of the suffixes plainQuantity reads (as
 * model/quantity.ts reads them), by the suffix's characters: one letter at
 * its code, a letter and `i` at 128 + the letter's code; undefined for the rest.
 */
const PLAIN_SUFFIXES: readonly (readonly [number, number] | undefined)[] = (() => {
  const table: ([number, number] | undefined)[] = new Array(256).fill(undefined);
  const one = (c: string, exp10: number): void => void (table[c.charCodeAt(0)] = [exp10, 0]);
  const binary = (c: string, exp2: number): void => void (table[128 + c.charCodeAt(0)] = [0, exp2]);
  one('m', -3);
  one('k', 3);
  one('M', 6);
  one('G', 9);
  one('T', 12);
  binary('K', 10);
  binary('M', 20);
  binary('G', 30);
  binary('T', 40);
  return table;
})();
const NO_SUFFIX: readonly [number, number] = [0, 0];

/** The suffix after `digits` characters of t (at most 2 of them left), as PLAIN_SUFFIXES holds it. */
function suffixOf(t: string, digits: number): readonly [number, number] | undefined {
  const rest = t.length - digits;
  if (rest === 0) return NO_SUFFIX;
  const c = t.charCodeAt(digits);
  if (c >= 128) return undefined;
  if (rest === 1) return PLAIN_SUFFIXES[c];
  return t.charCodeAt(digits + 1) === 105 /* i */ ? PLAIN_SUFFIXES[128 + c] : undefined;
}

/**
 * A quantity of at most 9 digits with no sign, point or exponent and one of
 * the common suffixes ("4", "250m", "16Gi"), whose value in `unit` is a
 * whole number of at most 2^53 − 1, read in plain arithmetic; undefined for
 * any other text, which parseQuantity reads (and its exact result is the
 * same: no rounding happens here).
 */
export function plainQuantity(t: string, unit: QuantityUnit): number | undefined {
  let digits = 0;
  let mantissa = 0;
  while (digits < t.length && digits < 10) {
    const c = t.charCodeAt(digits) - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    digits++;
  }
  if (digits === 0 || digits > 9 || t.length - digits > 2) return undefined;
  const suffix = suffixOf(t, digits);
  if (suffix === undefined) return undefined;
  const exp10 = suffix[0] + (unit === 'millicores' ? 3 : 0);
  if (mantissa === 0) return 0;
  if (exp10 < 0) return undefined;
  const value = mantissa * 2 ** suffix[1] * 10 ** exp10;
  return value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}

/**
 * A bare number of seconds with at most 6 decimals and 15 digits ("90",
 * "1.5"), in µs, read in plain arithmetic (exact: no rounding happens);
 * undefined for any other text, which parseDuration reads.
 */
export function plainSeconds(t: string): number | undefined {
  let whole = 0;
  let fraction = 0;
  let digits = 0;
  let decimals = -1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    digits++;
    if (decimals < 0) whole = whole * 10 + (c - 48);
    else {
      fraction = fraction * 10 + (c - 48);
      decimals++;
    }
  }
  if (digits === 0 || digits > 15 || decimals > 6) return undefined;
  const micros = whole * 1e6 + (decimals > 0 ? fraction * 10 ** (6 - decimals) : 0);
  return micros <= Number.MAX_SAFE_INTEGER ? micros : undefined;
}
