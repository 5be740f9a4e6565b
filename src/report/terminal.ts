/** The comparison with a baseline for a terminal: one table per scenario, coloured where a colour helps. */
import type { ReportModel } from './report-model.js';
import type { Cell, Table, Tone } from './tables.js';
import { comparisonTable, RATIO_LEGEND } from './tables.js';

/** The few colour functions used; identity functions when colour is off (NO_COLOR, not a terminal). */
export interface Colours {
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

/** Control characters in a name (an escape sequence in a plugin's file name) would drive the terminal: show them as �. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');

// Code points, not UTF-16 units, so ×, ±, ▲ and ▼ count as one column each.
const width = (s: string): number => [...s].length;
const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - width(s))) + s;

function paint(c: Colours, tone: Tone, s: string): string {
  if (tone === 'better') return c.green(s);
  if (tone === 'worse') return c.red(s);
  if (tone === 'changed') return c.yellow(s);
  return s;
}

function drawTable(t: Table, c: Colours): string[] {
  t = { header: t.header.map(printable), rows: t.rows.map((r) => r.map((cell) => ({ ...cell, text: printable(cell.text) }))) };
  const widths = t.header.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i]?.text ?? ''))));
  const line = (cells: readonly Cell[], head: boolean): string =>
    cells
      .map((cell, i) => {
        const padded = i === 0 ? padEnd(cell.text, widths[i]!) : padStart(cell.text, widths[i]!);
        return head ? c.bold(padded) : paint(c, cell.tone, padded);
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      t.header.map((text) => ({ text, tone: 'plain' })),
      true,
    ),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...t.rows.map((r) => line(r, false)),
  ];
}

export function terminalComparison(model: ReportModel, colours: Colours, metrics?: readonly string[]): string {
  const out: string[] = [];
  for (const view of model.scenarios) {
    const table = comparisonTable(view, model.seeds, metrics);
    if (table === undefined) {
      out.push(colours.bold(printable(view.name)), colours.dim(`  (no ${printable(model.summary.baseline ?? 'baseline')} runs in this scenario)`), '');
      continue;
    }
    const seeds = view.baselineGroup!.seeds.length;
    out.push(`${colours.bold(printable(view.name))}  ${colours.dim(`baseline ${printable(view.baselineGroup!.scheduler)}, queue ${printable(view.baselineGroup!.queue)}, ${seeds} seed${seeds === 1 ? '' : 's'}`)}`);
    out.push(...drawTable(table, colours), '');
  }
  out.push(colours.dim(RATIO_LEGEND), colours.dim('Green: better, red: worse, yellow: changed where neither is better.'));
  return `${out.join('\n')}\n`;
}
