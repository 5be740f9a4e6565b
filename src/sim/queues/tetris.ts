/**
 * The Tetris discipline (Grandl et al., "Multi-Resource Packing for Cluster
 * Schedulers", SIGCOMM 2014): each pass goes node by node and lets Tetris's
 * selector (src/schedulers/tetris.ts) pick, among the waiting pods, the one
 * to start there — best alignment less ε × its job's remaining work, among
 * the tenants furthest below their fair share — until none fits; the pods
 * left wait for the next arrival or release. The placement policy is not
 * asked (its hooks still see every bind). A job's remaining work is Σ over
 * its waiting and running pods of run time left × demand normalized by the
 * cluster's total; a bare pod is a job of its own; services count no work.
 */
import type { NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode } from '../../core/ids.js';
import { CPU, MEMORY, PODS } from '../../model/resources.js';
import { shareKey } from '../../schedulers/dominant-share.js';
import { NormalizedCapacity } from '../../schedulers/normalized-capacity.js';
import { TetrisSelector } from '../../schedulers/tetris.js';
import type { TetrisTask } from '../../schedulers/tetris.js';
import type { QueuePolicy } from '../../schedulers/types.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';
import type { QueuePort } from './queue.js';
import { ReplanningQueue } from './replanning.js';
import { replanningShortcuts } from './shortcuts.js';
import { TenantShares } from './tenant-shares.js';

export class TetrisQueue extends ReplanningQueue {
  private readonly selector: TetrisSelector;
  private readonly shares: TenantShares;
  private readonly tasks: TetrisTask[] = [];
  /** Per pass: how many waiting pods share each requests array. */
  private readonly shapes = new Map<Float64Array, number>();
  private readonly skips = replanningShortcuts();
  /** Each pod's shared requests array (see shapeOf), valid for the generation it was made for. */
  private readonly shapeBySlot: Float64Array[] = [];
  private readonly shapeGeneration: number[] = [];
  private readonly shapeByKey = new Map<string, Float64Array>();

  /** `jobCount` tells how many Jobs exist so far (their indices come first in the remaining-work table). */
  constructor(
    world: World,
    policy: QueuePolicy,
    port: QueuePort,
    private readonly jobCount: () => number,
  ) {
    super(world, policy, port);
    const knobs = policy.tetris ?? { fairness: 0.25, remainingWorkWeight: 1 };
    this.selector = new TetrisSelector(new NormalizedCapacity(world.cluster), knobs);
    this.shares = new TenantShares(world.cluster, world.pods);
  }

  override placed(slot: PodSlot): void {
    this.shares.account(slot, 1);
  }

  override unplaced(slot: PodSlot): void {
    this.shares.account(slot, -1);
  }

  protected plan(slots: number[], generations: number[]): void {
    const { pods: p, cluster, eligibility, kernel } = this.world;
    const now = kernel.now;
    const tasks = this.tasks;
    const total = this.shares.total;
    tasks.length = 0;
    const work = (slot: number, left: number): number => {
      if (left <= 0) return 0;
      const req = p.requests[slot]!;
      let demand = 0;
      for (let d = 0; d < total.length; d++) if (d !== PODS && total[d]! > 0) demand += req[d]! / total[d]!;
      return left * demand;
    };
    const jobs = this.jobCount();
    const remainingWork = new Float64Array(jobs + slots.length);
    for (let s = 0; s < p.state.length; s++) {
      const job = p.job[s]!;
      if (job < 0 || (p.state[s] !== PodState.Running && p.state[s] !== PodState.Waiting)) continue;
      const started = p.startAt[s]! >= 0 ? p.startAt[s]! : now;
      remainingWork[job]! += work(s, started + p.duration[s]! - now);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const job = p.job[slot]! >= 0 ? p.job[slot]! : jobs + i;
      remainingWork[job]! += work(slot, p.duration[slot]!);
      tasks.push({ requests: this.shapeOf(slot as PodSlot), tenant: this.shares.indexOf(p.template[slot]!.tenant), job });
    }
    const tenantShare = new Float64Array(this.shares.count);
    for (let t = 0; t < tenantShare.length; t++) tenantShare[t] = shareKey(this.shares.dominantShare(t));
    const state = { tenantShare, remainingWork };
    const admits = (i: number, node: NodeIndex): boolean => {
      const slot = slots[i]!;
      const classAdmits = eligibility.classes[p.eligibility[slot]!]!.admits;
      if (classAdmits !== null && classAdmits[node] !== 1) return false;
      const set = p.volumes[slot]!;
      return set < 0 || cluster.volumes.check(set, node) === 0;
    };
    // Lower bounds of the waiting pods' CPU and memory: most nodes of a busy cluster are skipped without asking the selector.
    let minCpu = Infinity;
    let minMemory = Infinity;
    for (const t of tasks) {
      minCpu = Math.min(minCpu, t.requests[CPU]!);
      minMemory = Math.min(minMemory, t.requests[MEMORY]!);
    }
    // The distinct requests arrays waiting (a job's pods share one): a node none of them fits is skipped.
    const shapes = this.shapes;
    shapes.clear();
    for (const t of tasks) shapes.set(t.requests, (shapes.get(t.requests) ?? 0) + 1);
    const { allocatable, requested } = cluster;
    for (let n = 0; n < cluster.nodeCount && tasks.length > 0; n++) {
      const node = asNode(n);
      if (cluster.schedulable[n] === 0) continue;
      if (allocatable[CPU]![n]! - requested[CPU]![n]! < minCpu || allocatable[MEMORY]![n]! - requested[MEMORY]![n]! < minMemory) continue;
      for (;;) {
        if (this.skips && !this.anyShapeFits(node)) break;
        const i = this.selector.pick(tasks, node, cluster, state, admits);
        if (i < 0) break;
        const slot = slots[i]! as PodSlot;
        const tenant = tasks[i]!.tenant;
        const left = shapes.get(tasks[i]!.requests)! - 1;
        if (left === 0) shapes.delete(tasks[i]!.requests);
        else shapes.set(tasks[i]!.requests, left);
        tasks.splice(i, 1);
        slots.splice(i, 1);
        generations.splice(i, 1);
        this.port.place(slot, node);
        tenantShare[tenant] = shareKey(this.shares.dominantShare(tenant));
      }
    }
    for (let i = 0; i < slots.length; i++) this.keepWaiting(slots[i]! as PodSlot, generations[i]!);
  }

  /**
   * The pod's requests as one array shared by every pod asking for the same
   * amounts (equal values: fit and alignment are the same), worked out once
   * per pod, so the selector and the node check work per distinct request.
   */
  private shapeOf(slot: PodSlot): Float64Array {
    const p = this.world.pods;
    const generation = p.generation[slot]!;
    if (this.shapeGeneration[slot] === generation) return this.shapeBySlot[slot]!;
    const requests = p.requests[slot]!;
    const key = requests.join(',');
    let shape = this.shapeByKey.get(key);
    if (shape === undefined) {
      // A copy: the pod table's array belongs to the slot, and holds another pod's requests once the slot is reused.
      shape = Float64Array.from(requests);
      this.shapeByKey.set(key, shape);
    }
    this.shapeGeneration[slot] = generation;
    this.shapeBySlot[slot] = shape;
    return shape;
  }

  /** Whether some waiting requests array fits the node's free capacity (the selector's own fit test, without admission). */
  private anyShapeFits(node: NodeIndex): boolean {
    const cluster = this.world.cluster;
    for (const requests of this.shapes.keys()) if (cluster.fits(node, requests)) return true;
    return false;
  }
}
