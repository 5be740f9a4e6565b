/**
 * report.html: one self-contained file that opens from a disk, an artifact
 * store or an air-gapped laptop. Each chart is an inline SVG drawn at report
 * time (what shows with scripts off) and its vega spec; the vega runtime is
 * inlined, and the page's script draws the charts live (tooltips, zoom, the
 * legend switching policies off). A Content-Security-Policy allows those
 * inline scripts by hash only, no eval, and loads nothing from anywhere.
 */
import { createHash } from 'node:crypto';
import type { Spec } from 'vega';
import type { Chart } from './chart.js';
import { anchorId, escapeHtml } from './escape.js';
import { formatValue, KEY_METRICS } from './metric-info.js';
import { PAGE_SCRIPT } from './page-script.js';
import { policyColour } from './palette.js';
import { platformNodesTable, platformNote, platformOutcomesTable, setTitle } from './platform-compare.js';
import type { ReportModel, ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import type { SweepFamily } from './sweep-families.js';
import { familySection } from './sweep-charts.js';
import type { Table } from './tables.js';
import { comparisonTable, metricLabel, RATIO_LEGEND } from './tables.js';
import { verdict } from './verdict.js';

export interface RenderedChart {
  readonly chart: Chart;
  /** The chart as SVG markup (from renderSvg, whose text content vega has escaped). */
  readonly svg: string;
  /** The compiled vega spec the page draws live; none for a static-only page. */
  readonly vega?: Spec | undefined;
}

/** Scripts of an interactive page: the vega runtime (vega, vega-embed), inlined in this order before the page's own. */
export interface PageScripts {
  readonly runtime: readonly string[];
}

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; max-width: 1180px; padding: 0 1.5rem 1.5rem; color: #1b1b1b; line-height: 1.45; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
.meta, figcaption, .note { color: #555; font-size: .9rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
.legend { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #ddd; padding: .4rem 0; display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; font-size: .85rem; }
.legend .label { color: #555; margin-right: .25rem; }
.legend button { font: inherit; border: 1px solid #ccc; border-radius: 3px; background: #fff; padding: .1rem .45rem; cursor: pointer; display: inline-flex; align-items: center; gap: .35rem; }
.legend button[aria-pressed="false"] { opacity: .4; text-decoration: line-through; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; }
.verdict { background: #f3f6fa; border-left: 4px solid #4477aa; padding: .5rem .75rem; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
thead th { background: #f5f5f5; text-align: right; position: sticky; top: 0; }
th:first-child, td:first-child { text-align: left; }
tbody th { position: sticky; left: 0; background: #fff; text-align: left; font-weight: 600; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td .ci { color: #777; font-size: .8em; }
td.better { color: #116329; background: #e6f4ea; font-weight: 600; }
td.worse { color: #a40e26; background: #fce8e6; font-weight: 600; }
td.changed { color: #7a4b00; background: #fff4d6; }
.warning { background: #fff4d6; border-left: 4px solid #d29922; padding: .5rem .75rem; }
.charts { display: flex; flex-direction: column; gap: 1.5rem; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { max-width: 760px; }
details > summary { cursor: pointer; }
`;

export function htmlTable(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c.text)}</th>` : `<td${c.tone === 'plain' ? '' : ` class="${c.tone}"`}>${escapeHtml(c.text)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** A cell of a sortable table: its text, an optional interval below, the number it sorts by and its tone. */
export interface SortCell {
  readonly text: string;
  readonly ci?: string | undefined;
  readonly sort?: number | undefined;
  readonly tone?: 'better' | 'worse' | 'changed' | 'plain' | undefined;
}

/** A table whose columns sort on a click (the page script); wide tables scroll sideways in their frame. */
export function sortableTable(header: readonly string[], rows: readonly (readonly SortCell[])[], rowHeads = 1): string {
  const head = `<tr>${header.map((h) => `<th scope="col"><button type="button">${escapeHtml(h)}</button></th>`).join('')}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) => {
            const sort = c.sort === undefined ? '' : ` data-sort="${c.sort}"`;
            const text = `${escapeHtml(c.text)}${c.ci === undefined ? '' : ` <span class="ci">${escapeHtml(c.ci)}</span>`}`;
            const tone = c.tone === undefined || c.tone === 'plain' ? '' : ` class="${c.tone}"`;
            return i < rowHeads ? `<th scope="row"${sort}>${text}</th>` : `<td${sort}${tone}>${text}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table class="sortable">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** A metric's cells for a group: the mean, and the bootstrap interval when there are two seeds or more. */
function metricCell(model: ReportModel, view: ScenarioView, g: ScenarioView['groups'][number], metric: string): SortCell {
  const s = model.seeds.spread(g, metric);
  if (s === undefined) return { text: '–' };
  const ci = s.ci === null ? '(n=1)' : s.ci.lo === s.ci.hi ? undefined : `[${formatValue(metric, s.ci.lo)}, ${formatValue(metric, s.ci.hi)}]`;
  return { text: formatValue(metric, s.mean), ci, sort: s.mean };
}

/** One row per policy, one column per key metric: the mean across seeds and its 95 % bootstrap interval. */
function policyTable(model: ReportModel, view: ScenarioView): string {
  const metrics = KEY_METRICS.filter((m) => view.groups.some((g) => g.metrics[m] !== undefined));
  const header = ['policy', 'seeds', ...metrics.map(metricLabel)];
  const rows = view.groups.map((g) => [{ text: seriesName(view, g) }, { text: String(g.seeds.length), sort: g.seeds.length }, ...metrics.map((m) => metricCell(model, view, g, m))]);
  return sortableTable(header, rows);
}

/** A sweep family's table: one row per point and policy. */
function familyTable(model: ReportModel, family: SweepFamily): string {
  const views = family.points.flatMap((p) => {
    const v = model.scenarios.find((s) => s.name === p.scenario);
    return v === undefined ? [] : [{ p, v }];
  });
  const metrics = KEY_METRICS.filter((m) => views.some(({ v }) => v.groups.some((g) => g.metrics[m] !== undefined)));
  const header = [family.parameter, ...family.others, 'policy', 'seeds', ...metrics.map(metricLabel)];
  const rows = views.flatMap(({ p, v }) =>
    v.groups.map((g) => [
      { text: p.value, sort: p.x },
      ...family.others.map((o) => {
        const value = p.panel.split(', ').find((kv) => kv.startsWith(`${o}=`))?.slice(o.length + 1) ?? '';
        return { text: value, sort: Number.isFinite(Number.parseFloat(value)) ? Number.parseFloat(value) : undefined };
      }),
      { text: seriesName(v, g) },
      { text: String(g.seeds.length), sort: g.seeds.length },
      ...metrics.map((m) => metricCell(model, v, g, m)),
    ]),
  );
  return sortableTable(header, rows, 1);
}

export function figure(r: RenderedChart, n: number): string {
  // The spec is JSON in a non-executed script element; "<" is escaped so no text can close it.
  const live = r.vega === undefined ? '' : `\n<div class="live" hidden></div>\n<script type="application/json" class="spec">${JSON.stringify(r.vega).replace(/</g, '\\u003c')}</script>`;
  return `<figure class="chart" id="chart-${n}" data-kind="${escapeHtml(r.chart.kind)}">\n<div class="static">${r.svg}</div>${live}\n<figcaption><strong>${escapeHtml(r.chart.title)}.</strong> ${escapeHtml(r.chart.caption)}</figcaption>\n</figure>`;
}

/** The page legend: one colour per policy for every chart; a click switches the policy off and on everywhere. */
export function legend(series: readonly string[]): string {
  if (series.length === 0) return '';
  const keys = series.map((s, i) => `<button type="button" data-policy="${escapeHtml(s)}" aria-pressed="true"><span class="swatch" style="background:${policyColour(i)}"></span>${escapeHtml(s)}</button>`);
  return `<div class="legend" role="group" aria-label="policies"><span class="label">Policies (click to hide or show in every chart):</span>\n${keys.join('\n')}\n</div>`;
}

export function htmlReport(model: ReportModel, charts: readonly RenderedChart[], scripts?: PageScripts): string {
  const { summary } = model;
  const sections: string[] = [];
  const toc: string[] = [];
  const numbered = new Map(charts.map((c, i) => [c, i + 1]));
  const chartsOf = (section: string): string => {
    const mine = charts.filter((c) => c.chart.section === section);
    return mine.length === 0 ? '' : `<div class="charts">\n${mine.map((c) => figure(c, numbered.get(c)!)).join('\n')}\n</div>`;
  };
  const inFamily = new Set(model.families.flatMap((f) => f.points.map((p) => p.scenario)));
  let n = 0;

  for (const family of model.families) {
    const id = anchorId(familySection(family), ++n);
    toc.push(`<li><a href="#${id}">${escapeHtml(family.name)}: sweep over ${escapeHtml(family.parameter)}</a></li>`);
    const verdicts = family.points.flatMap((p) => {
      const v = model.scenarios.find((s) => s.name === p.scenario);
      return v === undefined ? [] : [`<li><strong>${escapeHtml(p.panel === '' ? `${family.parameter}=${p.value}` : `${family.parameter}=${p.value}, ${p.panel}`)}</strong>: ${escapeHtml(verdict(v, model.seeds).text)}</li>`];
    });
    sections.push(
      [
        `<section id="${id}">`,
        `<h2>${escapeHtml(family.name)}: sweep over ${escapeHtml(family.parameter)}</h2>`,
        `<p class="note">${family.points.length} points: ${escapeHtml(family.parameter)} = ${escapeHtml(family.values.join(', '))}${family.others.length > 0 ? `, for each of ${escapeHtml(family.panels.join('; '))}` : ''}. Each metric is drawn against the swept value; every point's numbers are in the table below and in groups.csv.</p>`,
        `<details><summary>Verdict at each point</summary>\n<ul class="verdict">\n${verdicts.join('\n')}\n</ul></details>`,
        `<h3>Charts</h3>`,
        chartsOf(familySection(family)),
        `<h3>Every point</h3>`,
        `<p class="note">Mean across seeds, and in brackets its 95 % percentile bootstrap interval. Click a column to sort.</p>`,
        familyTable(model, family),
        `</section>`,
      ].join('\n'),
    );
  }

  model.scenarios.forEach((view) => {
    if (inFamily.has(view.name)) return;
    const id = anchorId(view.name, ++n);
    toc.push(`<li><a href="#${id}">${escapeHtml(view.name)}</a></li>`);
    const cmp = comparisonTable(view, model.seeds);
    sections.push(
      [
        `<section id="${id}">`,
        `<h2>${escapeHtml(view.name)}</h2>`,
        `<p class="verdict"><strong>Verdict.</strong> ${escapeHtml(verdict(view, model.seeds).text)}</p>`,
        `<h3>Summary</h3>`,
        `<p class="note">Mean across seeds, and in brackets its 95 % percentile bootstrap interval. Click a column to sort.</p>`,
        policyTable(model, view),
        cmp === undefined ? '' : `<h3>Compared with ${escapeHtml(summary.baseline!)}</h3>\n<p class="note">${escapeHtml(RATIO_LEGEND)}</p>\n${htmlTable(cmp)}`,
        `<h3>Charts</h3>`,
        chartsOf(view.name),
        `</section>`,
      ]
        .filter((s) => s !== '')
        .join('\n'),
    );
  });
  model.platforms.forEach((set) => {
    const id = anchorId(`platform ${set.name}`, ++n);
    toc.push(`<li><a href="#${id}">${escapeHtml(setTitle(set))}</a></li>`);
    const nodes = platformNodesTable(set, model.platformNodes);
    sections.push(
      [
        `<section id="${id}">`,
        `<h2>${escapeHtml(setTitle(set))}</h2>`,
        `<p class="note">${escapeHtml(platformNote(set, model.platformNodes))}</p>`,
        nodes === undefined ? '' : `<h3>Each node, after reserved resources and the platform pods pinned to it (cpu · memory · pods)</h3>\n${htmlTable(nodes)}`,
        `<h3>Outcomes per policy and platform</h3>\n${htmlTable(platformOutcomesTable(set, summary, false, model.seeds))}`,
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
  const sketches = model.sketches.length > 0 ? '' : ' The results have no <code>sketches.json</code> (made by an older version), so delay distributions are not drawn.';
  return htmlPage(
    model.title,
    `<header>
<h1>${escapeHtml(model.title)}</h1>
<p class="meta">${summary.runs} runs in ${summary.groups.length} groups (scenario × policy × queue) from <code>${escapeHtml(model.source)}</code>. ${baseline}</p>
${model.failed > 0 ? `<p class="warning">Incomplete: ${model.failed} run(s) failed (see <code>failures.csv</code>) and are missing from these figures.</p>` : ''}
</header>
${legend(model.series)}
<nav><ul>
${toc.join('\n')}
</ul></nav>
<p class="note">Every number here comes from the results directory: per-seed values from <code>runs.csv</code>, distributions from <code>sketches.json</code>, timelines from <code>timeseries.csv</code> and <code>nodes.csv</code>; <code>groups.csv</code> and <code>summary.json</code> hold every group and metric (their <code>ci95</code> is Student’s t, as documented).${sketches} Charts show tooltips on hover; time axes zoom with the wheel or a drag (double-click resets).</p>
${sections.join('\n')}`,
    scripts,
  );
}

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Drops a trailing source-map comment: the page loads no file beside it. */
const withoutSourceMap = (code: string): string => code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');

/**
 * A self-contained page: inline CSS, and with `scripts` the vega runtime and
 * the page script inline. The Content-Security-Policy loads nothing from
 * anywhere and runs only the inline scripts whose hashes it lists (no eval).
 */
export function htmlPage(title: string, body: string, scripts?: PageScripts): string {
  const code = scripts === undefined ? [] : [...scripts.runtime.map(withoutSourceMap), PAGE_SCRIPT];
  const scriptSrc = code.length === 0 ? '' : `; script-src ${code.map(sha256).join(' ')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${scriptSrc}">
<meta name="generator" content="rackbench">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
${code.map((c) => `<script>${c}</script>`).join('\n')}
</body>
</html>
`;
}
