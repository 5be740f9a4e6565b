import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests run the compiled CLI (bin/rackbench.js): build it first, unless dist/ is current.
    globalSetup: ['test/setup/build.ts'],
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/temp-dirs.ts'],
    // Two files at a time on two cores (vitest's default is one fewer worker than cores: one here).
    // Worker threads start faster than processes, and the test files share their imports instead of
    // loading the simulator afresh for each file: the tests keep no state between files (temporary
    // directories are removed by a setup file, which runs for every file).
    pool: 'threads',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
