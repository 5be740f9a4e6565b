/**
 * report.html: one self-contained file. Tables and inline SVG charts (drawn
 * at report time), inline CSS, system fonts; no scripts and no URLs, and a
 * Content-Security-Policy that forbids loading anything, so it opens the same
 * from a disk, an artifact store or an air-gapped laptop.
 */
import type { Chart } from './chart.js';
import { anchorId, escapeHtml } from './escape.js';
import { platformNodesTable, platformNote, platformOutcomesTable, setTitle } from './platform-compare.js';
import type { ReportModel } from './report-model.js';
import type { Table } from './tables.js';
import { comparisonTable, RATIO_LEGEND, summaryTable } from './tables.js';

export interface RenderedChart {
  readonly chart: Chart;
  /** The chart as SVG markup (from renderSvg, whose text content vega has escaped). */
  readonly svg: string;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; max-width: 1180px; padding: 1.5rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
.meta, figcaption, .note { color: #555; font-size: .9rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
th { background: #f5f5f5; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.better { color: #116329; background: #e6f4ea; font-weight: 600; }
td.worse { color: #a40e26; background: #fce8e6; font-weight: 600; }
td.changed { color: #7a4b00; background: #fff4d6; }
.warning { background: #fff4d6; border-left: 4px solid #d29922; padding: .5rem .75rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { max-width: 560px; }
`;

export function htmlTable(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c.text)}</th>` : `<td${c.tone === 'plain' ? '' : ` class="${c.tone}"`}>${escapeHtml(c.text)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

export function figure(r: RenderedChart, n: number): string {
  return `<figure class="chart" id="chart-${n}" data-kind="${escapeHtml(r.chart.kind)}">\n${r.svg}\n<figcaption><strong>${escapeHtml(r.chart.title)}.</strong> ${escapeHtml(r.chart.caption)}</figcaption>\n</figure>`;
}

export function htmlReport(model: ReportModel, charts: readonly RenderedChart[]): string {
  const { summary } = model;
  const sections: string[] = [];
  const toc: string[] = [];
  let chartNo = 0;
  const chartsOf = (section: string): string => {
    const mine = charts.filter((c) => c.chart.section === section);
    return mine.length === 0 ? '' : `<div class="charts">\n${mine.map((c) => figure(c, ++chartNo)).join('\n')}\n</div>`;
  };

  model.scenarios.forEach((view, i) => {
    const id = anchorId(view.name, i + 1);
    toc.push(`<li><a href="#${id}">${escapeHtml(view.name)}</a></li>`);
    const cmp = comparisonTable(view);
    sections.push(
      [
        `<section id="${id}">`,
        `<h2>${escapeHtml(view.name)}</h2>`,
        `<h3>Summary</h3>`,
        htmlTable(summaryTable(view)),
        cmp === undefined ? '' : `<h3>Compared with ${escapeHtml(summary.baseline!)}</h3>\n${htmlTable(cmp)}`,
        `<h3>Charts</h3>`,
        chartsOf(view.name),
        `</section>`,
      ]
        .filter((s) => s !== '')
        .join('\n'),
    );
  });
  model.platforms.forEach((set, i) => {
    const id = anchorId(`platform ${set.name}`, i + 1);
    toc.push(`<li><a href="#${id}">${escapeHtml(setTitle(set))}</a></li>`);
    const nodes = platformNodesTable(set, model.platformNodes);
    sections.push(
      [
        `<section id="${id}">`,
        `<h2>${escapeHtml(setTitle(set))}</h2>`,
        `<p class="note">${escapeHtml(platformNote(set, model.platformNodes))}</p>`,
        nodes === undefined ? '' : `<h3>Each node, after reserved resources and the platform pods pinned to it (cpu · memory · pods)</h3>\n${htmlTable(nodes)}`,
        `<h3>Outcomes per policy and platform</h3>\n${htmlTable(platformOutcomesTable(set, summary, false))}`,
        chartsOf(set.name),
        `</section>`,
      ]
        .filter((x) => x !== '')
        .join('\n'),
    );
  });

  const baseline =
    summary.baseline === undefined
      ? 'No baseline policy was chosen, so there are no comparisons (<code>rackbench report DIR --baseline NAME</code>).'
      : `Baseline policy: <strong>${escapeHtml(summary.baseline)}</strong>.`;
  return htmlPage(
    model.title,
    `<header>
<h1>${escapeHtml(model.title)}</h1>
<p class="meta">${summary.runs} runs in ${summary.groups.length} groups (scenario × policy × queue) from <code>${escapeHtml(model.source)}</code>. ${baseline}</p>
${model.failed > 0 ? `<p class="warning">Incomplete: ${model.failed} run(s) failed (see <code>failures.csv</code>) and are missing from these figures.</p>` : ''}
</header>
<nav><ul>
${toc.join('\n')}
</ul></nav>
<p class="note">Tables: mean across seeds ± the half-width of its 95 % confidence interval (Student’s t with n − 1 degrees of freedom); “(n=1)” where a single seed gives no interval. ${summary.baseline === undefined ? '' : escapeHtml(RATIO_LEGEND)} Every figure per group and metric is in <code>groups.csv</code> and <code>summary.json</code>.</p>
${sections.join('\n')}`,
  );
}

/** A self-contained page: inline CSS, no scripts, a Content-Security-Policy that loads nothing. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="rackbench">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
