/**
 * A run's stable key: a hash of what makes the run (scenario data after
 * overrides, scheduler and plugin contents, queue, seed). Equal runs get equal
 * keys on any machine, so a resumed or sharded sweep recognises finished runs.
 */
import { createHash } from 'node:crypto';
import { packageVersion } from './defaults.js';
import type { RunSpec } from './run-protocol.js';

/** JSON with object keys sorted at every level, so key order in a file does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What hashKey makes: 16 lower-case hex digits. Keys read back from a results directory must match it (they name directories). */
export const RUN_KEY_PATTERN = /^[0-9a-f]{16}$/;

/** 16 hex digits (64 bits) of SHA-256: collisions are negligible at any sweep size. */
export function hashKey(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/**
 * The key of a run: everything that determines its results (including the
 * rackbench version, whose models may change), nothing about where it came
 * from. The scenario counts as written (`scenarioData`, after overrides):
 * how it resolves is fixed by the rackbench version.
 */
export function runKey(scenarioData: unknown, spec: RunSpec): string {
  return hashKey({
    rackbench: packageVersion(),
    scenario: scenarioData,
    scheduler: spec.scheduler,
    plugin: spec.plugin?.sha256,
    queue: spec.queue,
    seed: spec.seed,
    variant: spec.variant,
  });
}

export function runLabel(spec: RunSpec): string {
  return `${scenarioTitle(spec.scenario.name, spec.variant)} ${spec.scheduler} seed ${spec.seed}`;
}

/** A scenario's name in results: with the sweep parameters that made this variant of it. */
export function scenarioTitle(name: string, variant: string | undefined): string {
  return variant === undefined ? name : `${name} (${variant})`;
}
