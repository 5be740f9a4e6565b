/**
 * Nodes going down and coming up: listed failures (the named nodes, or the
 * most loaded or random ones still up, at a given time), repairs, and nodes
 * that join during the run (absent until then). A failed node runs nothing
 * from the moment it fails; what the control plane does about it is the
 * node lifecycle controller's (controllers/node-lifecycle.ts).
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { asNode } from '../core/ids.js';
import { PODS } from '../model/resources.js';
import type { NodeStatus } from './node-status.js';
import { PodState } from './pod-table.js';
import type { World } from './world.js';

/** At `at`, `count` nodes fail: those in `nodes`, else the most loaded or random ones still up. */
export interface NodeFailure {
  readonly at: Micros;
  readonly count: number;
  readonly select: 'most-loaded' | 'random';
  readonly nodes?: readonly NodeIndex[] | undefined;
  /** The node is back (empty of evicted pods, schedulable) this long after it failed; never when absent. */
  readonly repairAfter?: Micros | undefined;
}

export interface NodeJoin {
  readonly node: NodeIndex;
  readonly at: Micros;
}

export interface NodeFailuresPort {
  /** A bound pod stops making progress: its node failed. */
  lose(slot: PodSlot, node: NodeIndex, now: Micros): void;
  /** The node failed (epoch: its new epoch); the container runtime and the node lifecycle controller react. */
  failed(node: NodeIndex, epoch: number): void;
  /** The node is up (repaired or joined): the control plane may use it again. */
  up(node: NodeIndex): void;
  /** The kubelet starts a pod bound to the node again, from the beginning. */
  launch(slot: PodSlot, node: NodeIndex): void;
  /** The node is back in the cluster (a node update event for the scheduler; `added` when it joined): waiting pods may try it. */
  nodeUp(node: NodeIndex, now: Micros, added?: boolean): void;
}

export class NodeFailures {
  private readonly FAIL: number;
  private readonly REPAIR: number;
  private readonly JOIN: number;

  /** `random`: uniform [0, 1) draws for choosing nodes at random (a seeded stream). */
  constructor(
    private readonly world: World,
    private readonly status: NodeStatus,
    private readonly failures: readonly NodeFailure[],
    private readonly joins: readonly NodeJoin[],
    private readonly random: () => number,
    private readonly port: NodeFailuresPort,
  ) {
    this.FAIL = world.kernel.on((i) => this.fail(i));
    this.REPAIR = status.onNode(world.kernel, (node) => this.repair(node));
    this.JOIN = status.onNode(world.kernel, (node) => this.join(node));
  }

  /** Before the first event: nodes that join later are absent, and failures are scheduled. */
  begin(until: Micros | undefined): void {
    const { down, epoch } = this.status;
    for (const { node, at } of this.joins) {
      if (at <= 0 || down[node] === 1) continue;
      // Absent until it joins: down, and out of the schedulable mask.
      down[node] = 1;
      this.status.block(node);
      if (until !== undefined && at > until) continue;
      this.world.kernel.schedule(at, this.JOIN, node, ++epoch[node]!);
    }
    this.failures.forEach((f, i) => {
      if (until === undefined || f.at <= until) this.world.kernel.schedule(f.at, this.FAIL, i);
    });
  }

  private fail(i: number): void {
    const f = this.failures[i]!;
    const { kernel, pods: p, observers } = this.world;
    const now = kernel.now;
    kernel.touch();
    for (const node of f.nodes ?? this.chooseNodes(f.count, f.select)) {
      if (this.status.down[node] === 1) continue;
      this.status.down[node] = 1;
      const epoch = ++this.status.epoch[node]!;
      for (let s = 0; s < p.state.length; s++) {
        if (p.state[s] === PodState.Running && p.node[s] === node) this.port.lose(s as PodSlot, node, now);
      }
      this.port.failed(node, epoch);
      for (const o of observers) o.nodeFailed?.(node, now);
      if (f.repairAfter !== undefined) kernel.schedule(now + f.repairAfter, this.REPAIR, node, epoch);
    }
  }

  /** The `count` nodes still up to fail: the most loaded (highest share of any resource but pods; ties to the lowest index) or random ones. */
  private chooseNodes(count: number, select: NodeFailure['select']): NodeIndex[] {
    const { cluster } = this.world;
    const up: NodeIndex[] = [];
    for (let n = 0; n < cluster.nodeCount; n++) if (this.status.down[n] === 0) up.push(asNode(n));
    if (select === 'random') {
      // Partial Fisher–Yates: the first `count` entries are a uniform sample.
      for (let i = 0; i < Math.min(count, up.length); i++) {
        const j = i + Math.floor(this.random() * (up.length - i));
        [up[i], up[j]] = [up[j]!, up[i]!];
      }
      return up.slice(0, count);
    }
    const { allocatable, requested } = cluster;
    const load = (n: NodeIndex): number => {
      let max = 0;
      for (let d = 0; d < allocatable.length; d++) {
        const a = allocatable[d]![n]!;
        if (d !== PODS && a > 0) max = Math.max(max, requested[d]![n]! / a);
      }
      return max;
    };
    return up
      .map((n) => ({ n, load: load(n) }))
      .sort((a, b) => b.load - a.load || a.n - b.n)
      .slice(0, count)
      .map((x) => x.n);
  }

  /** The node is back: the kubelet starts the pods still bound to it again, and waiting pods may try it. */
  private repair(node: NodeIndex): void {
    const { kernel, pods: p, observers } = this.world;
    const now = kernel.now;
    this.up(node);
    for (const o of observers) o.nodeRepaired?.(node, now);
    for (let s = 0; s < p.state.length; s++) {
      if (p.state[s] !== PodState.Lost || p.node[s] !== node) continue;
      p.state[s] = PodState.Running;
      p.startAt[s] = -1;
      for (const o of observers) o.podRestarted?.(s as PodSlot, node, now);
      this.port.launch(s as PodSlot, node);
    }
    this.port.nodeUp(node, now);
  }

  /** A node joins the cluster: like a repair, but it was never counted as failed; its DaemonSet and static pods wait for it. */
  private join(node: NodeIndex): void {
    const now = this.world.kernel.now;
    this.up(node);
    for (const o of this.world.observers) o.nodeJoined?.(node, now);
    this.port.nodeUp(node, now, true);
  }

  private up(node: NodeIndex): void {
    this.status.down[node] = 0;
    this.status.epoch[node]!++;
    this.port.up(node);
  }
}
