/** Pods ordered by (arrival, insertion order), on the typed-array heap. */
import { PairHeap } from '../../core/heap.js';
import type { TracePod } from './types.js';

export class PodQueue {
  private readonly heap = new PairHeap(1024);
  private readonly slots: (TracePod | undefined)[] = [];
  private readonly free: number[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.size;
  }

  push(pod: TracePod): void {
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = pod;
    this.heap.push(pod.arrival, this.seq++, slot);
  }

  /** The earliest arrival; Infinity when empty. */
  peekArrival(): number {
    return this.heap.size === 0 ? Infinity : this.heap.topPrimary();
  }

  pop(): TracePod {
    const slot = this.heap.topA();
    this.heap.pop();
    const pod = this.slots[slot]!;
    this.slots[slot] = undefined;
    this.free.push(slot);
    return pod;
  }
}

/** Merges pod sources, each in arrival order, into one in arrival order (ties in source order). */
export function* mergeByArrival(sources: readonly Iterator<TracePod, void>[]): Generator<TracePod, void> {
  const heads: (TracePod | undefined)[] = sources.map((s) => {
    const r = s.next();
    return r.done === true ? undefined : r.value;
  });
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && (best < 0 || h.arrival < heads[best]!.arrival)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const r = sources[best]!.next();
    heads[best] = r.done === true ? undefined : r.value;
  }
}
