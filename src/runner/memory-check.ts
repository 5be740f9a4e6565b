/**
 * Refusing, before anything runs, a run whose estimated memory
 * (model/memory-estimate.ts) exceeds what the machine has free or the
 * --max-memory bound: an InputError at the field that sets the estimate.
 */
import { freemem } from 'node:os';
import { BASE_BYTES, estimateRunMemory, formatBytes } from '../model/memory-estimate.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { formatPath, InputError, lineOf } from '../model/yaml-input.js';
import type { LocatedYaml } from '../model/yaml-input.js';

export interface MemoryLimit {
  readonly bytes: number;
  /** `--max-memory`, or the machine's free memory when it is not given. */
  readonly from: 'flag' | 'free';
}

/** Memory free to this process: the cgroup's limit where one applies (process.availableMemory, Node ≥ 20.13), else the machine's. */
export function freeMemory(): number {
  const available = (process as { availableMemory?: () => number }).availableMemory;
  return typeof available === 'function' ? available.call(process) : freemem();
}

/** The bound runs are checked against: `--max-memory` in bytes when given, else the free memory. */
export function memoryLimit(maxMemoryBytes: number | undefined): MemoryLimit {
  return maxMemoryBytes === undefined ? { bytes: freeMemory(), from: 'free' } : { bytes: maxMemoryBytes, from: 'flag' };
}

/** A scenario as checked: where it came from, for the message. */
export interface CheckedScenario {
  readonly scenario: ResolvedScenario;
  readonly file: string;
  readonly variant?: string | undefined;
  readonly located?: LocatedYaml | undefined;
}

/**
 * Throws InputError, at the file, line and field of the largest contribution,
 * when a run of the scenario needs more memory than `limit`.
 */
export function checkRunMemory(s: CheckedScenario, limit: MemoryLimit): void {
  const estimate = estimateRunMemory(s.scenario);
  if (estimate.bytes <= limit.bytes) return;
  // The field is named when it sets most of the estimate; a small scenario is refused by the bound alone.
  const top = estimate.terms[0] !== undefined && estimate.terms[0].bytes >= estimate.bytes / 2 ? estimate.terms[0] : undefined;
  const path = top === undefined ? [] : top.path;
  const bound = limit.from === 'flag' ? `--max-memory ${formatBytes(limit.bytes)}` : `the ${formatBytes(limit.bytes)} of memory free on this machine`;
  const variant = s.variant === undefined ? '' : ` (${s.variant})`;
  const here = top === undefined ? ` (a run takes about ${formatBytes(BASE_BYTES)} before its nodes and pods)` : `; ${top.what} here take about ${formatBytes(top.bytes)}`;
  throw new InputError(s.file, [
    {
      path: formatPath(path),
      line: s.located === undefined ? undefined : lineOf(s.located.doc, s.located.counter, path),
      message:
        `a run of scenario ${s.scenario.name}${variant} needs about ${formatBytes(estimate.bytes)} of memory${here}; ` +
        `more than ${bound} (lower the count, or set --max-memory if the memory is there)`,
    },
  ]);
}

/** Checks every distinct scenario of `scenarios` (see checkRunMemory). */
export function checkRunsMemory(scenarios: readonly CheckedScenario[], limit: MemoryLimit): void {
  const seen = new Set<ResolvedScenario>();
  for (const s of scenarios) {
    if (seen.has(s.scenario)) continue;
    seen.add(s.scenario);
    checkRunMemory(s, limit);
  }
}
