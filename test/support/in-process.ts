/**
 * Runs the command line in this process (no build, no process start): the exit code `main()` returns and
 * what it printed, through console.log/console.error or written to process.stdout/stderr directly (as
 * commander writes help and usage errors). Runs and sweeps still go through the worker pool.
 */
import { stripVTControlCharacters } from 'node:util';
import { format } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface MainResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runMain(...args: string[]): Promise<MainResult> {
  return runMainWith({}, ...args);
}

/**
 * `runMain` with environment variables set (or, given `undefined`, removed) for the call only.
 * RACKBENCH_DEBUG is removed unless given, as the end-to-end helper does: a stack trace must not
 * appear unless asked for.
 */
export async function runMainWith(env: Readonly<Record<string, string | undefined>>, ...args: string[]): Promise<MainResult> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${format(...a)}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${format(...a)}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries({ RACKBENCH_DEBUG: undefined, ...env })) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await main(args);
    // Colours depend on the terminal and CI settings; tests read the text.
    return { code, stdout: stripVTControlCharacters(out), stderr: stripVTControlCharacters(err) };
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    writeErr.mockRestore();
    process.exitCode = undefined;
  }
}
