/**
 * The generic CSV reader's plain-arithmetic quantities and durations agree
 * exactly with model/quantity.ts: where the fast path gives a value it is
 * parseQuantity's (parseDuration's), and where those refuse the text the
 * fast path gives none, so the reader's error is theirs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDuration, parseQuantity } from '../src/model/quantity.js';
import type { QuantityUnit } from '../src/model/quantity.js';
import { plainQuantity, plainSeconds } from '../src/workload/trace/plain-quantity.js';
import { runs } from './support/property-runs.js';

const UNITS: readonly QuantityUnit[] = ['millicores', 'bytes', 'bitsPerSecond', 'count'];
const SUFFIXES = ['', '', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'K', 'i', 'u', 'n', 'e3', 'E2', 'mi', 'ki', 'Gb', 'GiB'];

/**
 * Texts near the fast path's edge: mostly plain digits (up to 11, or up to
 * 20), sometimes a point and a fraction, a sign, any of the suffixes, white space.
 */
const nearPlain = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('+', '-', ' ') }),
    fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[0-9]{1,11}$/) }, { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{0,20}$/) }),
    fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.stringMatching(/^\.[0-9]{0,8}$/) }),
    fc.constantFrom(...SUFFIXES),
    fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t') }),
  )
  .map(([sign, digits, fraction, suffix, tail]) => `${sign}${digits}${fraction}${suffix}${tail}`);
/** Any short text of the characters quantities and durations are made of, and a few others. */
const anyText = fc.stringMatching(/^[0-9.mkKMGTPEiunsdhµ+\-e ]{0,14}$/);

/** The value of `read`, or the fact that it throws. */
function outcome(read: () => number): number | 'throws' {
  try {
    return read();
  } catch {
    return 'throws';
  }
}

describe('plainQuantity agrees with parseQuantity', () => {
  it('on the examples the fast path is for', () => {
    expect(plainQuantity('4', 'millicores')).toBe(4000);
    expect(plainQuantity('250m', 'millicores')).toBe(250);
    expect(plainQuantity('16Gi', 'bytes')).toBe(16 * 2 ** 30);
    expect(plainQuantity('25G', 'bitsPerSecond')).toBe(25e9);
    expect(plainQuantity('1.5', 'millicores')).toBeUndefined();
    expect(plainQuantity('5m', 'count')).toBeUndefined();
  });

  it('on random texts near the fast path and any texts, for every unit', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(nearPlain, anyText), fc.constantFrom(...UNITS), (t, unit) => {
        const plain = plainQuantity(t, unit);
        if (plain === undefined) return;
        fast++;
        expect(outcome(() => parseQuantity(t, unit))).toBe(plain);
      }),
      { numRuns: runs(4000) },
    );
    // The property says something only if the fast path answers often.
    expect(fast).toBeGreaterThan(runs(4000) / 50);
  });
});

describe('plainSeconds agrees with parseDuration', () => {
  it('on the examples the fast path is for', () => {
    expect(plainSeconds('90')).toBe(90e6);
    expect(plainSeconds('1.5')).toBe(1.5e6);
    expect(plainSeconds('0.000001')).toBe(1);
    expect(plainSeconds('0.0000001')).toBeUndefined();
    expect(plainSeconds('2h30m')).toBeUndefined();
  });

  it('on random texts near the fast path and any texts', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(nearPlain, anyText), (t) => {
        const plain = plainSeconds(t);
        if (plain === undefined) return;
        fast++;
        expect(outcome(() => parseDuration(t))).toBe(plain);
      }),
      { numRuns: runs(4000) },
    );
    expect(fast).toBeGreaterThan(runs(4000) / 50);
  });
});
