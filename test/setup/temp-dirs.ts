import { afterAll, afterEach } from 'vitest';
import { removeFileTempDirs, removeTempDirs } from '../support/cli.js';

// A setup file runs for every test file, so these hooks are registered in each even though test files
// share their imported modules (vitest.config.ts: isolate false).
afterEach(removeTempDirs);
afterAll(removeFileTempDirs);
