/**
 * vega-lite spec → vega spec → SVG text, with vega's headless View (renderer
 * 'none': no canvas, no DOM). Text widths are estimated, so the output is the
 * same on every machine. The SVG is the page's static picture (shown when
 * scripts are off); the vega spec is what the page's script draws live.
 */
import { parse, View } from 'vega';
import type { Spec } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart.js';

/** The chart's vega spec (vega-lite compiled at report time, so the page ships no vega-lite). */
export function compileChart(spec: ChartSpec): Spec {
  return compile(spec as unknown as TopLevelSpec).spec;
}

/**
 * Renders a compiled chart to SVG. Element ids (clip paths, gradients) are
 * prefixed with `idPrefix`, so several charts inlined in one page cannot collide.
 */
export async function renderSvg(compiled: Spec, idPrefix: string): Promise<string> {
  // A loader that refuses every URL: a report's data is always inline.
  const view = new View(parse(compiled), { renderer: 'none', loader: noLoader });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

const refuse = (): Promise<never> => Promise.reject(new Error('report charts load no external data'));
const noLoader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/**
 * Gives every element id of the SVG a name of its own: `prefix-1`, `prefix-2`, … in
 * order of appearance. vega numbers clip paths and gradients from a counter
 * global to the process, so its own ids depend on what was drawn before; these
 * depend on the chart alone.
 */
function prefixIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!names.has(m[1]!)) names.set(m[1]!, `${prefix}-${names.size + 1}`);
  const rename = (id: string): string => names.get(id) ?? `${prefix}-${id}`;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${rename(id)}"`);
}
