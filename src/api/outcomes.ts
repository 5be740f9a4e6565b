/** What the library hands back for each run and for a finished set. */
import type { RunResult } from '../runner/run-protocol.js';
import type { StoredRun } from '../runner/result-store.js';

/**
 * A run that finished. `metrics` holds its runs.csv metrics under the same
 * column names (`delay_p99_s`, `pods_scheduled`, …; docs/api.md); runs.csv
 * rounds them to 6 decimals, here they are unrounded.
 */
export type CompletedRun = RunResult & {
  readonly ok: true;
  /** The run's stable key (a hash of what makes the run): equal on any machine for an equal run. */
  readonly key: string;
  /** For people: scenario, scheduler, seed. */
  readonly label: string;
};

/** A run that failed: a policy threw, the run timed out or ran out of memory. */
export interface FailedRun {
  readonly ok: false;
  readonly key: string;
  readonly label: string;
  readonly error: string;
  /** The run failed on bad input (a trace row under strict=true, a file it reads): the CLI exits 2. */
  readonly badInput?: boolean | undefined;
}

/** One run of a set, as the async iterator yields it. */
export type RunOutcome = CompletedRun | FailedRun;

/** The finished set a run or sweep resolves to. */
export interface RunSet {
  /** The runs that finished, in plan order (scenario, scheduler, seed). */
  readonly results: readonly CompletedRun[];
  readonly failed: readonly FailedRun[];
  /** Stopped by `signal` before every run finished: `results` and `failed` then hold nothing. */
  readonly interrupted: boolean;
  /** The results directory written, when there is one. */
  readonly out?: string | undefined;
  /** The files written into `out`. */
  readonly files: readonly string[];
}

export function outcomeOf(run: StoredRun): RunOutcome {
  return run.ok
    ? { ...run.result, ok: true, key: run.key, label: run.label }
    : { ok: false, key: run.key, label: run.label, error: run.error, ...(run.badInput === true ? { badInput: true } : {}) };
}

/** Splits outcomes into the set's two lists, keeping their order. */
export function splitOutcomes(outcomes: readonly RunOutcome[]): { results: CompletedRun[]; failed: FailedRun[] } {
  const results: CompletedRun[] = [];
  const failed: FailedRun[] = [];
  for (const o of outcomes) {
    if (o.ok) results.push(o);
    else failed.push(o);
  }
  return { results, failed };
}
