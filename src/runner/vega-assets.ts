/**
 * The vega runtime a report page inlines: vega's and vega-embed's minified
 * browser builds, read from the installed packages (vega-embed bundles
 * vega-tooltip and vega's CSP-safe expression interpreter). vega-lite is
 * compiled away at report time, so the page does not carry it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

let cached: readonly string[] | undefined;

/** The runtime scripts, in load order (vega, then vega-embed). */
export function vegaRuntime(): readonly string[] {
  if (cached === undefined) {
    const vega = join(dirname(require.resolve('vega')), 'vega.min.js');
    const embed = join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js');
    cached = [vega, embed].map((f) => readFileSync(f, 'utf8'));
  }
  return cached;
}
