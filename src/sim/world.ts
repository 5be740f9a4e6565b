/**
 * What every simulation component shares: the clock, the pod table, the
 * cluster's accounting, the placement policy and the observers. Components
 * read and change the world; they talk to each other only through the ports
 * the composition root (simulator.ts) wires.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import type { ClusterState } from '../model/cluster-state.js';
import { decideNode, INVALID_NODE } from '../schedulers/decide.js';
import { PodCursor } from '../schedulers/pod-view.js';
import type { PlacementPolicy } from '../schedulers/types.js';
import { EligibilityClasses } from './eligibility.js';
import type { Kernel } from './kernel.js';
import type { SimObserver } from './observer.js';
import { PodTable } from './pod-table.js';
import type { PodState } from './pod-table.js';

/** A policy broke its contract (for instance chose a node the pod does not fit). */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

export class World {
  /** Scheduling attempts: decisions asked of the placement policy, failed ones included. */
  attempts = 0;
  readonly pods = new PodTable();
  readonly eligibility: EligibilityClasses;
  private readonly cursor: PodCursor;

  constructor(
    readonly kernel: Kernel,
    readonly cluster: ClusterState,
    readonly policy: PlacementPolicy,
    readonly observers: readonly SimObserver[],
  ) {
    this.eligibility = new EligibilityClasses(cluster);
    this.cursor = new PodCursor(cluster);
  }

  /**
   * Registers a pod event type. Its handler runs only for the pod the event
   * was scheduled for (same slot generation) and, when `state` is given,
   * only while the pod is still in that state: every stale pod event is
   * recognised here, in one place.
   */
  onPod(handler: (slot: PodSlot) => void, state?: PodState): number {
    const { pods, kernel } = this;
    return kernel.on((slot, generation) => {
      if (pods.generation[slot] !== generation || (state !== undefined && pods.state[slot] !== state)) return;
      pods.warm(slot);
      kernel.touch();
      handler(slot as PodSlot);
    });
  }

  /** Schedules a pod event for the pod now in `slot`. */
  schedulePod(time: Micros, type: number, slot: PodSlot): void {
    this.kernel.schedule(time, type, slot, this.pods.generation[slot]!);
  }

  /** The reusable PodView pointed at the pod in `slot`. */
  view(slot: PodSlot): PodCursor {
    const p = this.pods;
    const view = this.cursor.point(
      slot,
      p.template[slot]!,
      p.requests[slot]!,
      p.arrival[slot]!,
      p.duration[slot]!,
      p.bindAt[slot]!,
      this.eligibility.classes[p.eligibility[slot]!]!.admits,
      p.volumes[slot]!,
    );
    view.usage = p.usage[slot];
    return view;
  }

  /** The policy's node for the pod, or NO_NODE; throws PolicyError if the policy breaks its contract. */
  decide(slot: PodSlot): NodeIndex {
    this.attempts++;
    const pod = this.view(slot);
    const node = decideNode(this.policy, pod, this.cluster);
    if (node === INVALID_NODE) {
      throw new PolicyError(`policy "${this.policy.name}" chose a node where pod ${this.pods.id[slot]} (${pod.template.owner}) does not fit`);
    }
    return node;
  }
}
