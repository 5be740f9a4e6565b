/**
 * DefaultPreemption, kube-scheduler v1.34's PostFilter plugin
 * (framework/plugins/defaultpreemption/default_preemption.go and
 * framework/preemption/preemption.go), and the pod nominator it feeds
 * (backend/queue nominator): when no node passes the filters, find nodes
 * where evicting lower-priority pods would let the pod fit, pick one, name
 * the victims and nominate the node for the pod.
 *
 * Modelled: PodEligibleToPreemptOthers (preemptionPolicy Never; a pod whose
 * nominated node still has lower-priority pods terminating), candidates only
 * among nodes whose filter status is plain Unschedulable, numCandidates from
 * minCandidateNodesPercentage/minCandidateNodesAbsolute, the dry run from a
 * random offset on the scheduler's seeded stream, SelectVictimsOnNode (remove
 * every lower-priority pod, check the filters with nominated pods, reprieve
 * the most important first), pickOneNodeForPreemption's five criteria, and
 * clearing the nominations of lower-priority pods on the chosen node.
 *
 * Simplifications: no PodDisruptionBudgets (every victim is non-violating,
 * so the PDB criterion is always a tie); the dry run checks nodes one at a
 * time (upstream's parallel workers may look at a few more before they stop)
 * and the final tie goes to the first candidate found (upstream: map order);
 * PodTopologySpread and InterPodAffinity keep the cycle state of PreFilter
 * (their AddPod/RemovePod extensions are not modelled), so they see neither
 * removed victims nor added nominated pods; resources and host ports do.
 */
import { z } from 'zod';
import { NO_NODE } from '../../core/ids.js';
import type { NodeIndex } from '../../core/ids.js';
import type { Rng } from '../../core/random.js';
import type { HostPort } from '../../model/container.js';
import type { KubeCluster } from './cluster.js';
import type { KubePlugin, KubePluginFactory } from './framework.js';
import type { KubePod } from './pod.js';

export const NAME = 'DefaultPreemption';

/** DefaultPreemptionArgs, defaulted (SetDefaults_DefaultPreemptionArgs) and validated (ValidateDefaultPreemptionArgs). */
export const argsSchema = z
  .strictObject({
    minCandidateNodesPercentage: z.number().int().min(0).max(100).default(10),
    minCandidateNodesAbsolute: z.number().int().min(0).default(100),
  })
  .refine((a) => a.minCandidateNodesPercentage !== 0 || a.minCandidateNodesAbsolute !== 0, {
    message: 'minCandidateNodesPercentage and minCandidateNodesAbsolute cannot both be zero',
    path: ['minCandidateNodesPercentage'],
  });

export type DefaultPreemptionArgs = z.output<typeof argsSchema>;

/** The registry's factory: validates the args; the scheduler runs the plugin itself at PostFilter. */
export const defaultPreemption: KubePluginFactory = (args): KubePlugin => {
  argsSchema.parse(args ?? {});
  return { name: NAME };
};

/** calculateNumCandidates: the percentage of the potential nodes, at least the absolute number, at most all of them. */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  let n = Math.trunc((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  return n > numNodes ? numNodes : n;
}

const NO_PORTS: readonly HostPort[] = [];

/** Grows a typed array to hold index `i`. */
function fit<T extends Int32Array | Float64Array | Uint8Array>(a: T, i: number, fill: number): T {
  if (i < a.length) return a;
  let n = a.length;
  while (n <= i) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  b.fill(fill, a.length);
  return b;
}

/**
 * The pods bound to each node, as NodeInfo.Pods lists them, with what
 * preemption reads of them: priority, start time, requests, host ports and
 * whether they are terminating (deleted by preemption, still on the node
 * until their grace period ends). Keyed by the simulator's pod slot.
 */
export class BoundPods {
  readonly onNode: number[][];
  nodeOf = new Int32Array(64).fill(-1);
  priority = new Float64Array(64);
  start = new Float64Array(64);
  terminating = new Uint8Array(64);
  private at = new Int32Array(64);
  readonly requests: (Float64Array | undefined)[] = [];
  readonly ports: (readonly HostPort[] | undefined)[] = [];
  /** Bound pods per priority, and the lowest priority any bound pod has (Infinity: none). */
  private readonly byPriority = new Map<number, number>();
  private lowest = Infinity;

  constructor(nodeCount: number) {
    this.onNode = Array.from({ length: nodeCount }, () => []);
  }

  /** The lowest priority of any bound pod, Infinity when none is bound: no pod of that priority or less can preempt. */
  get lowestPriority(): number {
    return this.lowest;
  }

  add(slot: number, node: NodeIndex, priority: number, start: number, requests: Float64Array, ports: readonly HostPort[]): void {
    this.nodeOf = fit(this.nodeOf, slot, -1);
    this.priority = fit(this.priority, slot, 0);
    this.start = fit(this.start, slot, 0);
    this.terminating = fit(this.terminating, slot, 0);
    this.at = fit(this.at, slot, 0);
    const list = this.onNode[node]!;
    this.nodeOf[slot] = node;
    this.priority[slot] = priority;
    this.start[slot] = start;
    this.terminating[slot] = 0;
    this.at[slot] = list.length;
    this.requests[slot] = requests;
    this.ports[slot] = ports;
    list.push(slot);
    this.byPriority.set(priority, (this.byPriority.get(priority) ?? 0) + 1);
    if (priority < this.lowest) this.lowest = priority;
  }

  remove(slot: number): void {
    const node = slot < this.nodeOf.length ? this.nodeOf[slot]! : -1;
    if (node < 0) return;
    // Keep the list in bind order (upstream's NodeInfo.RemovePod swaps with the last; order only breaks ties here).
    const list = this.onNode[node]!;
    const i = this.at[slot]!;
    list.splice(i, 1);
    for (let k = i; k < list.length; k++) this.at[list[k]!] = k;
    this.nodeOf[slot] = -1;
    this.requests[slot] = undefined;
    this.ports[slot] = undefined;
    const priority = this.priority[slot]!;
    const left = this.byPriority.get(priority)! - 1;
    if (left > 0) {
      this.byPriority.set(priority, left);
      return;
    }
    this.byPriority.delete(priority);
    if (priority === this.lowest) {
      this.lowest = Infinity;
      for (const p of this.byPriority.keys()) if (p < this.lowest) this.lowest = p;
    }
  }
}

/**
 * The nominator: pending pods nominated to a node by preemption, which the
 * filters treat as if placed there for pods of no higher priority
 * (RunFilterPluginsWithNominatedPods).
 */
export class Nominator {
  readonly onNode: number[][];
  nodeOf = new Int32Array(64).fill(-1);
  priority = new Float64Array(64);
  readonly requests: (Float64Array | undefined)[] = [];
  readonly ports: (readonly HostPort[] | undefined)[] = [];
  /** Nominated pods in all. */
  total = 0;

  constructor(nodeCount: number) {
    this.onNode = Array.from({ length: nodeCount }, () => []);
  }

  node(slot: number): number {
    return slot >= 0 && slot < this.nodeOf.length ? this.nodeOf[slot]! : -1;
  }

  /** AddNominatedPod with ModeOverride: replaces any earlier nomination. */
  set(slot: number, node: NodeIndex, priority: number, requests: Float64Array, ports: readonly HostPort[]): void {
    this.clear(slot);
    this.nodeOf = fit(this.nodeOf, slot, -1);
    this.priority = fit(this.priority, slot, 0);
    this.nodeOf[slot] = node;
    this.priority[slot] = priority;
    this.requests[slot] = requests;
    this.ports[slot] = ports;
    this.onNode[node]!.push(slot);
    this.total++;
  }

  /** DeleteNominatedPodIfExists. */
  clear(slot: number): void {
    const node = this.node(slot);
    if (node < 0) return;
    const list = this.onNode[node]!;
    list.splice(list.indexOf(slot), 1);
    this.nodeOf[slot] = -1;
    this.requests[slot] = undefined;
    this.ports[slot] = undefined;
    this.total--;
  }
}

/** A node where preemption would work, and its victims, most important first. */
interface Candidate {
  readonly node: number;
  readonly victims: number[];
}

const NO_CANDIDATES: readonly Candidate[] = [];
/** PostFilter's result when no node would do: the pod's nomination is cleared, nothing is deleted. */
const NO_CANDIDATE: { node: NodeIndex; victims: readonly number[] } = Object.freeze({ node: NO_NODE, victims: Object.freeze([]) as readonly number[] });

/** Filter status of a node in the cycle's diagnosis (NodeToStatus), as PostFilter reads it. */
export const STATUS_NONE = 0;
export const STATUS_UNSCHEDULABLE = 1;
export const STATUS_UNRESOLVABLE = 2;

/** What the evaluator needs from the scheduler: its filters on one node, with nominated pods (two passes). */
export interface FilterHost {
  /** RunFilterPluginsWithNominatedPods on one node; SUCCESS (0) or a rejection. */
  filterWithNominated(pod: KubePod, node: NodeIndex): number;
}

/** The preemption Evaluator with DefaultPreemption's Interface. */
export class PreemptionEvaluator {
  /** Nodes the last PostFilter dry-ran, for the cycle's cost. */
  evaluated = 0;
  /** Why the last PostFilter did not preempt (explain, tests). */
  lastMessage = '';
  private readonly potential: Int32Array;
  /** The range of the last preempt()'s random offset, 0 when it drew none. */
  private lastDraw = 0;

  constructor(
    private readonly args: DefaultPreemptionArgs,
    private readonly cluster: KubeCluster,
    private readonly pods: BoundPods,
    private readonly nominator: Nominator,
    private readonly host: FilterHost,
    private readonly rng: Rng,
    /** Whether to skip the dry run when no bound pod has a lower priority (it would find no victim anywhere). */
    private readonly speedPaths = true,
  ) {
    this.potential = new Int32Array(cluster.view.nodeCount);
  }

  /**
   * Preempt: `status[node]` is each node's filter status this cycle. Returns
   * null when the pod may not preempt (nomination unchanged), the pod's new
   * nomination NO_NODE when no node would do, else the chosen node and the
   * victims to delete (those not already terminating). Updates the nominator.
   */
  preempt(pod: KubePod, status: Uint8Array, unschedulable = -1): { node: NodeIndex; victims: readonly number[] } | null {
    this.evaluated = 0;
    this.lastMessage = '';
    this.lastDraw = 0;
    if (!this.eligible(pod, status)) return null;
    const candidates = this.findCandidates(pod, status, unschedulable);
    if (candidates.length === 0) {
      if (this.lastMessage === '') this.lastMessage = 'no preemption candidates';
      // NewPostFilterResultWithNominatedNode(""): the pod's nomination is cleared.
      if (pod.slot >= 0) this.nominator.clear(pod.slot);
      return NO_CANDIDATE;
    }
    const best = pickOneNodeForPreemption(candidates, this.pods);
    const victims = best.victims.filter((v) => this.pods.terminating[v] === 0);
    for (const v of victims) this.pods.terminating[v] = 1;
    // getLowerPriorityNominatedPods + clearNominatedNodeName on the chosen node.
    const nominated = this.nominator.onNode[best.node]!;
    for (let i = nominated.length - 1; i >= 0; i--) {
      const other = nominated[i]!;
      if (this.nominator.priority[other]! < pod.priority) this.nominator.clear(other);
    }
    if (pod.slot >= 0) this.nominator.set(pod.slot, best.node as NodeIndex, pod.priority, pod.requests, pod.hostPorts);
    return { node: best.node as NodeIndex, victims };
  }

  /**
   * The last preempt() again for a like pod, with nothing changed since and a
   * dry run that found no candidate (or never ran): the same random draw, and
   * `evaluated` and `lastMessage` as they were.
   */
  repeat(): void {
    if (this.lastDraw > 0) this.rng.int(this.lastDraw);
  }

  /** PodEligibleToPreemptOthers. */
  private eligible(pod: KubePod, status: Uint8Array): boolean {
    if (pod.preemptionPolicy === 'Never') {
      this.lastMessage = 'not eligible due to preemptionPolicy=Never.';
      return false;
    }
    const nominated = this.nominator.node(pod.slot);
    if (nominated < 0 || status[nominated] === STATUS_UNRESOLVABLE) return true;
    for (const other of this.pods.onNode[nominated]!) {
      if (this.pods.priority[other]! < pod.priority && this.pods.terminating[other] === 1) {
        this.lastMessage = 'not eligible due to a terminating pod on the nominated node.';
        return false;
      }
    }
    return true;
  }

  /**
   * findCandidates + DryRunPreemption: potential nodes in snapshot order,
   * checked from a random offset. `unschedulable` is the number of nodes
   * whose status is STATUS_UNSCHEDULABLE when every node's is (−1: count them).
   */
  private findCandidates(pod: KubePod, status: Uint8Array, unschedulable: number): readonly Candidate[] {
    const { order } = this.cluster;
    // No bound pod of lower priority: SelectVictimsOnNode finds none on any node the dry run visits.
    const hopeless = this.speedPaths && this.pods.lowestPriority >= pod.priority;
    let count = 0;
    if (hopeless && unschedulable >= 0) count = unschedulable;
    else for (let i = 0; i < order.length; i++) if (status[order[i]!] === STATUS_UNSCHEDULABLE) this.potential[count++] = order[i]!;
    if (count === 0) {
      this.lastMessage = 'Preemption is not helpful for scheduling';
      return NO_CANDIDATES;
    }
    const offset = this.rng.int(count);
    this.lastDraw = count;
    const wanted = numCandidates(this.args, count);
    if (hopeless) {
      this.evaluated = count;
      return NO_CANDIDATES;
    }
    const out: Candidate[] = [];
    for (let i = 0; i < count && out.length < wanted; i++) {
      const node = this.potential[(offset + i) % count]!;
      this.evaluated++;
      const victims = this.selectVictimsOnNode(pod, node as NodeIndex);
      if (victims !== null && victims.length > 0) out.push({ node, victims });
    }
    return out;
  }

  /**
   * SelectVictimsOnNode: remove every lower-priority pod; if the pod then
   * fits, add them back most important first, keeping each one that still
   * lets it fit. Returns the victims (most important first), or null.
   */
  selectVictimsOnNode(pod: KubePod, node: NodeIndex): number[] | null {
    const { pods, cluster } = this;
    const potential: number[] = [];
    for (const other of pods.onNode[node]!) if (pods.priority[other]! < pod.priority) potential.push(other);
    if (potential.length === 0) return null;
    cluster.overlayNode = node;
    const overlay = cluster.overlay;
    const take = (slot: number, sign: 1 | -1): void => {
      const r = pods.requests[slot]!;
      for (let d = 0; d < overlay.length; d++) overlay[d]! += sign * r[d]!;
      const ports = pods.ports[slot] ?? NO_PORTS;
      if (sign < 0) cluster.releasePorts(node, ports);
      else cluster.bindPorts(node, ports);
    };
    for (const v of potential) take(v, -1);
    let victims: number[] | null = null;
    if (this.host.filterWithNominated(pod, node) === 0) {
      // MoreImportantPod: higher priority first, then the earlier start; the sort is stable, so bind order breaks ties.
      potential.sort((a, b) => pods.priority[b]! - pods.priority[a]! || pods.start[a]! - pods.start[b]!);
      victims = [];
      for (const v of potential) {
        take(v, 1);
        if (this.host.filterWithNominated(pod, node) !== 0) {
          take(v, -1);
          victims.push(v);
        }
      }
      for (const v of victims) take(v, 1);
    } else {
      for (const v of potential) take(v, 1);
    }
    overlay.fill(0);
    cluster.overlayNode = -1;
    return victims;
  }
}

/**
 * pickOneNodeForPreemption: fewest PDB violations (always 0 here), then the
 * lowest highest-priority victim, the smallest sum of priorities (each
 * shifted by 2^31 so negative priorities count as upstream counts them), the
 * fewest victims, the latest earliest start time among the highest-priority
 * victims; a remaining tie goes to the first candidate.
 */
export function pickOneNodeForPreemption<C extends Candidate>(candidates: readonly C[], pods: Pick<BoundPods, 'priority' | 'start'>): C {
  const SHIFT = 2 ** 31;
  const criteria: ((c: C) => number)[] = [
    (c) => -pods.priority[c.victims[0]!]!,
    (c) => {
      let sum = 0;
      for (const v of c.victims) sum += pods.priority[v]! + SHIFT;
      return -sum;
    },
    (c) => -c.victims.length,
    (c) => {
      // GetEarliestPodStartTime: the earliest start among the victims of the highest priority.
      const top = pods.priority[c.victims[0]!]!;
      let earliest = Infinity;
      for (const v of c.victims) if (pods.priority[v] === top && pods.start[v]! < earliest) earliest = pods.start[v]!;
      return earliest;
    },
  ];
  let remaining = candidates;
  for (const score of criteria) {
    if (remaining.length === 1) break;
    let best = -Infinity;
    let kept: C[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    remaining = kept;
  }
  return remaining[0]!;
}
