/**
 * vega-lite spec → vega spec → SVG text, with vega's headless View (renderer
 * 'none': no canvas, no DOM). Text widths are estimated, so the output is the
 * same on every machine. The SVG is the page's static picture (shown when
 * scripts are off); the vega spec is what the page's script draws live.
 */
import { logger, parse, View, Warn } from 'vega';
import type { Spec } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart.js';

/**
 * Quantitative axes label in plain decimals with thousands separators and no
 * trailing zeros: vega's default `~g`-like choice prints 100 as `1e+2` on an
 * axis ticked every hundred, and a constant value as `1.000000`.
 */
const AXIS_FORMAT = { axisQuantitative: { format: ',~r' } };

/**
 * vega-lite's warnings, less one: a faceted chart with independent scales
 * over layers of the same data (the platform comparison) is warned about as
 * if the layers could come from different sources, on every report.
 */
const base = logger(Warn);
const compileLogger = {
  level(...args: [number?]) {
    return args.length === 0 ? base.level() : (base.level(args[0]!), compileLogger);
  },
  error: (...args: readonly unknown[]) => (base.error(...args), compileLogger),
  warn: (...args: readonly unknown[]) => (String(args[0]).startsWith('Detected faceted independent scales that union domain') ? compileLogger : (base.warn(...args), compileLogger)),
  info: (...args: readonly unknown[]) => (base.info(...args), compileLogger),
  debug: (...args: readonly unknown[]) => (base.debug(...args), compileLogger),
};

/** The chart's vega spec (vega-lite compiled at report time, so the page ships no vega-lite). */
export function compileChart(spec: ChartSpec): Spec {
  const config = { ...AXIS_FORMAT, ...((spec.config as Record<string, unknown> | undefined) ?? {}) };
  return compile({ ...spec, config } as unknown as TopLevelSpec, { logger: compileLogger as never }).spec;
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
