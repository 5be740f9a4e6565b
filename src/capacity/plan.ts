/**
 * Capacity planning: for every hardware profile × platform × growth factor,
 * the smallest node count of the sized pool that meets every SLO on every
 * seed (search.ts), then the racks, power and cost of that cluster
 * (racks.ts). Runs go through the worker pool in rounds: each round
 * every unfinished search names its next count and all their runs go out as
 * one batch. The order of evaluations depends only on earlier verdicts, so
 * the answer does not depend on the number of workers.
 */
import { compact } from '../compact/compaction.js';
import { UsageError } from '../core/errors.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { catalogFor } from '../model/catalog.js';
import { nodeName } from '../model/platform.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { scenarioFromData } from '../model/scenario-file.js';
import type { CapacityEvaluation, CapacityOption, CapacityReport } from '../report/capacity-report.js';
import { defaultQueue } from '../runner/plan.js';
import type { PoolOptions } from '../runner/pool.js';
import { runOnPool } from '../runner/pool.js';
import { runOne } from '../runner/run-one.js';
import type { RunOutcome, RunResult, RunSpec } from '../runner/run-protocol.js';
import { findPlacement, placementNames } from '../schedulers/registry.js';
import type { Candidate, CapacityFile } from './capacity-file.js';
import { candidateData, COST_DEFAULTS, loadCapacityFile, RACK_DEFAULTS, validateCandidate } from './capacity-file.js';
import type { MachineGroup } from './racks.js';
import { powerAndCost } from './racks.js';
import { NodeSearch } from './search.js';
import type { SearchOutcome } from './search.js';
import { checkSlos, parseSlos, worstValue } from './slo.js';
import type { Slo } from './slo.js';
import { durationText, failureTimes, surviveCases } from './survive.js';
import type { SurviveCase, SurvivePlan } from './survive.js';

export type PlatformName = 'kubernetes' | 'k3s' | 'none';

/** Runs a batch of specs; outcomes in the order of the specs. */
export type BatchRunner = (specs: readonly RunSpec[]) => Promise<{ outcomes: (RunOutcome | undefined)[]; interrupted: boolean }>;

export interface CapacityOptions {
  readonly profiles?: readonly string[] | undefined;
  readonly platforms?: readonly PlatformName[] | undefined;
  readonly growth?: readonly number[] | undefined;
  readonly slo?: string | undefined;
  readonly seeds?: number | undefined;
  readonly maxNodes?: number | undefined;
  readonly survive?: number | undefined;
  readonly surviveSelect?: 'most-loaded' | 'every' | 'random' | undefined;
  readonly scheduler?: string | undefined;
  /** Worker pool settings for the default runner. */
  readonly pool?: PoolOptions | undefined;
  /** Replaces the worker pool (tests run in-process). */
  readonly runner?: BatchRunner | undefined;
  readonly onProgress?: ((message: string) => void) | undefined;
}

export interface CapacityResult {
  readonly report: CapacityReport;
  readonly interrupted: boolean;
}

export const DEFAULT_SEEDS = 3;
export const DEFAULT_MAX_NODES = 512;

/** The worker-pool runner: every spec on runOnPool, outcomes put back in spec order. */
export function poolRunner(options: PoolOptions): BatchRunner {
  return async (specs) => {
    const outcomes: (RunOutcome | undefined)[] = specs.map(() => undefined);
    const items = specs.map((spec, i) => ({ spec, i }));
    const { interrupted } = await runOnPool(items, options, (item, outcome) => {
      outcomes[item.i] = outcome;
    });
    return { outcomes, interrupted };
  };
}

/** An in-process runner (no threads), for tests and tiny searches. */
export const inProcessRunner: BatchRunner = async (specs) => ({
  outcomes: specs.map((spec): RunOutcome => {
    try {
      return { ok: true, result: runOne(spec) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }),
  interrupted: false,
});

/** Why node failures cannot be injected in this build, or undefined when they can. */
export function failuresUnavailable(): string | undefined {
  const base = {
    name: 'failure-probe',
    cluster: { pools: [{ name: 'n', count: 2, capacity: { cpu: 1, memory: '1Gi' } }] },
    workload: { services: [{ name: 's', replicas: 2, requests: { cpu: 1 } }] },
    simulation: { until: '1h' },
  };
  const failing = { ...base, failures: [{ at: '1s', nodes: 1, select: 'most-loaded' }] };
  let withFailures: ResolvedScenario;
  try {
    withFailures = scenarioFromData(failing, 'failure-probe');
  } catch {
    return 'the scenario schema has no `failures` field';
  }
  try {
    const spec = { source: 'failure-probe', scheduler: 'first-fit', queue: 'priority', seed: 1 };
    const without = runOne({ ...spec, scenario: scenarioFromData(base, 'failure-probe') }).metrics;
    const withFailure = runOne({ ...spec, scenario: withFailures }).metrics;
    if (JSON.stringify(without) === JSON.stringify(withFailure)) return 'the simulator accepts `failures` but does not act on them yet';
  } catch (e) {
    return `a run with a node failure fails: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

/** A count being evaluated: its cases (survive.ts) × seeds run in stages. */
interface Pending {
  readonly nodes: number;
  /** The case without failure at `nodes`: its scenario is the answer's cluster. */
  readonly scenario: ResolvedScenario;
  readonly cases: readonly SurviveCase[];
  stage: number;
  /** The no-failure case's runs, in seed order: the answer's figures. */
  readonly results: RunResult[];
  /** Every run of every case, for the SLO values. */
  readonly all: RunResult[];
  readonly violations: string[];
  readonly spec: (c: number, seed: number) => RunSpec;
}

interface Config {
  readonly profile: string;
  readonly platform: PlatformName;
  readonly growth: number;
  readonly search: NodeSearch;
  /** Per evaluated count: the resolved candidate and its runs (seed order), and every run of every case. */
  readonly runs: Map<number, { scenario: ResolvedScenario; results: RunResult[]; all: RunResult[]; violations: string[] }>;
  error?: string;
}

/**
 * The stages of runs at one count: (case, seed) pairs. The first seed's
 * run without failure goes alone, then the first seed's other cases, then
 * every case on the other seeds, each stage only when the ones before met
 * every SLO: a failing count (most of the bracket) costs one run, and the
 * verdict is the same (every case on every seed must pass).
 */
function stagesOf(cases: number, seeds: readonly number[]): [number, number][][] {
  const [first, ...rest] = seeds;
  const stages: [number, number][][] = [[[0, first!]]];
  if (cases > 1) stages.push(Array.from({ length: cases - 1 }, (_, i): [number, number] => [i + 1, first!]));
  if (rest.length > 0) stages.push(Array.from({ length: cases }, (_, c) => rest.map((seed): [number, number] => [c, seed])).flat());
  return stages;
}

function resolveSettings(cf: CapacityFile, o: CapacityOptions) {
  const s = cf.section;
  const pool = cf.scenario.cluster.pools[cf.poolIndex]!;
  const profiles = o.profiles ?? s.profiles ?? (pool.profile !== undefined ? [pool.profile] : undefined);
  if (profiles === undefined || profiles.length === 0) {
    throw new UsageError(`name the hardware profiles to try with --profiles (or capacity.profiles in ${cf.file}); pool "${pool.name}" names none`);
  }
  const catalog = catalogFor(cf.scenario.catalog);
  const known = [...catalog.keys()].sort();
  for (const p of profiles) {
    if (!catalog.has(p)) throw new UsageError(`unknown hardware profile "${p}"; known profiles: ${known.join(', ')}`);
  }
  const sloText = o.slo ?? (Array.isArray(s.slo) ? s.slo.join(',') : s.slo);
  if (sloText === undefined) throw new UsageError(`give the SLOs with --slo (or capacity.slo in ${cf.file}), e.g. --slo "sched_delay_p99<=30s,unschedulable=0"`);
  const slos = parseSlos(sloText, o.slo !== undefined ? '--slo' : 'capacity.slo');
  const scheduler = o.scheduler ?? s.scheduler ?? cf.scenario.defaults.schedulers?.[0] ?? 'kube-default';
  if (findPlacement(scheduler) === undefined && cf.scenario.schedulers[scheduler] === undefined) {
    throw new UsageError(`unknown scheduler "${scheduler}"; built-in schedulers: ${placementNames().join(', ')}, or a KubeSchedulerConfiguration named under the scenario's schedulers`);
  }
  const seedCount = o.seeds ?? s.seeds ?? DEFAULT_SEEDS;
  const maxNodes = o.maxNodes ?? s.maxNodes ?? DEFAULT_MAX_NODES;
  const survive = o.survive ?? s.survive ?? 0;
  const select = o.surviveSelect ?? s.surviveSelect ?? 'every';
  const until = cf.scenario.simulation.until;
  const peak = s.peak ?? (until !== undefined ? Math.floor(until / 2) : undefined);
  if (survive > 0 && peak === undefined) {
    throw new UsageError(`--survive needs the moment of peak demand: give capacity.peak (e.g. peak: 30m) or simulation.until in ${cf.file} (the default peak is the middle of the run)`);
  }
  if (survive >= maxNodes) throw new UsageError(`--survive ${survive} needs more than ${survive} nodes, and --max-nodes is ${maxNodes}`);
  const life = cf.scenario.simulation.nodeLifecycle;
  const evictionDelay = life.monitorGracePeriod + life.tolerationSeconds * MICROS_PER_SECOND;
  const busyUntil = s.busyUntil ?? (until !== undefined ? Math.max(0, until - evictionDelay) : peak);
  return {
    profiles: [...new Set(profiles)],
    platforms: [...new Set(o.platforms ?? s.platforms ?? [cf.scenario.platform])],
    growth: [...new Set(o.growth ?? s.growth ?? [1])],
    slos,
    scheduler,
    seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
    maxNodes,
    survive,
    select,
    peak,
    evictionDelay,
    busyUntil,
    until,
    rack: { ...RACK_DEFAULTS, ...s.rack },
    cost: { ...COST_DEFAULTS, ...s.cost },
  };
}

/**
 * Runs the capacity search of a capacity file. Throws UsageError or
 * InputError on bad input (exit 2); options that cannot be met or whose runs
 * fail are reported in the result, not thrown.
 */
export async function planCapacity(file: string, options: CapacityOptions = {}): Promise<CapacityResult> {
  const cf = loadCapacityFile(file);
  const st = resolveSettings(cf, options);
  const say = options.onProgress ?? (() => undefined);
  const notes: string[] = [];

  let survive = st.survive;
  let plan: SurvivePlan | undefined;
  if (survive > 0) {
    const why = failuresUnavailable();
    if (why !== undefined) {
      notes.push(`node failures are not available in this build (${why}): --survive ${survive} is skipped, and these sizes do not survive any node failure`);
      survive = 0;
    } else {
      const times = failureTimes(st.peak!, st.evictionDelay, st.busyUntil!);
      plan = { k: survive, select: st.select, peak: st.peak!, evictionDelay: st.evictionDelay, busyUntil: st.busyUntil!, times };
      const last = times.at(-1)!;
      if (st.until !== undefined && last + st.evictionDelay > st.until) {
        notes.push(
          `the last failure (${durationText(last)}) evicts its pods after the run ends (${durationText(st.until)}): they count as never running again; set capacity.busyUntil to the end of the busy period`,
        );
      }
    }
  }

  const configs: Config[] = [];
  for (const growth of st.growth) {
    for (const profile of st.profiles) {
      for (const platform of st.platforms) {
        configs.push({ profile, platform, growth, search: new NodeSearch({ minNodes: survive + 1, maxNodes: st.maxNodes }), runs: new Map() });
      }
    }
  }

  const runner = options.runner ?? poolRunner(options.pool ?? {});
  const pending = new Map<Config, Pending>();
  let interrupted = false;
  let round = 0;
  for (;;) {
    for (const config of configs) {
      if (config.error !== undefined || pending.has(config)) continue;
      const n = config.search.next();
      if (n === undefined) continue;
      const names = cf.scenario.cluster.pools.flatMap((pool, i) => Array.from({ length: i === cf.poolIndex ? n : pool.count }, (_, j) => nodeName(pool.name, j)));
      const cases = surviveCases(n, plan, names);
      const built: { scenario: ResolvedScenario; variant: string; queue: string }[] = [];
      for (const c of cases) {
        const failures = c.failAt === undefined ? undefined : { at: c.failAt, nodes: plan!.k, select: plan!.select === 'random' ? ('random' as const) : ('most-loaded' as const), node: c.node };
        const candidate: Candidate = { profile: config.profile, platform: config.platform, growth: config.growth, nodes: c.nodes, failures };
        const { data, variant } = candidateData(cf, candidate);
        const valid = validateCandidate(cf, data);
        if ('error' in valid) {
          config.error = `not a valid cluster at ${c.nodes} nodes: ${valid.error}`;
          break;
        }
        built.push({ scenario: valid.scenario, variant, queue: defaultQueue(valid.scenario) });
      }
      if (config.error !== undefined) continue;
      pending.set(config, {
        nodes: n,
        scenario: built[0]!.scenario,
        cases,
        stage: 0,
        results: [],
        all: [],
        violations: [],
        spec: (c, seed) => ({ scenario: built[c]!.scenario, source: cf.file, scheduler: st.scheduler, queue: built[c]!.queue, seed, variant: built[c]!.variant }),
      });
    }
    if (pending.size === 0) break;
    round++;
    // Configs in their fixed order, so the batch (and every verdict) is the same whatever the workers.
    const batch = configs
      .filter((c) => pending.has(c))
      .map((config) => {
        const p = pending.get(config)!;
        return { config, p, runs: stagesOf(p.cases.length, st.seeds)[p.stage]! };
      });
    const specs = batch.flatMap((b) => b.runs.map(([c, seed]) => b.p.spec(c, seed)));
    say(`round ${round}: ${specs.length} runs: ${batch.map((b) => `${b.config.profile}/${b.config.platform}/×${b.config.growth}@${b.p.nodes}`).join(' ')}`);
    const { outcomes, interrupted: stopped } = await runner(specs);
    if (stopped) {
      interrupted = true;
      break;
    }
    let at = 0;
    for (const { config, p, runs } of batch) {
      for (const [c, seed] of runs) {
        const outcome = outcomes[at++];
        const what = p.cases.length > 1 ? `seed ${seed}, ${p.cases[c]!.label}` : `seed ${seed}`;
        if (outcome === undefined || !outcome.ok) {
          config.error ??= `a run at ${p.nodes} nodes (${what}) failed: ${outcome === undefined ? 'no result' : outcome.error}`;
          continue;
        }
        if (c === 0) p.results.push(outcome.result);
        p.all.push(outcome.result);
        const check = checkSlos(st.slos, outcome.result.metrics);
        for (const v of check.violations) p.violations.push(`${what}: ${v}`);
        for (const f of check.fallbacks) {
          const [wanted, used] = f.split('→');
          const note = `${wanted} is not among this build's metrics; ${used} is used in its place (container start-up is not modelled yet)`;
          if (!notes.includes(note)) notes.push(note);
        }
      }
      if (config.error !== undefined) {
        pending.delete(config);
        continue;
      }
      if (p.violations.length === 0 && p.stage + 1 < stagesOf(p.cases.length, st.seeds).length) {
        p.stage++;
        continue;
      }
      pending.delete(config);
      config.runs.set(p.nodes, { scenario: p.scenario, results: p.results, all: p.all, violations: p.violations });
      config.search.record(p.nodes, p.violations.length === 0);
    }
  }

  const report: CapacityReport = {
    scenario: cf.scenario.name,
    pool: cf.scenario.cluster.pools[cf.poolIndex]!.name,
    scheduler: st.scheduler,
    queue: cf.scenario.defaults.queue ?? 'kube on kubernetes and k3s, priority on none',
    seeds: st.seeds,
    slos: st.slos.map((s) => s.text),
    thresholds: Object.fromEntries(st.slos.map((s) => [s.text, { column: s.column, op: s.op, value: s.value }])),
    survive,
    maxNodes: st.maxNodes,
    assumptions: {
      rack: st.rack,
      cost: st.cost,
      powerModel: 'P(u) = idle + (max − idle) · u, u = alloc_cpu_mean (mean over seeds) for mean power and energy, alloc_cpu_peak (max over seeds) for peak power (Fan, Weber, Barroso, ISCA 2007)',
      hoursPerMonth: 730,
      ...(plan !== undefined
        ? {
            failures: {
              nodes: plan.k,
              select: plan.select,
              peakSeconds: plan.peak / 1e6,
              evictionDelaySeconds: plan.evictionDelay / 1e6,
              busyUntilSeconds: plan.busyUntil / 1e6,
              failureTimesSeconds: plan.times.map((t) => t / 1e6),
              alsoWithoutFailure: `${plan.k} nodes fewer`,
            },
          }
        : {}),
    },
    notes,
    options: interrupted ? [] : configs.map((c) => optionOf(c, survive, st.rack, st.cost, st.slos, { source: cf.file, scheduler: st.scheduler })),
  };
  return { report, interrupted };
}

/** Node shuffles compaction tries per answer (min over them is reported). */
const COMPACTION_SEEDS = 3;

function optionOf(
  c: Config,
  survive: number,
  rack: typeof RACK_DEFAULTS,
  cost: typeof COST_DEFAULTS,
  slos: readonly Slo[],
  run: { readonly source: string; readonly scheduler: string },
): CapacityOption {
  const evaluations: CapacityEvaluation[] = [...c.runs]
    .sort(([a], [b]) => a - b)
    .map(([nodes, r]) => {
      const values: Record<string, number> = {};
      for (const slo of slos) {
        const v = worstValue(
          slo,
          r.all.map((x) => x.metrics),
        );
        if (v !== undefined) values[slo.text] = v;
      }
      return { nodes, pass: r.violations.length === 0, violations: r.violations, values };
    });
  const base = { profile: c.profile, platform: c.platform, growth: c.growth, survive, headroom: {}, evaluations, notes: [] as string[] };
  if (c.error !== undefined) return { ...base, status: 'error', monotonic: true, anomalies: [], error: c.error };
  const outcome: SearchOutcome = c.search.outcome();
  if (outcome.status === 'impossible' || outcome.nodes === undefined) return { ...base, status: 'impossible', monotonic: true, anomalies: [] };
  const chosen = c.runs.get(outcome.nodes)!;
  const results = chosen.results;
  const max = (col: string): number | undefined => {
    const v = results.map((r) => r.metrics[col]).filter((x): x is number => x !== undefined);
    return v.length === 0 ? undefined : Math.max(...v);
  };
  const mean = (col: string): number | undefined => {
    const v = results.map((r) => r.metrics[col]).filter((x): x is number => x !== undefined);
    return v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length;
  };
  const headroom: Record<string, number> = {};
  for (const r of results[0]?.resources ?? []) {
    const peak = max(`alloc_${r}_peak`);
    if (peak !== undefined) headroom[r] = 1 - peak;
  }
  const cpuMean = mean('alloc_cpu_mean') ?? 0;
  const cpuPeak = max('alloc_cpu_peak') ?? 0;
  const notes: string[] = [];
  const groups: MachineGroup[] = chosen.scenario.cluster.pools.map((p) => {
    const h = p.hardware;
    if (h?.maxWatts === undefined || h.price === undefined) notes.push(`pool "${p.name}" has no power or price data (no hardware profile); counted as 0 W and $0`);
    return {
      pool: p.name,
      profile: p.profile,
      count: p.count,
      rackUnits: h?.rackUnits ?? 0,
      idleWatts: h?.idleWatts ?? 0,
      maxWatts: h?.maxWatts ?? 0,
      priceUsd: h?.price?.usd ?? 0,
    };
  });
  const pc = powerAndCost(groups, cpuMean, cpuPeak, rack, cost);
  if (pc.error !== undefined) notes.push(pc.error);
  return {
    ...base,
    status: 'found',
    nodes: outcome.nodes,
    totalNodes: pc.machines,
    lowerBound: max('nodes_lower_bound_peak'),
    compacted: compactedNodes(chosen.scenario, run, notes),
    monotonic: outcome.monotonic,
    anomalies: outcome.anomalies,
    cpuMean,
    cpuPeak,
    headroom,
    racks: pc.error === undefined ? pc.racks : undefined,
    rackLimitedBy: pc.error === undefined ? pc.rackLimitedBy : undefined,
    powerMeanKw: pc.powerMeanKw,
    powerPeakKw: pc.powerPeakKw,
    purchaseUsd: pc.purchaseUsd,
    capexUsdPerMonth: pc.capexUsdPerMonth,
    energyUsdPerMonth: pc.energyUsdPerMonth,
    spaceUsdPerMonth: pc.spaceUsdPerMonth,
    totalUsdPerMonth: pc.totalUsdPerMonth,
    notes,
  };
}


/**
 * The compaction answer for the chosen cluster (the Borg paper's measure,
 * rackbench compact): the fewest of its nodes on which the policy places the
 * workload's peak snapshot statically, the best of a few node shuffles.
 */
function compactedNodes(scenario: ResolvedScenario, run: { readonly source: string; readonly scheduler: string }, notes: string[]): number | undefined {
  try {
    return compact({ scenario, source: run.source, scheduler: run.scheduler, seeds: COMPACTION_SEEDS }).min ?? undefined;
  } catch (e) {
    notes.push(`compaction: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
