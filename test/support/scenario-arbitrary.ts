/**
 * fast-check arbitraries for random but valid scenarios, as the plain data a
 * scenario file holds (validated by `scenarioFromData` in the tests, so a
 * generator mistake fails loudly instead of testing nothing).
 *
 * Small by construction: ≤ 4 pools of ≤ 20 nodes, ≤ 2 services of ≤ 10
 * replicas, ≤ 2 jobs of ≤ 20 completions, ≤ 3 streams of ≤ 80 pods: at most
 * 20 + 40 + 240 = 300 pods per scenario.
 */
import fc from 'fast-check';

export interface TaintData {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface TolerationData {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface PoolData {
  readonly name: string;
  readonly count: number;
  readonly capacity: Record<string, string | number>;
  readonly reserved?: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly taints: TaintData[];
  readonly zones?: string[];
  readonly localVolumes?: LocalVolumeData[];
}

export interface LocalVolumeData {
  readonly storageClass: string;
  readonly capacity: string;
  readonly count: number;
}

export interface VolumeClaimData {
  readonly name: string;
  readonly storageClass: string;
  readonly size: string;
}

/** A distribution in scenario notation: a bare quantity, or an object with `dist`. */
export type DistData = string | number | Record<string, unknown>;

interface PodFieldsData {
  readonly priority: number;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: TolerationData[];
  readonly volumeClaims?: VolumeClaimData[];
}

export interface ServiceData extends PodFieldsData {
  readonly name: string;
  readonly replicas: number;
  readonly at: string;
  readonly requests: Record<string, string | number>;
}

export interface JobData extends PodFieldsData {
  readonly name: string;
  readonly at: string;
  readonly completions: number;
  readonly parallelism: number;
  readonly duration: DistData;
  readonly requests: Record<string, DistData>;
}

export interface StreamData extends PodFieldsData {
  readonly name: string;
  readonly arrival: Record<string, unknown>;
  readonly start: string;
  readonly count: number;
  readonly duration: DistData;
  readonly requests: Record<string, DistData>;
}

export interface ScenarioData {
  readonly name: string;
  readonly cluster: { readonly pools: PoolData[]; readonly storageClasses?: { name: string; volumeBindingMode: string }[] };
  readonly workload: { readonly services: ServiceData[]; readonly jobs: JobData[]; readonly streams: StreamData[] };
  readonly simulation: { readonly until?: string };
}

/** A generated scenario and facts about it the tests need. */
export interface GeneratedScenario {
  readonly data: ScenarioData;
  /** The largest node's cpu capacity in cores and memory in Gi (capacity, before reserved). */
  readonly maxCpuCores: number;
  readonly maxMemoryGi: number;
  /** Whether every pool declares a `gpu` capacity (so requests may name it). */
  readonly hasGpu: boolean;
}

const TIERS = ['a', 'b'] as const;
const TAINT_VALUES = ['x', 'y'] as const;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const seconds = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((s) => `${s}s`);

function pool(index: number, hasGpu: boolean): fc.Arbitrary<PoolData> {
  return fc
    .record({
      // Mostly small clusters of small nodes, so pods contend; sometimes up to 20 nodes of 64 cores / 256Gi.
      count: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }) }),
      cpu: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }) }),
      memoryGi: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 32 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 256 }) }),
      nvmeGi: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
      // A small pod limit sometimes, so the pods dimension binds too.
      maxPods: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) }),
      gpu: fc.integer({ min: 0, max: 4 }),
      reserve: fc.boolean(),
      // Pool 0 is always tier a, so a tier-a selector always has a pool to match.
      tier: index === 0 ? fc.constant(TIERS[0]) : fc.constantFrom(...TIERS),
      taint: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.record({ value: fc.constantFrom(...TAINT_VALUES), effect: fc.constantFrom(...EFFECTS) }) },
      ),
      zones: fc.option(fc.constantFrom<string[]>(['z1'], ['z1', 'z2', 'z3']), { nil: undefined }),
    })
    .map((p): PoolData => {
      const capacity: Record<string, string | number> = { cpu: p.cpu, memory: `${p.memoryGi}Gi` };
      if (p.nvmeGi !== undefined) capacity.nvme = `${p.nvmeGi}Gi`;
      if (p.maxPods !== undefined) capacity.pods = p.maxPods;
      if (hasGpu) capacity.gpu = p.gpu;
      return {
        name: `pool-${index}`,
        count: p.count,
        capacity,
        // At most 250m of ≥ 1 core and 512Mi of ≥ 1Gi: never more than the capacity.
        ...(p.reserve ? { reserved: { cpu: '250m', memory: '512Mi' } } : {}),
        labels: { tier: p.tier },
        taints: p.taint === undefined ? [] : [{ key: 'dedicated', value: p.taint.value, effect: p.taint.effect }],
        ...(p.zones === undefined ? {} : { zones: p.zones }),
      };
    });
}

/** A node selector that matches some pools, all pools (none), or, rarely, no pool at all (tier c). */
const nodeSelector = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom<Record<string, string>>({ tier: 'a' }, { tier: 'b' }) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({ tier: 'c' }) },
);

/** Tolerations that match some taints, every taint, or none. */
const tolerations = fc.option(
  fc.constantFrom<TolerationData[]>(
    [{ key: 'dedicated', operator: 'Equal', value: 'x' }],
    [{ key: 'dedicated', operator: 'Equal', value: 'y', effect: 'NoSchedule' }],
    [{ key: 'dedicated', operator: 'Exists' }],
    [{ operator: 'Exists' }],
    [{ key: 'other', operator: 'Exists' }],
  ),
  { nil: undefined, freq: 2 },
);

const priority = fc.oneof(fc.constant(0), fc.integer({ min: -10, max: 1000 }));

/** CPU in millicores or cores, sometimes more than any node has (64 cores). */
const cpuQuantity = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 3000 }).map((m) => `${m}m`) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8, max: 100 }) },
);
/** Memory in Mi or Gi, sometimes more than any node has (256Gi). */
const memoryQuantity = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 4096 }).map((m) => `${m}Mi`) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }).map((g) => `${g}Gi`) },
  { weight: 1, arbitrary: fc.integer({ min: 16, max: 300 }).map((g) => `${g}Gi`) },
);

/** A distribution over quantities drawn from `q`. */
function distOf(q: fc.Arbitrary<string | number>): fc.Arbitrary<DistData> {
  return fc.oneof(
    q,
    q.map((value) => ({ dist: 'fixed', value })),
    fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 3000 })).map(([min, extra]) => ({
      dist: 'uniform',
      min: `${min}m`,
      max: `${min + extra}m`,
    })),
    fc.array(q, { minLength: 1, maxLength: 3 }).map((values) => ({ dist: 'choice', values })),
  );
}

function requests(hasGpu: boolean): fc.Arbitrary<Record<string, DistData>> {
  return fc
    .record({
      cpu: fc.option(distOf(cpuQuantity), { nil: undefined, freq: 8 }),
      // Memory as Mi/Gi strings, or a lognormal with a median in Mi.
      memory: fc.option(
        fc.oneof(
          memoryQuantity,
          fc.integer({ min: 16, max: 2048 }).map((m) => ({ dist: 'lognormal', median: `${m}Mi`, sigma: 0.5, max: '300Gi' })),
        ),
        { nil: undefined, freq: 8 },
      ),
      nvme: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 500 }).map((g) => `${g}Gi`) }),
      gpu: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom<DistData>(1, 2, { dist: 'choice', values: [0, 1, 5], weights: [3, 2, 1] }) },
      ),
    })
    .map((r) => {
      const out: Record<string, DistData> = {};
      if (r.cpu !== undefined) out.cpu = r.cpu;
      if (r.memory !== undefined) out.memory = r.memory;
      if (r.nvme !== undefined) out.nvme = r.nvme;
      if (hasGpu && r.gpu !== undefined) out.gpu = r.gpu;
      return out;
    });
}

/** Durations in scenario notation, from 1 ms to a few minutes. */
const duration: fc.Arbitrary<DistData> = fc.oneof(
  seconds(1, 120),
  fc.integer({ min: 1, max: 5000 }).map((ms) => `${ms}ms`),
  fc.integer({ min: 1, max: 60 }).map((s) => ({ dist: 'exponential', mean: `${s}s`, max: '10m' })),
  fc.integer({ min: 1, max: 60 }).map((s) => ({ dist: 'uniform', min: '1s', max: `${s}s` })),
  fc.integer({ min: 1, max: 60 }).map((s) => ({ dist: 'lognormal', median: `${s}s`, sigma: 0.8 })),
  fc.constant({ dist: 'choice', values: ['1s', '10s', '100s'], weights: [5, 3, 1] }),
);

const arrival: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.integer({ min: 1, max: 50 }).map((r) => ({ process: 'poisson', rate: `${r}/s` })),
  fc.integer({ min: 1, max: 600 }).map((r) => ({ process: 'fixed', rate: `${r}/m` })),
  fc.record({ process: fc.constant('burst'), size: fc.integer({ min: 1, max: 10 }), every: seconds(1, 30) }),
  fc.record({
    process: fc.constant('burst'),
    size: fc.integer({ min: 1, max: 10 }),
    at: fc.array(seconds(0, 60), { minLength: 1, maxLength: 4 }),
  }),
);

function podFields(): fc.Arbitrary<PodFieldsData> {
  return fc.record({ priority, nodeSelector, tolerations }, { requiredKeys: ['priority'] });
}

function service(index: number): fc.Arbitrary<ServiceData> {
  return fc
    .tuple(
      podFields(),
      fc.integer({ min: 1, max: 10 }),
      seconds(0, 30),
      fc.record({ cpu: cpuQuantity, memory: memoryQuantity }, { requiredKeys: [] }),
    )
    .map(([f, replicas, at, reqs]) => ({ ...f, name: `svc-${index}`, replicas, at, requests: reqs }));
}

function job(index: number, hasGpu: boolean): fc.Arbitrary<JobData> {
  return fc
    .tuple(podFields(), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), seconds(0, 30), duration, requests(hasGpu))
    .map(([f, completions, parallelism, at, d, reqs]) => ({
      ...f,
      name: `job-${index}`,
      at,
      completions,
      parallelism,
      duration: d,
      requests: reqs,
    }));
}

function stream(index: number, hasGpu: boolean): fc.Arbitrary<StreamData> {
  return fc
    .tuple(podFields(), arrival, seconds(0, 10), fc.integer({ min: 1, max: 80 }), duration, requests(hasGpu))
    .map(([f, arr, start, count, d, reqs]) => ({
      ...f,
      name: `stream-${index}`,
      arrival: arr,
      start,
      count,
      duration: d,
      requests: reqs,
    }));
}

/** `n` values from `make(0)`, `make(1)`, …, `make(n − 1)`, for n in [min, max]. */
function indexed<T>(min: number, max: number, make: (i: number) => fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.integer({ min, max }).chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => make(i)))));
}

/** A random valid scenario of at most 300 pods. */
export const scenarioArbitrary: fc.Arbitrary<GeneratedScenario> = fc.boolean().chain((hasGpu) =>
  fc
    .record({
      pools: indexed(1, 4, (i) => pool(i, hasGpu)),
      services: indexed(0, 2, service),
      jobs: indexed(0, 2, (i) => job(i, hasGpu)),
      streams: indexed(1, 3, (i) => stream(i, hasGpu)),
      until: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: seconds(1, 300) }),
    })
    .map(({ pools, services, jobs, streams, until }): GeneratedScenario => {
      let maxCpuCores = 0;
      let maxMemoryGi = 0;
      for (const p of pools) {
        maxCpuCores = Math.max(maxCpuCores, Number(p.capacity.cpu));
        maxMemoryGi = Math.max(maxMemoryGi, parseInt(String(p.capacity.memory), 10));
      }
      return {
        data: {
          name: 'random-scenario',
          cluster: { pools },
          workload: { services, jobs, streams },
          simulation: until === undefined ? {} : { until },
        },
        maxCpuCores,
        maxMemoryGi,
        hasGpu,
      };
    }),
);

/** Pods that no node can hold: one dimension above the largest node's capacity. */
export function hugeStream(s: GeneratedScenario, dim: 'cpu' | 'memory', count: number): StreamData {
  const requests: Record<string, DistData> =
    dim === 'cpu' ? { cpu: s.maxCpuCores + 1, memory: '1Mi' } : { cpu: '100m', memory: `${s.maxMemoryGi + 1}Gi` };
  return {
    name: 'huge',
    priority: 0,
    arrival: { process: 'burst', size: count, at: ['0s', '1s'] },
    start: '0s',
    count,
    duration: '1s',
    requests,
  };
}

/**
 * Scenarios built for contention rather than breadth: one to three nodes of
 * tier a (so a `tier: a` selector admits the same nodes as no selector, but
 * puts pods in another eligibility class), requests that always fit an empty
 * node, two priorities, and whole-second arrivals and durations, so releases,
 * arrivals and retries keep landing in the same instant.
 */
export const contendedScenarioArbitrary: fc.Arbitrary<ScenarioData> = fc
  .record({
    nodes: fc.integer({ min: 1, max: 3 }),
    cpu: fc.integer({ min: 2, max: 8 }),
    services: fc.array(
      fc.record({ at: seconds(0, 20), cpu: fc.integer({ min: 1, max: 2 }), replicas: fc.integer({ min: 1, max: 2 }), selector: fc.boolean(), high: fc.boolean() }),
      { maxLength: 2 },
    ),
    streams: fc.array(
      fc.record({
        size: fc.integer({ min: 1, max: 4 }),
        every: seconds(1, 5),
        start: seconds(0, 5),
        count: fc.integer({ min: 1, max: 60 }),
        duration: fc.oneof(seconds(1, 10), fc.constant<DistData>({ dist: 'choice', values: ['2s', '5s', '10s'] })),
        cpu: fc.integer({ min: 1, max: 8 }),
        selector: fc.boolean(),
        high: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ nodes, cpu, services, streams }) => ({
    name: 'contended',
    cluster: { pools: [{ name: 'node', count: nodes, capacity: { cpu, memory: '64Gi' }, labels: { tier: 'a' }, taints: [] }] },
    workload: {
      services: services.map((s, i) => ({
        name: `svc-${i}`,
        replicas: s.replicas,
        at: s.at,
        priority: s.high ? 10 : 0,
        requests: { cpu: Math.min(s.cpu, cpu) },
        ...(s.selector ? { nodeSelector: { tier: 'a' } } : {}),
      })),
      jobs: [],
      streams: streams.map((s, i) => ({
        name: `stream-${i}`,
        arrival: { process: 'burst', size: s.size, every: s.every },
        start: s.start,
        count: s.count,
        duration: s.duration,
        priority: s.high ? 10 : 0,
        requests: { cpu: Math.min(s.cpu, cpu) },
        ...(s.selector ? { nodeSelector: { tier: 'a' } } : {}),
      })),
    },
    simulation: {},
  }));

const VOLUME_CLASSES = ['fast', 'slow'] as const;

/** Claims of 1 to 3 volumes in sizes that straddle the PV sizes below, sometimes none. */
const volumeClaims: fc.Arbitrary<VolumeClaimData[] | undefined> = fc.option(
  fc.array(fc.record({ storageClass: fc.constantFrom(...VOLUME_CLASSES), sizeGi: fc.integer({ min: 1, max: 1200 }) }), { minLength: 1, maxLength: 3 }).map((cs) =>
    cs.map((c, i) => ({ name: `v${i}`, storageClass: c.storageClass, size: `${c.sizeGi}Gi` })),
  ),
  { nil: undefined, freq: 2 },
);

/**
 * scenarioArbitrary with local PVs on some pools (two WaitForFirstConsumer
 * classes, a few sizes) and volume claims on some services, jobs and streams.
 */
export const volumeScenarioArbitrary: fc.Arbitrary<GeneratedScenario> = scenarioArbitrary.chain((g) =>
  fc
    .record({
      pools: fc.tuple(
        ...g.data.cluster.pools.map(() =>
          fc.option(
            fc.array(
              fc.record({ storageClass: fc.constantFrom(...VOLUME_CLASSES), capacity: fc.constantFrom('100Gi', '500Gi', '1Ti'), count: fc.integer({ min: 1, max: 3 }) }),
              { minLength: 1, maxLength: 2 },
            ),
            { nil: undefined, freq: 3 },
          ),
        ),
      ),
      services: fc.tuple(...g.data.workload.services.map(() => volumeClaims)),
      jobs: fc.tuple(...g.data.workload.jobs.map(() => volumeClaims)),
      streams: fc.tuple(...g.data.workload.streams.map(() => volumeClaims)),
    })
    .map(({ pools, services, jobs, streams }): GeneratedScenario => {
      const claims = <T extends object>(item: T, c: VolumeClaimData[] | undefined): T => (c === undefined ? item : { ...item, volumeClaims: c });
      const w = g.data.workload;
      return {
        ...g,
        data: {
          ...g.data,
          cluster: {
            storageClasses: VOLUME_CLASSES.map((name) => ({ name, volumeBindingMode: 'WaitForFirstConsumer' })),
            pools: g.data.cluster.pools.map((p, i) => (pools[i] === undefined ? p : { ...p, localVolumes: pools[i] })),
          },
          workload: {
            services: w.services.map((x, i) => claims(x, services[i])),
            jobs: w.jobs.map((x, i) => claims(x, jobs[i])),
            streams: w.streams.map((x, i) => claims(x, streams[i])),
          },
        },
      };
    }),
);
