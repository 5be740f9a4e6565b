/**
 * Which results are one scenario swept over parameter values: a sweep names
 * each run's scenario `name (path=value, …)`. Scenarios of one name whose
 * parameters vary form a family; its first varying parameter (other than
 * `platform`) is the x axis of its curves, and the others split them into
 * small multiples.
 */
import { parseDuration, parseQuantity, parseRate } from '../model/quantity.js';
import { parseScenarioLabel } from './platform-sets.js';

export interface SweepPoint {
  /** The scenario name as results hold it. */
  readonly scenario: string;
  /** The swept parameter's value, as written in the sweep file. */
  readonly value: string;
  /** Its number in the family's `unit` ("4/s" → 4 per s, "512Mi" → 0.5 GiB), when every point has one. */
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
  /** The unit of the points' `x` ('' for plain numbers or names). */
  readonly unit: string;
  /** Points in order of x (or of the sweep file's values). */
  readonly points: readonly SweepPoint[];
  /** Values of the x parameter, in order. */
  readonly values: readonly string[];
  /** Panel labels, in order. */
  readonly panels: readonly string[];
}

const GiB = 2 ** 30;

/** Every value read by `read`, or undefined when one does not parse. */
function readAll(values: readonly string[], read: (v: string) => number): number[] | undefined {
  try {
    return values.map(read);
  } catch {
    return undefined;
  }
}

/**
 * The numbers behind a swept parameter's values, in one unit, for a numeric
 * axis: plain numbers as they are; rates ("2/s", "120/m") per second; CPU
 * quantities ("500m", "2") in CPUs and byte quantities ("512Mi", "2Gi") in
 * GiB, as the parameter's name says which; durations ("30s", "2m") in
 * seconds. Values in mixed units are placed by what they mean, never by their
 * leading digits ("512Mi" below "2Gi"). Undefined when the values are names.
 */
export function parameterNumbers(path: string, values: readonly string[]): { numbers: number[]; unit: string } | undefined {
  const plain = values.every((v) => /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(v));
  if (plain) return { numbers: values.map(Number), unit: '' };
  const field = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const tries: [boolean, (v: string) => number, string][] = [
    [values.every((v) => v.includes('/')), (v) => parseRate(v), 'per s'],
    [/cpu/.test(field), (v) => parseQuantity(v, 'millicores') / 1000, 'CPUs'],
    [/memory|nvme|storage|size|bytes|disk/.test(field), (v) => parseQuantity(v, 'bytes') / GiB, 'GiB'],
    [true, (v) => parseDuration(v) / 1e6, 's'],
  ];
  for (const [applies, read, unit] of tries) {
    if (!applies) continue;
    const numbers = readAll(values, read);
    if (numbers !== undefined) return { numbers, unit };
  }
  return undefined;
}

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
    const read = parameterNumbers(parameter, distinct);
    const numberOf = new Map(read === undefined ? [] : distinct.map((v, i) => [v, read.numbers[i]!]));
    const numeric = read !== undefined;
    const values = numeric ? [...distinct].sort((a, b) => numberOf.get(a)! - numberOf.get(b)!) : distinct;
    const points = members
      .map((m): SweepPoint => {
        const value = valueOf(m, parameter);
        return { scenario: m.scenario, value, x: numberOf.get(value), panel: others.map((k) => `${k}=${valueOf(m, k)}`).join(', ') };
      })
      .sort((a, b) => values.indexOf(a.value) - values.indexOf(b.value));
    const panels = [...new Set(members.map((m) => others.map((k) => `${k}=${valueOf(m, k)}`).join(', ')))];
    families.push({ name, parameter, others, numeric, unit: read?.unit ?? '', points, values, panels });
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
