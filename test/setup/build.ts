/**
 * Compiles src/ and bench/ to dist/ and bundles the CLI (`npm run build`) so the end-to-end tests run the
 * current code through bin/rackbench.js, as a user's install does. The build is skipped when every compiled module is newer than its source and than the
 * compiler settings: with `isolatedModules`, a module's JavaScript depends on its own source alone, so that
 * check is exact for what the tests run. `npm ci` has just built it in CI, and an unchanged checkout does
 * not pay for the compiler again.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['src', 'bench'];
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The first source whose compiled module is missing or older than it (or than the settings), if any. */
export function staleOutput(root = ROOT): string | undefined {
  const settings = Math.max(...SETTINGS.map((f) => mtime(join(root, f)) ?? Infinity));
  for (const dir of SOURCES) {
    for (const source of tsFiles(join(root, dir))) {
      const rel = relative(root, source);
      const built = mtime(join(root, 'dist', rel.replace(/\.ts$/, '.js')));
      if (built === undefined || built < mtime(source)! || built < settings) return rel;
    }
  }
  return undefined;
}

/** Whether the CLI bundle (esbuild.config.js) is missing or older than the modules it is made of. */
function staleBundle(root = ROOT): boolean {
  const bundle = mtime(join(root, 'dist/cli/main.js'));
  return bundle === undefined || bundle < mtime(join(root, 'dist/src/cli/main.js'))! || bundle < mtime(join(root, 'esbuild.config.js'))!;
}

export default function setup(): void {
  const stale = staleOutput();
  if (stale !== undefined) {
    console.log(`building dist/ (${stale} changed since the last build)`);
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  }
  if (staleBundle()) execFileSync(process.execPath, [join(ROOT, 'esbuild.config.js')], { cwd: ROOT, stdio: 'inherit' });
}
