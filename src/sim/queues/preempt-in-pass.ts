/**
 * PostFilter under the pass disciplines (kube.ts runs it in its cycle):
 * after a pod found no node, a policy that preempts in passes may name
 * lower-priority victims on a nominated node; they are deleted now and leave
 * after their grace period, and the pod waits for the room like any other.
 */
import type { NodeIndex, PodSlot } from '../../core/ids.js';
import type { World } from '../world.js';

/** Runs PostFilter for a pod that found no node: `nominate` first, then every victim is evicted. */
export type PassPreemption = (slot: PodSlot) => void;

export function passPreemption(world: World, evict: (victim: PodSlot) => void, nominate: (slot: PodSlot, node: NodeIndex) => void): PassPreemption {
  const { policy, cluster } = world;
  if (policy.postFilter === undefined || policy.preemptInPasses !== true) return () => {};
  return (slot) => {
    const preemption = policy.postFilter!(world.view(slot), cluster);
    const victims = preemption?.victims ?? [];
    // Nominated before the victims go, so the room they leave wakes the preemptor first.
    if (victims.length > 0) nominate(slot, preemption!.node);
    for (const v of victims) evict(v as PodSlot);
  };
}
