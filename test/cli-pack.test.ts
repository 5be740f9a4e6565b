/**
 * `rackbench pack` through the command line's main() in this process, on
 * small .vbp files written to a temporary directory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEURISTIC_NAMES } from '../src/schedulers/vbp/heuristics.js';
import { fileTempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

/** Capacity 10 × 10; items (6,0), (4,4), (5,3) and two of (1,5): the lower bound is ⌈17/10⌉ = 2. */
const TINY = '2\n10 10\n4\n6 0 1\n4 4 1\n5 3 1\n1 5 2\n';

let files = 0;

function writeVbp(text: string, name = 'tiny.vbp'): string {
  const file = join(fileTempDir(), `${files++}-${name}`);
  writeFileSync(file, text);
  return file;
}

/** A user error is one or a few lines: no node stack trace, no uncaught-error header. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/^[A-Za-z]*Error: /m);
  expect(stderr).not.toContain('node:internal');
  expect(stderr).not.toMatch(/\.js:\d+/);
}

interface PackJson {
  heuristic: string;
  bins: number;
  lower_bound: number;
  assignment: number[];
}

describe('rackbench pack', () => {
  it('--json prints the heuristic, bins, lower bound and the bin of each item in input order', async () => {
    const r = await runMain('pack', writeVbp(TINY), '--heuristic', 'ffd-l1-unit', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PackJson;
    expect(Object.keys(out)).toEqual(['heuristic', 'bins', 'lower_bound', 'assignment']);
    // l1 sizes 0.6, 0.8, 0.8, 0.6, 0.6 → order 1, 2, 0, 3, 4:
    // (4,4) → b0 (6,6); (5,3) → b0 (1,3); (6,0) → b1 (4,10); (1,5) → b1 (3,5); (1,5) → b1 (2,0)
    expect(out).toEqual({ heuristic: 'ffd-l1-unit', bins: 2, lower_bound: 2, assignment: [1, 0, 0, 1, 1] });
  });

  it('--heuristic all --json prints one result per heuristic, in the listed order; notes go to stderr', async () => {
    // A triplet that fills the bin exactly, one size negative (as in the published Caprara triplet files).
    const file = writeVbp('2\n100 100\n3\n15 -2 1\n50 51 1\n35 51 1\n', 'triplet.vbp');
    const r = await runMain('pack', file, '--heuristic', 'all', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`note: ${file}:4: item type 1 has the negative size -2 in dimension 2; kept as is (it frees capacity)\n`);
    const { results } = JSON.parse(r.stdout) as { results: PackJson[] };
    expect(results.map((x) => x.heuristic)).toEqual(HEURISTIC_NAMES);
    for (const x of results) {
      expect(x.lower_bound, x.heuristic).toBe(1);
      expect(x.assignment, x.heuristic).toHaveLength(3);
      expect(x.bins, x.heuristic).toBe(Math.max(...x.assignment) + 1);
    }
    // ff takes them in file order: (15,-2) + (50,51) + (35,51) = (100,100), one full bin.
    expect(results[0]).toEqual({ heuristic: 'ff', bins: 1, lower_bound: 1, assignment: [0, 0, 0] });
  });

  it('without --json prints a table of bins, lower bound and gap', async () => {
    const r = await runMain('pack', writeVbp(TINY), '--heuristic', 'all');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/tiny\.vbp: 5 items, 2 dimensions, bin capacity 10 × 10$/);
    expect(lines[1]).toMatch(/^heuristic\s+bins\s+lower bound\s+gap$/);
    expect(lines).toHaveLength(3 + HEURISTIC_NAMES.length);
    expect(lines[3]).toMatch(/^ff\s+\d+\s+2\s+\d+( \(\d+\.\d%\))?$/);
    expect(lines.find((l) => l.startsWith('ffd-l1-unit '))).toMatch(/^ffd-l1-unit\s+2\s+2\s+0 \(0\.0%\)$/);
    expect(lines.at(-1)).toMatch(/^l2-norm\s+\d+\s+2\s+/);
  });

  it('a malformed file: exit 2, the file, the line and what was expected, no stack trace', async () => {
    const file = writeVbp('2\n10 10\n2\n6 0 1\n4 four 1\n', 'broken.vbp');
    const r = await runMain('pack', file, '--heuristic', 'ff');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:5: expected item type 2 of 2: 2 sizes and a demand (3 integers, the demand non-negative), found "four"`);
    expectNoStackTrace(r.stderr);
  });

  it('a missing file: exit 2, naming it', async () => {
    const r = await runMain('pack', 'no/such/instance.vbp', '--heuristic', 'ff');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/instance.vbp: no such file');
    expectNoStackTrace(r.stderr);
  });

  it('an unknown heuristic: exit 2, listing the valid names', async () => {
    const r = await runMain('pack', writeVbp(TINY), '--heuristic', 'best-fit');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown heuristic "best-fit"');
    for (const name of HEURISTIC_NAMES) expect(r.stderr).toContain(name);
    expect(r.stderr).toContain('or all');
    expectNoStackTrace(r.stderr);
  });
});
