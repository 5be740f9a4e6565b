/**
 * What one run takes and gives back. Plain data only, so a spec goes to a
 * worker thread and its outcome comes back as they are (a class instance
 * would arrive without its methods, a function not at all).
 */
import type { RecordTable, RunRecords } from '../metrics/run-record.js';
import type { RunSketches } from '../metrics/delay-sketches.js';
import type { MetricValues } from '../metrics/run-metrics.js';
import type { ResolvedScenario } from '../model/scenario.js';
import type { Census } from '../sim/simulator.js';

export interface RunSpec {
  /** The scenario, resolved once when it was loaded: a run never reads or validates a scenario file. */
  readonly scenario: ResolvedScenario;
  /** Where the scenario came from, for error messages (and relative trace paths). */
  readonly source: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
  /** A user policy file (`scheduler` is then the name the user gave it); loaded before the run by loadPlugin. */
  readonly plugin?: { readonly file: string; readonly sha256: string } | undefined;
  /** The sweep parameters applied to the scenario (`path=value, …`); results name the scenario `name (variant)`. */
  readonly variant?: string | undefined;
  /** Opt-in tables beyond the metrics (time series, per-node allocation, per-pod rows); they do not change the results. */
  readonly record?: readonly RecordTable[] | undefined;
}

export interface RunTiming {
  readonly wallMs: number;
  readonly events: number;
  /** Scheduling attempts (decisions asked of the placement policy, failed ones included); 0 when not known (results read back from before it was recorded). */
  readonly attempts?: number | undefined;
}

export interface RunResult {
  readonly scenario: string;
  readonly scheduler: string;
  readonly queue: string;
  readonly seed: number;
  /** Names of the scenario's resource dimensions, in order. */
  readonly resources: readonly string[];
  readonly metrics: MetricValues;
  readonly census: Census;
  readonly timing: RunTiming;
  /** The tables asked for by the spec's `record`. */
  readonly records?: RunRecords | undefined;
  /** Quantile sketches of the run's delay distributions (sketches.json). */
  readonly sketches?: RunSketches | undefined;
}

/** A run's end as a worker reports it: failures as a message, since error classes lose their type when cloned. */
export type RunOutcome = { readonly ok: true; readonly result: RunResult } | { readonly ok: false; readonly error: string };
