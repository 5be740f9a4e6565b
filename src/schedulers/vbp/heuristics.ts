/**
 * The named vector bin packing heuristics of `rackbench pack`, after
 * Panigrahy, Talwar, Uyeda, Wieder, "Heuristics for Vector Bin Packing",
 * Microsoft Research (2011):
 *
 * - `ff`: first fit in input order;
 * - `ffd-M-W`, `bfd-M-W`, `wfd-M-W`: first, best and worst fit decreasing,
 *   items sorted by size measure M ∈ {l1, l2, linf} with weights
 *   W ∈ {unit, avg} (`measures.ts`); best and worst fit rank bins by the same
 *   measure of their remaining capacity (`item-centric.ts`);
 * - `dot-product`, `l2-norm`: bin-centric, with `avg` weights as in the paper
 *   (`bin-centric.ts`).
 *
 * Every heuristic is deterministic: ties go to the lowest index.
 */
import { UsageError } from '../../core/errors.js';
import { packBinCentric } from './bin-centric.js';
import type { BinScore } from './bin-centric.js';
import type { Packing, VbpInstance } from './instance.js';
import { decreasingOrder, packInOrder } from './item-centric.js';
import type { BinChoice } from './item-centric.js';
import { SIZE_MEASURES, WEIGHT_SCHEMES, weightsOf } from './measures.js';
import type { SizeMeasure, WeightScheme } from './measures.js';

export type HeuristicSpec =
  | { readonly kind: 'first-fit' }
  | { readonly kind: 'decreasing'; readonly choice: BinChoice; readonly measure: SizeMeasure; readonly weights: WeightScheme }
  | { readonly kind: 'bin-centric'; readonly score: BinScore };

const DECREASING: readonly (readonly [string, BinChoice])[] = [
  ['ffd', 'first'],
  ['bfd', 'best'],
  ['wfd', 'worst'],
];

const SPECS: ReadonlyMap<string, HeuristicSpec> = new Map<string, HeuristicSpec>([
  ['ff', { kind: 'first-fit' }],
  ...DECREASING.flatMap(([prefix, choice]) =>
    SIZE_MEASURES.flatMap((measure) =>
      WEIGHT_SCHEMES.map((weights): [string, HeuristicSpec] => [`${prefix}-${measure}-${weights}`, { kind: 'decreasing', choice, measure, weights }]),
    ),
  ),
  ['dot-product', { kind: 'bin-centric', score: 'dot-product' }],
  ['l2-norm', { kind: 'bin-centric', score: 'l2-norm' }],
]);

/** Every heuristic name, in a fixed order: ff, ffd-*, bfd-*, wfd-*, dot-product, l2-norm. */
export const HEURISTIC_NAMES: readonly string[] = [...SPECS.keys()];

/** The spec behind a name, or undefined for an unknown name. */
export function heuristicSpec(name: string): HeuristicSpec | undefined {
  return SPECS.get(name);
}

/** Throws a UsageError naming the valid heuristics unless `name` is one. */
export function checkHeuristicName(name: string): void {
  if (!SPECS.has(name)) throw new UsageError(`unknown heuristic "${name}"; valid heuristics: ${HEURISTIC_NAMES.join(', ')}`);
}

/**
 * Packs the instance with the named heuristic. Synchronous and pure. Throws
 * a UsageError for an unknown name and a RangeError if an item fits in no bin.
 */
export function packWith(instance: VbpInstance, name: string): Packing {
  checkHeuristicName(name);
  const spec = SPECS.get(name)!;
  switch (spec.kind) {
    case 'first-fit':
      return packInOrder(instance, Int32Array.from({ length: instance.items }, (_, i) => i), 'first');
    case 'decreasing': {
      const w = weightsOf(instance, spec.weights);
      return packInOrder(instance, decreasingOrder(instance, spec.measure, w), spec.choice, spec.measure, w);
    }
    case 'bin-centric':
      return packBinCentric(instance, spec.score, weightsOf(instance, 'avg'));
  }
}
