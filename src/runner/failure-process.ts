/**
 * Random node failures from MTBF and MTTR: a scenario's `failures` entries
 * that say `process: exponential`, expanded before the run into the
 * simulator's listed failures (one per failure, naming its node, with its
 * repair time), so the simulator only ever sees failures at given times.
 *
 * Each node alternates up and down from time 0: up for an exponential time
 * of mean mtbf (so failures arrive as a Poisson process while the node is up,
 * the memoryless model of a constant failure rate), then down for a repair
 * time of mean mttr, until simulation.until. A node never fails while down.
 * Every node draws from its own seeded stream, `failures/process/<node>`, so
 * one node's failures depend only on the run seed and the node's name: adding
 * a pool, a node or a listed failure shifts no other node's failures.
 */
import { UsageError } from '../core/errors.js';
import { asNode } from '../core/ids.js';
import type { Micros, NodeIndex } from '../core/ids.js';
import type { RandomStreams, Rng } from '../core/random.js';
import type { ClusterState } from '../model/cluster-state.js';
import { isFailureProcess } from '../model/failure-schema.js';
import type { FailureProcessSpec } from '../model/failure-schema.js';
import type { ResolvedScenario } from '../model/scenario.js';
import type { NodeFailure } from '../sim/simulator.js';
import { exponential, standardNormal } from '../workload/sample.js';

/** One node's failure process, its figures resolved. */
export interface NodeProcess {
  readonly node: NodeIndex;
  /** Mean up time before each failure, µs. */
  readonly mtbf: Micros;
  /** Mean repair time, µs (unused with repair never). */
  readonly mttr: Micros;
  readonly repair: FailureProcessSpec['repair'];
  /** σ of ln(repair time), for repair lognormal. */
  readonly repairSigma?: number | undefined;
}

/** Draws of at least 1 µs: a failure never lands in the instant of the repair before it, nor a repair in that of its failure. */
const micros = (x: number): Micros => Math.max(1, Math.round(x));

/** One repair time, or undefined when the node stays down. */
function repairTime(p: NodeProcess, rng: Rng): Micros | undefined {
  switch (p.repair) {
    case 'never':
      return undefined;
    case 'fixed':
      return p.mttr;
    case 'exponential':
      return micros(exponential(rng, p.mttr));
    case 'lognormal': {
      // Mean e^(μ + σ²/2) = mttr, so the median e^μ is mttr · e^(−σ²/2).
      const sigma = p.repairSigma!;
      return micros(p.mttr * Math.exp(-(sigma * sigma) / 2 + sigma * standardNormal(rng)));
    }
  }
}

/**
 * The failures of one node over [0, horizon): up time, failure, repair time,
 * and again, drawing up time and repair time alternately from `rng`. Failure
 * times are strictly increasing, each after the previous repair; a repair
 * may fall after the horizon (the node is then still down when the run stops).
 */
export function nodeProcessFailures(p: NodeProcess, horizon: Micros, rng: Rng): NodeFailure[] {
  const out: NodeFailure[] = [];
  let t = 0;
  for (;;) {
    t += micros(exponential(rng, p.mtbf));
    if (t >= horizon) return out;
    const repairAfter = repairTime(p, rng);
    out.push({ at: t, count: 1, select: 'most-loaded', nodes: [p.node], repairAfter });
    if (repairAfter === undefined) return out;
    t += repairAfter;
  }
}

/** The stream a node's failure process draws from. */
export function processStreamName(nodeName: string): string {
  return `failures/process/${nodeName}`;
}

/**
 * Each node's failure process under the scenario's `failures` processes: the
 * nodes of the covered pools, with the pool's (or its profile's) mtbf and mttr,
 * else the entry's. The scenario was validated, so every figure is there.
 * Throws UsageError when the run's nodes are not the scenario's pools' (a
 * trace's machines).
 */
export function nodeProcesses(scenario: ResolvedScenario, cluster: ClusterState, source: string): NodeProcess[] {
  const pools = new Map(scenario.cluster.pools.map((p) => [p.name, p]));
  const out: NodeProcess[] = [];
  scenario.failures.forEach((f, i) => {
    if (!isFailureProcess(f)) return;
    const stranger = cluster.nodes.find((n) => !pools.has(n.pool));
    if (stranger !== undefined) {
      throw new UsageError(`${source}: failures[${i}]: a failure process fails the nodes of the scenario's pools, and this run's nodes come from elsewhere (node "${stranger.name}", pool "${stranger.pool}", from a trace)`);
    }
    const covered = new Set(f.pools ?? pools.keys());
    for (let n = 0; n < cluster.nodeCount; n++) {
      const pool = pools.get(cluster.nodes[n]!.pool)!;
      if (!covered.has(pool.name)) continue;
      const mtbf = pool.mtbf ?? f.mtbf;
      const mttr = pool.mttr ?? f.mttr;
      if (mtbf === undefined || (mttr === undefined && f.repair !== 'never')) {
        throw new UsageError(`${source}: failures[${i}]: pool "${pool.name}" has no ${mtbf === undefined ? 'mtbf' : 'mttr'}`);
      }
      out.push({ node: asNode(n), mtbf, mttr: mttr ?? 0, repair: f.repair, repairSigma: f.repairSigma });
    }
  });
  return out;
}

/**
 * The scenario's failure processes as listed failures, in time order (ties
 * by node index), each node drawing from its own stream of `streams`; none
 * when the scenario has no process. Throws UsageError (see nodeProcesses).
 */
export function expandFailureProcesses(scenario: ResolvedScenario, cluster: ClusterState, streams: RandomStreams, source: string): NodeFailure[] {
  const processes = nodeProcesses(scenario, cluster, source);
  if (processes.length === 0) return [];
  const horizon = scenario.simulation.until;
  if (horizon === undefined) throw new UsageError(`${source}: a failure process needs simulation.until, the time up to which failures are drawn`);
  const out: NodeFailure[] = [];
  for (const p of processes) out.push(...nodeProcessFailures(p, horizon, streams.stream(processStreamName(cluster.nodes[p.node]!.name))));
  return out.sort((a, b) => a.at - b.at || a.nodes![0]! - b.nodes![0]!);
}
