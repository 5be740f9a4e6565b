/**
 * The heuristics on six published benchmark instances (../shared/data/vbp,
 * see its SOURCES.md), against the numbers Mommessin, Erlebach and
 * Shakhlevich published for them (Computers & Operations Research, 2025):
 * the best bin count of the item-centric heuristics, and the bins of each
 * single heuristic where they report it. Without the data: skipped, or in CI
 * failed (test/support/shared-data.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { HEURISTIC_NAMES, packWith } from '../src/schedulers/vbp/heuristics.js';
import type { VbpInstance } from '../src/schedulers/vbp/instance.js';
import { lowerBound } from '../src/schedulers/vbp/lower-bound.js';
import { parseVbp } from '../src/schedulers/vbp/read-vbp.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

const DATA = sharedPath('data', 'vbp');
const INSTANCES = ['class1_20_3_0', 'class6_60_3_0', 'class7_40_3_0', 'class9_60_3_0', 'classC_60_3_0', 'classF_60_3_0'];
const TABLES = ['Panigrahy_summary_known.tsv', 'Triplet_summary_known.tsv', 'Triplet_multidim_selected.tsv'];

/** Rows of a tab-separated table with a header line, as objects keyed by column. */
function readTsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(join(DATA, file), 'utf8').trim().split('\n').map((line) => line.trim().split('\t'));
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]!])));
}

function load(name: string): VbpInstance {
  const file = join(DATA, 'instances', `${name}.vbp`);
  return parseVbp(readFileSync(file, 'utf8'), file).instance;
}

/**
 * Our name → the column of Triplet_multidim.csv for the same algorithm. BFD-T1/WFD-T1 rank bins by the
 * measure of their remaining capacity with the item weights, as ours do; BCS-DP1-Avg and BCS-L2Norm-Avg
 * are the bin-centric dot product and L2 norm with average weights. Left out: `ff`, which depends on
 * the item order (the published runs shuffle the items, and these files list each optimal triplet
 * together), and the `l2` measures with `avg` weights, which the published code computes as Σ w·s²
 * rather than Σ (w·s)².
 */
function publishedColumn(name: string): string | undefined {
  if (name === 'dot-product') return 'BCS-DP1-Avg';
  if (name === 'l2-norm') return 'BCS-L2Norm-Avg';
  const m = /^(ffd|bfd|wfd)-(l1|l2|linf)-(unit|avg)$/.exec(name);
  if (m === null || (m[2] === 'l2' && m[3] === 'avg')) return undefined;
  const [, fit, measure, weights] = m as unknown as [string, string, string, string];
  const prefix = fit === 'ffd' ? 'FFD' : `${fit.toUpperCase()}-T1`;
  const norm = measure === 'linf' ? 'Linf' : measure.toUpperCase();
  return `${prefix}-${norm}-${weights === 'unit' ? 'Unit' : 'Avg'}`;
}

const NEEDED = [...INSTANCES.map((name) => join(DATA, 'instances', `${name}.vbp`)), ...TABLES.map((file) => join(DATA, file))];

describeWithShared('published benchmark instances (../shared/data/vbp)', NEEDED, () => {
  const summary = [...readTsv('Panigrahy_summary_known.tsv'), ...readTsv('Triplet_summary_known.tsv')];
  const bins = new Map(INSTANCES.map((name) => [name, new Map(HEURISTIC_NAMES.map((h) => [h, packWith(load(name), h).bins]))]));

  it.each(INSTANCES)('%s: the best heuristic matches the best published item-centric result', (name) => {
    const published = summary.find((row) => row.instance_name === name);
    expect(published, `${name} in the summary tables`).toBeDefined();
    const bestIc = Number(published!.best_IC);
    const opt = Number(published!.OPT);
    const ours = bins.get(name)!;
    // ff is left out: on the triplet files its input order is the optimal packing's (see publishedColumn).
    const best = Math.min(...HEURISTIC_NAMES.filter((h) => h !== 'ff').map((h) => ours.get(h)!));
    expect(best).toBeLessThanOrEqual(bestIc);
    if (opt > 0) expect(best).toBeGreaterThanOrEqual(opt);
    expect(best).toBeGreaterThanOrEqual(lowerBound(load(name)));
    expect(best).toBe(bestIc);
  });

  it('the volume lower bound never exceeds the published one (theirs adds stronger bounds)', () => {
    for (const name of INSTANCES) {
      const published = Number(summary.find((row) => row.instance_name === name)!.LB);
      expect(lowerBound(load(name)), name).toBeLessThanOrEqual(published);
    }
  });

  it.each(['classC_60_3_0', 'classF_60_3_0'])('%s: each heuristic uses as many bins as the published run of the same algorithm', (name) => {
    const published = readTsv('Triplet_multidim_selected.tsv').find((row) => row.instance_name === name)!;
    const ours = bins.get(name)!;
    const compared = HEURISTIC_NAMES.flatMap((h) => {
      const column = publishedColumn(h);
      return column === undefined ? [] : [[h, column] as const];
    });
    expect(compared.length).toBe(17);
    for (const [h, column] of compared) expect(`${h} ${ours.get(h)}`).toBe(`${h} ${published[column]}`);
  });

  it('ff in file order finds the triplets the files list together (the published ff, on shuffled items, uses 24)', () => {
    expect(bins.get('classF_60_3_0')!.get('ff')).toBe(20);
    expect(bins.get('classC_60_3_0')!.get('ff')).toBe(21);
  });
});
