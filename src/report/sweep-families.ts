/**
 * Which results are one scenario swept over parameter values: a sweep names
 * each run's scenario `name (path=value, …)`. Scenarios of one name whose
 * parameters vary form a family; its first varying parameter (other than
 * `platform`) is the x axis of its curves, and the others split them into
 * small multiples.
 */
import { parseScenarioLabel } from './platform-sets.js';

export interface SweepPoint {
  /** The scenario name as results hold it. */
  readonly scenario: string;
  /** The swept parameter's value, as written in the sweep file. */
  readonly value: string;
  /** Its number (a leading number: "4/s" → 4), when every point has one. */
  readonly x: number | undefined;
  /** The other varying parameters, `path=value, …` ('' when only one varies). */
  readonly panel: string;
}

export interface SweepFamily {
  /** The scenario name without parameters. */
  readonly name: string;
  /** The parameter on the x axis. */
  readonly parameter: string;
  /** The other varying parameters (small multiples). */
  readonly others: readonly string[];
  readonly numeric: boolean;
  /** Points in order of x (or of the sweep file's values). */
  readonly points: readonly SweepPoint[];
  /** Values of the x parameter, in order. */
  readonly values: readonly string[];
  /** Panel labels, in order. */
  readonly panels: readonly string[];
}

const leadingNumber = (v: string): number | undefined => {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(v);
  return m ? Number(m[1]) : undefined;
};

export function sweepFamilies(scenarios: readonly string[]): SweepFamily[] {
  const byName = new Map<string, { scenario: string; params: [string, string][] }[]>();
  for (const scenario of scenarios) {
    const { name, params } = parseScenarioLabel(scenario);
    if (params.length === 0) continue;
    const list = byName.get(name) ?? [];
    list.push({ scenario, params });
    byName.set(name, list);
  }
  const families: SweepFamily[] = [];
  for (const [name, members] of byName) {
    if (members.length < 2) continue;
    const keys = members[0]!.params.map(([k]) => k);
    if (!members.every((m) => m.params.length === keys.length && m.params.every(([k], i) => k === keys[i]))) continue;
    const valueOf = (m: { params: [string, string][] }, k: string): string => m.params.find(([key]) => key === k)![1];
    const varying = keys.filter((k) => new Set(members.map((m) => valueOf(m, k))).size > 1);
    const parameter = varying.find((k) => k !== 'platform');
    if (parameter === undefined) continue;
    const others = varying.filter((k) => k !== parameter);
    const distinct = [...new Set(members.map((m) => valueOf(m, parameter)))];
    const numeric = distinct.every((v) => leadingNumber(v) !== undefined);
    const values = numeric ? [...distinct].sort((a, b) => leadingNumber(a)! - leadingNumber(b)!) : distinct;
    const points = members
      .map((m): SweepPoint => {
        const value = valueOf(m, parameter);
        return { scenario: m.scenario, value, x: numeric ? leadingNumber(value) : undefined, panel: others.map((k) => `${k}=${valueOf(m, k)}`).join(', ') };
      })
      .sort((a, b) => values.indexOf(a.value) - values.indexOf(b.value));
    const panels = [...new Set(members.map((m) => others.map((k) => `${k}=${valueOf(m, k)}`).join(', ')))];
    families.push({ name, parameter, others, numeric, points, values, panels });
  }
  return families;
}

/**
 * A parameter path short enough for an axis or a panel header: the list
 * element's selector value and the last field, e.g.
 * `workload.streams[name=analytics].arrival.rate` → `analytics arrival.rate`,
 * `cluster.pools[name=r650].count` → `r650 count`.
 */
export function shortParameter(path: string): string {
  const m = /^(?:.*\[[^=\]]+=([^\]]+)\])?\.?(.*)$/.exec(path);
  if (m === null) return path;
  const tail = m[2]!.split('.').slice(-2).join('.');
  return m[1] === undefined ? tail || path : `${m[1]} ${tail}`;
}

/** The point's short label: `short=value` for the swept parameter and the others. */
export function shortPanel(panel: string): string {
  return panel
    .split(', ')
    .filter((kv) => kv !== '')
    .map((kv) => {
      const eq = kv.lastIndexOf('=');
      return `${shortParameter(kv.slice(0, eq))}=${kv.slice(eq + 1)}`;
    })
    .join(', ');
}
