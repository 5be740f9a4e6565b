/** `rackbench diff` output: markdown for the terminal and diff.html, a self-contained page in the report's style. */
import { escapeHtml, escapeMarkdown } from './escape.js';
import { htmlPage, sortableTable } from './html.js';
import type { SortCell } from './html.js';
import type { MetricChange, ResultsDiff } from './results-diff.js';
import { changeCells, changeTone, DIFF_HEADER, DIFF_NOTE } from './results-diff.js';

const shown = (d: ResultsDiff): { flagged: MetricChange[]; other: MetricChange[]; unchanged: number } => ({
  flagged: d.changes.filter((c) => c.status === 'significant' || c.status === 'changed'),
  other: d.changes.filter((c) => c.status === 'not-significant'),
  unchanged: d.changes.filter((c) => c.status === 'unchanged').length,
});

function headline(d: ResultsDiff): string {
  const { flagged, other, unchanged } = shown(d);
  return `${d.changes.length} scenario × policy × metric pairs compared: ${flagged.length} changed significantly, ${other.length} differ without a significant change, ${unchanged} unchanged.`;
}

function onlyLines(d: ResultsDiff): string[] {
  const out: string[] = [];
  if (d.onlyA.length > 0) out.push(`Only in A: ${d.onlyA.join('; ')}.`);
  if (d.onlyB.length > 0) out.push(`Only in B: ${d.onlyB.join('; ')}.`);
  return out;
}

export function diffMarkdown(a: string, b: string, d: ResultsDiff): string {
  const table = (rows: readonly MetricChange[]): string[] => [
    `| ${DIFF_HEADER.join(' | ')} |`,
    `| ${DIFF_HEADER.map((_, i) => (i < 4 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((c) => `| ${changeCells(c).map(escapeMarkdown).join(' | ')} |`),
  ];
  const { flagged, other } = shown(d);
  const out = [`# rackbench diff`, '', `A: \`${a.replace(/`/g, "'")}\`, B: \`${b.replace(/`/g, "'")}\`.`, '', headline(d), ''];
  for (const line of onlyLines(d)) out.push(escapeMarkdown(line), '');
  if (flagged.length > 0) out.push('## Significant changes', '', ...table(flagged), '');
  if (other.length > 0) out.push('## Differences that are not significant', '', ...table(other), '');
  out.push(DIFF_NOTE, '');
  return `${out.join('\n')}\n`;
}

function htmlRows(rows: readonly MetricChange[]): SortCell[][] {
  return rows.map((c) => {
    const cells = changeCells(c);
    const tone = changeTone(c);
    return cells.map((text, i): SortCell => {
      if (i === 4) return { text, sort: c.meanA };
      if (i === 5) return { text, sort: c.meanB };
      if (i === 6) return { text, sort: c.relative ?? c.delta, tone };
      return { text };
    });
  });
}

/** The page runs only its own script (sorting); it draws no chart, so it carries no vega runtime. */
export function diffHtml(a: string, b: string, d: ResultsDiff): string {
  const { flagged, other } = shown(d);
  const body = [
    `<header>\n<h1>rackbench diff</h1>\n<p class="meta">A: <code>${escapeHtml(a)}</code> · B: <code>${escapeHtml(b)}</code></p>\n</header>`,
    `<p class="verdict">${escapeHtml(headline(d))}</p>`,
    ...onlyLines(d).map((l) => `<p class="warning">${escapeHtml(l)}</p>`),
    flagged.length === 0 ? '' : `<h2>Significant changes</h2>\n<p class="note">Green: better, red: worse, by the metric's direction. Click a column to sort.</p>\n${sortableTable(DIFF_HEADER, htmlRows(flagged))}`,
    other.length === 0 ? '' : `<h2>Differences that are not significant</h2>\n${sortableTable(DIFF_HEADER, htmlRows(other))}`,
    `<p class="note">${escapeHtml(DIFF_NOTE)}</p>`,
  ].filter((s) => s !== '');
  return htmlPage('rackbench diff', body.join('\n'), { runtime: [] });
}
