/** Exit codes and how errors are shown: user errors without a stack trace. */
import { CommanderError } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { InputError } from '../model/yaml-input.js';
import { PolicyError } from '../sim/simulator.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** Prints the error for a person and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message; help and version are not errors.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (e instanceof InputError) {
    console.error(`${pc.red('error:')} invalid input\n${e.message}`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof UsageError) {
    console.error(`${pc.red('error:')} ${e.message}`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof PolicyError) {
    console.error(`${pc.red('run failed:')} ${e.message}`);
    return EXIT_RUN_FAILED;
  }
  const detail = process.env.RACKBENCH_DEBUG ? (e instanceof Error ? (e.stack ?? e.message) : String(e)) : String(e instanceof Error ? e.message : e);
  console.error(`${pc.red('run failed:')} ${detail}${process.env.RACKBENCH_DEBUG ? '' : '\n(set RACKBENCH_DEBUG=1 for a stack trace)'}`);
  return EXIT_RUN_FAILED;
}
