/** report.md: the summary and comparison tables, fit for a CI job summary or a pull-request comment. */
import { escapeMarkdown } from './escape.js';
import { platformNodesTable, platformNote, platformOutcomesTable, setTitle } from './platform-compare.js';
import type { PlatformSet } from './platform-sets.js';
import type { PlatformNodeRow } from './platforms-csv.js';
import type { ReportModel } from './report-model.js';
import type { SeedIndex } from './seed-values.js';
import type { Summary } from './summary.js';
import type { Table } from './tables.js';
import { comparisonTable, RATIO_LEGEND, summaryTable } from './tables.js';
import { verdict } from './verdict.js';

export function markdownTable(t: Table): string[] {
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
  out.push('', 'Each cell: mean across seeds and in brackets its 95 % percentile bootstrap interval (2,000 seeded resamples; it stays within the values seen, so never below 0 for a count or a delay); “(n=1)” where a single seed gives no interval. groups.csv and summary.json also give the Student’s t half-width, `ci95`.', '');
  for (const view of model.scenarios) {
    out.push(`## ${escapeMarkdown(view.name)}`, '', `**Verdict.** ${escapeMarkdown(verdict(view, model.seeds).text)}`, '', ...markdownTable(summaryTable(view, model.seeds)), '');
    const cmp = comparisonTable(view, model.seeds);
    if (cmp !== undefined) {
      out.push(`Compared with **${escapeMarkdown(summary.baseline!)}** (better or worse where the interval excludes 1 in bold):`, '', ...markdownTable(cmp), '');
    }
  }
  out.push(...platformSections(model.platforms, model.platformNodes, summary, model.seeds));
  if (summary.baseline !== undefined) out.push(RATIO_LEGEND, '');
  return `${out.join('\n')}\n`;
}

/** Per scenario run on several platforms: each node's budget and the outcomes, side by side (lines of markdown). */
export function platformSections(sets: readonly PlatformSet[], rows: readonly PlatformNodeRow[], summary: Pick<Summary, 'groups'>, seeds?: SeedIndex): string[] {
  const out: string[] = [];
  for (const set of sets) {
    out.push(`## ${escapeMarkdown(setTitle(set))}`, '', escapeMarkdown(platformNote(set, rows)), '');
    const nodes = platformNodesTable(set, rows);
    if (nodes !== undefined) out.push('Each node, after reserved resources and the platform pods pinned to it (cpu · memory · pods):', '', ...markdownTable(nodes), '');
    out.push(`Outcomes per policy and platform (mean across seeds${seeds === undefined ? '' : ' and its 95 % bootstrap interval'}):`, '', ...markdownTable(platformOutcomesTable(set, summary, false, seeds)), '');
  }
  return out;
}
