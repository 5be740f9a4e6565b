/**
 * The package as a user gets it: `npm pack`, installed into an empty
 * project, then the command line (run, gate, schema) and the library import,
 * with its types, from there. One test, since each step needs the one before
 * and the install is slow; skipped (with a message) only where npm cannot run.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from './support/cli.js';

const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmVersion = spawnSync(npmCli, ['--version'], { encoding: 'utf8' });
const npmRuns = npmVersion.status === 0;
if (!npmRuns) console.warn(`skipping the npm pack test: npm does not run here (${npmVersion.error?.message ?? npmVersion.stderr})`);

const env = { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
function sh(cwd: string, command: string, args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 2 ** 20 });
  if (r.error) throw r.error;
  return r;
}
const ok = (r: SpawnSyncReturns<string>, what: string): string => {
  expect(r.status, `${what}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

const SMALL = `# yaml-language-server: $schema=node_modules/rackbench/schemas/scenario.schema.json
name: small
cluster:
  pools:
    - { name: worker, count: 2, capacity: { cpu: 4, memory: 8Gi } }
workload:
  services:
    - { name: web, replicas: 3, requests: { cpu: 1500m, memory: 1Gi } }
`;

const LIBRARY = `import { loadScenario, run } from 'rackbench';
import type { CompletedRun, RunResults } from 'rackbench';
const set: RunResults = await run(loadScenario('small.yaml'), { schedulers: ['first-fit'], seeds: [1], workers: 1 });
const first: CompletedRun | undefined = set.results[0];
const delay: number | undefined = first?.metrics.delay_p99_s;
console.log(JSON.stringify({ runs: set.results.length, scheduled: first?.metrics.pods_scheduled, delay }));
`;

describe('the packed package', () => {
  it.skipIf(!npmRuns)('installs from its tarball into an empty project, where run, gate, schema and the library import work', () => {
    const dir = tempDir();
    // dist/ is current (the test setup built it): pack without running `prepare` again.
    const packed = ok(sh(ROOT, npmCli, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]), 'npm pack');
    const tarball = join(dir, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    const project = join(dir, 'project');
    sh(dir, 'mkdir', [project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-rackbench', private: true, type: 'module' }));
    ok(sh(project, npmCli, ['install', '--prefer-offline', '--no-package-lock', tarball]), 'npm install <tarball>');
    const installed = join(project, 'node_modules', 'rackbench');
    for (const f of ['docs/api.md', 'schemas/scenario.schema.json', 'bench/baseline/default.json', 'dist/src/index.d.ts']) expect(existsSync(join(installed, f)), f).toBe(true);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'engines']) expect(pkg[field], field).toBeDefined();

    const bin = join(project, 'node_modules', '.bin', 'rackbench');
    writeFileSync(join(project, 'small.yaml'), SMALL);
    ok(sh(project, bin, ['run', 'small.yaml', '--scheduler', 'first-fit', '--seed', '1', '--out', 'out', '--quiet']), 'rackbench run');
    expect(readFileSync(join(project, 'out', 'runs.csv'), 'utf8')).toMatch(/^small,first-fit,priority,1,3,3,/m);

    const schema = ok(sh(project, bin, ['schema', 'scenario']), 'rackbench schema scenario');
    expect(schema).toBe(readFileSync(join(ROOT, 'schemas', 'scenario.schema.json'), 'utf8'));

    // The library, with its types: compiled against the installed package's exports, then run.
    writeFileSync(join(project, 'study.ts'), LIBRARY);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    ok(sh(project, process.execPath, [tsc, '--module', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'study.ts']), 'tsc study.ts');
    expect(JSON.parse(ok(sh(project, process.execPath, ['study.js']), 'node study.js'))).toMatchObject({ runs: 1, scheduled: 3 });

    // The gate on the default suite with the shipped baseline: as in the checkout, never "bad input".
    // One --details file for both, so their outputs can be compared byte for byte.
    const details = join(dir, 'gate-details.md');
    const gate = sh(project, bin, ['gate', '--details', details]);
    const here = sh(ROOT, process.execPath, [BIN, 'gate', '--details', details]);
    expect(gate.stderr).toBe('');
    expect([0, 1]).toContain(gate.status);
    expect(gate.status).toBe(here.status);
    expect(gate.stdout).toBe(here.stdout);
  }, 900_000);
});
