/**
 * Sweep files: a matrix of scenarios × parameter overrides × schedulers ×
 * seeds, expanded into runs with stable keys and readable labels.
 *
 *   name: policies
 *   scenarios: [../k8s-bare-metal.yaml]          # relative to this file
 *   schedulers: [first-fit, best-fit, ./mine.ts]  # default: each scenario's defaults
 *   seeds: { from: 1, count: 8 }                  # or a list; default: each scenario's defaults
 *   parameters:
 *     cluster.pools[0].count: [2, 3, 4]
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { scenarioFromData } from '../model/scenario-file.js';
import { InputError, lineOf, parseYaml, readInputText, validateWith } from '../model/yaml-input.js';
import { applyOverride, formatValue, parsePath } from './overrides.js';
import type { LoadedScenario, PlannedRun } from './plan.js';
import { loadScenarioVariants, planRuns } from './plan.js';
import { hashKey } from './run-key.js';

const seedSchema = z.number().int().nonnegative();

export const sweepSchema = z.strictObject({
  /** Names the sweep in its results; merge refuses shards of different sweeps. */
  name: z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'),
  description: z.string().optional(),
  /** Scenario files, relative to the sweep file. */
  scenarios: z.array(z.string().min(1)).min(1),
  /** Built-in policies, KubeSchedulerConfiguration names of the scenarios, or plugin files relative to the sweep file. */
  schedulers: z.array(z.string().min(1)).min(1).optional(),
  seeds: z.union([z.array(seedSchema).min(1), z.strictObject({ from: seedSchema, count: z.number().int().positive() })]).optional(),
  queue: z.string().min(1).optional(),
  /** Override path → the values to try; every combination is run. */
  parameters: z.record(z.string(), z.array(z.unknown()).min(1)).default({}),
});
export type SweepFile = z.output<typeof sweepSchema>;

export interface SweepPlan {
  readonly name: string;
  readonly file: string;
  /** Identifies the whole run list (before sharding): a hash of every key. */
  readonly id: string;
  readonly runs: readonly PlannedRun[];
}

/** Every combination of the parameters' values, first parameter varying slowest. */
function combinations(parameters: Record<string, unknown[]>): [string, unknown][][] {
  let out: [string, unknown][][] = [[]];
  for (const [path, values] of Object.entries(parameters)) {
    out = out.flatMap((prefix) => values.map((v): [string, unknown][] => [...prefix, [path, v]]));
  }
  return out;
}

/**
 * Reads, validates and expands a sweep file. Each variant (a scenario with
 * one combination of parameter values) is resolved once, here; its runs
 * carry the resolved scenario. Throws InputError naming the file, field and line.
 */
export function loadSweep(file: string): SweepPlan {
  const parsed = parseYaml(readInputText(file), file);
  const sweep = validateWith(sweepSchema, parsed.data, file, parsed);
  const at = (path: PropertyKey[]): number | undefined => lineOf(parsed.doc, parsed.counter, path);
  const base = dirname(file);

  for (const path of Object.keys(sweep.parameters)) {
    try {
      parsePath(path);
    } catch (e) {
      throw new InputError(file, [{ path: `parameters.${path}`, line: at(['parameters', path]), message: (e as Error).message }]);
    }
  }

  // A scenario with defaults.platforms stands for one variant per platform (platform-variants.ts).
  const scenarios = sweep.scenarios.flatMap((s, i) => {
    try {
      return loadScenarioVariants(resolve(base, s));
    } catch (e) {
      if (e instanceof InputError && e.issues.length === 1 && e.issues[0]!.message === 'no such file') {
        throw new InputError(file, [{ path: `scenarios[${i}]`, line: at(['scenarios', i]), message: `no such scenario file: ${resolve(base, s)}` }]);
      }
      throw e;
    }
  });

  const seeds = seedList(sweep.seeds);
  const runs: PlannedRun[] = [];
  for (const loaded of scenarios) {
    for (const assignment of combinations(sweep.parameters)) {
      runs.push(...plan(applyParameters(loaded, assignment, file, at), sweep, seeds, base, file, at));
    }
  }
  const keys = new Set<string>();
  for (const r of runs) {
    if (keys.has(r.key)) throw new InputError(file, [{ path: '', message: `two runs of the sweep are identical (${r.label}); remove the duplicate scenario, scheduler, seed or parameter value` }]);
    keys.add(r.key);
  }
  return { name: sweep.name, file, id: hashKey({ name: sweep.name, keys: [...keys].sort() }), runs };
}

function seedList(seeds: SweepFile['seeds']): number[] | undefined {
  if (seeds === undefined || Array.isArray(seeds)) return seeds;
  return Array.from({ length: seeds.count }, (_, i) => seeds.from + i);
}

function plan(
  variant: LoadedScenario,
  sweep: SweepFile,
  seeds: number[] | undefined,
  base: string,
  file: string,
  at: (path: PropertyKey[]) => number | undefined,
): PlannedRun[] {
  try {
    return planRuns([variant], { schedulers: sweep.schedulers, seeds, queue: sweep.queue, pluginBase: base });
  } catch (e) {
    if (e instanceof UsageError) throw new InputError(file, [{ path: 'schedulers', line: at(['schedulers']), message: e.message }]);
    throw e;
  }
}

/** The scenario with one combination of parameter values applied, resolved, and its variant described. */
function applyParameters(
  loaded: LoadedScenario,
  assignment: readonly [string, unknown][],
  file: string,
  at: (path: PropertyKey[]) => number | undefined,
): LoadedScenario {
  if (assignment.length === 0) return loaded;
  let data = loaded.data;
  for (const [path, value] of assignment) {
    const applied = applyOverride(data, path, value);
    if ('error' in applied) {
      throw new InputError(file, [{ path: `parameters.${path}`, line: at(['parameters', path]), message: `in scenario ${loaded.scenario.name}: ${applied.error}` }]);
    }
    data = applied.data;
  }
  const variant = [...(loaded.variant === undefined ? [] : [loaded.variant]), ...assignment.map(([p, v]) => `${p}=${formatValue(v)}`)].join(', ');
  try {
    return { file: loaded.file, data, scenario: scenarioFromData(data, loaded.file), variant };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const issue = e.issues[0]!;
    const [path] = assignment.find(([p]) => issue.path.startsWith(p.replace(/\[[^\]]*=[^\]]*\]/g, ''))) ?? assignment[0]!;
    throw new InputError(file, [
      { path: `parameters.${path}`, line: at(['parameters', path]), message: `${loaded.scenario.name} with ${variant} is not a valid scenario: ${issue.path}: ${issue.message}` },
    ]);
  }
}
