/** `rackbench capacity` on bad input, through the command line's main() in this process: it stops before any run. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

const TINY = 'test/fixtures/capacity/tiny.yaml';

describe('rackbench capacity', () => {
  // The search through the compiled command line (its files, exit codes 0 and 1, 1 against 2 workers): cli-e2e.test.ts.

  it.each([
    ['sched_delay_p99<=30x', /error: --slo: "sched_delay_p99<=30x": invalid duration "30x"/],
    ['unschedulable', /error: --slo: cannot read "unschedulable"; expected "metric op value" terms/],
    ['p99_latency<1s', /error: --slo: "p99_latency<1s": unknown metric "p99_latency"/],
  ])('exits 2 on the SLO %j, quoting it', async (slo, message) => {
    const r = await runMain('capacity', TINY, '--slo', slo, '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 on an unknown profile, listing the known ones', async () => {
    const r = await runMain('capacity', TINY, '--profiles', 'tiny-4c,r999', '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: unknown hardware profile "r999"; known profiles: .*r650-2x32c.*tiny-4c/);
  });

  it('exits 2 on a capacity section with an unknown field, naming the line', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync(TINY, 'utf8').replace('  maxNodes: 16', '  maxNodez: 16'));
    const r = await runMain('capacity', file, '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: capacity: Unrecognized key: "maxNodez"/);
  });
});
