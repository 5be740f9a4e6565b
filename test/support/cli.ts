/**
 * Running the built command line as a user does (the end-to-end tests, cli-e2e.test.ts), and temporary
 * directories, removed after each test or each file (test/setup/temp-dirs.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const BIN = join(ROOT, 'bin', 'rackbench.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.RACKBENCH_DEBUG; // a stack trace must not appear unless asked for
  delete env.FORCE_COLOR;
  return env;
}

/** `node bin/rackbench.js …` from the repository root, without colour. */
export function rackbench(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(), encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the command line without waiting for it (for interrupting it). */
export function startRackbench(...args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

const tempDirs: string[] = [];
/** A fresh directory, removed after the test that made it (test/setup/temp-dirs.ts). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-test-'));
  tempDirs.push(dir);
  return dir;
}
const fileTempDirs: string[] = [];
/** A fresh directory kept for the rest of the test file, for what its tests share (made in a beforeAll). */
export function fileTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-test-'));
  fileTempDirs.push(dir);
  return dir;
}

/** Removes the directories tempDir() made so far. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
/** Removes the directories fileTempDir() made so far. */
export function removeFileTempDirs(): void {
  for (const dir of fileTempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
