/**
 * Which results are one scenario run on several platforms: a scenario's
 * `defaults.platforms`, or a sweep's `platform` parameter, names each run's
 * scenario `name (platform=k3s, …)`; the names alone tell the sets apart.
 */

/** One scenario (and parameter point) run on several platforms. */
export interface PlatformSet {
  /** The scenario name with every parameter but `platform`. */
  readonly name: string;
  readonly variants: readonly { readonly platform: string; readonly scenario: string }[];
}

/**
 * A sweep names a run's scenario `name (path=value, …)`. Splits that into the
 * name and its parameters; a plain scenario name has none.
 */
export function parseScenarioLabel(label: string): { name: string; params: [string, string][] } {
  const m = /^(.*?) \((.*)\)$/.exec(label);
  if (!m) return { name: label, params: [] };
  const params = m[2]!.split(', ').map((p): [string, string] => {
    const eq = p.lastIndexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
  });
  return { name: m[1]!, params };
}

/** The scenarios (result names) that are one scenario on several platforms, grouped; a set needs two platforms or more. */
export function platformSets(scenarios: readonly string[]): PlatformSet[] {
  const sets = new Map<string, { platform: string; scenario: string }[]>();
  for (const scenario of scenarios) {
    const { name, params } = parseScenarioLabel(scenario);
    const platform = params.find(([k]) => k === 'platform');
    if (platform === undefined) continue;
    const rest = params.filter(([k]) => k !== 'platform');
    const key = rest.length === 0 ? name : `${name} (${rest.map(([k, v]) => `${k}=${v}`).join(', ')})`;
    const list = sets.get(key) ?? [];
    list.push({ platform: platform[1], scenario });
    sets.set(key, list);
  }
  return [...sets.entries()].filter(([, v]) => v.length > 1).map(([name, variants]) => ({ name, variants }));
}
