/** report.md: the summary and comparison tables, fit for a CI job summary or a pull-request comment. */
import { escapeMarkdown } from './escape.js';
import type { ReportModel } from './report-model.js';
import type { Table } from './tables.js';
import { comparisonTable, RATIO_LEGEND, summaryTable } from './tables.js';

function markdownTable(t: Table): string[] {
  const cell = (s: string): string => escapeMarkdown(s);
  return [
    `| ${t.header.map(cell).join(' | ')} |`,
    `| ${t.header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map((c) => (c.tone === 'better' || c.tone === 'worse' ? `**${cell(c.text)}**` : cell(c.text))).join(' | ')} |`),
  ];
}

export function markdownReport(model: ReportModel): string {
  const { summary } = model;
  const out: string[] = [`# ${escapeMarkdown(model.title)}`, ''];
  out.push(
    `${summary.runs} runs in ${summary.groups.length} groups from \`${model.source.replace(/`/g, "'")}\`.` +
      (summary.baseline === undefined ? ' No baseline policy: no comparisons.' : ` Baseline policy: **${escapeMarkdown(summary.baseline)}**.`),
  );
  if (model.failed > 0) out.push('', `**Incomplete:** ${model.failed} run(s) failed (see failures.csv); they are not in these tables.`);
  out.push('', 'Each cell: mean across seeds ± the half-width of its 95 % confidence interval (Student’s t); “(n=1)” where a single seed gives no interval.', '');
  for (const view of model.scenarios) {
    out.push(`## ${escapeMarkdown(view.name)}`, '', ...markdownTable(summaryTable(view)), '');
    const cmp = comparisonTable(view);
    if (cmp !== undefined) {
      out.push(`Compared with **${escapeMarkdown(summary.baseline!)}** (better or worse where the interval excludes 1 in bold):`, '', ...markdownTable(cmp), '');
    }
  }
  if (summary.baseline !== undefined) out.push(RATIO_LEGEND, '');
  return `${out.join('\n')}\n`;
}
