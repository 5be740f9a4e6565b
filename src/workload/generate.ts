/**
 * Seeded workload generators: a scenario's services, jobs and arrival streams
 * as one stream of submissions in time order.
 */
import { PairHeap } from '../core/heap.js';
import type { Micros } from '../core/ids.js';
import type { RandomStreams, Rng } from '../core/random.js';
import { PODS } from '../model/resources.js';
import type { ResourceSpace } from '../model/resources.js';
import type { ContainerSpec } from '../model/containers-schema.js';
import type { Dist } from '../model/dist-schema.js';
import type { ResolvedScenario } from '../model/scenario.js';
import type { JobSpec, ServiceSpec, StreamSpec } from '../model/scenario-schema.js';
import { LONG_RUNNING } from './pod.js';
import { platformSource } from './platform-pods.js';
import type { ContainerTemplate, PodTemplate, Submission } from './pod.js';
import { exponential, sample } from './sample.js';
import { containersUsageSampler, usageSampler } from './usage.js';
import type { UsageSampler } from './usage.js';

/** Anything that yields submissions in non-decreasing arrival time. */
export type WorkloadSource = Iterator<Submission, void>;

/** Fixed requests as a vector, with pods = 1. */
function fixedRequests(space: ResourceSpace, requests: Readonly<Record<string, number>>): Float64Array {
  const v = space.zeros();
  for (const [name, amount] of Object.entries(requests)) v[space.indexOf(name)!] = amount;
  v[PODS] = 1;
  return v;
}

/** Draws a request vector; resources without a distribution request 0, pods request 1. */
function requestSampler(space: ResourceSpace, dists: Readonly<Record<string, Dist>>, rng: Rng): () => Float64Array {
  const entries = Object.entries(dists).map(([name, dist]) => [space.indexOf(name)!, dist] as const);
  return () => {
    const v = space.zeros();
    for (const [dim, dist] of entries) v[dim] = sample(rng, dist);
    v[PODS] = 1;
    return v;
  };
}

/** The container's limits as a vector (Infinity where unlimited), or undefined without any. */
function limitsOf(space: ResourceSpace, limits: Readonly<Record<string, number>> | undefined): Float64Array | undefined {
  if (limits === undefined || Object.keys(limits).length === 0) return undefined;
  const v = new Float64Array(space.size).fill(Infinity);
  for (const [name, amount] of Object.entries(limits)) v[space.indexOf(name)!] = amount;
  return v;
}

function templateOf(kind: PodTemplate['kind'], spec: ServiceSpec | JobSpec | StreamSpec, space: ResourceSpace): PodTemplate {
  return {
    owner: spec.name,
    kind,
    priority: spec.priority,
    tenant: spec.tenant,
    labels: spec.labels,
    nodeSelector: spec.nodeSelector,
    tolerations: spec.tolerations,
    affinity: spec.affinity,
    topologySpreadConstraints: spec.topologySpreadConstraints,
    hostPorts: spec.hostPorts,
    images: spec.images,
    preemptionPolicy: spec.preemptionPolicy,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    volumeClaims: spec.volumeClaims,
    boundAtStart: 'boundAtStart' in spec ? spec.boundAtStart : undefined,
    missingRequests: { cpu: spec.requests.cpu === undefined, memory: spec.requests.memory === undefined },
    limits: limitsOf(space, spec.limits),
    ...(spec.containers === undefined ? {} : { containers: spec.containers.map(containerOf) }),
  };
}

function containerOf(c: ContainerSpec): ContainerTemplate {
  return {
    name: c.name,
    requestCpu: c.requests['cpu'] ?? 0,
    requestMemory: c.requests['memory'] ?? 0,
    limitCpu: c.limits?.['cpu'] ?? Infinity,
    limitMemory: c.limits?.['memory'] ?? Infinity,
  };
}

/** The workload's usage sampler: per container with `containers:`, else from its `usage:` (none without). */
function samplerOf(spec: ServiceSpec | JobSpec | StreamSpec, rng: Rng): UsageSampler | undefined {
  return spec.containers === undefined ? usageSampler(spec.usage, rng) : containersUsageSampler(spec.containers, rng);
}

function* serviceSource(s: ServiceSpec, space: ResourceSpace, streams: RandomStreams): Generator<Submission, void> {
  const template: PodTemplate = { ...templateOf('service', s, space), replicas: s.replicas };
  const requests = fixedRequests(space, s.requests);
  const usage = samplerOf(s, streams.stream(`service/${s.name}/usage`));
  for (let i = 0; i < s.replicas; i++) {
    yield { kind: 'pod', template, arrival: s.at, duration: LONG_RUNNING, requests, usage: usage?.(requests) };
  }
}

function* jobSource(j: JobSpec, space: ResourceSpace, streams: RandomStreams): Generator<Submission, void> {
  const durations = streams.stream(`job/${j.name}/duration`);
  const requests = requestSampler(space, j.requests, streams.stream(`job/${j.name}/requests`));
  const failures = j.podFailureRate > 0 ? streams.stream(`job/${j.name}/failures`) : null;
  const usage = samplerOf(j, streams.stream(`job/${j.name}/usage`));
  yield {
    kind: 'job',
    template: templateOf('job', j, space),
    arrival: j.at,
    completions: j.completions,
    parallelism: j.parallelism,
    gang: j.gang === undefined ? undefined : { minMember: j.gang.minMember ?? Math.min(j.parallelism, j.completions), timeout: j.gang.timeout },
    // Any pod may fail (an OOM kill under the usage model), so the backoffLimit always holds.
    failures: { backoffLimit: j.backoffLimit },
    // Durations are at least 1 µs so a pod never ends in the instant it starts.
    nextPod: () => {
      const duration = Math.max(1, sample(durations, j.duration));
      if (failures === null || failures.next() >= j.podFailureRate) {
        const r = requests();
        return { duration, requests: r, usage: usage?.(r) };
      }
      // A failing pod exits at a uniform point of the run it would have had.
      const r = requests();
      return { duration: Math.max(1, Math.floor(failures.next() * duration)), requests: r, fails: true, usage: usage?.(r) };
    },
  };
}

/** Arrival times of a stream, in µs, before the stop/count limits. */
function* arrivalTimes(s: StreamSpec, rng: Rng): Generator<Micros, void> {
  const a = s.arrival;
  if (a.process === 'burst') {
    if (a.at !== undefined) {
      for (const t of [...a.at].sort((x, y) => x - y)) for (let i = 0; i < a.size; i++) yield s.start + t;
      return;
    }
    for (let t = s.start; ; t += a.every!) for (let i = 0; i < a.size; i++) yield t;
  }
  const meanGapUs = 1e6 / a.rate;
  let t = s.start;
  for (;;) {
    yield Math.round(t);
    // Accumulate in floating point and round each time, so rounding errors do not add up.
    t += a.process === 'poisson' ? exponential(rng, meanGapUs) : meanGapUs;
  }
}

function* streamSource(s: StreamSpec, space: ResourceSpace, streams: RandomStreams, until: Micros | undefined): Generator<Submission, void> {
  const template = templateOf('stream', s, space);
  const durations = streams.stream(`stream/${s.name}/duration`);
  const requests = requestSampler(space, s.requests, streams.stream(`stream/${s.name}/requests`));
  const usage = samplerOf(s, streams.stream(`stream/${s.name}/usage`));
  const stop = Math.min(s.stop ?? Infinity, until ?? Infinity);
  let n = 0;
  for (const arrival of arrivalTimes(s, streams.stream(`stream/${s.name}/arrival`))) {
    if (arrival >= stop || (s.count !== undefined && n >= s.count)) return;
    n++;
    const duration = Math.max(1, sample(durations, s.duration));
    const r = requests();
    yield { kind: 'pod', template, arrival, duration, requests: r, usage: usage?.(r) };
  }
}

/**
 * Merges time-ordered sources into one, ordered by (arrival, source order), so
 * equal arrival times keep the order in which the scenario lists them.
 */
export function* mergeSources(sources: readonly WorkloadSource[]): Generator<Submission, void> {
  const heads: (Submission | undefined)[] = [];
  const heap = new PairHeap(Math.max(2, sources.length));
  const advance = (i: number): void => {
    const r = sources[i]!.next();
    const next = r.done === true ? undefined : r.value;
    const previous = heads[i];
    if (next !== undefined && previous !== undefined && next.arrival < previous.arrival) {
      throw new Error(`workload source ${i} went back in time: ${next.arrival} µs after ${previous.arrival} µs`);
    }
    heads[i] = next;
    if (next !== undefined) heap.push(next.arrival, i, i, 0);
  };
  for (let i = 0; i < sources.length; i++) advance(i);
  while (heap.size > 0) {
    const i = heap.topA();
    heap.pop();
    yield heads[i]!;
    advance(i);
  }
}

/**
 * The scenario's whole workload, merged by arrival time: first the platform's
 * own pods (with a `stack`: static and DaemonSet pods, add-ons, all at time
 * 0), then services, jobs and streams.
 */
export function scenarioWorkload(scenario: ResolvedScenario, space: ResourceSpace, streams: RandomStreams): Generator<Submission, void> {
  const w = scenario.workload;
  const until = scenario.simulation.until;
  return mergeSources([
    platformSource(scenario, space),
    ...w.services.map((s) => serviceSource(s, space, streams)),
    ...w.jobs.map((j) => jobSource(j, space, streams)),
    ...w.streams.map((s) => streamSource(s, space, streams, until)),
  ]);
}
