/** From scenario files and command-line choices to the list of runs. */
import { UsageError } from '../core/errors.js';
import { InputError } from '../model/scenario-file.js';
import { lineOf, parseYaml, scenarioFromData, validateWith } from '../model/scenario-file.js';
import { scenarioSchema } from '../model/scenario.js';
import type { Scenario } from '../model/scenario.js';
import { DEFAULT_POLICIES, DEFAULT_QUEUE, findPlacement, findQueue, placementNames, queueNames } from '../schedulers/registry.js';
import { isPluginReference, resolvePlugin } from './plugins.js';
import { defaultScenarioFiles } from './defaults.js';
import { readInputText } from './input-file.js';
import { onPlatform, platformVariant } from './platform-variants.js';
import type { RunSpec } from './run-one.js';
import { scenarioTitle } from './run-key.js';

export interface LoadedScenario {
  readonly file: string;
  /** As parsed from the file: plain data that can be sent to a worker. */
  readonly data: unknown;
  readonly scenario: Scenario;
  /** Which variant of the file this is (`platform=k3s`); results name the scenario `name (variant)`. */
  readonly variant?: string | undefined;
}

function parseScenarioFile(file: string): { loaded: LoadedScenario; parsed: ReturnType<typeof parseYaml> } {
  const parsed = parseYaml(readInputText(file), file);
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a mapping with name, cluster and workload' }]);
  }
  const scenario = validateWith(scenarioSchema, parsed.data, file, parsed);
  return { loaded: { file, data: parsed.data, scenario }, parsed };
}

/** Reads and validates a scenario file, as written. Throws InputError naming the file (and line) on bad input. */
export function loadScenarioFile(file: string): LoadedScenario {
  return parseScenarioFile(file).loaded;
}

/**
 * The runs a scenario file stands for: the scenario as written, or, when its
 * `defaults.platforms` lists platforms, one variant per platform with the same
 * hardware and workload (src/runner/platform-variants.ts). Each variant is
 * validated; an invalid one is an InputError at its `defaults.platforms` entry.
 */
export function loadScenarioVariants(file: string): LoadedScenario[] {
  const { loaded, parsed } = parseScenarioFile(file);
  const platforms = loaded.scenario.defaults.platforms;
  if (platforms === undefined) return [loaded];
  const data = loaded.data as Record<string, unknown>;
  return [...new Set(platforms)].map((platform) => {
    const moved = onPlatform(data, loaded.scenario.platform, platform);
    try {
      return { file, data: moved, scenario: scenarioFromData(moved, file), variant: platformVariant(platform) };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const why = e.issues.map((i) => `${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('; ');
      const line = lineOf(parsed.doc, parsed.counter, ['defaults', 'platforms', platforms.indexOf(platform)]);
      throw new InputError(file, [{ path: `defaults.platforms[${platforms.indexOf(platform)}]`, line, message: `the scenario on ${platform} is not valid: ${why}` }]);
    }
  });
}

/** The built-in scenarios that `rackbench run` runs without arguments (`runByDefault`), each platform variant apart. */
export function defaultScenarios(): LoadedScenario[] {
  return defaultScenarioFiles()
    .flatMap(loadScenarioVariants)
    .filter((s) => s.scenario.defaults.runByDefault);
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
  const names = new Set(scenarios.map((s) => scenarioTitle(s.scenario.name, s.variant)));
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
      for (const seed of new Set(seeds)) specs.push({ scenario: s.data, source: s.file, scheduler, queue, seed, plugin, ...(s.variant === undefined ? {} : { variant: s.variant }) });
    }
  }
  return specs;
}
