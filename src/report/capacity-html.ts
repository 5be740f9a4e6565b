/** capacity.html: the capacity ranking and its charts in one self-contained page. */
import type { CapacityReport } from './capacity-report.js';
import { capacityFootnotes, rankingTables } from './capacity-report.js';
import { escapeHtml } from './escape.js';
import type { PageScripts, RenderedChart } from './html.js';
import { figure, htmlPage, sortableTable } from './html.js';

/** A ranking cell's sort key: its number ($1,234, 17 %, 0.8), or none for text. */
function sortKey(text: string): number | undefined {
  const x = Number.parseFloat(text.replace(/[$,%×]/g, ''));
  return Number.isFinite(x) ? x : undefined;
}

export function capacityHtml(report: CapacityReport, charts: readonly RenderedChart[], scripts?: PageScripts): string {
  const title = `rackbench capacity: ${report.scenario}`;
  const tables = rankingTables(report)
    .map((t) => `<h3>${escapeHtml(t.title)}</h3>\n${sortableTable(t.rows[0]!, t.rows.slice(1).map((r) => r.map((text) => ({ text, sort: sortKey(text) }))))}`)
    .join('\n');
  const notes = capacityFootnotes(report).map((n) => `<li>${escapeHtml(n)}</li>`);
  const slos = report.slos.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ');
  return htmlPage(
    title,
    `<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Sizing pool <code>${escapeHtml(report.pool)}</code> with ${escapeHtml(report.scheduler)} (queue ${escapeHtml(report.queue)}), seeds ${report.seeds.join(', ')}; SLOs ${slos}${report.survive > 0 ? `; surviving ${report.survive} node failure(s)` : ''}. Every price and power figure is in <code>capacity.json</code> (assumptions).</p>
</header>
<section id="ranking">
<h2>Options, cheapest first</h2>
<p class="note">nodes: the sized pool; cluster: every pool; lower bound: the fewest nodes the peak fits on statically; free: 1 − peak allocation per resource.</p>
${tables}
${notes.length > 0 ? `<ul class="note">\n${notes.join('\n')}\n</ul>` : ''}
</section>
<section id="charts">
<h2>Charts</h2>
<div class="charts">
${charts.map((c, i) => figure(c, i + 1)).join('\n')}
</div>
</section>`,
    scripts,
  );
}
