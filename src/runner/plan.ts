/** From scenario files and command-line choices to the list of runs. */
import { UsageError } from '../core/errors.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { scenarioFromData, scenarioFromText } from '../model/scenario-file.js';
import { InputError, lineOf, readInputText } from '../model/yaml-input.js';
import type { LocatedYaml } from '../model/yaml-input.js';
import { DEFAULT_POLICIES, DEFAULT_QUEUE, findPlacement, findQueue, placementNames, queueNames } from '../schedulers/registry.js';
import { isPluginReference, resolvePlugin } from './plugins.js';
import { defaultScenarioFiles } from './defaults.js';
import { onPlatform, platformVariant } from './platform-variants.js';
import { runKey, runLabel, scenarioTitle } from './run-key.js';
import type { RunSpec } from './run-protocol.js';

/** A scenario read from its file (or built from one), resolved once for every run of it. */
export interface LoadedScenario {
  readonly file: string;
  /** As read from the file (plain data): what overrides apply to and run keys hash. */
  readonly data: unknown;
  readonly scenario: ResolvedScenario;
  /** Which variant of the file this is (`platform=k3s`); results name the scenario `name (variant)`. */
  readonly variant?: string | undefined;
  /** The file as parsed, to name the line of a field in a message (absent for scenarios built otherwise). */
  readonly located?: LocatedYaml | undefined;
}

/** One run, planned: its stable key, a label for people, and the spec a worker runs. */
export interface PlannedRun {
  /** Hash of what makes the run (run-key.ts): equal on any machine for an equal run. */
  readonly key: string;
  /** For people: scenario (with overrides), scheduler, seed. */
  readonly label: string;
  readonly spec: RunSpec;
}

function parseScenarioFile(file: string): { loaded: LoadedScenario; located: LocatedYaml } {
  const { data, scenario, located } = scenarioFromText(readInputText(file), file);
  return { loaded: { file, data, scenario, located }, located };
}

/** Reads and resolves a scenario file, as written. Throws InputError naming the file (and line) on bad input. */
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
  const { loaded, located } = parseScenarioFile(file);
  return platformVariantsOf(loaded, (i) => lineOf(located.doc, located.counter, ['defaults', 'platforms', i]));
}

/** As loadScenarioVariants, for scenario data built in a program rather than read from a file (`source` names it in errors). */
export function scenarioDataVariants(data: Record<string, unknown>, source: string): LoadedScenario[] {
  return platformVariantsOf({ file: source, data, scenario: scenarioFromData(data, source) }, () => undefined);
}

function platformVariantsOf(loaded: LoadedScenario, platformLine: (index: number) => number | undefined): LoadedScenario[] {
  const file = loaded.file;
  const platforms = loaded.scenario.defaults.platforms;
  if (platforms === undefined) return [loaded];
  const data = loaded.data as Record<string, unknown>;
  return [...new Set(platforms)].map((platform) => {
    const moved = onPlatform(data, loaded.scenario.platform, platform);
    try {
      return { file, data: moved, scenario: scenarioFromData(moved, file), variant: platformVariant(platform), located: loaded.located };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const why = e.issues.map((i) => `${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('; ');
      const line = platformLine(platforms.indexOf(platform));
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
export function defaultQueue(scenario: ResolvedScenario): string {
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
export function planRuns(scenarios: readonly LoadedScenario[], options: PlanOptions): PlannedRun[] {
  const names = new Set(scenarios.map((s) => scenarioTitle(s.scenario.name, s.variant)));
  if (names.size !== scenarios.length) {
    throw new UsageError('two scenario files have the same name; results are keyed by scenario name, so give each a distinct `name`');
  }
  const runs: PlannedRun[] = [];
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
      for (const seed of new Set(seeds)) {
        const spec: RunSpec = { scenario: s.scenario, source: s.file, scheduler, queue, seed, plugin, ...(s.variant === undefined ? {} : { variant: s.variant }) };
        runs.push({ key: runKey(s.data, spec), label: runLabel(spec), spec });
      }
    }
  }
  return runs;
}
