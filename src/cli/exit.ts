/** Exit codes and how errors are shown: user errors without a stack trace, input never echoed raw. */
import { CommanderError } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { safeText } from '../core/text.js';
import { QuantityError } from '../model/quantity.js';
import { InputError } from '../model/yaml-input.js';
import { PolicyError } from '../sim/simulator.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** Whether an error is the user's to fix (exit 2) rather than a failed run or a bug. */
export function isBadInput(e: unknown): boolean {
  return e instanceof InputError || e instanceof UsageError || e instanceof QuantityError;
}

/** Prints a bad-input message (one line per issue, `error: file:line: field: message`). */
export function printInputError(message: string): void {
  for (const line of safeText(message).split('\n')) console.error(`${pc.red('error:')} ${line}`);
}

/** Prints the error for a person and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message; help and version are not errors.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (isBadInput(e)) {
    printInputError((e as Error).message);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof PolicyError) {
    console.error(`${pc.red('run failed:')} ${safeText(e.message)}`);
    return EXIT_RUN_FAILED;
  }
  const debug = process.env.RACKBENCH_DEBUG !== undefined && process.env.RACKBENCH_DEBUG !== '';
  const detail = debug && e instanceof Error ? (e.stack ?? e.message) : String(e instanceof Error ? e.message : e);
  console.error(`${pc.red('internal error:')} ${safeText(detail)}${debug ? '' : '\n(a bug in rackbench, not in your input; set RACKBENCH_DEBUG=1 for a stack trace)'}`);
  return EXIT_RUN_FAILED;
}
