// @ts-check
// Bundles the command line into dist/cli/ after `tsc` has built dist/src/.
//
// A run of the CLI otherwise loads some 330 modules one by one (rackbench's
// own and zod's, yaml's, csv-parse's…), and Node's module loader costs more
// than the code it loads: about 0.2 s of every invocation. The bundle is a
// handful of files: the entry, the sweep worker, and chunks shared between
// them or loaded only by the commands that need them (reports, DuckDB
// queries). The library (`import … from 'rackbench'`) stays dist/src/.
//
// Left outside the bundle: DuckDB (a native addon), piscina (starts its own
// worker file), tsx (a module loader for TypeScript plugins) and protobufjs
// (an optional require of the sketch library, not installed).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a hash: clear the last build's.
rmSync('dist/cli', { recursive: true, force: true });

await build({
  entryPoints: { main: 'dist/src/cli/main.js', 'sweep-worker': 'dist/src/runner/sweep-worker.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@duckdb/node-api', 'piscina', 'tsx', 'tsx/*', 'protobufjs/*'],
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as rackbenchCreateRequire } from 'node:module'; const require = rackbenchCreateRequire(import.meta.url);" },
  // Chunks beside the entries: a chunk that starts the worker finds it as ./sweep-worker.js (runner/pool.ts).
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
