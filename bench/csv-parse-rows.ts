/**
 * The trace CSV layer as it was built on csv-parse (a Parser fed 1 MiB
 * chunks, records read synchronously): kept as the reference that the
 * byte-level splitter in src/workload/trace/csv-reader.ts is compared with,
 * for speed (split:csv-parse in bench/trace.ts) and for the records it gives
 * (test/csv-reader.test.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Parser } from 'csv-parse';
import type { CsvRow } from '../src/workload/trace/csv-reader.js';

/** The records of a CSV file as csv-parse gives them, with the same line numbers and empty-line skipping; throws on a CSV syntax error with its line. */
export function* csvParseRows(file: string, chunkBytes = 1 << 20): Generator<CsvRow, void> {
  const parser = new Parser({ relax_column_count: true, skip_empty_lines: false, bom: true });
  parser.on('error', () => undefined);
  const failed = (): Error => {
    const err = parser.errored as (Error & { lines?: number }) | null;
    return Object.assign(new Error(`line ${err?.lines}: ${err?.message ?? 'unknown error'}`), { line: err?.lines });
  };
  let line = 0;
  const drain = function* (): Generator<CsvRow, void> {
    for (let r = parser.read() as string[] | null; r !== null; r = parser.read() as string[] | null) {
      const start = line + 1;
      line = start;
      for (const f of r) {
        for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) line++;
      }
      if (r.length === 1 && (r[0] === '' || r[0] === '\r')) continue;
      yield { fields: r, line: start };
    }
  };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) break;
      parser.write(Buffer.from(buffer.subarray(0, n)));
      if (parser.errored) throw failed();
      yield* drain();
    }
  } finally {
    closeSync(fd);
  }
  parser.end();
  if (parser.errored) throw failed();
  yield* drain();
}
