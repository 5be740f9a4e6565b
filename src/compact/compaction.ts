/**
 * Compaction, the packing measure of Verma et al., "Large-scale cluster
 * management at Google with Borg", EuroSys 2015, section 5.1: take a
 * workload, remove machines until it no longer fits, and report how few
 * machines a policy needs; repeated with machines taken in different random
 * orders, the result is a distribution.
 *
 * Here the workload is the scenario's peak snapshot: every pod the workload
 * would have running at the instant of peak demand if each pod started at
 * its arrival (services from their `at`, stream pods for their duration,
 * a job's pods `parallelism` at a time, each starting when one before it
 * ends), the peak being the first instant maximizing the sum over
 * resources (all but the pod count) of demand ÷ the cluster's total
 * allocatable. The platform's node-pinned pods (DaemonSets, static pods)
 * come with their node. For each seed the nodes are shuffled (stream
 * `compaction/shuffle`) and a binary search finds the smallest prefix on
 * which the placement policy, through its normal interface on a
 * ClusterState of just those nodes, places every snapshot pod, one at a
 * time in the chosen order with no time passing. Local volume claims are
 * not modelled here.
 */
import { UsageError } from '../core/errors.js';
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import { rngFor } from '../core/random.js';
import { quantileSorted } from '../core/stats.js';
import { buildNodes, resourceSpaceOf } from '../model/cluster.js';
import type { NodeSpec } from '../model/cluster.js';
import { ClusterState } from '../model/cluster-state.js';
import { PODS } from '../model/resources.js';
import type { ResourceSpace } from '../model/resources.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { RandomStreams } from '../core/random.js';
import { dominantShareOrder, DrfQueue } from '../schedulers/fair-order.js';
import { readKubeSchedulerConfiguration } from '../schedulers/kube/config.js';
import { configuredKubePolicy, findPlacement, placementNames } from '../schedulers/registry.js';
import { PodCursor } from '../schedulers/pod-view.js';
import type { PlacementPolicy, PolicyFactory } from '../schedulers/types.js';
import { EligibilityClasses } from '../sim/eligibility.js';
import { decideNode, INVALID_NODE } from '../schedulers/decide.js';
import { PolicyError } from '../sim/simulator.js';
import { scenarioWorkload } from '../workload/generate.js';
import { isNodePinned } from '../workload/pod.js';
import type { PodTemplate, Submission } from '../workload/pod.js';
import { prepareTrace } from '../runner/trace-run.js';

export const COMPACTION_ORDERS = ['arrival', 'dominant-share', 'drf'] as const;
export type CompactionOrder = (typeof COMPACTION_ORDERS)[number];

export interface CompactionSpec {
  /** The scenario, resolved when it was loaded. */
  readonly scenario: ResolvedScenario;
  /** Where it came from, for messages (and relative trace paths). */
  readonly source: string;
  /** A built-in placement policy or a name under the scenario's `schedulers:`. */
  readonly scheduler: string;
  /** Shuffles with seeds 1 … seeds. Default 11. */
  readonly seeds?: number;
  /** The seed of the workload's random streams; default the scenario's first defaults.seeds. */
  readonly workloadSeed?: number;
  /** The order pods are placed in. Default arrival. */
  readonly order?: CompactionOrder;
}

export interface CompactionRun {
  readonly seed: number;
  /** The fewest nodes (a prefix of the shuffled order) that hold the snapshot; null when even every node does not. */
  readonly nodes: number | null;
}

export interface CompactionResult {
  readonly scenario: string;
  readonly scheduler: string;
  readonly order: CompactionOrder;
  readonly workload_seed: number;
  /** Snapshot pods (the workload's, not the platform's node-pinned ones). */
  readonly pods: number;
  /** When the peak is, in seconds. */
  readonly peak_s: number;
  readonly nodes_total: number;
  readonly runs: CompactionRun[];
  /** Over the seeds where the snapshot fits; null when it fits under none. */
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

/** A pod of the snapshot. */
export interface SnapshotPod {
  readonly template: PodTemplate;
  readonly requests: Float64Array;
  readonly arrival: number;
  readonly duration: number;
}

export interface Snapshot {
  /** Workload pods live at the peak, in order of start (then submission). */
  readonly pods: SnapshotPod[];
  /** The platform's node-pinned pods. */
  readonly pinned: SnapshotPod[];
  /** The peak instant in µs. */
  readonly peak: number;
}

interface Interval {
  readonly pod: SnapshotPod;
  readonly start: number;
  readonly end: number;
  readonly seq: number;
}

/** The peak snapshot of a workload (see the module comment). `until` cuts it as the run would. */
export function peakSnapshot(submissions: Iterable<Submission>, totals: Float64Array, until = Infinity): Snapshot {
  const intervals: Interval[] = [];
  const pinned: SnapshotPod[] = [];
  let seq = 0;
  for (const s of submissions) {
    if (s.arrival > until) break;
    if (s.kind === 'pod') {
      const pod: SnapshotPod = { template: s.template, requests: s.requests, arrival: s.arrival, duration: s.duration };
      if (isNodePinned(s.template)) pinned.push(pod);
      else intervals.push({ pod, start: s.arrival, end: s.duration < 0 ? Infinity : s.arrival + s.duration, seq: seq++ });
      continue;
    }
    // A job: `parallelism` lanes, each running its pods back to back.
    const lanes = new Array<number>(Math.min(s.parallelism, s.completions)).fill(s.arrival);
    for (let i = 0; i < s.completions; i++) {
      let lane = 0;
      for (let l = 1; l < lanes.length; l++) if (lanes[l]! < lanes[lane]!) lane = l;
      const start = lanes[lane]!;
      if (start > until) break;
      const { duration, requests } = s.nextPod();
      const end = start + Math.max(0, duration);
      lanes[lane] = end;
      intervals.push({ pod: { template: s.template, requests, arrival: start, duration }, start, end, seq: seq++ });
    }
  }
  // Sweep: at each instant, ends before starts; the load after the instant's changes.
  const weight = (r: Float64Array): number => {
    let w = 0;
    for (let d = 0; d < r.length; d++) if (d !== PODS && totals[d]! > 0) w += r[d]! / totals[d]!;
    return w;
  };
  const events: { t: number; delta: number }[] = [];
  for (const iv of intervals) {
    const w = weight(iv.pod.requests);
    events.push({ t: iv.start, delta: w });
    if (iv.end !== Infinity) events.push({ t: iv.end, delta: -w });
  }
  events.sort((a, b) => a.t - b.t || a.delta - b.delta);
  let load = 0;
  let peak = 0;
  let best = -Infinity;
  for (let i = 0; i < events.length; ) {
    const t = events[i]!.t;
    while (i < events.length && events[i]!.t === t) load += events[i++]!.delta;
    if (load > best + 1e-12) {
      best = load;
      peak = t;
    }
  }
  const live = intervals.filter((iv) => iv.start <= peak && peak < iv.end).sort((a, b) => a.start - b.start || a.seq - b.seq);
  return { pods: live.map((iv) => iv.pod), pinned, peak };
}

/** The node the policy chooses, as the simulator asks it; throws if it breaks its contract. */
function decide(policy: PlacementPolicy, pod: PodCursor, cluster: ClusterState): NodeIndex {
  const node = decideNode(policy, pod, cluster);
  if (node === INVALID_NODE) throw new PolicyError(`policy "${policy.name}" chose a node where pod ${pod.owner} does not fit`);
  return node;
}

/** Whether the policy places every pod of the snapshot (in `order`) on `nodes`. */
function placesAll(
  factory: PolicyFactory,
  policyName: string,
  config: unknown,
  seed: number,
  space: ResourceSpace,
  nodes: readonly NodeSpec[],
  snapshot: Snapshot,
  order: readonly number[],
): boolean {
  const reindexed = nodes.map((n, i) => ({ ...n, index: asNode(i) }));
  const cluster = new ClusterState(space, reindexed);
  const classes = new EligibilityClasses(cluster);
  const view = new PodCursor(cluster);
  // A snapshot pod as policies see it: never bound before, no volume claims.
  const point = (pod: SnapshotPod, slot: number, admits: Uint8Array | null): PodCursor =>
    view.point(slot, pod.template, pod.requests, pod.arrival, pod.duration, -1, admits, -1);
  const policy = factory({ cluster, rng: rngFor(seed, `policy/${policyName}`), config });
  let slot = 0;
  // The platform's pods on the nodes kept, each where its selector pins it.
  for (const pod of snapshot.pinned) {
    const admits = classes.classes[classes.classOf(pod.template)]!.admits;
    for (let n = 0; n < cluster.nodeCount; n++) {
      if (admits !== null && admits[n] !== 1) continue;
      if (cluster.reserve(asNode(n), pod.requests)) policy.onBind?.(point(pod, slot++, admits), asNode(n));
      break;
    }
  }
  for (const i of order) {
    const pod = snapshot.pods[i]!;
    const admits = classes.classes[classes.classOf(pod.template)]!.admits;
    point(pod, slot++, admits);
    const node = decide(policy, view, cluster);
    if (node === NO_NODE || !cluster.reserve(node, pod.requests)) return false;
    policy.onBind?.(view, node);
  }
  return true;
}

function placementOrder(order: CompactionOrder, pods: readonly SnapshotPod[], totals: Float64Array): number[] {
  if (order === 'dominant-share') return dominantShareOrder(pods.map((p) => p.requests), totals);
  const arrival = pods.map((_, i) => i);
  if (order === 'arrival') return arrival;
  const drf = new DrfQueue(totals);
  for (const i of arrival) drf.push(pods[i]!.template.tenant, i);
  const out: number[] = [];
  for (let i = drf.next(); i >= 0; i = drf.next()) {
    out.push(i);
    drf.started(pods[i]!.template.tenant, pods[i]!.requests);
  }
  return out;
}

/** Runs compaction (see the module comment). Throws UsageError for an unknown scheduler or bad numbers, InputError for a bad trace. */
export function compact(spec: CompactionSpec): CompactionResult {
  const scenario = spec.scenario;
  const seeds = spec.seeds ?? 11;
  if (!Number.isInteger(seeds) || seeds < 1) throw new UsageError(`--seeds ${seeds}: expected a positive integer`);
  const order = spec.order ?? 'arrival';
  if (!COMPACTION_ORDERS.includes(order)) throw new UsageError(`--order ${String(order)}: expected one of ${COMPACTION_ORDERS.join(', ')}`);
  const config = scenario.schedulers[spec.scheduler];
  // Read once for every trial placement of the binary search.
  const factory = config !== undefined ? configuredKubePolicy(spec.scheduler, readKubeSchedulerConfiguration(config)) : findPlacement(spec.scheduler);
  if (factory === undefined) {
    throw new UsageError(`unknown scheduler "${spec.scheduler}"; built-in schedulers: ${placementNames().join(', ')}`);
  }
  const workloadSeed = spec.workloadSeed ?? scenario.defaults.seeds[0] ?? 1;
  const trace = prepareTrace(scenario, spec.source);
  const space = trace?.space ?? resourceSpaceOf(scenario);
  const nodes = trace?.nodes ?? buildNodes(scenario, space);
  const streams = new RandomStreams(workloadSeed);
  const totals = space.zeros();
  for (const n of nodes) for (let d = 0; d < totals.length; d++) totals[d]! += n.allocatable[d]!;
  const workload = trace !== undefined ? trace.workload(streams) : scenarioWorkload(scenario, space, streams);
  const snapshot = peakSnapshot({ [Symbol.iterator]: () => workload }, totals, scenario.simulation.until ?? Infinity);
  const podOrder = placementOrder(order, snapshot.pods, totals);

  const runs: CompactionRun[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const shuffled = [...nodes];
    const rng = rngFor(seed, 'compaction/shuffle');
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const fits = (k: number): boolean => placesAll(factory, spec.scheduler, config, seed, space, shuffled.slice(0, k), snapshot, podOrder);
    if (snapshot.pods.length === 0) {
      runs.push({ seed, nodes: 0 });
      continue;
    }
    if (!fits(shuffled.length)) {
      runs.push({ seed, nodes: null });
      continue;
    }
    // The smallest k with fits(k), assuming more nodes never hurt (as Borg's compaction does).
    let lo = 1;
    let hi = shuffled.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid)) hi = mid;
      else lo = mid + 1;
    }
    runs.push({ seed, nodes: lo });
  }
  const counts = runs.flatMap((r) => (r.nodes === null ? [] : [r.nodes])).sort((a, b) => a - b);
  const none = counts.length === 0;
  return {
    scenario: scenario.name,
    scheduler: spec.scheduler,
    order,
    workload_seed: workloadSeed,
    pods: snapshot.pods.length,
    peak_s: snapshot.peak / 1_000_000,
    nodes_total: nodes.length,
    runs,
    min: none ? null : counts[0]!,
    median: none ? null : quantileSorted(counts, 0.5),
    max: none ? null : counts[counts.length - 1]!,
    mean: none ? null : counts.reduce((a, b) => a + b, 0) / counts.length,
  };
}
