import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  formatDuration,
  formatQuantity,
  parseDuration,
  parseQuantity,
  parseRate,
  QuantityError,
} from '../src/model/quantity.js';
import type { QuantityUnit } from '../src/model/quantity.js';
import { runs } from './support/property-runs.js';

/** Asserts `fn` throws a QuantityError whose message names `input`; returns the message. */
function expectQuantityError(fn: () => unknown, input: string | number): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(QuantityError);
  const message = (caught as QuantityError).message;
  expect(message).toContain(String(input));
  return message;
}

const Ki = 1024;
const Mi = Ki ** 2;
const Gi = Ki ** 3;
const Ti = Ki ** 4;
const Pi = Ki ** 5;

describe('parseQuantity', () => {
  const cases: [string | number, QuantityUnit, number][] = [
    // cpu
    ['500m', 'millicores', 500],
    ['2', 'millicores', 2000],
    ['0.25', 'millicores', 250],
    ['1', 'millicores', 1000],
    [4, 'millicores', 4000],
    [0.5, 'millicores', 500],
    [0.1, 'millicores', 100], // the decimal the user wrote, not the double's expansion
    ['100u', 'millicores', 1], // rounds up, as MilliValue() does
    ['1.5m', 'millicores', 2],
    ['1n', 'millicores', 1],
    ['1500000u', 'millicores', 1500],
    ['.5', 'millicores', 500],
    ['5.', 'millicores', 5000],
    ['+1', 'millicores', 1000],
    ['12E-1', 'millicores', 1200],
    ['1e-3', 'millicores', 1],
    ['0', 'millicores', 0],
    ['0m', 'millicores', 0],
    ['-0', 'millicores', 0],
    ['64', 'millicores', 64_000],
    // memory / storage
    ['4Gi', 'bytes', 4 * Gi],
    ['512Mi', 'bytes', 512 * Mi],
    ['1.5T', 'bytes', 1_500_000_000_000],
    ['1e3', 'bytes', 1000],
    ['1E3', 'bytes', 1000],
    ['1e+3', 'bytes', 1000],
    ['128974848', 'bytes', 128_974_848],
    ['129M', 'bytes', 129_000_000],
    ['123Mi', 'bytes', 128_974_848],
    ['1Ki', 'bytes', 1024],
    ['7.68T', 'bytes', 7_680_000_000_000],
    ['1.1Gi', 'bytes', 1_181_116_007], // 1181116006.4 exactly, rounded up
    ['0.5Ki', 'bytes', 512],
    ['0.1', 'bytes', 1],
    ['0.0', 'bytes', 0],
    ['0Gi', 'bytes', 0],
    ['1e-400', 'bytes', 1], // positive, however small, is at least one unit
    ['007', 'bytes', 7],
    [4 * Gi, 'bytes', 4 * Gi],
    [1e15, 'bytes', 1e15],
    // one of every suffix
    ['3n', 'bytes', 1],
    ['3u', 'bytes', 1],
    ['3m', 'bytes', 1],
    ['3k', 'bytes', 3000],
    ['3M', 'bytes', 3e6],
    ['3G', 'bytes', 3e9],
    ['3T', 'bytes', 3e12],
    ['3P', 'bytes', 3e15],
    ['0.001E', 'bytes', 1e15],
    ['3Ki', 'bytes', 3 * Ki],
    ['3Mi', 'bytes', 3 * Mi],
    ['3Gi', 'bytes', 3 * Gi],
    ['3Ti', 'bytes', 3 * Ti],
    ['3Pi', 'bytes', 3 * Pi],
    ['0.001Ei', 'bytes', 1_152_921_504_606_847], // 2^60 / 1000, rounded up
    ['7Pi', 'bytes', 7 * Pi],
    // network
    ['25G', 'bitsPerSecond', 25e9],
    ['1G', 'bitsPerSecond', 1e9],
    ['10M', 'bitsPerSecond', 10e6],
    ['1e10', 'bitsPerSecond', 1e10],
    [100e9, 'bitsPerSecond', 100e9],
    // counts
    ['110', 'count', 110],
    [110, 'count', 110],
    ['1k', 'count', 1000],
    ['1e2', 'count', 100],
  ];

  it.each(cases)('%j as %s → %d', (input, unit, want) => {
    expect(parseQuantity(input, unit)).toBe(want);
  });

  it('converts the largest safe integer and no more', () => {
    expect(parseQuantity(String(Number.MAX_SAFE_INTEGER), 'bytes')).toBe(Number.MAX_SAFE_INTEGER);
    expectQuantityError(() => parseQuantity(String(Number.MAX_SAFE_INTEGER + 1), 'bytes'), '9007199254740992');
    expectQuantityError(() => parseQuantity('8Pi', 'bytes'), '8Pi'); // 2^53
    expectQuantityError(() => parseQuantity('9007199254740.992', 'millicores'), '9007199254740.992');
  });

  const bad: [string | number, QuantityUnit][] = [
    ['', 'bytes'],
    [' 1', 'bytes'],
    ['1 ', 'bytes'],
    ['1 Gi', 'bytes'],
    ['abc', 'bytes'],
    ['1.2.3', 'bytes'],
    ['1KB', 'bytes'],
    ['1GB', 'bytes'],
    ['1gi', 'bytes'],
    ['1ki', 'bytes'],
    ['1K', 'bytes'],
    ['1GiB', 'bytes'],
    ['1B', 'bytes'],
    ['1Gbps', 'bitsPerSecond'],
    ['-1', 'bytes'],
    ['-500m', 'millicores'],
    ['--1', 'bytes'],
    ['+', 'bytes'],
    ['.', 'bytes'],
    ['1e', 'bytes'],
    ['1e3.5', 'bytes'],
    ['1e3Mi', 'bytes'],
    ['1Mi3', 'bytes'],
    ['Gi', 'bytes'],
    ['1µ', 'millicores'],
    [NaN, 'bytes'],
    [Infinity, 'bytes'],
    [-Infinity, 'millicores'],
    [-1, 'bytes'],
    ['1.5', 'count'],
    [1.5, 'count'],
    ['1500m', 'count'],
    ['1e-400', 'count'],
    ['1e400', 'bytes'],
    ['1Ei', 'bytes'],
    ['1e99999999999999999999', 'bytes'], // must not try to build 10^(10^20)
    [1e300, 'bytes'],
  ];

  it.each(bad)('rejects %j as %s', (input, unit) => {
    expectQuantityError(() => parseQuantity(input, unit), typeof input === 'string' ? JSON.stringify(input) : input);
  });

  it('suggests the right suffix', () => {
    expect(expectQuantityError(() => parseQuantity('1GB', 'bytes'), '1GB')).toContain('did you mean Gi or G?');
    expect(expectQuantityError(() => parseQuantity('1KB', 'bytes'), '1KB')).toContain('did you mean Ki or k?');
    expect(expectQuantityError(() => parseQuantity('1gi', 'bytes'), '1gi')).toContain('did you mean Gi?');
    expect(expectQuantityError(() => parseQuantity('1ki', 'bytes'), '1ki')).toContain('did you mean Ki?');
    expect(expectQuantityError(() => parseQuantity('1Gbps', 'bitsPerSecond'), '1Gbps')).toContain('did you mean G?');
    expect(expectQuantityError(() => parseQuantity('-1', 'bytes'), '-1')).toContain('negative');
    expect(expectQuantityError(() => parseQuantity('1e400', 'bytes'), '1e400')).toContain('too large');
    expect(expectQuantityError(() => parseQuantity('1.5', 'count'), '1.5')).toContain('whole number');
  });

  it('rejects non-string, non-number input from untyped YAML', () => {
    expect(() => parseQuantity(true as unknown as string, 'bytes')).toThrow(QuantityError);
    expect(() => parseQuantity(null as unknown as string, 'bytes')).toThrow(QuantityError);
  });

  const binarySuffixes = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

  it('property: n<binary suffix> is n × 1024^k exactly, or "too large"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 5 }), (n, i) => {
        const text = `${n}${binarySuffixes[i] ?? ''}`;
        const exact = BigInt(n) * 1024n ** BigInt(i + 1);
        if (exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(parseQuantity(text, 'bytes')).toBe(Number(exact));
        } else {
          expect(() => parseQuantity(text, 'bytes')).toThrow(/too large/);
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('property: decimal cores convert exactly and round up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 15 }),
        (whole, frac) => {
          const text = frac === '' ? String(whole) : `${whole}.${frac}`;
          const scale = 10n ** BigInt(frac.length);
          const numerator = BigInt(`${whole}${frac}`) * 1000n;
          const want = (numerator + scale - 1n) / scale;
          expect(parseQuantity(text, 'millicores')).toBe(Number(want));
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  /** Safe integers, biased towards round binary and decimal multiples. */
  const safeValues = fc.oneof(
    fc.maxSafeNat(),
    fc
      .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5 }))
      .map(([m, k]) => m * 1024 ** k)
      .filter(Number.isSafeInteger),
    fc
      .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 11 }))
      .map(([m, k]) => m * 10 ** k),
  );

  it.each(['bytes', 'millicores', 'bitsPerSecond', 'count'] as const)(
    'property: formatQuantity round-trips through parseQuantity (%s)',
    (unit) => {
      fc.assert(
        fc.property(safeValues, (v) => {
          expect(parseQuantity(formatQuantity(v, unit), unit)).toBe(v);
        }),
        { numRuns: runs(1000) },
      );
    },
  );
});

describe('formatQuantity', () => {
  const cases: [number, QuantityUnit, string][] = [
    [1500, 'millicores', '1500m'],
    [2000, 'millicores', '2'],
    [250, 'millicores', '250m'],
    [0, 'millicores', '0'],
    [4 * Gi, 'bytes', '4Gi'],
    [512 * Mi, 'bytes', '512Mi'],
    [1536 * Mi, 'bytes', '1536Mi'],
    [1024, 'bytes', '1Ki'],
    [1000, 'bytes', '1k'],
    [1024_000, 'bytes', '1000Ki'], // tie in length: binary wins
    [1.5e12, 'bytes', '1500G'], // not "1464843750Ki"
    [7.68e12, 'bytes', '7680G'],
    [1e9, 'bytes', '1G'],
    [1023, 'bytes', '1023'],
    [0, 'bytes', '0'],
    [25e9, 'bitsPerSecond', '25G'],
    [100e6, 'bitsPerSecond', '100M'],
    [1024, 'bitsPerSecond', '1024'],
    [110, 'count', '110'],
    [1000, 'count', '1000'],
  ];
  it.each(cases)('%d %s → %s', (value, unit, want) => {
    expect(formatQuantity(value, unit)).toBe(want);
  });
});

describe('parseDuration', () => {
  const cases: [string | number, number][] = [
    ['250ms', 250_000],
    ['30s', 30_000_000],
    ['5m', 300_000_000],
    ['1h', 3_600_000_000],
    ['1h30m', 5_400_000_000],
    ['1m0.5s', 60_500_000],
    ['2d', 172_800_000_000],
    ['1d2h3m4s5ms6us', 93_784_005_006],
    ['1.5s', 1_500_000],
    ['100us', 100],
    ['100µs', 100], // U+00B5
    ['100μs', 100], // U+03BC
    ['0', 0],
    ['0s', 0],
    ['5', 5_000_000],
    ['0.25', 250_000],
    ['.5s', 500_000],
    ['1.5ms', 1500],
    ['0.0005ms', 1], // half a µs rounds up
    ['0.0004ms', 0],
    ['1.4999us', 1],
    ['2.5us', 3],
    ['0.1h', 360_000_000],
    [30, 30_000_000],
    [1.5, 1_500_000],
    [0.000001, 1],
    [1e-7, 0],
    [0, 0],
  ];
  it.each(cases)('%j → %d µs', (input, want) => {
    expect(parseDuration(input)).toBe(want);
  });

  const bad: (string | number)[] = [
    '',
    '-1s',
    '-1',
    '1x',
    's',
    '1 h',
    ' 1s',
    '1h ',
    '30m1h', // out of order
    '1s1s', // repeated
    '1m30', // trailing number without unit
    '1ns',
    '1.2.3s',
    '.s',
    'abc',
    '1e3s',
    '999999999d',
    NaN,
    Infinity,
    -1,
    1e300,
  ];
  it.each(bad)('rejects %j', (input) => {
    expectQuantityError(() => parseDuration(input), typeof input === 'string' ? JSON.stringify(input) : input);
  });

  it('property: formatDuration round-trips through parseDuration', () => {
    const micros = fc.oneof(
      fc.integer({ min: 0, max: 1e13 }),
      fc
        .tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(1, 1000, 1e6, 60e6, 3600e6, 86_400e6))
        .map(([m, unit]) => m * unit),
    );
    fc.assert(
      fc.property(micros, (us) => {
        expect(parseDuration(formatDuration(us))).toBe(us);
      }),
      { numRuns: runs(1000) },
    );
  });
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [90_000_000, '1m30s'],
    [1500, '1.5ms'],
    [0, '0s'],
    [1, '1us'],
    [999, '999us'],
    [1000, '1ms'],
    [1_000_001, '1.000001s'],
    [90_500_000, '1m30.5s'],
    [60_500_000, '1m500ms'],
    [3_600_000_001, '1h1us'],
    [86_400_000_000, '1d'],
    [1e13, '115d17h46m40s'],
  ];
  it.each(cases)('%d µs → %s', (us, want) => {
    expect(formatDuration(us)).toBe(want);
  });
});

describe('parseRate', () => {
  const cases: [string | number, number][] = [
    ['2/s', 2],
    ['120/m', 2],
    ['3.5/h', 3.5 / 3600],
    ['10/d', 10 / 86_400],
    ['0.5', 0.5],
    ['4', 4],
    ['1e-3/s', 0.001],
    [3, 3],
    [0.25, 0.25],
  ];
  it.each(cases)('%j → %d/s', (input, want) => {
    expect(parseRate(input)).toBeCloseTo(want, 15);
  });

  const bad: (string | number)[] = [
    ...['', '0', '0/s', '-1/s', '2/x', '2/sec', '2 /s', '/s', '2/', 'abc', '1e400/s'],
    ...[0, -1, NaN, Infinity],
  ];
  it.each(bad)('rejects %j', (input) => {
    expectQuantityError(() => parseRate(input), typeof input === 'string' ? JSON.stringify(input) : input);
  });
});
