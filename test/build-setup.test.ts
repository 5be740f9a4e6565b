/** The global setup rebuilds dist/ exactly when a compiled module could differ from its source (test/setup/build.ts). */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleOutput } from './setup/build.js';
import { tempDir } from './support/cli.js';

/** A checkout with src/a.ts, src/sub/b.ts, bench/c.ts and the two compiler settings, all at time 1000 s. */
function checkout(): { root: string; at: (file: string, seconds: number) => void; write: (file: string) => void } {
  const root = tempDir();
  const at = (file: string, seconds: number): void => utimesSync(join(root, file), seconds, seconds);
  const write = (file: string): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), '');
    at(file, 1000);
  };
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'src/a.ts', 'src/sub/b.ts', 'src/types.d.ts', 'bench/c.ts']) write(f);
  return { root, at, write };
}

describe('the build before the tests', () => {
  it('is needed while a source has no compiled module', () => {
    const { root, write } = checkout();
    expect(staleOutput(root)).toBe('src/a.ts');
    write('dist/src/a.js');
    write('dist/src/sub/b.js');
    expect(staleOutput(root)).toBe('bench/c.ts');
    write('dist/bench/c.js');
    // Declaration files compile to nothing.
    expect(staleOutput(root)).toBeUndefined();
  });

  it('is needed when a source or the compiler settings are newer than a compiled module', () => {
    const { root, at, write } = checkout();
    for (const f of ['dist/src/a.js', 'dist/src/sub/b.js', 'dist/bench/c.js']) write(f);
    expect(staleOutput(root)).toBeUndefined();
    at('src/sub/b.ts', 2000);
    expect(staleOutput(root)).toBe('src/sub/b.ts');
    at('dist/src/sub/b.js', 2000);
    expect(staleOutput(root)).toBeUndefined();
    at('tsconfig.build.json', 3000);
    expect(staleOutput(root)).toBe('src/a.ts');
  });
});
