/**
 * One kube-scheduler profile deciding one pod at a time, as schedulePod does
 * in pkg/scheduler/schedule_one.go (v1.34):
 *
 *   PreFilter → Filter (walking nodes from where the last cycle stopped, until
 *   numFeasibleNodesToFind feasible nodes are found) → one feasible node is
 *   taken without scoring → PreScore → Score → NormalizeScore → × weight → Σ →
 *   selectHost (uniform among the top total, by reservoir sampling).
 *
 * A pod nominated to a node by preemption tries that node first
 * (evaluateNominatedNode). Nodes with nominated pods of no lower priority
 * than the pod are filtered twice, with those pods added and without
 * (framework/runtime/framework.go RunFilterPluginsWithNominatedPods); a pod
 * that fits nowhere goes to PostFilter (DefaultPreemption, preemption.ts).
 *
 * The filter and score loops work on preallocated typed arrays; nothing is
 * allocated per node.
 */
import { NO_NODE } from '../../core/ids.js';
import type { NodeIndex } from '../../core/ids.js';
import type { Rng } from '../../core/random.js';
import type { KubeCluster } from './cluster.js';
import type { ResolvedProfile } from './config.js';
import { EVENT_POD_DELETE, EVENT_VOLUME_CHANGE } from '../types.js';
import type { ClusterEvent } from '../types.js';
import { MAX_NODE_SCORE, SKIP, SUCCESS } from './framework.js';
import type { KubePlugin, RegisteredEvents } from './framework.js';
import type { KubePod } from './pod.js';
import { argsSchema as preemptionArgs, BoundPods, Nominator, NAME as PREEMPTION, PreemptionEvaluator, STATUS_NONE, STATUS_UNRESOLVABLE, STATUS_UNSCHEDULABLE } from './preemption.js';
import { KUBE_PLUGINS } from './registry.js';

/** What a plugin that registers nothing is requeued by: a pod deletion. */
const DEFAULT_EVENTS: RegisteredEvents = { queue: EVENT_POD_DELETE, hint: 0 };

/** minFeasibleNodesToFind and minFeasibleNodesPercentageToFind (schedule_one.go). */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** Nodes filtered per chunk: at least MIN_CHUNK, at most MAX_CHUNK, otherwise as many as are still to find. */
const MIN_CHUNK = 32;
const MAX_CHUNK = 1024;

/**
 * numFeasibleNodesToFind: all nodes below 100; otherwise the configured
 * percentage, or adaptively 50 − nodes/125 (at least 5 %), and at least 100.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_PERCENTAGE) percentage = MIN_FEASIBLE_PERCENTAGE;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : numNodes;
}

/** What explain records of one decision. */
export interface DecisionTrace {
  /** Per node: the plugin that rejected it and why, in PreFilter or Filter. */
  readonly rejected: Map<number, { plugin: string; reason: string }>;
  /** Nodes walked and found feasible, in walk order. */
  readonly feasible: number[];
  /** Per score plugin: raw and normalized scores of the feasible nodes (same order as `feasible`), and its weight. */
  readonly scores: { plugin: string; weight: number; raw: number[]; normalized: number[]; notes?: string[] }[];
  /** Score plugins that skipped this pod in PreScore. */
  readonly skippedScore: string[];
  totals: number[];
  chosen: number;
}

export function emptyTrace(): DecisionTrace {
  return { rejected: new Map(), feasible: [], scores: [], skippedScore: [], totals: [], chosen: NO_NODE };
}

interface ScorePlugin {
  readonly plugin: KubePlugin;
  readonly weight: number;
}

export class KubeScheduler {
  private readonly preFilters: KubePlugin[];
  private readonly filters: KubePlugin[];
  /** Scratch for chunked filtering: node, walk position, filter code, and which filter rejected each position. */
  private readonly chunk: Int32Array;
  private readonly position: Int32Array;
  private readonly codes: Int32Array;
  private readonly rejectedBy: Int32Array;
  private readonly rejectedCode: Int32Array;
  private readonly preScores: KubePlugin[];
  private readonly scorers: ScorePlugin[];
  private readonly skipFilter: Uint8Array;
  private readonly skipScore: Uint8Array;
  private readonly feasible: Int32Array;
  private readonly scores: Float64Array;
  private readonly totals: Float64Array;
  /** selectHost's positions of the highest total. */
  private readonly tied: Int32Array;
  private readonly percentage: number;
  private nextStartNodeIndex = 0;
  /** Nodes the last cycle looked at (filtered, kept or not), for the cycle's cost. */
  evaluated = 0;
  /** After a failed cycle: the events (EVENT_* bits) on which the rejecting plugins requeue the pod at once. */
  requeueOn = 0;
  /** After a failed cycle: the events on which a rejecting plugin's queueing hint decides. */
  hintOn = 0;
  /** After a failed cycle: the rejecting filters (bit f for filters[f]): the pod's UnschedulablePlugins. */
  rejectors = 0;
  private readonly requeueMask: Int32Array;
  private readonly hintMask: Int32Array;
  /** The pods bound to each node and the nominated pods, kept by the policy's bind and release. */
  readonly pods: BoundPods;
  readonly nominator: Nominator;
  /** DefaultPreemption, when the profile enables it at PostFilter. */
  readonly preemption: PreemptionEvaluator | null;
  /** Per node, its filter status in the last failed cycle (NodeToStatus; STATUS_*), kept only with preemption. */
  private readonly status: Uint8Array;
  private readonly recordStatus: boolean;
  /** After a cycle that proved every node Unschedulable at once: the node count (what counting the statuses would give); else −1. */
  private allUnschedulable = -1;
  /** See rejectedAtOnce. */
  private atOnce = -1;
  /** Per PreFilter plugin, its index among the filters (−1: it filters nothing); per filter, its PreFilter's index (−1: none). */
  private readonly preFilterTarget: Int32Array;
  private readonly filterPreFilter: Int32Array;
  private readonly preFiltersNeverReject: boolean;

  /**
   * @param speedPaths whether to take the shortcuts that must not change any
   * outcome (Fit's rejectsAll, uniform scores left out, preemption without a
   * lower-priority pod anywhere); false runs every step in full, for tests
   * that check those shortcuts change nothing.
   */
  constructor(
    readonly profile: ResolvedProfile,
    private readonly cluster: KubeCluster,
    private readonly rng: Rng,
    private readonly speedPaths = true,
  ) {
    const instances = new Map<string, KubePlugin>();
    const instance = (name: string): KubePlugin => {
      let p = instances.get(name);
      if (p === undefined) {
        p = KUBE_PLUGINS.get(name)!.factory(profile.args.get(name), cluster);
        instances.set(name, p);
      }
      return p;
    };
    // Sorted once into one array per hook, so the hot loops never ask whether a hook exists.
    this.preFilters = profile.preFilter.map(instance).filter((p) => p.preFilter !== undefined);
    this.filters = profile.filter.map(instance).filter((p) => p.filter !== undefined);
    this.preScores = profile.preScore.map(instance).filter((p) => p.preScore !== undefined);
    this.scorers = profile.score.map((s) => ({ plugin: instance(s.name), weight: s.weight })).filter((s) => s.plugin.score !== undefined);
    this.preFiltersNeverReject = this.preFilters.every((p) => p.preFilterNeverRejects === true);
    this.preFilterTarget = Int32Array.from(this.preFilters, (p) => this.filters.indexOf(p));
    this.filterPreFilter = Int32Array.from(this.filters, (p) => this.preFilters.indexOf(p));
    this.requeueMask = Int32Array.from(this.filters, (p) => (p.events ?? DEFAULT_EVENTS).queue);
    this.hintMask = Int32Array.from(this.filters, (p) => (p.events ?? DEFAULT_EVENTS).hint);
    const chunkSize = Math.min(cluster.view.nodeCount, MAX_CHUNK);
    this.chunk = new Int32Array(chunkSize);
    this.position = new Int32Array(chunkSize);
    this.codes = new Int32Array(chunkSize);
    this.rejectedBy = new Int32Array(chunkSize);
    this.rejectedCode = new Int32Array(chunkSize);
    this.skipFilter = new Uint8Array(this.filters.length);
    this.skipScore = new Uint8Array(this.scorers.length);
    const n = cluster.view.nodeCount;
    this.feasible = new Int32Array(n);
    this.scores = new Float64Array(n);
    this.totals = new Float64Array(n);
    this.tied = new Int32Array(n);
    this.percentage = profile.percentageOfNodesToScore;
    this.pods = new BoundPods(n);
    this.nominator = new Nominator(n);
    this.status = new Uint8Array(n);
    this.preemption = profile.postFilter.includes(PREEMPTION)
      ? new PreemptionEvaluator(preemptionArgs.parse(profile.args.get(PREEMPTION) ?? {}), cluster, this.pods, this.nominator, this, rng, speedPaths)
      : null;
    this.recordStatus = this.preemption !== null;
  }

  /** The filter the last schedule() proved at once to reject every node, without walking them (rejectedEverywhere); −1 when none. */
  get rejectedAtOnce(): number {
    return this.atOnce;
  }

  /** Whether no bound pod has a lower priority than `priority`, so that PostFilter's dry run cannot find a victim (the shortcut taken). */
  preemptionHopeless(priority: number): boolean {
    return this.speedPaths && this.pods.lowestPriority >= priority;
  }

  /**
   * For a pod with the same requests as one whose cycle was rejectedAtOnce
   * by filters[filter], with nothing in the cluster changed since: when the
   * filters before it skip in PreFilter for this pod too, that cycle's
   * outcome (the rejection, the node statuses, the nodes evaluated) without
   * the rest of PreFilter and the proof, and true; postFilter may follow as
   * after schedule(). False (nothing decided) otherwise.
   */
  replayRejectedAtOnce(pod: KubePod, filter: number, requeueOn: number, hintOn: number, rejectors: number): boolean {
    // The filters before it must skip in PreFilter for this pod too, and no PreFilter may reject it.
    if (!this.preFiltersNeverReject) return false;
    for (let f = 0; f < filter; f++) {
      const p = this.filterPreFilter[f]!;
      if (p < 0 || this.preFilters[p]!.preFilter!(pod) !== SKIP) return false;
    }
    const n = this.cluster.view.nodeCount;
    this.atOnce = filter;
    this.requeueOn = requeueOn;
    this.hintOn = hintOn;
    this.rejectors = rejectors;
    if (this.recordStatus) this.status.fill(STATUS_UNSCHEDULABLE);
    this.evaluated = n;
    this.allUnschedulable = n;
    return true;
  }

  /**
   * replayRejectedAtOnce and postFilter again, for a pod of the same spec and
   * requests, when nothing was decided and nothing changed since the last
   * replay: its outcome still stands, and PostFilter takes the same random
   * draw (no victim could be found then, nor now).
   */
  repeatPostFilter(): void {
    this.evaluated = this.cluster.view.nodeCount;
    if (this.preemption === null) return;
    this.preemption.repeat();
    this.evaluated += this.preemption.evaluated;
  }

  /** Chooses a node for the pod, or NO_NODE when no node passes the filters. */
  schedule(pod: KubePod, trace: DecisionTrace | null = null): NodeIndex {
    const n = this.cluster.view.nodeCount;
    this.evaluated = 0;
    this.requeueOn = 0;
    this.hintOn = 0;
    this.rejectors = 0;
    this.allUnschedulable = -1;
    this.atOnce = -1;
    if (n === 0) return NO_NODE;
    const { preFilters, preFilterTarget } = this;
    this.skipFilter.fill(0);
    for (let i = 0; i < preFilters.length; i++) {
      const p = preFilters[i]!;
      const code = p.preFilter!(pod);
      if (code === SKIP) {
        if (preFilterTarget[i]! >= 0) this.skipFilter[preFilterTarget[i]!] = 1;
      } else if (code !== SUCCESS) {
        this.noteRejection(preFilterTarget[i]!, p);
        // Every node gets PreFilter's status.
        if (this.recordStatus) this.status.fill(p.unresolvable?.(code) === true ? STATUS_UNRESOLVABLE : STATUS_UNSCHEDULABLE);
        if (trace !== null) {
          const reason = p.reason?.(code) ?? `rejected by ${p.name}`;
          for (let i = 0; i < n; i++) trace.rejected.set(i, { plugin: p.name, reason });
        }
        return NO_NODE;
      }
    }
    // evaluateNominatedNode: a node nominated by preemption is tried first and, if it passes, taken without scoring.
    const nominated = this.nominator.node(pod.slot);
    if (nominated >= 0 && this.filterWithNominated(pod, nominated as NodeIndex) === SUCCESS) {
      this.evaluated = 1;
      if (trace !== null) {
        trace.feasible.push(nominated);
        trace.chosen = nominated;
      }
      return nominated as NodeIndex;
    }
    if (trace === null && this.speedPaths && this.nominator.total === 0 && this.rejectedEverywhere(pod)) {
      // The walk would visit every node and find none: the same outcome without it.
      if (this.recordStatus) this.status.fill(STATUS_UNSCHEDULABLE);
      this.evaluated = n;
      this.allUnschedulable = n;
      return NO_NODE;
    }
    if (this.recordStatus) this.status.fill(STATUS_NONE);
    // A nominated node that failed keeps its status in the cycle's NodeToStatus, so it counts among the nodes processed.
    const count = this.findFeasible(pod, n, trace, nominated);
    if (count === 0) return NO_NODE;
    if (count === 1) {
      if (trace !== null) trace.chosen = this.feasible[0]!;
      return this.feasible[0]! as NodeIndex;
    }
    this.prioritize(pod, count, trace);
    const chosen = this.selectHost(count);
    if (trace !== null) trace.chosen = chosen;
    return chosen;
  }

  /**
   * Whether the first filter run this cycle (earlier ones skipped in
   * PreFilter) proves at once that it rejects every node, resolvably; if so,
   * its events go into requeueOn as the walk would have put them.
   */
  private rejectedEverywhere(pod: KubePod): boolean {
    const { filters, skipFilter } = this;
    for (let f = 0; f < filters.length; f++) {
      if (skipFilter[f] === 1) continue;
      if (filters[f]!.rejectsAll?.(pod) !== true) return false;
      this.noteRejection(f, filters[f]!);
      this.atOnce = f;
      return true;
    }
    return false;
  }

  /**
   * Walks nodes from nextStartNodeIndex and keeps the first `toFind` that pass
   * every filter, as upstream's sequential semantics define it
   * (findNodesThatPassFilters); `failedNominated` is the pod's nominated node
   * when it failed evaluateNominatedNode, else −1. Nodes are
   * filtered in chunks, one plugin at a time, so each plugin runs a tight loop
   * of its own; nodes filtered past the last one kept are discarded as if
   * never visited.
   */
  private findFeasible(pod: KubePod, n: number, trace: DecisionTrace | null, failedNominated: number): number {
    // With nothing to score, the first feasible node is as good as any.
    const toFind = this.scorers.length === 0 ? 1 : numFeasibleNodesToFind(this.percentage, n);
    const { order } = this.cluster;
    const { filters, skipFilter, chunk, position, codes, rejectedBy, rejectedCode } = this;
    let found = 0;
    let processed = 0;
    const start = this.nextStartNodeIndex;
    while (processed < n && found < toFind) {
      const size = Math.min(n - processed, Math.max(MIN_CHUNK, toFind - found), chunk.length);
      let at = (start + processed) % n;
      for (let k = 0; k < size; k++) {
        chunk[k] = order[at]!;
        if (++at === n) at = 0;
      }
      if (trace !== null) rejectedBy.fill(-1, 0, size);
      let live = size;
      // Walk positions are needed only once a filter drops a node; until then a node's index is its position.
      let positioned = false;
      for (let f = 0; f < filters.length && live > 0; f++) {
        if (skipFilter[f] === 1) continue;
        const plugin = filters[f]!;
        let rejected = 0;
        if (plugin.filterNodes !== undefined) {
          rejected = plugin.filterNodes(pod, chunk, live, codes);
        } else {
          for (let k = 0; k < live; k++) if ((codes[k] = plugin.filter!(pod, chunk[k]! as NodeIndex)) !== SUCCESS) rejected++;
        }
        if (rejected === 0) continue;
        if (!positioned) {
          for (let k = 0; k < live; k++) position[k] = k;
          positioned = true;
        }
        let kept = 0;
        for (let k = 0; k < live; k++) {
          if (codes[k] === SUCCESS) {
            chunk[kept] = chunk[k]!;
            position[kept] = position[k]!;
            kept++;
          } else {
            rejectedBy[position[k]!] = f;
            rejectedCode[position[k]!] = codes[k]!;
            if (this.recordStatus) this.status[chunk[k]!] = plugin.unresolvable?.(codes[k]!) === true ? STATUS_UNRESOLVABLE : STATUS_UNSCHEDULABLE;
          }
        }
        this.noteRejection(f, plugin);
        live = kept;
      }
      // Nodes with nominated pods of no lower priority must also pass with those pods placed.
      if (this.nominator.total > 0 && live > 0) {
        let kept = 0;
        for (let k = 0; k < live; k++) {
          const node = chunk[k]!;
          const f = this.nominator.onNode[node]!.length > 0 ? this.withNominatedPass(pod, node as NodeIndex) : -1;
          if (f < 0) {
            chunk[kept] = node;
            position[kept] = positioned ? position[k]! : k;
            kept++;
            continue;
          }
          const at = positioned ? position[k]! : k;
          rejectedBy[at] = f;
          rejectedCode[at] = this.passCode;
          if (this.recordStatus) this.status[node] = this.filters[f]!.unresolvable?.(this.passCode) === true ? STATUS_UNRESOLVABLE : STATUS_UNSCHEDULABLE;
          this.noteRejection(f, this.filters[f]!);
        }
        // Positions were written for every node kept; they are needed once a node was dropped.
        if (kept < live) positioned = true;
        live = kept;
      }
      // Keep survivors in walk order until enough are found; the walk ends just after the last one kept.
      let used = size;
      for (let k = 0; k < live; k++) {
        this.feasible[found++] = chunk[k]!;
        if (found === toFind) {
          used = (positioned ? position[k]! : k) + 1;
          break;
        }
      }
      if (trace !== null) this.record(trace, start + processed, used, n);
      processed += used;
    }
    // findNodesThatFitPod: nextStartNodeIndex moves on by len(feasibleNodes) + NodeToStatus.Len(), the nodes
    // walked (feasible or not) and a failed nominated node the walk did not reach.
    let advance = processed;
    if (failedNominated >= 0 && (this.cluster.walkPosition[failedNominated]! - start + n) % n >= processed) advance++;
    this.nextStartNodeIndex = (start + advance) % n;
    this.evaluated = processed;
    return found;
  }

  /** Notes that filters[f] (plugin; f −1 when it is not a filter) rejected the pod this cycle: its events go into requeueOn and hintOn. */
  private noteRejection(f: number, plugin: KubePlugin): void {
    if (f < 0) {
      // Not a filter, so no hint can be asked of it later: its hinted events requeue at once.
      const events = plugin.events ?? DEFAULT_EVENTS;
      this.requeueOn |= events.queue | events.hint;
      return;
    }
    this.requeueOn |= this.requeueMask[f]!;
    this.hintOn |= this.hintMask[f]!;
    this.rejectors |= 1 << f;
  }

  /**
   * The queueing hint for a pod whose failed cycle's rejecting filters were
   * `rejectors` (see rejectors): Queue when some rejecting plugin's hint for
   * the event says so (isPodWorthRequeuing).
   */
  queueingHint(pod: KubePod, rejectors: number, event: ClusterEvent): boolean {
    const { filters, hintMask } = this;
    // An event whose node or pod is not known cannot be ruled out.
    if (event.node < 0 && event.kind !== EVENT_VOLUME_CHANGE) return true;
    for (let f = 0; f < filters.length; f++) {
      if ((rejectors & (1 << f)) === 0 || (hintMask[f]! & event.kind) === 0) continue;
      if (filters[f]!.queueingHint?.(pod, event) !== false) return true;
    }
    return false;
  }

  /** Adds a chunk's outcome (its first `used` positions, from walk offset `from`) to an explain trace. */
  private record(trace: DecisionTrace, from: number, used: number, n: number): void {
    const { order } = this.cluster;
    for (let k = 0; k < used; k++) {
      const node = order[(from + k) % n]!;
      const f = this.rejectedBy[k]!;
      if (f < 0) {
        trace.feasible.push(node);
      } else {
        const plugin = this.filters[f]!;
        trace.rejected.set(node, { plugin: plugin.name, reason: plugin.reason?.(this.rejectedCode[k]!) ?? 'rejected' });
      }
    }
  }

  /** The code of the last rejection withNominatedPass or runFilters found. */
  private passCode = SUCCESS;

  /** Runs the (not skipped) filters on one node in order; returns the index of the first that rejects, or −1. */
  private runFilters(pod: KubePod, node: NodeIndex): number {
    const { filters, skipFilter } = this;
    for (let f = 0; f < filters.length; f++) {
      if (skipFilter[f] === 1) continue;
      const code = filters[f]!.filter!(pod, node);
      if (code !== SUCCESS) {
        this.passCode = code;
        return f;
      }
    }
    return -1;
  }

  /**
   * The first pass of RunFilterPluginsWithNominatedPods: the node's nominated
   * pods of equal or higher priority (other than the pod itself) added
   * (addGENominatedPods; resources and host ports). Returns the rejecting
   * filter's index, or −1 when it passes or no such pod is nominated there.
   */
  private withNominatedPass(pod: KubePod, node: NodeIndex): number {
    const { nominator, cluster } = this;
    const list = nominator.onNode[node]!;
    const overlay = cluster.overlay;
    const previous = cluster.overlayNode;
    cluster.overlayNode = node;
    let added = 0;
    for (const other of list) {
      if (other === pod.slot || nominator.priority[other]! < pod.priority) continue;
      const r = nominator.requests[other]!;
      for (let d = 0; d < overlay.length; d++) overlay[d]! += r[d]!;
      cluster.bindPorts(node, nominator.ports[other]!);
      added++;
    }
    const f = added === 0 ? -1 : this.runFilters(pod, node);
    for (const other of list) {
      if (other === pod.slot || nominator.priority[other]! < pod.priority) continue;
      const r = nominator.requests[other]!;
      for (let d = 0; d < overlay.length; d++) overlay[d]! -= r[d]!;
      cluster.releasePorts(node, nominator.ports[other]!);
    }
    cluster.overlayNode = previous;
    return f;
  }

  /** RunFilterPluginsWithNominatedPods on one node (after this cycle's PreFilter): SUCCESS or the rejection code. */
  filterWithNominated(pod: KubePod, node: NodeIndex): number {
    if (this.nominator.onNode[node]!.length > 0 && this.withNominatedPass(pod, node) >= 0) return this.passCode;
    return this.runFilters(pod, node) >= 0 ? this.passCode : SUCCESS;
  }

  /**
   * PostFilter after a failed schedule() of the same pod: DefaultPreemption,
   * or null when the profile has no PostFilter plugin or the pod may not
   * preempt. Adds the dry-run nodes to `evaluated`.
   */
  postFilter(pod: KubePod): { node: NodeIndex; victims: readonly number[] } | null {
    if (this.preemption === null) return null;
    const result = this.preemption.preempt(pod, this.status, this.allUnschedulable);
    this.evaluated += this.preemption.evaluated;
    return result;
  }

  private prioritize(pod: KubePod, count: number, trace: DecisionTrace | null): void {
    const { feasible, scores, totals, scorers, skipScore } = this;
    skipScore.fill(0);
    for (const p of this.preScores) {
      if (p.preScore!(pod, feasible, count) === SKIP) {
        for (let s = 0; s < scorers.length; s++) if (scorers[s]!.plugin === p) skipScore[s] = 1;
      }
    }
    totals.fill(0, 0, count);
    for (let s = 0; s < scorers.length; s++) {
      const { plugin, weight } = scorers[s]!;
      if (skipScore[s] === 1) {
        if (trace !== null) trace.skippedScore.push(plugin.name);
        continue;
      }
      if (trace === null && this.speedPaths && plugin.uniformScore?.(pod) === true) continue;
      if (plugin.scoreNodes !== undefined) plugin.scoreNodes(pod, feasible, count, scores);
      else for (let i = 0; i < count; i++) scores[i] = plugin.score!(pod, feasible[i]! as NodeIndex);
      const raw = trace !== null ? Array.from(scores.subarray(0, count)) : null;
      plugin.normalizeScore?.(pod, scores, feasible, count);
      for (let i = 0; i < count; i++) {
        const v = scores[i]!;
        if (!(v >= 0 && v <= MAX_NODE_SCORE)) {
          throw new Error(`plugin ${plugin.name} gave node ${feasible[i]} the score ${v}, outside [0, ${MAX_NODE_SCORE}]`);
        }
        totals[i]! += v * weight;
      }
      if (trace !== null) {
        const explainScore = plugin.explainScore?.bind(plugin);
        const notes = explainScore === undefined ? undefined : Array.from(feasible.subarray(0, count), (node) => explainScore(pod, node as NodeIndex));
        trace.scores.push({ plugin: plugin.name, weight, raw: raw!, normalized: Array.from(scores.subarray(0, count)), ...(notes === undefined ? {} : { notes }) });
      }
    }
    if (trace !== null) trace.totals = Array.from(totals.subarray(0, count));
  }

  /**
   * A uniformly random node among those with the highest total. Upstream
   * draws once per tie (reservoir sampling); drawing the winner's rank among
   * the ties once gives the same distribution with one draw per decision.
   */
  private selectHost(count: number): NodeIndex {
    const { totals, feasible, tied } = this;
    let best = -Infinity;
    let ties = 0;
    // One pass: the positions of the highest total so far, in walk order.
    for (let i = 0; i < count; i++) {
      const t = totals[i]!;
      if (t > best) {
        best = t;
        tied[0] = i;
        ties = 1;
      } else if (t === best) {
        tied[ties++] = i;
      }
    }
    if (ties === 0) return NO_NODE;
    return feasible[tied[ties === 1 ? 0 : this.rng.int(ties)]!]! as NodeIndex;
  }
}
