import { stringify } from 'csv-stringify/sync';
import type { Cell, QueryResult } from '../runner/query.js';
import { queryResults } from '../runner/query.js';
import { EXIT_OK } from './exit.js';

export interface QueryFlags {
  readonly csv?: boolean;
  readonly json?: boolean;
}

const text = (c: Cell): string => (c === null ? '' : typeof c === 'number' ? String(Number(c.toPrecision(12))) : String(c));

/** Columns padded to their widest cell; numbers to the right. */
function table(r: QueryResult): string {
  const cells = [r.columns.map(String), ...r.rows.map((row) => row.map(text))];
  const widths = r.columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const numeric = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  const line = (row: readonly string[]): string =>
    row
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line), `(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`].join('\n');
}

export async function queryCommand(dir: string, sql: string, flags: QueryFlags): Promise<number> {
  const result = await queryResults(dir, sql);
  if (flags.json) {
    const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
    process.stdout.write(`${JSON.stringify(objects, null, 2)}\n`);
  } else if (flags.csv) {
    process.stdout.write(stringify([result.columns, ...result.rows.map((row) => row.map((c) => (c === null ? '' : c)))], { record_delimiter: 'unix', escape_formulas: true }));
  } else {
    console.log(table(result));
  }
  return EXIT_OK;
}
