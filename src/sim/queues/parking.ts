/**
 * Pods that found no node, parked per eligibility class in the order they
 * failed. A release wakes only as many of them as the freed node could hold
 * (each woken pod counted against its free capacity), so a release never
 * re-examines the whole backlog.
 */
import type { NodeIndex, PodSlot } from '../../core/ids.js';
import { CPU, MEMORY } from '../../model/resources.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';

/** Pods parked in one eligibility class. */
interface ParkedList {
  slots: number[];
  generations: number[];
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

  /** Parks a pod that found no node (its state and attempt count are the caller's). */
  park(slot: PodSlot): void {
    const p = this.world.pods;
    const c = p.eligibility[slot]!;
    let list = this.lists[c];
    if (list === undefined) {
      list = { slots: [], generations: [], minCpu: Infinity, minMemory: Infinity };
      this.lists[c] = list;
    }
    list.slots.push(slot);
    list.generations.push(p.generation[slot]!);
    const req = p.requests[slot]!;
    list.minCpu = Math.min(list.minCpu, req[CPU]!);
    list.minMemory = Math.min(list.minMemory, req[MEMORY]!);
  }

  /**
   * Wakes parked pods that the free capacity of `node`, less `held`, could
   * hold, in the order they were parked, counting each woken pod against that
   * capacity so no more pods wake than the node could take.
   */
  wake(node: NodeIndex, held: Float64Array): void {
    const free = this.free;
    const { cluster, eligibility } = this.world;
    const { allocatable, requested } = cluster;
    for (let c = 0; c < this.lists.length; c++) {
      const list = this.lists[c];
      if (list === undefined || list.slots.length === 0) continue;
      const admits = eligibility.classes[c]!.admits;
      if (admits !== null && admits[node] !== 1) continue;
      for (let d = 0; d < free.length; d++) free[d] = allocatable[d]![node]! - requested[d]![node]! - held[d]!;
      if (free[CPU]! < list.minCpu || free[MEMORY]! < list.minMemory) continue;
      this.wakeFrom(list, node);
    }
  }

  private wakeFrom(list: ParkedList, node: NodeIndex): void {
    const free = this.free;
    const p = this.world.pods;
    const { slots, generations } = list;
    let kept = 0;
    let i = 0;
    let minCpu = Infinity;
    let minMemory = Infinity;
    for (; i < slots.length; i++) {
      const slot = slots[i]! as PodSlot;
      const generation = generations[i]!;
      if (p.generation[slot] !== generation || p.state[slot] !== PodState.Parked) continue;
      const req = p.requests[slot]!;
      let fits = true;
      for (let d = 0; d < free.length; d++) {
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
      kept++;
      minCpu = Math.min(minCpu, req[CPU]!);
      minMemory = Math.min(minMemory, req[MEMORY]!);
    }
    const scannedAll = i >= slots.length;
    // Keep the unscanned tail in order after the pods kept.
    for (; i < slots.length; i++) {
      slots[kept] = slots[i]!;
      generations[kept] = generations[i]!;
      kept++;
    }
    slots.length = kept;
    generations.length = kept;
    // The exact minimum is known only after a full scan; otherwise the old bound stays valid.
    if (scannedAll) {
      list.minCpu = minCpu;
      list.minMemory = minMemory;
    }
  }
}
