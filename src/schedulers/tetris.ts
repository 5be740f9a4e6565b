/**
 * Tetris, after Grandl, Ananthanarayanan, Kandula, Rao and Akella,
 * "Multi-Resource Packing for Cluster Schedulers", SIGCOMM 2014.
 *
 * Packing (section 3.1): a task's alignment with a machine is the dot
 * product of its demand and the machine's free resources, both normalized
 * by the machine's capacity,
 *
 *   a(pod, node) = Σ_d (request_d / allocatable_d) · (free_d / allocatable_d),
 *
 * over every dimension of the resource space but the pod count (cpu,
 * memory, nvme, nic and any extended resource), among the machines where
 * the task fits; the highest alignment wins. The `tetris` placement policy
 * is this choice: for the pod the queue hands it, the feasible node of
 * greatest alignment (quantized, ties to the lowest index).
 *
 * Average completion time (section 3.2) and fairness (section 3.4) choose
 * which task goes next rather than where it goes, so they live in
 * `TetrisSelector`, which picks a task for a node with free resources:
 * only tasks of the ⌈(1 − f)·T⌉ tenants (of the T with candidate tasks)
 * furthest below their fair share are considered (fairness knob f; f = 0
 * is pure packing, f → 1 serves only the furthest tenant), and among those
 * that fit, the task maximizing a − ε·p wins, where p is the remaining work
 * of the task's job (less remaining work preferred: shortest remaining time
 * first) and ε = m · ā / p̄ scales p to the alignment scores (ā, p̄: means over
 * the candidates), with the multiplier m configurable.
 */
import { asNode, NO_NODE } from '../core/ids.js';
import type { NodeIndex } from '../core/ids.js';
import type { ClusterView } from '../model/cluster-state.js';
import { NormalizedCapacity } from './normalized-capacity.js';
import type { PlacementPolicy, PodView, PolicyFactory } from './types.js';
import { quantize } from './vbp/measures.js';

/** The alignment score a(pod, node): demand · free, both divided by the node's allocatable. */
export function alignment(cap: NormalizedCapacity, cluster: ClusterView, node: NodeIndex, request: Float64Array): number {
  return quantize(alignmentSum(cap, cluster, node, request));
}

/** The alignment before quantizing, for a caller that adds terms of its own. */
export function alignmentSum(cap: NormalizedCapacity, cluster: ClusterView, node: NodeIndex, request: Float64Array): number {
  const { dims, inverse } = cap;
  const { allocatable, requested } = cluster;
  let sum = 0;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!;
    const inv = inverse[i]![node]!;
    sum += request[d]! * inv * ((allocatable[d]![node]! - requested[d]![node]!) * inv);
  }
  return sum;
}

/** The feasible node of greatest alignment with the pod, ties to the lowest index. */
export function scanTetris(cap: NormalizedCapacity, pod: PodView, cluster: ClusterView): NodeIndex {
  let best = NO_NODE;
  let bestScore = -Infinity;
  for (let n = 0; n < cluster.nodeCount; n++) {
    const node = asNode(n);
    if (!pod.fitsOn(node)) continue;
    const a = alignment(cap, cluster, node, pod.requests);
    if (a > bestScore) {
      bestScore = a;
      best = node;
    }
  }
  return best;
}

export const tetris: PolicyFactory = ({ cluster: own }): PlacementPolicy => {
  const cap = new NormalizedCapacity(own);
  return { name: 'tetris', place: (pod, cluster) => scanTetris(cap.on(cluster), pod, cluster) };
};

/** Tetris's knobs. */
export interface TetrisConstraints {
  /** Fairness knob f in [0, 1): the share of tenants, closest to their fair share, left out of each choice. Default 0.25. */
  readonly fairness?: number;
  /** Multiplier m of the remaining-work term (ε = m · ā / p̄); 0 is packing only. Default 1. */
  readonly remainingWorkWeight?: number;
}

export const DEFAULT_TETRIS_FAIRNESS = 0.25;
export const DEFAULT_TETRIS_REMAINING_WORK_WEIGHT = 1;

/** A pending task, as the selector sees it. */
export interface TetrisTask {
  readonly requests: Float64Array;
  /** Index of the task's tenant, into `TetrisState.tenantShare`. */
  readonly tenant: number;
  /** Index of the task's job, into `TetrisState.remainingWork`. */
  readonly job: number;
}

/** What the selector reads about tenants and jobs, kept by its caller. */
export interface TetrisState {
  /** Each tenant's share divided by its fair share (e.g. its dominant share under equal weights): lower is further below. */
  readonly tenantShare: Float64Array;
  /** Each job's remaining work: Σ over its unfinished tasks of duration × normalized demand. */
  readonly remainingWork: Float64Array;
}

/** Picks the next task for a node, by Tetris's combined score (see the module comment). Reuses its buffers between calls. */
export class TetrisSelector {
  private readonly fairness: number;
  private readonly weight: number;
  private tenants = new Int32Array(16);
  private allowed = new Uint8Array(16);
  private scores = new Float64Array(16);
  private fitting = new Int32Array(16);
  /** Per call: each distinct requests array's alignment with the node, NaN where it does not fit. */
  private readonly shapes = new Map<Float64Array, number>();

  constructor(
    private readonly cap: NormalizedCapacity,
    constraints: TetrisConstraints = {},
  ) {
    this.fairness = constraints.fairness ?? DEFAULT_TETRIS_FAIRNESS;
    this.weight = constraints.remainingWorkWeight ?? DEFAULT_TETRIS_REMAINING_WORK_WEIGHT;
    if (!(this.fairness >= 0 && this.fairness < 1)) throw new RangeError(`fairness ${this.fairness}: expected a number in [0, 1)`);
    if (!(this.weight >= 0 && Number.isFinite(this.weight))) throw new RangeError(`remainingWorkWeight ${this.weight}: expected a non-negative number`);
  }

  /**
   * The index in `tasks` of the task to start on `node`, or −1 when none of
   * the considered tasks fits there; `admits(i, node)` (when given) also
   * rules out tasks the node does not admit (selectors, taints, volumes).
   */
  pick(tasks: readonly TetrisTask[], node: NodeIndex, cluster: ClusterView, state: TetrisState, admits?: (task: number, node: NodeIndex) => boolean): number {
    const tenantCount = state.tenantShare.length;
    if (this.allowed.length < tenantCount) {
      this.allowed = new Uint8Array(tenantCount);
      this.tenants = new Int32Array(tenantCount);
    }
    if (this.scores.length < tasks.length) {
      this.scores = new Float64Array(tasks.length);
      this.fitting = new Int32Array(tasks.length);
    }
    // The tenants with candidate tasks, furthest below their fair share first (ties: lower index).
    const allowed = this.allowed;
    allowed.fill(0, 0, tenantCount);
    let t = 0;
    for (const task of tasks) {
      if (allowed[task.tenant] === 0) {
        allowed[task.tenant] = 1;
        this.tenants[t++] = task.tenant;
      }
    }
    const order = this.tenants.subarray(0, t).sort((x, y) => state.tenantShare[x]! - state.tenantShare[y]! || x - y);
    const keep = Math.max(1, Math.ceil((1 - this.fairness) * t - 1e-9));
    allowed.fill(0, 0, tenantCount);
    for (let i = 0; i < keep; i++) allowed[order[i]!] = 1;

    // Alignment of every considered task that fits; means of a and p over them.
    const { allocatable, requested } = cluster;
    let count = 0;
    let sumA = 0;
    let sumP = 0;
    // Tasks of one job usually share one requests array: whether it fits and its alignment are worked out once per array.
    const shapes = this.shapes;
    shapes.clear();
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i]!;
      if (allowed[task.tenant] === 0) continue;
      let a = shapes.get(task.requests);
      if (a === undefined) {
        let fits = true;
        for (let d = 0; d < task.requests.length; d++) {
          const r = task.requests[d]!;
          if (r > 0 && requested[d]![node]! + r > allocatable[d]![node]!) {
            fits = false;
            break;
          }
        }
        a = fits ? alignment(this.cap, cluster, node, task.requests) : NaN;
        shapes.set(task.requests, a);
      }
      if (Number.isNaN(a) || (admits !== undefined && !admits(i, node))) continue;
      this.scores[count] = a;
      this.fitting[count++] = i;
      sumA += a;
      sumP += state.remainingWork[task.job]!;
    }
    if (count === 0) return -1;
    const epsilon = sumP > 0 ? (this.weight * sumA) / sumP : 0;
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < count; k++) {
      const i = this.fitting[k]!;
      const score = quantize(this.scores[k]! - epsilon * state.remainingWork[tasks[i]!.job]!);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}
