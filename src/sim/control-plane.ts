/**
 * The API server and its datastore as a queue for writes. A pod exists for
 * the scheduler only once its creation is written, and starts on its node
 * only once its binding is written. Two client-side token buckets (client-go's
 * rate limiter) come first: the controller manager's (--kube-api-qps 20,
 * --kube-api-burst 30) for the pods its controllers create, and the
 * scheduler's (KubeSchedulerConfiguration clientConnection qps 50, burst 100)
 * for bindings. The datastore then serves writes in arrival order at most
 * `maxWriteRate` per second, each taking `writeLatency`.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { PodState } from './pod-table.js';
import type { World } from './world.js';

export interface ControlPlaneSettings {
  readonly controllerQps: number;
  readonly controllerBurst: number;
  readonly schedulerQps: number;
  readonly schedulerBurst: number;
  /** Datastore writes per second at most. */
  readonly maxWriteRate: number;
  /** Time from a write reaching the datastore to its commit, at low load. */
  readonly writeLatency: Micros;
}

/** client-go's token bucket: `burst` tokens, refilled at `qps` per second; requests wait for a token in order. */
export class TokenBucket {
  private tokens: number;
  private last: Micros = 0;
  /** When the last granted request was allowed to go (requests keep their order). */
  private lastGrant: Micros = 0;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** When a request made at `now` may go. */
  acquire(now: Micros): Micros {
    const at = Math.max(now, this.lastGrant);
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) * this.qps) / MICROS_PER_SECOND);
    this.last = at;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.lastGrant = at;
      return at;
    }
    const wait = Math.ceil(((1 - this.tokens) * MICROS_PER_SECOND) / this.qps);
    this.tokens = 0;
    this.last = at + wait;
    this.lastGrant = at + wait;
    return at + wait;
  }
}

/** The datastore: writes committed in the order they arrive, one per 1/maxWriteRate s, each `writeLatency` after it starts. */
export class Datastore {
  private free: Micros = 0;
  private readonly spacing: Micros;

  constructor(private readonly settings: ControlPlaneSettings) {
    this.spacing = Math.max(1, Math.round(MICROS_PER_SECOND / settings.maxWriteRate));
  }

  /** When a write reaching the datastore at `now` (in time order) is committed. */
  write(now: Micros): Micros {
    const start = Math.max(now, this.free);
    this.free = start + this.spacing;
    return start + this.settings.writeLatency;
  }
}

/**
 * Pod creations and bindings written through the API server: each waits for
 * its client's token, then for the datastore; the scheduler sees a pod once
 * its creation is committed, and the kubelet takes it once its binding is.
 */
export class ApiServer {
  private readonly controller: TokenBucket;
  private readonly scheduler: TokenBucket;
  private readonly store: Datastore;
  private readonly CREATE_SEND: number;
  private readonly CREATED: number;
  private readonly BIND_SEND: number;
  private readonly BOUND: number;

  /** `created` hands a committed pod to the scheduler; `bound` to its node's kubelet. */
  constructor(
    settings: ControlPlaneSettings,
    private readonly world: World,
    created: (slot: PodSlot) => void,
    bound: (slot: PodSlot, node: NodeIndex) => void,
  ) {
    this.controller = new TokenBucket(settings.controllerQps, settings.controllerBurst);
    this.scheduler = new TokenBucket(settings.schedulerQps, settings.schedulerBurst);
    this.store = new Datastore(settings);
    const kernel = world.kernel;
    // A request reaches the datastore whatever became of its pod; the commit is what the pod may have outlived.
    this.CREATE_SEND = kernel.on((slot, generation) => kernel.schedule(this.store.write(kernel.now), this.CREATED, slot, generation));
    this.CREATED = world.onPod((slot) => created(slot));
    this.BIND_SEND = kernel.on((slot, generation) => kernel.schedule(this.store.write(kernel.now), this.BOUND, slot, generation));
    this.BOUND = world.onPod((slot) => bound(slot, world.pods.node[slot]! as NodeIndex), PodState.Running);
  }

  /** Writes a new pod; controllers' pods wait for the controller manager's rate limit first. */
  create(slot: PodSlot, viaController: boolean): void {
    const now = this.world.kernel.now;
    this.world.schedulePod(viaController ? this.controller.acquire(now) : now, this.CREATE_SEND, slot);
  }

  /** Writes a binding the scheduler made (it assumed the pod on the node already). */
  bind(slot: PodSlot): void {
    this.world.schedulePod(this.scheduler.acquire(this.world.kernel.now), this.BIND_SEND, slot);
  }
}
