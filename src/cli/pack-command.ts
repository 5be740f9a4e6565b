/** `rackbench pack`: offline vector bin packing of a `.vbp` instance with the heuristics of src/schedulers/vbp. */
import { UsageError } from '../core/errors.js';
import { readInputText } from '../model/yaml-input.js';
import { checkHeuristicName, HEURISTIC_NAMES, packWith } from '../schedulers/vbp/heuristics.js';
import { lowerBound } from '../schedulers/vbp/lower-bound.js';
import { parseVbp } from '../schedulers/vbp/read-vbp.js';

export interface PackFlags {
  readonly heuristic: string;
  readonly json?: boolean;
}

interface PackResult {
  readonly heuristic: string;
  readonly bins: number;
  readonly lower_bound: number;
  readonly assignment: number[];
}

function gap(bins: number, bound: number): string {
  const extra = bins - bound;
  return bound === 0 ? String(extra) : `${extra} (${((100 * extra) / bound).toFixed(1)}%)`;
}

function table(results: readonly PackResult[]): string {
  const header = ['heuristic', 'bins', 'lower bound', 'gap'];
  const rows = results.map((r) => [r.heuristic, String(r.bins), String(r.lower_bound), gap(r.bins, r.lower_bound)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function packCommand(file: string, flags: PackFlags): number {
  const name = flags.heuristic;
  if (name !== 'all') {
    try {
      checkHeuristicName(name);
    } catch (e) {
      throw e instanceof UsageError ? new UsageError(`${e.message}, or all`) : e;
    }
  }
  const { instance, notes } = parseVbp(readInputText(file), file);
  for (const note of notes) console.error(`note: ${note}`);
  const bound = lowerBound(instance);
  const names = name === 'all' ? HEURISTIC_NAMES : [name];
  const results: PackResult[] = names.map((heuristic) => {
    const { bins, assignment } = packWith(instance, heuristic);
    return { heuristic, bins, lower_bound: bound, assignment: Array.from(assignment) };
  });
  if (flags.json) {
    console.log(JSON.stringify(name === 'all' ? { results } : results[0]));
  } else {
    console.log(`${file}: ${instance.items} items, ${instance.dims} dimensions, bin capacity ${Array.from(instance.capacity).join(' × ')}`);
    console.log(table(results));
  }
  return 0;
}
