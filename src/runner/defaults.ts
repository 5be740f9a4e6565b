/** Where the built-in scenarios live: `scenarios/*.yaml` of the installed package. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root directory, found by walking up from this module (works from src/ and from dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rackbench') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the rackbench package root');
    dir = parent;
  }
}

/** The built-in default scenarios, in name order. */
export function defaultScenarioFiles(): string[] {
  const dir = join(packageRoot(), 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

let version: string | undefined;
/** The installed package's version (package.json). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
