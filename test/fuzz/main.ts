/**
 * `npm run fuzz -- --runs 100000 [--seed n] [--kind name]`: the fuzz suite of
 * test/fuzz/inputs.ts with many more cases than CI runs, for a nightly job.
 * The cases are spread evenly over the input kinds. Prints, per kind, how many
 * cases were accepted and refused and the most common first words of the
 * refusals; on a bad outcome, the counterexample and the seed to replay it,
 * and exits 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseDir, fuzzCase, fuzzKinds, writeCase, badOutcome } from './inputs.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' }, kind: { type: 'string' } },
});
const total = Number(values.runs);
if (!Number.isSafeInteger(total) || total < 1) throw new Error(`--runs ${values.runs}: expected a positive integer`);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const kinds = fuzzKinds().filter((k) => values.kind === undefined || k.name === values.kind);
if (kinds.length === 0) throw new Error(`--kind ${values.kind}: no such kind; kinds: ${fuzzKinds().map((k) => k.name).join(', ')}`);

const root = mkdtempSync(join(tmpdir(), 'rackbench-fuzz-'));
const perKind = Math.ceil(total / kinds.length);
console.log(`fuzz: ${perKind * kinds.length} cases, ${perKind} per kind, seed ${seed} (replay with --seed ${seed})`);
let failed = false;
try {
  for (const kind of kinds) {
    const dir = join(root, kind.name.replace(/\W+/g, '-'));
    let accepted = 0;
    const reasons = new Map<string, number>();
    const started = performance.now();
    const result = await fc.check(
      fc.asyncProperty(fuzzCase(kind), async (c) => {
        const where = writeCase(kind, c, dir);
        try {
          await kind.parse(kind.name === 'runs.ndjson' ? dir : where, kind.seeds[c.seed]!.main);
          accepted++;
          return true;
        } catch (e) {
          const why = badOutcome(e, dir);
          const text = e instanceof Error ? e.message.slice(caseDir(kind, dir).length) : String(e);
          const reason = text.replace(/^[^:]*:(\d+:)?\s*/, '').split(/[:;(]/)[0]!.trim().slice(0, 60);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          if (why !== undefined) throw new Error(why);
          return true;
        }
      }),
      { numRuns: perKind, seed },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([r, n]) => `${n}× ${r}`).join('; ');
    console.log(`${kind.name}: ${accepted} accepted, ${perKind - accepted} refused (${seconds} s); ${top}`);
    if (result.failed) {
      failed = true;
      console.log(fc.defaultReportMessage(result));
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
