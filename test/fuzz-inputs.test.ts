/**
 * The fuzz suite (test/fuzz/inputs.ts) on the fixed seed of every property:
 * 1,040 mutated inputs of every kind read in this process, then a sample of
 * them through the command line's main(), checking the exit code and what it
 * prints. `npm run fuzz -- --runs 100000` runs many more cases (test/fuzz/main.ts).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileTempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { runs } from './support/property-runs.js';
import { badMessage, checkCase, fuzzCase, fuzzKinds, writeCase } from './fuzz/inputs.js';
import type { FuzzCase, FuzzKind } from './fuzz/inputs.js';

/** Cases per kind, in process: 11 kinds, 1,040 in all. */
const CASES: Readonly<Record<string, number>> = {
  scenario: 200,
  sweep: 80,
  capacity: 80,
  'kubectl dump': 100,
  'runs.ndjson': 100,
};
const TRACE_CASES = 80;

describe('fuzzed input, read in process', () => {
  for (const kind of fuzzKinds()) {
    const n = CASES[kind.name] ?? TRACE_CASES;
    it(`${kind.name}: ${n} cases end in success or a clear input error`, async () => {
      const dir = join(fileTempDir(), kind.name.replace(/\W+/g, '-'));
      await fc.assert(
        fc.asyncProperty(fuzzCase(kind), async (c) => {
          const why = await checkCase(kind, c, dir);
          expect(why, why).toBeUndefined();
        }),
        { numRuns: runs(n) },
      );
    });
  }
});

/**
 * Through main(), as the command line runs them: the first cases of each kind
 * whose input the parser refuses (and, for commands that do not run
 * simulations, the accepted ones too): exit 2 with `error: file…` lines, or
 * 0, or 1 when the runs of a merged set include a failed one.
 */
describe('fuzzed input, through the command line', () => {
  const SAMPLE = 6;
  it(`a sample of at least ${SAMPLE * 9} cases exits 0 or 2 with one clear line per issue`, async () => {
    const dir = join(fileTempDir(), 'cli');
    let sampled = 0;
    for (const kind of fuzzKinds()) {
      const cases = fc.sample(fuzzCase(kind), { numRuns: 200, seed: 7 });
      let taken = 0;
      for (const c of cases) {
        if (taken === SAMPLE) break;
        const failing = await parsesWithError(kind, c, dir);
        if (!failing && kind.runs) continue;
        taken++;
        sampled++;
        const where = writeCase(kind, c, dir);
        const r = await runMain(...kind.cli(kind.name === 'runs.ndjson' ? dir : where, kind.seeds[c.seed]!.main));
        const context = `${kind.name} ${c.file}: exit ${r.code}\n${r.stderr}`;
        expect([0, 1, 2], context).toContain(r.code);
        // Exit 1 only for runs that failed (a merged set holding a failed run), never for the input.
        if (r.code === 1) expect(r.stderr.trim().split('\n').every((l) => l.startsWith('run failed: ')), context).toBe(true);
        expect(r.stderr, context).not.toMatch(/internal error|^\s+at |node:internal/m);
        if (r.code === 2) {
          const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
          expect(errors.length, context).toBeGreaterThan(0);
          for (const line of errors) expect(badMessage(line.slice('error: '.length), dir), context).toBeUndefined();
        }
      }
    }
    expect(sampled).toBeGreaterThanOrEqual(50);
  });
});

async function parsesWithError(kind: FuzzKind, c: FuzzCase, dir: string): Promise<boolean> {
  const where = writeCase(kind, c, dir);
  try {
    await kind.parse(kind.name === 'runs.ndjson' ? dir : where, kind.seeds[c.seed]!.main);
    return false;
  } catch {
    return true;
  }
}
