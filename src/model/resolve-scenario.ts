/**
 * Resolving a parsed scenario, once, into the ResolvedScenario every run
 * reads: hardware profiles from the catalog, then the platform's share of
 * each node and its own pods from the stack and the platform data, then the
 * cross-field rules. Reads the catalog and platform files (each once per
 * process) and nothing else; the result is plain data.
 */
import { applyProfiles } from './catalog.js';
import { applyStack } from './platform.js';
import type { ResolvedScenario } from './scenario.js';
import { checkScenario } from './scenario-checks.js';
import type { ParsedScenario } from './scenario-schema.js';
import type { FieldIssue } from './yaml-input.js';

export type Resolution = { readonly scenario: ResolvedScenario; readonly issues?: undefined } | { readonly scenario?: undefined; readonly issues: readonly FieldIssue[] };

/**
 * Resolves a parsed scenario. Profiles come first, since the stack sizes the
 * platform's share from each pool's capacity; the cross-field rules run only
 * on a scenario whose profiles and stack applied cleanly. Leaves `parsed`
 * as it is.
 */
export function resolveScenario(parsed: ParsedScenario): Resolution {
  const profiled = applyProfiles(parsed);
  if (profiled.issues.length > 0) return { issues: profiled.issues };
  const withProfiles: ParsedScenario = { ...parsed, cluster: { ...parsed.cluster, pools: profiled.pools } };
  const applied = applyStack(withProfiles);
  if (applied.issues.length > 0) return { issues: applied.issues };
  const scenario: ParsedScenario = { ...withProfiles, cluster: { ...withProfiles.cluster, pools: applied.pools } };
  // A scenario without a stack keeps no `stack` key, as it was parsed.
  if (applied.stack !== undefined) scenario.stack = applied.stack;
  const issues = checkScenario(scenario);
  if (issues.length > 0) return { issues };
  return { scenario: (applied.pods === undefined ? scenario : { ...scenario, platformPods: applied.pods }) as ResolvedScenario };
}
