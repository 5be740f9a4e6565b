/**
 * vega-lite spec → SVG text, with vega's headless View (renderer 'none':
 * no canvas, no DOM). Text widths are estimated, so the output is the same
 * on every machine.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart.js';

/**
 * Renders a chart to SVG. Element ids (clip paths, gradients) are prefixed
 * with `idPrefix`, so several charts inlined in one page cannot collide.
 */
export async function renderSvg(spec: ChartSpec, idPrefix: string): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
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

function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`).replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}
