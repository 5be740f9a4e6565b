#!/usr/bin/env node
// Runs the compiled CLI. `npm ci` builds it (the `prepare` script); in a
// checkout without dist/, run `npm run build` first.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('rackbench is not built: run `npm run build` (npm ci does it for you).');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
