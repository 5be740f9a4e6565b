/**
 * Gang scheduling, modelled on the scheduler-plugins coscheduling plugin
 * (PodGroup CRD, KEP 42): a placed pod of a gang waits at Permit, its
 * requests held on its node, until minMember pods of the group are placed;
 * then all are bound. A wait over the group's scheduleTimeoutSeconds rejects
 * the waiting pods: they give their room back and are retried after the next
 * release elsewhere in the cluster — not their own, or a gang that can never
 * fit would retry forever. Once a gang has started, later pods of its Job
 * are bound as they are placed.
 */
import type { Micros, NodeIndex, PodSlot } from '../../core/ids.js';
import { asNode } from '../../core/ids.js';
import type { GangSpec } from '../../workload/pod.js';
import { PodState } from '../pod-table.js';
import type { World } from '../world.js';

export interface GangPort {
  /** The Job's gang, if it has one. */
  gangOf(job: number): GangSpec | undefined;
  /** Binds a pod that may go on (Permit allowed it). */
  commit(slot: PodSlot, node: NodeIndex): void;
  /** Takes a waiting pod's requests off its node. */
  unbind(slot: PodSlot, node: NodeIndex): void;
  /** Room opened on `node` because a gang's wait ended there (not for that gang's own retry). */
  roomOpened(node: NodeIndex, now: Micros): void;
  /** Queues a pod again. */
  enqueue(slot: PodSlot): void;
}

interface GangState {
  /** The gang's pods placed and waiting for the rest (slots). */
  readonly waiting: number[];
  /** The gang has had minMember pods placed together: later pods start as they are placed. */
  started: boolean;
  /** Bumped when the gang's wait ends (started or timed out), so a stale timeout is ignored. */
  epoch: number;
  /** Pods of a timed-out wait, as (slot, generation) pairs, until they are queued again. */
  readonly rejected: number[];
}

export class Gangs {
  private readonly gangs = new Map<number, GangState>();
  /** Jobs whose gang's wait ended: their pods wait for the next release in the cluster. */
  private readonly rejectedJobs: number[] = [];
  private readonly TIMEOUT: number;

  constructor(
    private readonly world: World,
    private readonly port: GangPort,
  ) {
    this.TIMEOUT = world.kernel.on((job, epoch) => this.timeout(job, epoch));
  }

  /** Permit: a pod of a gang that has not started waits for the rest; any other pod is bound. */
  permit(slot: PodSlot, node: NodeIndex): void {
    const job = this.world.pods.job[slot]!;
    const spec = job < 0 ? undefined : this.port.gangOf(job);
    const state = spec === undefined ? undefined : this.stateOf(job);
    if (state === undefined || state.started) {
      this.port.commit(slot, node);
      return;
    }
    this.world.pods.state[slot] = PodState.Waiting;
    state.waiting.push(slot);
    if (state.waiting.length >= spec!.minMember) {
      state.started = true;
      state.epoch++;
      for (const s of state.waiting) this.port.commit(s as PodSlot, asNode(this.world.pods.node[s]!));
      state.waiting.length = 0;
      return;
    }
    if (state.waiting.length === 1) this.world.kernel.schedule(this.world.kernel.now + spec!.timeout, this.TIMEOUT, job, state.epoch);
  }

  /** A pod its gang's wait holds (not bound) is gone from under it (a preemption victim, a NotReady node): the gang's wait ends. */
  rejectWaitOf(slot: PodSlot): void {
    const job = this.world.pods.job[slot]!;
    if (this.world.pods.state[slot] === PodState.Waiting && job >= 0) this.reject(job);
  }

  /** After a release in the cluster: the pods of gangs whose wait ended try again. */
  retryRejected(): void {
    if (this.rejectedJobs.length === 0) return;
    const p = this.world.pods;
    for (const job of this.rejectedJobs.splice(0)) {
      const rejected = this.gangs.get(job)!.rejected;
      for (let i = 0; i < rejected.length; i += 2) {
        const slot = rejected[i]! as PodSlot;
        if (p.generation[slot] === rejected[i + 1] && p.state[slot] === PodState.Parked) this.port.enqueue(slot);
      }
      rejected.length = 0;
    }
  }

  private stateOf(job: number): GangState {
    let state = this.gangs.get(job);
    if (state === undefined) {
      state = { waiting: [], started: false, epoch: 0, rejected: [] };
      this.gangs.set(job, state);
    }
    return state;
  }

  private timeout(job: number, epoch: number): void {
    const state = this.gangs.get(job)!;
    if (state.epoch !== epoch || state.started) return;
    this.world.kernel.touch();
    this.reject(job);
  }

  /** Ends a gang's wait without binding: the waiting pods give their room back and wait for a release elsewhere. */
  private reject(job: number): void {
    const state = this.gangs.get(job)!;
    state.epoch++;
    const { kernel, pods: p, observers } = this.world;
    const now = kernel.now;
    const rejected = state.waiting.splice(0);
    for (const s of rejected) {
      const slot = s as PodSlot;
      this.port.unbind(slot, asNode(p.node[slot]!));
      p.state[slot] = PodState.Parked;
      p.attempts[slot]!++;
      for (const o of observers) o.podUnschedulable?.(slot, now);
    }
    // The room goes to other waiting pods first.
    for (const s of rejected) this.port.roomOpened(asNode(p.node[s]!), now);
    for (const s of rejected) state.rejected.push(s, p.generation[s]!);
    this.rejectedJobs.push(job);
  }
}
