/** Runs the command line in this process (no build needed, fast): the exit code and what it printed. */
import { stripVTControlCharacters } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export async function runMain(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(args);
    // Colours depend on the terminal and CI settings; tests read the text.
    return { code, stdout: stripVTControlCharacters(out.join('\n')), stderr: stripVTControlCharacters(err.join('\n')) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = undefined;
  }
}
