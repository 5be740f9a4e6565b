/**
 * sketches.json: per run, a DDSketch of each delay metric (see
 * metrics/delay-sketches.ts), keyed by scenario, scheduler, queue and seed as
 * runs.csv keys its rows, in runs.csv order. One run per line, so the file
 * diffs and streams well; deterministic like runs.csv.
 */
import { SKETCH_RELATIVE_ACCURACY } from '../core/quantile-sketch.js';
import type { SketchData } from '../core/quantile-sketch.js';
import { SKETCHED_METRICS } from '../metrics/delay-sketches.js';
import type { RunSketches, SketchedMetric } from '../metrics/delay-sketches.js';
import { round6 } from './format.js';
import type { RunRow } from './runs-csv.js';
import { sortRows } from './runs-csv.js';

export const SKETCHES_JSON = 'sketches.json';
export const SKETCHES_FORMAT = 'rackbench-sketches/1';

/** One run's sketches as sketches.json holds them. */
export interface SketchEntry {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
  readonly sketches: RunSketches;
}

export function sketchKey(r: Pick<RunRow, 'scenario' | 'scheduler' | 'queue' | 'seed'>): string {
  return `${r.scenario}\u0000${r.scheduler}\u0000${r.queue}\u0000${r.seed}`;
}

const rounded = (d: SketchData): SketchData => ({ ...d, min: round6(d.min), max: round6(d.max), sum: round6(d.sum) });

/** The file's text; undefined when no run kept sketches (results of an older version). */
export function sketchesJson(rows: readonly (RunRow & { readonly sketches?: RunSketches | undefined })[]): string | undefined {
  const kept = sortRows(rows).filter((r) => r.sketches !== undefined);
  if (kept.length === 0) return undefined;
  const head = {
    format: SKETCHES_FORMAT,
    sketch: 'DDSketch',
    relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
    mapping: 'logarithmic: bin i holds the values x with ⌈log_γ x⌉ = i, γ = (1 + α) / (1 − α); its value is 2γ^i / (1 + γ)',
    unit: 's',
    metrics: [...SKETCHED_METRICS],
  };
  const lines = kept.map((r) => {
    const entry: Record<string, unknown> = { scenario: r.scenario, scheduler: r.scheduler, queue: r.queue, seed: r.seed };
    for (const m of SKETCHED_METRICS) entry[m] = rounded(r.sketches![m]);
    return JSON.stringify(entry);
  });
  const top = JSON.stringify(head, null, 2).slice(0, -2);
  return `${top},\n  "runs": [\n    ${lines.join(',\n    ')}\n  ]\n}\n`;
}

/** Parses sketches.json text; throws an Error naming what is wrong. */
export function parseSketches(text: string): SketchEntry[] {
  const data = JSON.parse(text) as { format?: unknown; relativeAccuracy?: unknown; runs?: unknown };
  if (data.format !== SKETCHES_FORMAT) throw new Error(`expected format ${SKETCHES_FORMAT}`);
  if (data.relativeAccuracy !== SKETCH_RELATIVE_ACCURACY) throw new Error(`sketches of relative accuracy ${String(data.relativeAccuracy)} cannot be read (expected ${SKETCH_RELATIVE_ACCURACY})`);
  if (!Array.isArray(data.runs)) throw new Error('no runs list');
  return data.runs.map((raw: unknown, i: number): SketchEntry => {
    const r = raw as Record<string, unknown>;
    if (typeof r.scenario !== 'string' || typeof r.scheduler !== 'string' || typeof r.queue !== 'string' || !Number.isInteger(r.seed)) {
      throw new Error(`runs[${i}]: expected scenario, scheduler, queue and an integer seed`);
    }
    const sketches = {} as Record<SketchedMetric, SketchData>;
    for (const m of SKETCHED_METRICS) {
      const d = r[m] as Partial<SketchData> | undefined;
      if (d === undefined || !Array.isArray(d.bins) || typeof d.count !== 'number' || typeof d.zeros !== 'number') throw new Error(`runs[${i}].${m}: not a sketch`);
      sketches[m] = d as SketchData;
    }
    return { scenario: r.scenario, scheduler: r.scheduler, queue: r.queue, seed: r.seed as number, sketches };
  });
}
