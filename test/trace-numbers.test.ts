/**
 * Trace numbers read from the row's text by position agree exactly with
 * the same fields read as strings: plainNumber gives Number()'s value or
 * nothing, and CsvCursor's num and optionalNum give the value, or throw
 * the BadField, that fields.ts's num and optionalNum give.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvCursor } from '../src/workload/trace/csv-reader.js';
import { CLASS, INTEGER, NOT_NEGATIVE, num, optionalNum, PERCENT, plainNumber, SHARE, WHOLE } from '../src/workload/trace/fields.js';
import type { Range } from '../src/workload/trace/fields.js';
import { fileTempDir } from './support/cli.js';
import { runs } from './support/property-runs.js';

let dir = '';
beforeAll(() => {
  dir = fileTempDir();
});

/** Number-like texts: mostly plain decimals (some too long for the fast path), and their near misses. */
const numberText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('', '', '-'), fc.stringMatching(/^[0-9]{1,17}$/), fc.option(fc.stringMatching(/^[0-9]{1,17}$/), { nil: undefined }))
      .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`),
  },
  { weight: 2, arbitrary: fc.double({ noNaN: true }).map(String) },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9.\-+eE x]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '0', '-0', '-0.0', '5.', '.5', '-', '.', '1e3', '0x1A', '+7', ' 7', '7 ', 'Infinity', '1_000') },
);

/** The value, or the message and field of the error. */
function outcome(read: () => number | undefined): unknown {
  try {
    const v = read();
    return v === undefined ? 'undefined' : Object.is(v, -0) ? '-0' : v;
  } catch (e) {
    return { error: (e as Error).message, field: (e as { field?: string }).field };
  }
}

describe('plainNumber', () => {
  it("is Number()'s value for the decimals it reads, NaN for the rest", () => {
    expect(plainNumber('x0.1x', 1, 4)).toBe(0.1);
    expect(plainNumber('123456789012345', 0, 15)).toBe(123456789012345);
    expect(plainNumber('1234567890123456', 0, 16)).toBeNaN();
    expect(Object.is(plainNumber('-0', 0, 2), -0)).toBe(true);
    for (const t of ['', '-', '5.', '.5', '1e3', '+1', ' 1', '1.2.3']) expect(plainNumber(t, 0, t.length)).toBeNaN();
    fc.assert(
      fc.property(numberText, (t) => {
        const v = plainNumber(t, 0, t.length);
        if (!Number.isNaN(v)) expect(Object.is(v, Number(t))).toBe(true);
      }),
      { numRuns: runs(5000) },
    );
  });
});

describe('CsvCursor numbers', () => {
  const ranges: readonly Range[] = [{}, NOT_NEGATIVE, WHOLE, INTEGER, PERCENT, SHARE, CLASS, { min: 3, max: 40_000 }];
  it('agree with num and optionalNum of the field as a string, value and error', () => {
    let file = 0;
    fc.assert(
      fc.property(fc.array(numberText, { minLength: 1, maxLength: 6 }), fc.constantFrom(...ranges), (row, range) => {
        // A row without quotes (so the cursor reads it by position) and a row the same as quoted fields.
        const path = join(dir, `n${file++}.csv`);
        // A first column of text, so that no row is an empty line (which the cursor skips).
        const plain = ['id', ...row.map((t) => t.replaceAll('"', '').replaceAll(',', ''))];
        writeFileSync(path, `${plain.join(',')}\n${plain.map((t) => `"${t}"`).join(',')}\n`);
        const cursor = new CsvCursor(path);
        for (let r = 0; r < 2; r++) {
          expect(cursor.next()).toBe(true);
          for (let i = 0; i <= plain.length; i++) {
            const text = cursor.field(i);
            expect(text).toBe(plain[i]);
            expect(outcome(() => cursor.num(i, 'f', 'a unit', range))).toEqual(outcome(() => num(text, 'f', 'a unit', range)));
            expect(outcome(() => cursor.optionalNum(i, 'f', 'a unit', range))).toEqual(outcome(() => optionalNum(text, 'f', 'a unit', range)));
          }
        }
        cursor.close();
      }),
      { numRuns: runs(400) },
    );
  });
});
