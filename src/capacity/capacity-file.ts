/**
 * Capacity files: a scenario (YAML) with a `capacity:` section, and the
 * candidate scenarios built from it. The section is taken off before the rest
 * is validated as an ordinary scenario.
 *
 * The pool being sized is the one `capacity.pool` names, else the first pool
 * whose role is not `server`. A candidate for (profile, platform, growth g,
 * node count n) is the scenario with these overrides (parameter paths, as a
 * sweep applies them), then validated like any scenario file:
 *
 * - `cluster.pools[i].profile` = profile, `cluster.pools[i].count` = n (the
 *   pool's own `capacity`/`hardware` entries stay, overriding every profile);
 * - `platform` = platform; `stack` = `capacity.stacks.<platform>` when given,
 *   else the scenario's own stack when the platform is the scenario's, else
 *   only its platform-neutral fields (`agents`, `reserved`) so the other
 *   platform's defaults apply (a datastore, CNI or ingress of one platform
 *   may not exist on the other); no stack on `none`;
 * - the workload × g: services' `replicas` and jobs' `completions` and
 *   `parallelism` multiplied and rounded up; streams' `arrival.rate` (poisson,
 *   fixed) multiplied, burst `size` multiplied and rounded up, and a stream's
 *   `count` multiplied and rounded up so it still spans the same time;
 * - with k nodes failing at t (a case of survive k, see survive.ts): the
 *   scenario's own `failures` plus `{ at: t, nodes: k, select }`.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { capacitySectionSchema } from '../model/capacity-section.js';
import type { CapacitySection } from '../model/capacity-section.js';
import { parseRate } from '../model/quantity.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { scenarioFromData } from '../model/scenario-file.js';
import { InputError, lineOf, parseYaml, readInputText, validateWith } from '../model/yaml-input.js';
import { applyOverride, formatValue } from '../runner/overrides.js';
import { stackOnPlatform } from '../runner/platform-variants.js';
import { durationText } from './survive.js';

export { COST_DEFAULTS, RACK_DEFAULTS, capacitySectionSchema } from '../model/capacity-section.js';
export type { CapacitySection } from '../model/capacity-section.js';

export interface CapacityFile {
  readonly file: string;
  /** The scenario part, as parsed (plain data). */
  readonly data: Record<string, unknown>;
  readonly scenario: ResolvedScenario;
  readonly section: CapacitySection;
  /** Index of the pool being sized. */
  readonly poolIndex: number;
}

/** Reads a capacity file. Throws InputError naming the file, line and field. */
export function loadCapacityFile(file: string): CapacityFile {
  const parsed = parseYaml(readInputText(file), file);
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    throw new InputError(file, [{ path: '', line: 1, message: 'expected a scenario mapping (name, cluster, workload) with a capacity section' }]);
  }
  const { capacity, ...data } = parsed.data as Record<string, unknown>;
  const section = validateWith(z.object({ capacity: capacitySectionSchema.default({}) }), { capacity }, file, parsed).capacity;
  const scenario = scenarioFromData(data, file, parsed);
  const pools = scenario.cluster.pools;
  const poolIndex = section.pool !== undefined ? pools.findIndex((p) => p.name === section.pool) : pools.findIndex((p) => p.role !== 'server');
  if (poolIndex < 0) {
    const message =
      section.pool !== undefined
        ? `no pool named "${section.pool}"; pools: ${pools.map((p) => p.name).join(', ')}`
        : 'every pool has role: server; name the pool to size with capacity.pool';
    throw new InputError(file, [{ path: section.pool !== undefined ? 'capacity.pool' : 'cluster.pools', line: lineOf(parsed.doc, parsed.counter, ['capacity', 'pool']), message }]);
  }
  return { file, data, scenario, section, poolIndex };
}

export interface Candidate {
  readonly profile: string;
  readonly platform: 'kubernetes' | 'k3s' | 'none';
  readonly growth: number;
  readonly nodes: number;
  /** Node failures to inject (survive), or undefined: `nodes` of them at `at`, `node` by name and the rest by `select`. */
  readonly failures?: { readonly at: number; readonly nodes: number; readonly select: 'most-loaded' | 'random'; readonly node?: string | undefined } | undefined;
}

/** x × g rounded up, ignoring float noise (3 × 1.1 is 3.3000000000000003; 10 × 1.1 must stay 11). */
export function scaleUp(x: number, g: number): number {
  return Math.max(1, Math.ceil(x * g - 1e-9));
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The stack a candidate on `platform` gets (undefined: none), per the rule in the module comment. */
function stackFor(cf: CapacityFile, platform: Candidate['platform']): unknown {
  if (platform === 'none') return undefined;
  return cf.section.stacks?.[platform] ?? stackOnPlatform(cf.data.stack, cf.scenario.platform, platform);
}

/** The overrides (path → value) that turn the capacity file's scenario into `c`. */
export function candidateOverrides(cf: CapacityFile, c: Candidate): [string, unknown][] {
  const i = cf.poolIndex;
  const out: [string, unknown][] = [
    [`cluster.pools[${i}].profile`, c.profile],
    [`cluster.pools[${i}].count`, c.nodes],
  ];
  if (c.platform !== (cf.data.platform ?? 'none') || cf.section.stacks !== undefined) {
    out.push(['platform', c.platform]);
    const stack = stackFor(cf, c.platform);
    if (stack !== cf.data.stack) out.push(['stack', stack]);
  }
  if (c.growth !== 1) {
    const g = c.growth;
    const w = isRecord(cf.data.workload) ? cf.data.workload : {};
    list(w.services).forEach((s, k) => {
      if (isRecord(s) && typeof s.replicas === 'number') out.push([`workload.services[${k}].replicas`, scaleUp(s.replicas, g)]);
    });
    list(w.jobs).forEach((j, k) => {
      if (!isRecord(j)) return;
      if (typeof j.completions === 'number') out.push([`workload.jobs[${k}].completions`, scaleUp(j.completions, g)]);
      out.push([`workload.jobs[${k}].parallelism`, scaleUp(typeof j.parallelism === 'number' ? j.parallelism : 1, g)]);
    });
    list(w.streams).forEach((s, k) => {
      if (!isRecord(s) || !isRecord(s.arrival)) return;
      const a = s.arrival;
      if ((a.process === 'poisson' || a.process === 'fixed') && (typeof a.rate === 'string' || typeof a.rate === 'number')) {
        let rate: number;
        try {
          rate = parseRate(a.rate);
        } catch {
          return; // left as written: validation reports it
        }
        out.push([`workload.streams[${k}].arrival.rate`, rate * g]);
      } else if (a.process === 'burst' && typeof a.size === 'number') {
        out.push([`workload.streams[${k}].arrival.size`, scaleUp(a.size, g)]);
      }
      if (typeof s.count === 'number') out.push([`workload.streams[${k}].count`, scaleUp(s.count, g)]);
    });
  }
  if (c.failures !== undefined) {
    const f = c.failures;
    const at = `${f.at}us`;
    // The named node first: the others are then chosen among the nodes still up, at the same instant.
    const named = f.node === undefined ? [] : [{ at, names: [f.node] }];
    const rest = f.nodes - named.length;
    out.push(['failures', [...list(cf.data.failures), ...named, ...(rest > 0 ? [{ at, nodes: rest, select: f.select }] : [])]]);
  }
  return out;
}

/** The candidate's scenario data and a label of what changed; throws UsageError when an override path does not apply. */
export function candidateData(cf: CapacityFile, c: Candidate): { data: unknown; variant: string } {
  let data: unknown = cf.data;
  for (const [path, value] of candidateOverrides(cf, c)) {
    const applied = applyOverride(data, path, value);
    if ('error' in applied) throw new UsageError(`${cf.file}: cannot apply ${path}: ${applied.error}`);
    data = applied.data;
  }
  const variant = [`profile=${c.profile}`, `platform=${c.platform}`, `growth=${formatValue(c.growth)}`, `nodes=${c.nodes}`, ...(c.failures ? [`fail=${c.failures.node === undefined ? c.failures.nodes : `${c.failures.node}${c.failures.nodes > 1 ? `+${c.failures.nodes - 1}` : ''}`}@${durationText(c.failures.at)}`] : [])].join(', ');
  return { data, variant };
}

/** Resolves a candidate like a scenario file; returns the scenario or the validation message. */
export function validateCandidate(cf: CapacityFile, data: unknown): { scenario: ResolvedScenario } | { error: string } {
  try {
    return { scenario: scenarioFromData(data, cf.file) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.issues.map((i) => `${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('; ') };
  }
}
