#!/usr/bin/env node
// Runs the compiled CLI. `npm ci` builds it (the `prepare` script); in a
// checkout without dist/, run `npm run build` first.
//
// The bundle (dist/cli/, esbuild.config.js) starts faster than the modules
// of dist/src/; it is used unless it is older than them (tsc run alone after
// an edit), so a stale bundle never hides a change.
import { existsSync, statSync } from 'node:fs';

const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const bundle = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(modules)) {
  console.error('rackbench is not built: run `npm run build` (npm ci does it for you).');
  process.exit(2);
}
// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(modules).mtimeMs;
const { main } = await import((fresh ? bundle : modules).href);
process.exitCode = await main(process.argv.slice(2));
