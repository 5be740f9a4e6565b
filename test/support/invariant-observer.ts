/**
 * A SimObserver that checks the simulation's invariants at every event
 * against naive references, and throws (ending the run) on the first
 * violation with a message that names the pod, node, resource and time.
 *
 * - Resources: after every bind and release, no node's requested exceeds its
 *   allocatable in any dimension, and requested equals the sum of the requests
 *   of the pods this observer has seen bound there and not yet finished.
 * - Eligibility: a bound or finishing pod's node matches its nodeSelector and
 *   tolerates its NoSchedule/NoExecute taints (Kubernetes semantics, written
 *   out again here rather than imported).
 * - Rejection: a pod is turned away on arrival exactly when no admitting node
 *   could hold it even when empty.
 * - Parking: a pod is parked only when no admitting node has room for it now.
 *   When simulated time moves on (every event of an instant done) and at the
 *   end of the run, no pod is still queued.
 * - Work conservation (option `workConserving`): at those moments no parked
 *   pod fits on an admitting node either, i.e. the simulator wakes a parked
 *   pod once capacity for it is free.
 * - Timing: time never goes back; a pod finishes exactly `duration` after it
 *   was bound.
 */
import type { Micros, NodeIndex, PodSlot } from '../../src/core/ids.js';
import type { ClusterView } from '../../src/model/cluster-state.js';
import type { NodeSpec } from '../../src/model/cluster.js';
import type { Taint, Toleration } from '../../src/model/labels.js';
import type { SimContext, SimObserver } from '../../src/sim/observer.js';
import { PodState } from '../../src/sim/pod-table.js';
import type { PodTable } from '../../src/sim/pod-table.js';
import type { PodTemplate } from '../../src/workload/pod.js';

/** Kubernetes' Toleration.ToleratesTaint (k8s.io/api/core/v1), for the tolerations the generator writes. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** Whether `node` admits pods made from `template`: nodeSelector and hard taints. */
export function naiveAdmits(template: PodTemplate, node: NodeSpec): boolean {
  for (const [key, value] of Object.entries(template.nodeSelector)) if (node.labels[key] !== value) return false;
  return node.taints.every((taint) => taint.effect === 'PreferNoSchedule' || template.tolerations.some((t) => tolerates(t, taint)));
}

/** Per-owner counts, to check jobs and streams one by one. */
export interface OwnerCounts {
  arrived: number;
  bound: number;
  finished: number;
  rejected: number;
  /** Deleted by preemption and gone from their node. */
  preempted: number;
}

export interface InvariantOptions {
  /** Also check that no parked pod fits on an admitting node once an instant is over. Default true. */
  readonly workConserving?: boolean;
  /**
   * The queue tries every pod at the instant it is queued (fifo, priority). The kube-scheduler queue
   * does not: pods wait for their cycle, and a cycle decides on the cluster as it was when it began.
   * Default true.
   */
  readonly passQueue?: boolean;
}

export class InvariantObserver implements SimObserver {
  private readonly workConserving: boolean;
  private readonly passQueue: boolean;
  private cluster!: ClusterView;
  private pods!: PodTable;
  /** held[node][dim]: the naive sum of the requests of pods running on the node. */
  private held: number[][] = [];
  private boundNode = new Map<number, number>();
  private expectReject = new Map<number, boolean>();
  private lastTime = 0;

  arrived = 0;
  bound = 0;
  finished = 0;
  rejected = 0;
  preempted = 0;
  unschedulable = 0;
  ended = false;
  readonly byOwner = new Map<string, OwnerCounts>();

  constructor(options: InvariantOptions = {}) {
    this.workConserving = options.workConserving ?? true;
    this.passQueue = options.passQueue ?? true;
  }

  start(ctx: SimContext): void {
    this.cluster = ctx.cluster;
    this.pods = ctx.pods;
    this.held = ctx.cluster.nodes.map(() => new Array<number>(ctx.cluster.space.size).fill(0));
    this.checkAllNodes('start', 0);
  }

  podArrived(slot: PodSlot, now: Micros): void {
    // The new pod is already in the table (queued) when this hook runs.
    this.tick(now, 'podArrived', slot);
    this.arrived++;
    const id = this.pods.id[slot]!;
    const t = this.template(slot);
    this.owner(t.owner).arrived++;
    if (this.pods.arrival[slot] !== now) this.fail(`pod ${id} arrived at ${now} µs but its arrival field says ${this.pods.arrival[slot]}`);
    const req = this.pods.requests[slot]!;
    const fitsSomeEmptyNode = this.cluster.nodes.some((n) => naiveAdmits(t, n) && req.every((r, d) => r <= n.allocatable[d]!));
    this.expectReject.set(id, !fitsSomeEmptyNode);
  }

  podRejected(slot: PodSlot, now: Micros, reason: string): void {
    this.tick(now, 'podRejected');
    this.rejected++;
    const id = this.pods.id[slot]!;
    this.owner(this.template(slot).owner).rejected++;
    if (this.expectReject.get(id) !== true) {
      this.fail(`pod ${id} (${this.describePod(slot)}) was rejected ("${reason}") though an admitting node could hold it when empty`);
    }
    if (reason === '') this.fail(`pod ${id} was rejected without a reason`);
    this.expectReject.delete(id);
  }

  podBound(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.tick(now, 'podBound');
    this.bound++;
    const id = this.pods.id[slot]!;
    this.owner(this.template(slot).owner).bound++;
    if (this.expectReject.get(id) === true) this.fail(`pod ${id} (${this.describePod(slot)}) was bound though it fits no admitting node`);
    if (!Number.isInteger(node) || node < 0 || node >= this.cluster.nodeCount) this.fail(`pod ${id} bound to node ${node}, not a node`);
    if (this.boundNode.has(id)) this.fail(`pod ${id} bound twice`);
    this.boundNode.set(id, node);
    if (this.pods.state[slot] !== PodState.Running) this.fail(`pod ${id} bound but in state ${this.pods.state[slot]}`);
    if (this.pods.node[slot] !== node) this.fail(`pod ${id} bound to ${node} but the table says ${this.pods.node[slot]}`);
    this.checkAdmits(slot, node, 'podBound');
    const req = this.pods.requests[slot]!;
    req.forEach((r, d) => (this.held[node]![d]! += r));
    this.checkAllNodes(`podBound of pod ${id} on ${this.nodeName(node)}`, now);
  }

  podFinished(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.tick(now, 'podFinished', slot, { node, requests: this.pods.requests[slot]! });
    this.finished++;
    const id = this.pods.id[slot]!;
    this.owner(this.template(slot).owner).finished++;
    if (this.boundNode.get(id) !== node) this.fail(`pod ${id} finished on node ${node} but was bound to ${this.boundNode.get(id)}`);
    this.boundNode.delete(id);
    const ranFor = now - this.pods.bindAt[slot]!;
    if (ranFor !== this.pods.duration[slot]) this.fail(`pod ${id} ran ${ranFor} µs, its duration is ${this.pods.duration[slot]} µs`);
    if (ranFor <= 0) this.fail(`pod ${id} ended in the instant it started`);
    this.checkAdmits(slot, node, 'podFinished');
    const req = this.pods.requests[slot]!;
    req.forEach((r, d) => (this.held[node]![d]! -= r));
    this.checkAllNodes(`podFinished of pod ${id} on ${this.nodeName(node)}`, now);
  }

  podPreempted(slot: PodSlot, node: NodeIndex, now: Micros): void {
    this.tick(now, 'podPreempted', slot, { node, requests: this.pods.requests[slot]! });
    this.preempted++;
    const id = this.pods.id[slot]!;
    this.owner(this.template(slot).owner).preempted++;
    if (this.boundNode.get(id) !== node) this.fail(`pod ${id} preempted on node ${node} but was bound to ${this.boundNode.get(id)}`);
    this.boundNode.delete(id);
    if (this.pods.state[slot] !== PodState.Terminating) this.fail(`pod ${id} preempted but in state ${this.pods.state[slot]}`);
    const req = this.pods.requests[slot]!;
    req.forEach((r, d) => (this.held[node]![d]! -= r));
    this.checkAllNodes(`podPreempted of pod ${id} on ${this.nodeName(node)}`, now);
  }

  podUnschedulable(slot: PodSlot, now: Micros): void {
    this.tick(now, 'podUnschedulable');
    this.unschedulable++;
    const n = this.passQueue ? this.roomFor(slot) : undefined;
    if (n !== undefined) {
      this.fail(`pod ${this.pods.id[slot]} (${this.describePod(slot)}) was parked at ${now} µs though ${this.nodeName(n)} has room for it`);
    }
  }

  end(now: Micros): void {
    this.tick(now, 'end');
    this.ended = true;
    this.checkAllNodes('end', now);
    this.checkQuiescent(`at the end of the run (${now} µs)`);
    if (this.expectReject.size !== 0) {
      for (const [id, expected] of this.expectReject) {
        if (expected) this.fail(`pod ${id} fits no admitting node but was never rejected`);
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------

  private owner(name: string): OwnerCounts {
    let c = this.byOwner.get(name);
    if (c === undefined) {
      c = { arrived: 0, bound: 0, finished: 0, rejected: 0, preempted: 0 };
      this.byOwner.set(name, c);
    }
    return c;
  }

  private template(slot: PodSlot): PodTemplate {
    return this.pods.template[slot]!;
  }

  /**
   * Checks time order. When time moves on, the instant before it must have
   * left no pod waiting that fits. Hooks run after their change, so the
   * state of that instant is the current one without it: `skip` is a pod that
   * has just arrived, `released` a pod whose requests were just freed.
   */
  private tick(now: Micros, hook: string, skip = -1, released?: { node: NodeIndex; requests: Float64Array }): void {
    if (now < this.lastTime) this.fail(`${hook} at ${now} µs after an event at ${this.lastTime} µs: time went back`);
    if (now > this.lastTime) this.checkQuiescent(`at the end of the instant ${this.lastTime} µs`, skip, released);
    this.lastTime = now;
  }

  /** No pod waits in the queue, and (when checking work conservation) no parked pod has room on an admitting node. */
  private checkQuiescent(when: string, skip = -1, released?: { node: NodeIndex; requests: Float64Array }): void {
    const { state } = this.pods;
    for (let s = 0; s < state.length; s++) {
      if (s === skip) continue;
      const slot = s as PodSlot;
      if (state[s] === PodState.Queued && this.passQueue) this.fail(`pod ${this.pods.id[slot]} is still queued ${when}: no pass ran for it`);
      if (state[s] === PodState.Parked && this.workConserving) {
        const n = this.roomFor(slot, released);
        if (n !== undefined) {
          this.fail(`pod ${this.pods.id[slot]} (${this.describePod(slot)}) is parked ${when} though ${this.nodeName(n)} has room for it`);
        }
      }
    }
  }

  /** A node that admits the pod and has room for it now (with `released` still held), if any. */
  private roomFor(slot: PodSlot, released?: { node: NodeIndex; requests: Float64Array }): NodeIndex | undefined {
    const t = this.template(slot);
    const req = this.pods.requests[slot]!;
    const { allocatable, requested } = this.cluster;
    for (const node of this.cluster.nodes) {
      if (!naiveAdmits(t, node)) continue;
      const n = node.index;
      const extra = (d: number): number => (released !== undefined && released.node === n ? released.requests[d]! : 0);
      if (req.every((r, d) => requested[d]![n]! + extra(d) + r <= allocatable[d]![n]!)) return n;
    }
    return undefined;
  }

  private checkAdmits(slot: PodSlot, node: NodeIndex, hook: string): void {
    const spec = this.cluster.nodes[node]!;
    const t = this.template(slot);
    if (!naiveAdmits(t, spec)) {
      this.fail(
        `${hook}: pod ${this.pods.id[slot]} (${this.describePod(slot)}) is on ${spec.name}, which does not admit it: ` +
          `labels ${JSON.stringify(spec.labels)}, taints ${JSON.stringify(spec.taints)}`,
      );
    }
  }

  private checkAllNodes(where: string, now: Micros): void {
    const { allocatable, requested, space } = this.cluster;
    for (let n = 0; n < this.cluster.nodeCount; n++) {
      for (let d = 0; d < space.size; d++) {
        const req = requested[d]![n]!;
        const alloc = allocatable[d]![n]!;
        if (req > alloc) {
          this.fail(`${where} at ${now} µs: ${this.nodeName(n as NodeIndex)} is over-committed in ${space.names[d]}: requested ${req} > allocatable ${alloc}`);
        }
        if (req !== this.held[n]![d]) {
          this.fail(
            `${where} at ${now} µs: ${this.nodeName(n as NodeIndex)} has requested ${space.names[d]} = ${req}, ` +
              `but the pods running there request ${this.held[n]![d]} in total`,
          );
        }
      }
    }
  }

  private nodeName(n: NodeIndex): string {
    return this.cluster.nodes[n]?.name ?? `node #${n}`;
  }

  private describePod(slot: PodSlot): string {
    const t = this.template(slot);
    const req = [...this.pods.requests[slot]!].map((r, d) => `${this.cluster.space.names[d]}=${r}`).join(' ');
    return `${t.owner}, ${req}, nodeSelector ${JSON.stringify(t.nodeSelector)}, tolerations ${JSON.stringify(t.tolerations)}`;
  }

  private fail(message: string): never {
    throw new Error(`invariant violated: ${message}`);
  }
}
