import { describe, expect, it } from 'vitest';
import { htmlReport } from '../src/report/html.js';
import { markdownReport } from '../src/report/markdown.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { buildReport } from '../src/report/report-model.js';
import { renderCharts } from '../src/runner/report.js';
import { outsideScripts } from './support/html-page.js';

const EVIL = '<script>alert("x")</script>|*_&';

const row = (scenario: string, scheduler: string, seed: number, scale: number): RunRow => ({
  scenario,
  scheduler,
  queue: 'kube',
  seed,
  resources: ['cpu', 'memory', 'nvme', 'nic', 'pods'],
  metrics: {
    pods_scheduled: 10,
    delay_p50_s: 0.001 * scale * seed,
    delay_p90_s: 0.1 * scale * seed,
    delay_p99_s: 2 * scale * seed,
    delay_max_s: 5 * scale * seed,
    active_nodes_mean: 2.5 * scale,
    active_nodes_peak: 3,
    nodes_lower_bound_peak: 2,
    alloc_cpu_mean: 0.4,
    alloc_cpu_peak: 0.8,
    alloc_memory_mean: 0.3 + 0.01 * seed,
    alloc_memory_peak: 0.6,
    stranded_cpu: 0.01 * seed,
    stranded_memory: 0.02 * scale,
  },
  timing: { wallMs: 1, events: 1 },
});

/** A policy named like markup (a plugin path or sweep variant can be named anything) and a platform sweep. */
function evilRows(): RunRow[] {
  const rows: RunRow[] = [];
  for (const scenario of ['shop (platform=kubernetes)', 'shop (platform=k3s)']) {
    for (const seed of [1, 2, 3]) rows.push(row(scenario, 'kube-default', seed, 1), row(scenario, EVIL, seed, scenario.includes('k3s') ? 0.8 : 0.9));
  }
  return rows;
}

describe('report.html', () => {
  it('escapes names that come from user input, and loads nothing', async () => {
    const model = buildReport({ title: `report of ${EVIL}`, source: 'results/<x>', rows: evilRows(), baseline: 'kube-default', failed: 0 });
    const charts = await renderCharts(model);
    const html = htmlReport(model, charts);
    // Without the runtime the page runs no script: its only script elements are the charts' JSON specs, where "<" is escaped.
    expect(html.replace(/<script type="application\/json" class="spec">[^<]*<\/script>/g, '')).not.toContain('<script');
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|*_&amp;');
    expect(html).toContain('results/&lt;x&gt;');
    // No URL that a browser would fetch (the SVG namespaces are names, not requests).
    expect(outsideScripts(html).replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/(https?:|\bsrc=|<link|@import|url\((?!#))/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
  });

  it('has a summary and a comparison table per scenario and the charts of each, and the platform comparison', async () => {
    const model = buildReport({ title: 't', source: 'd', rows: evilRows(), baseline: 'kube-default', failed: 0 });
    const charts = await renderCharts(model);
    expect(charts.map((c) => `${c.chart.section}: ${c.chart.kind}`)).toEqual([
      'shop (platform=k3s): pareto',
      'shop (platform=k3s): per-seed',
      'shop (platform=kubernetes): pareto',
      'shop (platform=kubernetes): per-seed',
      'shop: platform',
    ]);
    for (const c of charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(c.svg).toMatch(/class="mark-[a-z]+ role-mark/);
    }
    const html = htmlReport(model, charts);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(5);
    expect(html.match(/<h3>Summary<\/h3>/g)).toHaveLength(2);
    expect(html.match(/<h3>Compared with kube-default<\/h3>/g)).toHaveLength(2);
    expect(html).toContain('Kubernetes vs k3s: shop');
    // Ids of clip paths and the like are unique across the inlined charts.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Deterministic: the same runs give the same bytes.
    expect(htmlReport(model, await renderCharts(model))).toBe(html);
  });

  it('report.md escapes markdown and HTML in names', () => {
    const model = buildReport({ title: 't', source: 'd', rows: evilRows(), baseline: 'kube-default', failed: 0 });
    const md = markdownReport(model);
    expect(md).not.toContain('<script');
    expect(md).toContain('&lt;script&gt;alert("x")&lt;/script&gt;\\|\\*\\_&amp;');
    // Every table row has as many cells as its header: the | in the name did not add one.
    // (The per-scenario tables have 3 columns; the Kubernetes vs k3s outcomes table has its own count.)
    const cells = (l: string): number => l.split(/(?<!\\)\|/).length;
    let header = 0;
    let rows = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('| ')) {
        header = 0;
        continue;
      }
      if (header === 0) header = cells(line);
      expect(cells(line), line).toBe(header);
      rows++;
    }
    expect(rows).toBeGreaterThan(10);
    expect(md).toContain('## Kubernetes vs k3s: shop');
  });
});
