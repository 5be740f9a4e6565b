/**
 * Conservative backfilling's kept reservations (src/sim/queues/kept-reservations.ts)
 * answer every earliest-start query exactly as a search of the whole
 * profile does, as long as every change of a node is reported: random
 * clusters, pods that end on time or early, overrun their release, start,
 * arrive, leave the queue, stop running without leaving their node, and
 * nodes that leave and rejoin the schedulable set, pass after pass.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { NodeIndex, PodSlot } from '../src/core/ids.js';
import { asNode } from '../src/core/ids.js';
import { AvailabilityProfile } from '../src/sim/queues/availability-profile.js';
import type { Reservation } from '../src/sim/queues/availability-profile.js';
import { KeptReservations } from '../src/sim/queues/kept-reservations.js';
import { runs } from './support/property-runs.js';

interface Pod {
  slot: number;
  generation: number;
  requests: Float64Array;
  length: number;
  admits: Uint8Array;
  node: number;
  release: number;
  /** Running but with no planned release (terminating, or running until deleted). */
  noRelease: boolean;
}

/** Runs `passes` passes of a random cluster, checking every answer of the kept plan against a search of the whole profile. */
function check(seed: number, passes: number): void {
  const rng = seedrandom(String(seed));
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const nodeCount = int(1, 5);
  const dims = int(1, 2);
  const cap = Array.from({ length: nodeCount }, () => Array.from({ length: dims }, () => int(2, 8)));
  const used = Array.from({ length: nodeCount }, () => new Array<number>(dims).fill(0));
  const free = (node: NodeIndex, out: Float64Array): void => {
    for (let d = 0; d < dims; d++) out[d] = cap[node]![d]! - used[node]![d]!;
  };
  const profile = new AvailabilityProfile(nodeCount, dims, free);
  const kept = new KeptReservations(nodeCount, profile);
  const reference = new AvailabilityProfile(nodeCount, dims, free);
  const schedulable = new Uint8Array(nodeCount).fill(1);
  // The releases of the last plan, as release-plan.ts keeps them: one made, moved or dropped changes its node.
  const planned = new Map<number, { generation: number; node: number; at: number }>();
  const release = (pod: Pod, at: number): void => {
    const was = planned.get(pod.slot);
    if (was === undefined || was.generation !== pod.generation || was.node !== pod.node || was.at !== at) kept.changed(asNode(pod.node));
    planned.set(pod.slot, { generation: pod.generation, node: pod.node, at });
  };
  const noRelease = (slot: number): void => {
    const was = planned.get(slot);
    if (was === undefined) return;
    kept.changed(asNode(was.node));
    planned.delete(slot);
  };
  const running: Pod[] = [];
  let waiting: Pod[] = [];
  let slots = 0;
  const generations: number[] = [];
  const newPod = (): Pod => {
    const slot = slots++;
    generations[slot] = 0;
    const admits = new Uint8Array(nodeCount).map(() => (rng() < 0.8 ? 1 : 0));
    const requests = Float64Array.from({ length: dims }, () => int(1, 4));
    return { slot, generation: 0, requests, length: rng() < 0.1 ? Infinity : int(1, 12), admits, node: -1, release: 0, noRelease: false };
  };
  for (let i = 0; i < int(2, 10); i++) waiting.push(newPod());
  let now = 0;
  for (let pass = 0; pass < passes; pass++) {
    now += int(0, 4);
    // Between passes: pods end (on time or early), stop running, arrive, leave the queue; nodes come and go.
    for (let i = running.length - 1; i >= 0; i--) {
      const pod = running[i]!;
      if ((pod.release <= now && rng() < 0.8) || rng() < 0.08) {
        for (let d = 0; d < dims; d++) used[pod.node]![d]! -= pod.requests[d]!;
        kept.changed(asNode(pod.node));
        generations[pod.slot]!++;
        running.splice(i, 1);
      } else if (rng() < 0.03) pod.noRelease = true;
    }
    for (let i = 0; i < int(0, 2); i++) if (rng() < 0.5) waiting.push(newPod());
    waiting = waiting.filter(() => rng() > 0.03);
    if (rng() < 0.05) schedulable[int(0, nodeCount - 1)]! ^= 1;
    const live = new Set(waiting.map((p) => p.slot));
    kept.beginPass(schedulable, (s, g) => live.has(s) && generations[s] === g);
    profile.clear();
    reference.clear();
    const releasing = new Set<number>();
    for (const pod of running) {
      if (pod.noRelease) continue;
      const at = Math.max(now + 1, pod.release);
      profile.setRelease(pod.slot, asNode(pod.node), at, pod.requests);
      reference.setRelease(pod.slot, asNode(pod.node), at, pod.requests);
      release(pod, at);
      releasing.add(pod.slot);
    }
    for (let s = 0; s < slots; s++) if (!releasing.has(s)) noRelease(s);
    const still: Pod[] = [];
    for (const pod of waiting) {
      const admits = (n: NodeIndex): boolean => pod.admits[n] === 1 && schedulable[n] === 1;
      const fitsNow = (n: number): boolean => admits(asNode(n)) && cap[n]!.every((c, d) => used[n]![d]! + pod.requests[d]! <= c);
      const node = rng() < 0.5 ? [...Array(nodeCount).keys()].find(fitsNow) : undefined;
      if (node !== undefined) {
        for (let d = 0; d < dims; d++) used[node]![d]! += pod.requests[d]!;
        kept.placed(pod.slot as PodSlot, asNode(node));
        Object.assign(pod, { node, release: now + pod.length, noRelease: !Number.isFinite(pod.length) });
        running.push(pod);
        if (!pod.noRelease) {
          profile.setRelease(pod.slot, asNode(node), pod.release, pod.requests);
          reference.setRelease(pod.slot, asNode(node), pod.release, pod.requests);
          release(pod, pod.release);
        }
        continue;
      }
      still.push(pod);
      const got: Reservation | null = kept.earliest(pod.slot as PodSlot, pod.generation, pod.requests, pod.length, now, admits);
      const want = reference.earliest(pod.requests, pod.length, now, admits);
      expect(got, `seed ${seed}, pass ${pass}, pod ${pod.slot}`).toEqual(want);
      if (want === null) continue;
      profile.reserve(pod.slot, 0, pod.slot, want.node, want.start, want.start + pod.length, pod.requests);
      reference.reserve(pod.slot, 0, pod.slot, want.node, want.start, want.start + pod.length, pod.requests);
    }
    waiting = still;
  }
}

describe('kept reservations', () => {
  it('property: every answer equals a search of the whole profile', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => check(seed, 60)),
      { numRuns: runs(200) },
    );
  });
});
