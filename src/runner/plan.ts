/** From scenario files and command-line choices to the list of runs. */
import { UsageError } from '../core/errors.js';
import { InputError } from '../model/scenario-file.js';
import { parseYaml, validateWith } from '../model/scenario-file.js';
import { scenarioSchema } from '../model/scenario.js';
import type { Scenario } from '../model/scenario.js';
import { DEFAULT_POLICIES, DEFAULT_QUEUE, findPlacement, findQueue, placementNames, queueNames } from '../schedulers/registry.js';
import { isPluginReference, resolvePlugin } from './plugins.js';
import { readInputText } from './input-file.js';
import type { RunSpec } from './run-one.js';

export interface LoadedScenario {
  readonly file: string;
  /** As parsed from the file: plain data that can be sent to a worker. */
  readonly data: unknown;
  readonly scenario: Scenario;
}

/** Reads and validates a scenario file. Throws InputError naming the file (and line) on bad input. */
export function loadScenarioFile(file: string): LoadedScenario {
  const parsed = parseYaml(readInputText(file), file);
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a mapping with name, cluster and workload' }]);
  }
  const scenario = validateWith(scenarioSchema, parsed.data, file, parsed);
  return { file, data: parsed.data, scenario };
}

/**
 * The scenario's queue policy when the command line names none: its
 * defaults.queue; else, on a Kubernetes or k3s cluster, kube-scheduler's queue
 * and cycle (every policy runs inside it there); else `priority`.
 */
export function defaultQueue(scenario: Scenario): string {
  return scenario.defaults.queue ?? (scenario.platform === 'none' ? DEFAULT_QUEUE : 'kube');
}

export interface PlanOptions {
  readonly schedulers?: readonly string[] | undefined;
  readonly seeds?: readonly number[] | undefined;
  readonly queue?: string | undefined;
  /** Where relative plugin paths are resolved from (default: the working directory). */
  readonly pluginBase?: string | undefined;
}

/** Every scenario × scheduler × seed, in that order. Unknown names fail before anything runs. */
export function planRuns(scenarios: readonly LoadedScenario[], options: PlanOptions): RunSpec[] {
  const names = new Set(scenarios.map((s) => s.scenario.name));
  if (names.size !== scenarios.length) {
    throw new UsageError('two scenario files have the same name; results are keyed by scenario name, so give each a distinct `name`');
  }
  const specs: RunSpec[] = [];
  for (const s of scenarios) {
    const schedulers = options.schedulers?.length ? options.schedulers : (s.scenario.defaults.schedulers ?? DEFAULT_POLICIES);
    const seeds = options.seeds?.length ? options.seeds : s.scenario.defaults.seeds;
    const queue = options.queue ?? defaultQueue(s.scenario);
    if (findQueue(queue) === undefined) {
      throw new UsageError(`unknown queue policy "${queue}"; built-in queue policies: ${queueNames().join(', ')}`);
    }
    for (const scheduler of new Set(schedulers)) {
      const plugin = isPluginReference(scheduler) ? resolvePlugin(scheduler, options.pluginBase ?? process.cwd()) : undefined;
      if (plugin === undefined && findPlacement(scheduler) === undefined && s.scenario.schedulers[scheduler] === undefined) {
        throw new UsageError(
          `unknown scheduler "${scheduler}" (in ${s.file}); built-in schedulers: ${placementNames().join(', ')}; or a plugin file such as ./my-policy.ts`,
        );
      }
      for (const seed of new Set(seeds)) specs.push({ scenario: s.data, source: s.file, scheduler, queue, seed, plugin });
    }
  }
  return specs;
}
