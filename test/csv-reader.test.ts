/**
 * The trace CSV splitter gives exactly the records (fields and line numbers)
 * that the csv-parse reader it replaced gave: on hand-made tricky files and
 * on random CSV content, with every chunk size down to a few bytes so that
 * records, quotes, CRLF pairs and multi-byte characters straddle chunks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvParseRows } from '../bench/csv-parse-rows.js';
import { csvRows } from '../src/workload/trace/csv-reader.js';
import { InputError } from '../src/model/yaml-input.js';
import { fileTempDir } from './support/cli.js';
import { runs } from './support/property-runs.js';

let dir = '';
beforeAll(() => {
  dir = fileTempDir();
});
let files = 0;
function fileWith(text: string): string {
  const file = join(dir, `t${files++}.csv`);
  writeFileSync(file, text);
  return file;
}

type Rows = { fields: readonly string[]; line: number }[];

function outcome(read: () => Iterable<{ fields: readonly string[]; line: number }>): { rows: Rows } | { error: true } {
  try {
    return { rows: [...read()].map((r) => ({ fields: [...r.fields], line: r.line })) };
  } catch {
    return { error: true };
  }
}

/** Both readers on `text`, the new one at several chunk sizes; all must agree. */
function expectSame(text: string, chunkSizes: readonly number[] = [1, 2, 3, 7, 64, 1 << 20]): Rows | undefined {
  const file = fileWith(text);
  const reference = outcome(() => csvParseRows(file));
  for (const size of chunkSizes) expect(outcome(() => csvRows(file, size)), `chunk ${size} of ${JSON.stringify(text)}`).toEqual(reference);
  return 'rows' in reference ? reference.rows : undefined;
}

describe('csvRows', () => {
  it.each([
    ['plain LF, trailing newline', 'a,b,c\n1,2,3\n'],
    ['no trailing newline', 'a,b\n1,2'],
    ['CRLF', 'a,b\r\n1,2\r\n'],
    ['CRLF without the last one', 'a,b\r\n1,2'],
    ['CR only', 'a,b\r1,2\r'],
    ['quotes with embedded commas and escaped quotes', 'name,v\n"x, y","he said ""hi"""\n'],
    ['newlines inside quotes count as lines', '"a\nb\nc",1\nnext,2\n"\r\nq",3\n'],
    ['CRLF inside quotes in a CRLF file', '"x\r\ny",1\r\n2,3\r\n'],
    ['empty fields and lines', ',,\n\n,x,\n\n\n"",""\n""\n'],
    ['empty lines in CRLF', 'a\r\n\r\nb\r\n'],
    ['BOM', '\uFEFFa,b\n1,2\n'],
    ['BOM and CRLF and quotes', '\uFEFF"a","b"\r\n"1",2'],
    ['a lone CR inside an LF file stays in the field', 'a,b\nc\r,d\n\r\ne\n'],
    ['a lone LF inside a CRLF file stays in the field (and counts as a line)', 'a,b\r\nc\nd,e\r\nf\r\n'],
    ['multi-byte text', 'näme,ℂ\n"日本, 語",😀\n'],
    ['only a header', 'a,b,c'],
    ['empty file', ''],
    ['only newlines', '\n\n\n'],
    ['quote then CR delimiter', '"a"\rb\n'],
    ['rows of more fields than the splitter first has room for', `${Array.from({ length: 300 }, (_, i) => `f${i}`).join(',')}\n${','.repeat(130)}\n`],
  ])('gives the records csv-parse gave: %s', (_name, text) => {
    expect(expectSame(text)).toBeDefined();
  });

  it('fields are cut where the commas are and lines counted from 1', () => {
    expect(expectSame('a,"b,c"\n\n"d\ne",f\ng')).toEqual([
      { fields: ['a', 'b,c'], line: 1 },
      { fields: ['d\ne', 'f'], line: 3 },
      { fields: ['g'], line: 5 },
    ]);
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\nab"c,d\n', 2],
    ['text after a closing quote', 'x\n"a" ,b\n', 2],
    ['an unclosed quote', 'a\nb\n"open,\n', 3],
  ])('rejects %s, naming the file and line', (_name, text, line) => {
    const file = fileWith(text);
    expect(outcome(() => csvParseRows(file))).toEqual({ error: true });
    for (const size of [1, 5, 1 << 20]) {
      let err: unknown;
      try {
        for (const _ of csvRows(file, size)) void _;
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const message = (err as InputError).message;
      expect(message).toContain(file);
      expect(message).toMatch(new RegExp(`\\b${line}\\b`));
      expect(message).toContain('not valid CSV');
    }
  });

  it('gives the records csv-parse gave on random CSV', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', ' ', '.', '-', 'é', '語', '😀'), maxLength: 6 });
    const quoted = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é'), maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`);
    const field = fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: quoted, weight: 1 }, { arbitrary: fc.constant(''), weight: 1 });
    const record = fc.array(field, { minLength: 1, maxLength: 5 }).map((f) => f.join(','));
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        (records, eol, trailing, bom, chunk) => {
          const text = (bom ? '\uFEFF' : '') + records.join(eol) + (trailing ? eol : '');
          expectSame(text, [chunk, 1 << 20]);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
