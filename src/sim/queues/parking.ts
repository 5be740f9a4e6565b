/**
 * Pods that found no node, parked per eligibility class in the order they
 * failed. A release wakes only as many of them as the freed node could hold
 * (each woken pod counted against its free capacity), so a release never
 * re-examines the whole backlog.
 *
 * Each parked pod remembers the cluster's version when it failed (the
 * caller bumps the version whenever a pod is placed or room opens). A pod is
 * not woken again at the version it failed at: nothing has changed that
 * could make it fit, and waking it would only fail again — forever, when it
 * fails for a reason the wake-up check does not see (a filter of the
 * policy's own, room held for a nominated pod).
 */
import type { NodeIndex, PodSlot } from '../../core/ids.js';
import { CPU, MEMORY } from '../../model/resources.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';

/** Pods parked in one eligibility class. */
interface ParkedList {
  slots: number[];
  generations: number[];
  /** The cluster's version when each pod failed. */
  versions: number[];
  /** Lower bounds of the parked pods' CPU and memory requests, to stop a wake-up scan early. */
  minCpu: number;
  minMemory: number;
}

export class Parking {
  private readonly lists: ParkedList[] = [];
  private readonly free: Float64Array;

  /** `wake` queues a woken pod again. */
  constructor(
    private readonly world: World,
    private readonly wakePod: (slot: PodSlot) => void,
  ) {
    this.free = world.cluster.space.zeros();
  }

  /** Parks a pod that found no node at cluster version `version` (its state and attempt count are the caller's). */
  park(slot: PodSlot, version: number): void {
    const p = this.world.pods;
    const c = p.eligibility[slot]!;
    let list = this.lists[c];
    if (list === undefined) {
      list = { slots: [], generations: [], versions: [], minCpu: Infinity, minMemory: Infinity };
      this.lists[c] = list;
    }
    list.slots.push(slot);
    list.generations.push(p.generation[slot]!);
    list.versions.push(version);
    const req = p.requests[slot]!;
    list.minCpu = Math.min(list.minCpu, req[CPU]!);
    list.minMemory = Math.min(list.minMemory, req[MEMORY]!);
  }

  /**
   * Wakes parked pods that the free capacity of `node`, less `held`, could
   * hold, in the order they were parked, counting each woken pod against that
   * capacity so no more pods wake than the node could take. Pods that failed
   * at `version` stay parked.
   */
  wake(node: NodeIndex, held: Float64Array, version: number): void {
    const free = this.free;
    const { cluster, eligibility } = this.world;
    // Room on a node out of the schedulable mask (a pod evicted from a NotReady node) is no room.
    if (cluster.schedulable[node] === 0) return;
    const { allocatable, requested } = cluster;
    for (let c = 0; c < this.lists.length; c++) {
      const list = this.lists[c];
      if (list === undefined || list.slots.length === 0) continue;
      const admits = eligibility.classes[c]!.admits;
      if (admits !== null && admits[node] !== 1) continue;
      for (let d = 0; d < free.length; d++) free[d] = allocatable[d]![node]! - requested[d]![node]! - held[d]!;
      if (free[CPU]! < list.minCpu || free[MEMORY]! < list.minMemory) continue;
      this.wakeFrom(list, node, version);
    }
  }

  private wakeFrom(list: ParkedList, node: NodeIndex, version: number): void {
    const free = this.free;
    const p = this.world.pods;
    const { slots, generations, versions } = list;
    let kept = 0;
    let i = 0;
    let minCpu = Infinity;
    let minMemory = Infinity;
    for (; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const generation = generations[i]!;
      if (p.generation[slot] !== generation || p.state[slot] !== PodState.Parked) continue;
      const req = p.requests[slot]!;
      let fits = versions[i] !== version;
      for (let d = 0; d < free.length && fits; d++) {
        if (req[d]! > free[d]!) {
          fits = false;
          break;
        }
      }
      // A pod held back by its local volumes wakes only where they fit, or it would fail again and wake again.
      const set = p.volumes[slot]!;
      if (fits && set >= 0 && this.world.cluster.volumes.check(set, node) !== 0) fits = false;
      if (fits) {
        for (let d = 0; d < free.length; d++) free[d]! -= req[d]!;
        p.woken[slot] = node + 1;
        this.wakePod(slot);
        if (free[CPU]! < list.minCpu || free[MEMORY]! < list.minMemory) {
          i++;
          break;
        }
        continue;
      }
      slots[kept] = slot;
      generations[kept] = generation;
      versions[kept] = versions[i]!;
      kept++;
      minCpu = Math.min(minCpu, req[CPU]!);
      minMemory = Math.min(minMemory, req[MEMORY]!);
    }
    const scannedAll = i >= slots.length;
    // Keep the unscanned tail in order after the pods kept.
    for (; i < slots.length; i++) {
      slots[kept] = slots[i]!;
      generations[kept] = generations[i]!;
      versions[kept] = versions[i]!;
      kept++;
    }
    slots.length = kept;
    generations.length = kept;
    versions.length = kept;
    // The exact minimum is known only after a full scan; otherwise the old bound stays valid.
    if (scannedAll) {
      list.minCpu = minCpu;
      list.minMemory = minMemory;
    }
  }
}
