/**
 * A bench for unit tests of one simulation component at a time: a Kernel, a
 * World over a 1–4 node cluster built from NodeSpecs, a placement policy
 * (first-fit by default), a trace observer, and small fakes for the ports a
 * component talks through. Every fake writes `[seconds, event]` into the
 * bench's log, so a test asserts a trace, as SimPy's tests do.
 *
 * Pods get names; `name(slot)` gives the name of the pod now in a slot
 * (slots are reused, names are not).
 */
import { asNode } from '../../src/core/ids.js';
import type { Micros, NodeIndex, PodSlot } from '../../src/core/ids.js';
import { rngFor } from '../../src/core/random.js';
import type { NodeSpec } from '../../src/model/cluster.js';
import { ClusterState } from '../../src/model/cluster-state.js';
import type { Taint } from '../../src/model/labels.js';
import { CPU, MEMORY, PODS, ResourceSpace } from '../../src/model/resources.js';
import type { LocalVolumeSpec, VolumeClaimSpec } from '../../src/model/volumes.js';
import { firstFit } from '../../src/schedulers/first-fit.js';
import type { PlacementPolicy, PolicyFactory } from '../../src/schedulers/types.js';
import { Kernel } from '../../src/sim/kernel.js';
import type { SimObserver } from '../../src/sim/observer.js';
import { PodState } from '../../src/sim/pod-table.js';
import type { PodTable } from '../../src/sim/pod-table.js';
import type { QueuePort, SchedulingQueue } from '../../src/sim/queues/queue.js';
import { World } from '../../src/sim/world.js';
import { LONG_RUNNING } from '../../src/workload/pod.js';
import type { PodTemplate } from '../../src/workload/pod.js';

export const S = 1_000_000;
export const Gi = 2 ** 30;

/** One line of a trace: simulated time in seconds, and what happened. */
export type Line = [number, string];

/** A node: CPU in cores, memory in GiB (8 by default), max pods (110 by default). */
export interface NodeShape {
  readonly cpu: number;
  readonly memory?: number;
  readonly pods?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  readonly localVolumes?: readonly LocalVolumeSpec[];
}

export function nodeSpecs(space: ResourceSpace, shapes: readonly NodeShape[]): NodeSpec[] {
  return shapes.map((shape, i) => {
    const allocatable = space.zeros();
    allocatable[CPU] = shape.cpu * 1000;
    allocatable[MEMORY] = (shape.memory ?? 8) * Gi;
    allocatable[PODS] = shape.pods ?? 110;
    const name = `n${i}`;
    return {
      index: asNode(i),
      name,
      pool: 'n',
      zone: '',
      rack: '',
      labels: { 'kubernetes.io/hostname': name, ...shape.labels },
      taints: shape.taints ?? [],
      unschedulable: false,
      capacity: allocatable,
      allocatable,
      localVolumes: shape.localVolumes,
    };
  });
}

/** What a test pod is made of; CPU in cores, memory in GiB, durations in seconds (−1: runs until deleted). */
export interface PodShape {
  readonly cpu: number;
  readonly memory?: number;
  readonly seconds?: number;
  readonly priority?: number;
  readonly tenant?: string;
  readonly kind?: PodTemplate['kind'];
  readonly job?: number;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly volumeClaims?: readonly VolumeClaimSpec[];
  readonly terminationGracePeriodSeconds?: number;
}

export function template(owner: string, shape: Partial<PodShape> = {}): PodTemplate {
  return {
    owner,
    kind: shape.kind ?? 'stream',
    priority: shape.priority ?? 0,
    tenant: shape.tenant ?? 'default',
    labels: {},
    nodeSelector: shape.nodeSelector ?? {},
    tolerations: [],
    volumeClaims: shape.volumeClaims,
    terminationGracePeriodSeconds: shape.terminationGracePeriodSeconds,
    missingRequests: { cpu: false, memory: false },
  };
}

export class Bench {
  readonly kernel = new Kernel();
  readonly space = new ResourceSpace();
  readonly cluster: ClusterState;
  readonly world: World;
  readonly pods: PodTable;
  readonly policy: PlacementPolicy;
  readonly log: Line[] = [];
  /** Pod names by pod id. */
  private readonly names: string[] = [];
  private readonly calls: (() => void)[] = [];
  private readonly CALL: number;

  constructor(shapes: readonly NodeShape[], policy: PolicyFactory = firstFit, observers: readonly SimObserver[] = []) {
    this.cluster = new ClusterState(this.space, nodeSpecs(this.space, shapes));
    this.policy = policy({ cluster: this.cluster, rng: rngFor(1, 'policy') });
    this.world = new World(this.kernel, this.cluster, this.policy, [this.trace(), ...observers]);
    this.pods = this.world.pods;
    this.CALL = this.kernel.on((i) => this.calls[i]!(), 'timer');
  }

  /** Appends `[now in seconds, event]` to the log. */
  note(event: string): void {
    this.log.push([this.kernel.now / S, event]);
  }

  /** The name of the pod now in `slot`. */
  name(slot: number): string {
    const id = this.pods.id[slot]!;
    return this.names[id] ?? `pod${id}`;
  }

  /** Names the next pod the table creates (for pods a component creates through a fake port). */
  nameNext(name: string): void {
    this.names[this.pods.created] = name;
  }

  /** The requests vector of a shape: CPU in millicores, memory in bytes, one pod. */
  requests(shape: PodShape): Float64Array {
    const r = this.space.zeros();
    r[CPU] = shape.cpu * 1000;
    r[MEMORY] = (shape.memory ?? 0) * Gi;
    r[PODS] = 1;
    return r;
  }

  /** Adds a pod to the table (state Queued, arrival now), as pod lifecycle's create does, without announcing it. */
  pod(name: string, shape: PodShape, tmpl: PodTemplate = template(name, shape)): PodSlot {
    const duration = shape.seconds === undefined || shape.seconds < 0 ? LONG_RUNNING : shape.seconds * S;
    const volumes = tmpl.volumeClaims === undefined ? -1 : this.cluster.volumes.createSet(tmpl.volumeClaims);
    this.nameNext(name);
    return this.pods.add(tmpl, this.requests(shape), this.kernel.now, duration, this.world.eligibility.classOf(tmpl), shape.job ?? -1, volumes);
  }

  /** Holds a pod on `node` as the bind stage's place and commit do (reserved, Running, started now), telling the policy. */
  hold(slot: PodSlot, node: number): void {
    const p = this.pods;
    if (!this.cluster.reserve(asNode(node), p.requests[slot]!)) throw new Error(`${this.name(slot)} does not fit on n${node}`);
    p.state[slot] = PodState.Running;
    p.node[slot] = node;
    p.bindAt[slot] = this.kernel.now;
    p.startAt[slot] = this.kernel.now;
    this.policy.onBind?.(this.world.view(slot), asNode(node));
  }

  /** Takes a held pod's requests off its node and frees its slot, telling the policy; returns its node. */
  drop(slot: PodSlot): NodeIndex {
    const p = this.pods;
    const node = asNode(p.node[slot]!);
    this.cluster.unreserve(node, p.requests[slot]!);
    this.policy.onRelease?.(this.world.view(slot), node);
    p.remove(slot);
    return node;
  }

  /** Runs `fn` at `time` (a timer event). */
  at(time: Micros, fn: () => void): void {
    this.calls.push(fn);
    this.kernel.schedule(time, this.CALL, this.calls.length - 1);
  }

  /** Runs the kernel and returns the log. */
  run(until?: Micros): Line[] {
    this.kernel.run({ until });
    return this.log;
  }

  /** An observer that logs what the simulation reports. */
  private trace(): SimObserver {
    const pod = (what: string) => (slot: PodSlot, node: NodeIndex) => this.note(`${what} ${this.name(slot)} on n${node}`);
    return {
      podArrived: (slot) => this.note(`arrived ${this.name(slot)}`),
      podBound: pod('bound'),
      podStarted: pod('started'),
      podFinished: pod('finished'),
      podFailed: pod('failed'),
      podPreempted: pod('preempted'),
      podLost: pod('lost'),
      podRestarted: pod('restarted'),
      podEvicted: pod('evicted'),
      podUnschedulable: (slot) => this.note(`unschedulable ${this.name(slot)}`),
      podRejected: (slot, _now, reason) => this.note(`rejected ${this.name(slot)}: ${reason}`),
      jobFailed: () => this.note('job failed'),
      nodeFailed: (node) => this.note(`node n${node} failed`),
      nodeRepaired: (node) => this.note(`node n${node} repaired`),
    };
  }
}

/**
 * The queue port as a fake bind stage and kubelet: `place` logs, holds the
 * pod on the node and tells the queue (as the bind stage does); a pod with a
 * run time ends that much later (`end`: its requests leave, the queue hears
 * `unplaced` and `roomOpened`, as pod lifecycle does). `evict` logs; `alive`
 * answers `aliveValue`.
 */
export class FakeBinder implements QueuePort {
  queue!: SchedulingQueue;
  /** What `alive` answers: whether anything besides the queue's own timers may still happen. */
  aliveValue = false;
  private readonly END: number;

  constructor(private readonly bench: Bench) {
    this.END = bench.world.onPod((slot) => this.end(slot), PodState.Running);
  }

  place(slot: PodSlot, node: NodeIndex): void {
    const { bench } = this;
    bench.note(`place ${bench.name(slot)} on n${node}`);
    bench.hold(slot, node);
    this.queue.placed(slot, node, 0);
    const duration = bench.pods.duration[slot]!;
    if (duration >= 0) bench.world.schedulePod(bench.kernel.now + duration, this.END, slot);
  }

  evict(victim: PodSlot): void {
    this.bench.note(`evict ${this.bench.name(victim)}`);
  }

  alive(): boolean {
    return this.aliveValue;
  }

  /** A held pod leaves its node now: the queue hears of it as pod lifecycle tells it. */
  end(slot: PodSlot): void {
    const { bench } = this;
    bench.note(`end ${bench.name(slot)}`);
    this.queue.unplaced(slot);
    const node = bench.drop(slot);
    this.queue.roomOpened(node, bench.kernel.now);
  }
}
