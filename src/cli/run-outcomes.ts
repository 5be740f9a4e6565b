/** What run and sweep print after their runs: the bad rows of replayed traces, and failed runs, told apart by cause. */
import pc from 'picocolors';
import { safeText } from '../core/text.js';
import type { RunResult } from '../runner/run-protocol.js';
import type { StoredRun } from '../runner/result-store.js';
import { rejectionReport } from '../workload/trace/issues.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, printInputError } from './exit.js';

/**
 * The bad rows of the traces the runs replayed, on stderr: once per distinct
 * report (every run of one scenario reads the same rows), with the count per
 * file and reason and the first rows, as `trace inspect` prints them.
 */
export function printTraceRejections(results: readonly RunResult[]): void {
  const reports = new Map<string, { scenario: string; runs: number }>();
  for (const r of results) {
    if (r.trace === undefined || r.trace.rejected === 0) continue;
    const text = rejectionReport(r.trace, 'trace option strict=true').join('\n');
    const seen = reports.get(text);
    if (seen === undefined) reports.set(text, { scenario: r.scenario, runs: 1 });
    else seen.runs++;
  }
  for (const [text, { scenario, runs }] of reports) {
    const [first = '', ...rest] = safeText(text).split('\n');
    console.error(`${pc.yellow('warning:')} ${scenario}${runs > 1 ? ` (${runs} runs)` : ''}: ${first}`);
    for (const line of rest) console.error(line);
  }
}

/**
 * Prints the failed runs and returns the exit code: 2 when a run failed on
 * bad input (each distinct message once, as `error: file:line: field: …`),
 * else 1 when some run failed, else 0.
 */
export function reportFailures(failed: readonly StoredRun[]): number {
  const input = new Map<string, number>();
  for (const f of failed) {
    if (f.ok) continue;
    if (f.badInput === true) input.set(f.error, (input.get(f.error) ?? 0) + 1);
    else console.error(`${pc.red('run failed:')} ${safeText(`${f.label}: ${f.error}`)}`);
  }
  for (const message of input.keys()) printInputError(message);
  if (input.size > 0) return EXIT_BAD_INPUT;
  return failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}
