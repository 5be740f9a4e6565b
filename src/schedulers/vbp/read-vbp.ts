/**
 * Reader of the VPSolver `.vbp` instance format (fdabrandao/vpsolver):
 *
 *   d                  number of dimensions
 *   c_1 … c_d          bin capacity per dimension
 *   m                  number of item types
 *   w_1 … w_d q        m lines: the d sizes of an item type, then its demand
 *
 * Numbers are integers: d and the capacities positive, m and the demands
 * non-negative. Sizes may be negative: the Caprara triplet generator behind
 * the published benchmark sets (c = 100 − a − b with a + b > 100) writes one
 * now and then, and the published bounds and bin counts take it literally
 * (it frees capacity in its dimension, and each triplet still sums to the
 * bin), so it is kept as is and reported in `notes`. Blank lines are
 * skipped. Item types are expanded by their demand into single items, in
 * file order. Errors name the file and line and say what was expected.
 */
import { InputError } from '../../model/yaml-input.js';
import type { VbpInstance } from './instance.js';

/** More items than this (after expanding demands) is refused rather than exhausting memory. */
export const MAX_ITEMS = 1_000_000;

export interface ParsedVbp {
  readonly instance: VbpInstance;
  /** Remarks about legal but unusual content (negative sizes), each naming the file and line. */
  readonly notes: readonly string[];
}

interface Line {
  readonly line: number;
  readonly fields: readonly string[];
}

const INTEGER = /^-?\d+$/;

/** Parses the text of a `.vbp` file; `file` names it in errors. Throws an InputError with the line of the first problem. */
export function parseVbp(text: string, file: string): ParsedVbp {
  const rawLines = text.split(/\r?\n/);
  const lines: Line[] = [];
  rawLines.forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length > 0) lines.push({ line: i + 1, fields });
  });
  const fail = (line: number, message: string): never => {
    throw new InputError(file, [{ path: '', line, message }]);
  };
  let next = 0;
  const take = (expected: string): Line => {
    const l = lines[next++];
    if (l !== undefined) return l;
    const last = lines.at(-1);
    return last === undefined
      ? fail(1, `expected ${expected}, found an empty file`)
      : fail(last.line, `expected ${expected} after this line, found the end of the file`);
  };
  const integers = (l: Line, count: number, expected: string, min: number | ((index: number) => number)): number[] => {
    if (l.fields.length !== count) fail(l.line, `expected ${expected}, found ${l.fields.length} value${l.fields.length === 1 ? '' : 's'}`);
    return l.fields.map((f, index) => {
      const x = Number(f);
      const least = typeof min === 'number' ? min : min(index);
      if (!INTEGER.test(f) || !Number.isSafeInteger(x) || x < least) fail(l.line, `expected ${expected}, found "${f}"`);
      return x;
    });
  };

  const dimsWhat = 'the number of dimensions d (one positive integer)';
  const [dims] = integers(take(dimsWhat), 1, dimsWhat, 1) as [number];
  const capWhat = `${dims} bin capacit${dims === 1 ? 'y' : 'ies'} (positive integers)`;
  const capacity = integers(take(capWhat), dims, capWhat, 1);
  const typesWhat = 'the number of item types m (one non-negative integer)';
  const [types] = integers(take(typesWhat), 1, typesWhat, 0) as [number];

  const notes: string[] = [];
  const rows: { sizes: number[]; demand: number }[] = [];
  let items = 0;
  for (let t = 0; t < types; t++) {
    const what = `item type ${t + 1} of ${types}: ${dims} size${dims === 1 ? '' : 's'} and a demand (${dims + 1} integers, the demand non-negative)`;
    const l = take(what);
    const values = integers(l, dims + 1, what, (index) => (index === dims ? 0 : Number.MIN_SAFE_INTEGER));
    const sizes = values.slice(0, dims);
    sizes.forEach((s, k) => {
      if (s > capacity[k]!) {
        fail(l.line, `item type ${t + 1}: size ${s} in dimension ${k + 1} exceeds the bin capacity ${capacity[k]!}, so it fits in no bin`);
      }
      if (s < 0) notes.push(`${file}:${l.line}: item type ${t + 1} has the negative size ${s} in dimension ${k + 1}; kept as is (it frees capacity)`);
    });
    const demand = values[dims]!;
    items += demand;
    if (items > MAX_ITEMS) fail(l.line, `more than ${MAX_ITEMS} items in all`);
    rows.push({ sizes, demand });
  }
  const extra = lines[next];
  if (extra !== undefined) fail(extra.line, `expected the end of the file after ${types} item type${types === 1 ? '' : 's'}, found "${extra.fields.join(' ')}"`);

  const sizes = new Float64Array(items * dims);
  let i = 0;
  for (const row of rows) {
    for (let q = 0; q < row.demand; q++, i++) sizes.set(row.sizes, i * dims);
  }
  return { instance: { dims, capacity: Float64Array.from(capacity), items, sizes }, notes };
}
