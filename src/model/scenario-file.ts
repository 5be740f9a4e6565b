/**
 * Loading a scenario: YAML text or plain data, parsed by the schema and then
 * resolved, with one InputError naming the file, the line and the field path
 * of every issue either step finds.
 */
import { resolveScenario } from './resolve-scenario.js';
import type { ResolvedScenario } from './scenario.js';
import { parseScenarioData } from './scenario-schema.js';
import { fieldIssuesError, fieldIssuesOf, InputError, parseYaml } from './yaml-input.js';
import type { LocatedYaml } from './yaml-input.js';

/**
 * Parses and resolves scenario data (as read from a file, or built from one
 * with overrides). `located` puts line numbers in the errors. Throws
 * InputError on bad input.
 */
export function scenarioFromData(data: unknown, file: string, located?: LocatedYaml): ResolvedScenario {
  const parsed = parseScenarioData(data);
  const issues = fieldIssuesOf(parsed.issues);
  if (parsed.value !== undefined) {
    // Resolving adds its issues to those of the parse, as a check of the schema would.
    const resolution = resolveScenario(parsed.value);
    if (resolution.scenario !== undefined && issues.length === 0) return resolution.scenario;
    issues.push(...(resolution.issues ?? []));
  }
  throw fieldIssuesError(file, issues, located);
}

/** Whether parsed YAML is a mapping, as a scenario must be. */
function isMapping(data: unknown): data is Record<string, unknown> {
  return data !== null && typeof data === 'object' && !Array.isArray(data);
}

/** Parses and resolves scenario text. Throws InputError on bad input. */
export function parseScenario(text: string, file: string): ResolvedScenario {
  return scenarioFromText(text, file).scenario;
}

/** Parses and resolves scenario text, keeping the data as read (for overrides and run keys) and the located document (for lines). */
export function scenarioFromText(text: string, file: string): { data: Record<string, unknown>; scenario: ResolvedScenario; located: LocatedYaml } {
  const parsed = parseYaml(text, file);
  if (!isMapping(parsed.data)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a mapping with name, cluster and workload' }]);
  }
  return { data: parsed.data, scenario: scenarioFromData(parsed.data, file, parsed), located: parsed };
}
