/**
 * docs/api.md's examples run as written: each ```js block is saved as a
 * module in a fresh project whose node_modules/rackbench is this package
 * (built to dist/ by the test setup) and run with node.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './support/cli.js';

const blocks = [...readFileSync(join(ROOT, 'docs/api.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/api.md', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs with node and exits 0', (_, code) => {
    const project = tempDir();
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'rackbench'), 'dir');
    writeFileSync(join(project, 'example.mjs'), code);
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
  });
});
