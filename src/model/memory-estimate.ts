/**
 * How much memory a run of a scenario needs, estimated before it starts from
 * its node and pod counts, so a scenario of 10^9 replicas or 10^8 nodes is
 * refused with its field named rather than growing until the machine gives
 * out. The figures per node and per pod are measured (README, Limits) and
 * rounded up: the estimate errs high.
 */
import { MICROS_PER_SECOND } from '../core/ids.js';
import type { Dist } from './dist-schema.js';
import type { ResolvedScenario } from './scenario.js';

/** The process running one run on one worker thread, before any node or pod (measured: about 125 MiB RSS). */
export const BASE_BYTES = 128 * 2 ** 20;
/** A node: its spec, labels, cluster-state arrays and the policies' per-node arrays (measured: 0.9–1.1 KiB). */
export const BYTES_PER_NODE = 1536;
/** A pod alive at once: its pod-table slot, queue entry and template references (measured: 230–430 B). */
export const BYTES_PER_LIVE_POD = 512;
/** Every pod of the run, alive or gone: its delay and start-up samples, kept for exact quantiles (measured: about 30 B). */
export const BYTES_PER_POD = 32;

/** One contribution to the estimate, at the field that sets it. */
export interface MemoryTerm {
  /** The scenario field whose value sets this term (e.g. `workload.services[0].replicas`). */
  readonly path: readonly PropertyKey[];
  /** What the term counts, for a message: `1,000,000,000 pods`. */
  readonly what: string;
  readonly bytes: number;
}

export interface MemoryEstimate {
  /** The whole run, base included. */
  readonly bytes: number;
  /** The contributions of nodes and pods, largest first. */
  readonly terms: readonly MemoryTerm[];
}

const count = (n: number, word: string): string => `${Math.round(n).toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A rough mean of a duration distribution, µs (its upper bound where the mean is unbounded). */
function meanOf(d: Dist): number {
  const cap = (x: number, max: number | undefined): number => (max === undefined ? x : Math.min(x, max));
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return cap(d.mean, d.max);
    case 'lognormal':
      return cap(d.median * Math.exp((d.sigma * d.sigma) / 2), d.max);
    case 'pareto':
      return d.shape > 1 ? cap((d.scale * d.shape) / (d.shape - 1), d.max) : (d.max ?? Infinity);
    case 'choice': {
      const total = d.weights.reduce((a, b) => a + b, 0);
      return total > 0 ? d.values.reduce((sum, v, i) => sum + v * (d.weights[i] ?? 0), 0) / total : Math.max(...d.values);
    }
  }
}

/** A stream's pods in all and at once (Little's law: arrival rate × mean run time), and the field that sets the total. */
function streamPods(s: ResolvedScenario['workload']['streams'][number], until: number | undefined): { total: number; live: number; path: PropertyKey[] } {
  const end = Math.min(s.stop ?? Infinity, until ?? Infinity);
  const span = Math.max(0, end - s.start) / MICROS_PER_SECOND;
  const a = s.arrival;
  let arrivals: number;
  let rate: number;
  let path: PropertyKey[];
  if (a.process === 'burst') {
    const bursts = a.at !== undefined ? a.at.length : a.every !== undefined ? Math.floor((span * MICROS_PER_SECOND) / a.every) + 1 : 1;
    arrivals = a.size * bursts;
    rate = a.every !== undefined ? (a.size * MICROS_PER_SECOND) / a.every : 0;
    path = ['arrival', 'size'];
  } else {
    arrivals = Math.ceil(a.rate * span);
    rate = a.rate;
    path = ['arrival', 'rate'];
  }
  const total = Math.min(s.count ?? Infinity, arrivals);
  if (s.count !== undefined && s.count <= arrivals) path = ['count'];
  const live = Math.min(total, Math.ceil((rate * meanOf(s.duration)) / MICROS_PER_SECOND) + (a.process === 'burst' ? a.size : 1));
  return { total, live, path };
}

/**
 * The memory a run of `scenario` needs, by its node and pod counts. A trace's
 * nodes and pods are not counted (they are read as the run goes).
 */
export function estimateRunMemory(scenario: ResolvedScenario): MemoryEstimate {
  // Each term's text is made only when a message needs it: the first toLocaleString loads ICU's number data, a cost every run would pay.
  const terms: MemoryTerm[] = [];
  scenario.cluster.pools.forEach((p, i) => {
    const pinned = scenario.platformPods?.pinned[i]?.length ?? 0;
    terms.push({
      path: ['cluster', 'pools', i, 'count'],
      get what() {
        return `${count(p.count, 'node')}${pinned > 0 ? ` with ${count(pinned, 'platform pod')} each` : ''}`;
      },
      bytes: p.count * (BYTES_PER_NODE + pinned * (BYTES_PER_LIVE_POD + BYTES_PER_POD)),
    });
  });
  const w = scenario.workload;
  w.services.forEach((s, i) => {
    terms.push({
      path: ['workload', 'services', i, 'replicas'],
      get what() {
        return count(s.replicas, 'pod');
      },
      bytes: s.replicas * (BYTES_PER_LIVE_POD + BYTES_PER_POD),
    });
  });
  w.jobs.forEach((j, i) => {
    const live = Math.min(j.parallelism, j.completions);
    terms.push({
      path: ['workload', 'jobs', i, 'completions'],
      get what() {
        return `${count(j.completions, 'pod')}, ${live.toLocaleString('en-US')} at once`;
      },
      bytes: live * BYTES_PER_LIVE_POD + j.completions * BYTES_PER_POD,
    });
  });
  w.streams.forEach((s, i) => {
    const { total, live, path } = streamPods(s, scenario.simulation.until);
    terms.push({
      path: ['workload', 'streams', i, ...path],
      get what() {
        return `${count(total, 'pod')}, about ${live.toLocaleString('en-US')} at once`;
      },
      bytes: live * BYTES_PER_LIVE_POD + total * BYTES_PER_POD,
    });
  });
  terms.sort((a, b) => b.bytes - a.bytes);
  return { bytes: BASE_BYTES + terms.reduce((sum, t) => sum + t.bytes, 0), terms };
}

/** Bytes for people: `466 GiB`, `1.5 GiB`, `640 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'an unbounded amount';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)} ${units[u]}`;
}
