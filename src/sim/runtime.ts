/**
 * The kubelet's side of starting a pod: after binding, its images are pulled
 * over the node's NIC (those the node does not have yet), kept in the node's
 * image cache on its local disk, and its containers start `containerStart`
 * later. Defaults follow the kubelet's (KubeletConfiguration v1beta1):
 * serializeImagePulls true (one pull at a time per node), image GC when the
 * disk passes imageGCHighThresholdPercent (85) down to
 * imageGCLowThresholdPercent (80), least recently used images first, never
 * an image a pod on the node uses. With parallel pulls, concurrent pulls on a
 * node share its bandwidth equally. When the contention model is built, the
 * pulls are one flow on the node's NIC beside its pods' traffic
 * (usage/pull-flow.ts): they want the pull bandwidth and get their max-min
 * share of the NIC. The node's image list (the cluster's
 * NodeImages, node.status.images for the scheduler) gains a pulled image
 * under the name the pod gave and loses a collected one.
 */
import type { Micros, NodeIndex, PodSlot } from '../core/ids.js';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { NIC, NVME } from '../model/resources.js';
import { PodState } from './pod-table.js';
import type { NicSharing, PullFlow } from './usage/pull-flow.js';
import type { World } from './world.js';

export interface RuntimeSettings {
  /** Bytes of each image, by name. */
  readonly imageSizes: ReadonlyMap<string, number>;
  readonly containerStart: Micros;
  readonly serializeImagePulls: boolean;
  /** Share of the node's NIC (bits/s) that pulls may use. */
  readonly pullShare: number;
  readonly gcHighPercent: number;
  readonly gcLowPercent: number;
}

interface Pull {
  readonly image: number;
  remaining: number;
  readonly waiters: PodSlot[];
  readonly generations: number[];
}

interface NodeImages {
  /** Image id → last time a pod started with it (LRU for GC). */
  readonly present: Map<number, Micros>;
  bytes: number;
  /** Pulls in flight, in the order they were asked for. */
  readonly pulls: Pull[];
  /** When the pulls' progress was last brought up to date. */
  since: Micros;
  /** Bumped at every change to the pulls, so a stale completion event is ignored. */
  epoch: number;
}

export class ContainerRuntime implements PullFlow {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly sizes: number[] = [];
  private readonly nodes: NodeImages[];
  /** Images used per pod template's images array, resolved once. */
  private readonly podImages = new Map<readonly string[], Int32Array>();
  /** Pods running per node and image: such images are never collected. */
  private readonly inUse: Map<number, number>[];
  /** Image bytes pulled per node over the run. */
  readonly pulled: Float64Array;
  private readonly PULL: number;
  private readonly START: number;
  /** The NIC's sharing with the pods, when contention is modelled; then `nicShare` holds what each node's pulls get, bits/s. */
  private sharing: NicSharing | null = null;
  private nicShare = new Float64Array(0);

  /** `start` starts a pod's containers on its node. */
  constructor(
    private readonly settings: RuntimeSettings,
    private readonly world: World,
    start: (slot: PodSlot, node: NodeIndex) => void,
  ) {
    const cluster = world.cluster;
    this.PULL = world.kernel.on((node, epoch) => this.pullDone(node as NodeIndex, epoch), 'timer');
    this.START = world.onPod((slot) => start(slot, world.pods.node[slot]! as NodeIndex), PodState.Running);
    for (const [name, size] of settings.imageSizes) this.idOf(name, size);
    this.nodes = cluster.nodes.map((node) => {
      const present = new Map<number, Micros>();
      let bytes = 0;
      for (const image of node.images ?? []) {
        for (const name of image.names) {
          const id = this.idOf(name, image.sizeBytes);
          if (!present.has(id)) {
            present.set(id, 0);
            bytes += this.sizes[id]!;
          }
        }
      }
      return { present, bytes, pulls: [], since: 0, epoch: 0 };
    });
    this.inUse = cluster.nodes.map(() => new Map());
    this.pulled = new Float64Array(cluster.nodeCount);
  }

  /** From now on pulls share each node's NIC with its pods. */
  shareNic(sharing: NicSharing): void {
    this.sharing = sharing;
    this.nicShare = new Float64Array(this.nodes.length);
    sharing.attachPulls(this);
  }

  pullRateChanged(node: NodeIndex, bitsPerSecond: number): void {
    const now = this.world.kernel.now;
    this.settle(node, now);
    this.nicShare[node] = bitsPerSecond;
    this.reschedule(node, now);
  }

  /** The pull bandwidth of the node, bits/s: its NIC × pullShare. */
  private pullBandwidth(node: NodeIndex): number {
    // The NIC the node has, not what an over-committed scheduler sees of it (cluster.overcommit).
    const bitsPerSecond = this.world.cluster.nodes[node]!.allocatable[NIC] ?? 0;
    return bitsPerSecond * this.settings.pullShare;
  }

  /** Tells the NIC's sharing whether the node's pulls want bandwidth now. */
  private demand(node: NodeIndex): void {
    if (this.sharing === null) return;
    const bandwidth = this.pullBandwidth(node);
    this.sharing.setPullDemand(node, this.nodes[node]!.pulls.length > 0 && bandwidth > 0 ? bandwidth : 0);
  }

  private idOf(name: string, size: number): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.sizes.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.sizes.push(size);
    }
    return id;
  }

  private imagesOf(slot: PodSlot): Int32Array {
    const names = this.world.pods.template[slot]!.images ?? [];
    let ids = this.podImages.get(names);
    if (ids === undefined) {
      ids = Int32Array.from(names, (n) => this.idOf(n, this.settings.imageSizes.get(n) ?? 0));
      this.podImages.set(names, ids);
    }
    return ids;
  }

  /** A pod was bound (or restarted) on `node`: pull what is missing, then start it. */
  launch(slot: PodSlot, node: NodeIndex): void {
    const n = this.nodes[node]!;
    const now = this.world.kernel.now;
    this.settle(node, now);
    let missing = 0;
    const generation = this.world.pods.generation[slot]!;
    for (const image of this.imagesOf(slot)) {
      if (n.present.has(image)) continue;
      missing++;
      let pull = n.pulls.find((p) => p.image === image);
      if (pull === undefined) {
        pull = { image, remaining: this.sizes[image]!, waiters: [], generations: [] };
        n.pulls.push(pull);
      }
      pull.waiters.push(slot);
      pull.generations.push(generation);
    }
    if (missing === 0) {
      this.started(slot, node, now);
      return;
    }
    this.waiting.set(slot, missing);
    this.demand(node);
    this.reschedule(node, now);
  }

  /** Images each waiting pod still lacks. */
  private readonly waiting = new Map<PodSlot, number>();

  /** Whether a pod waits for a pull (it will start, and later end). */
  busy(): boolean {
    return this.waiting.size > 0;
  }

  /** A bound pod left its node: before its images arrived, or after it started (unless it was lost with its node). */
  left(slot: PodSlot, node: NodeIndex, started: boolean, lost: boolean): void {
    if (!started) this.waiting.delete(slot);
    else if (!lost) this.released(slot, node);
  }

  /** Pull rate per active pull on the node, in bytes per µs: the pull bandwidth, or the pulls' share of the NIC, split equally. */
  private rate(node: NodeIndex, active: number): number {
    const bitsPerSecond = this.sharing === null ? this.pullBandwidth(node) : this.nicShare[node]!;
    const bytesPerMicro = bitsPerSecond / 8 / MICROS_PER_SECOND;
    return active > 0 ? bytesPerMicro / active : 0;
  }

  private active(n: NodeImages): number {
    return this.settings.serializeImagePulls ? Math.min(1, n.pulls.length) : n.pulls.length;
  }

  /** Brings the node's pulls' progress up to `now`. */
  private settle(node: NodeIndex, now: Micros): void {
    const n = this.nodes[node]!;
    const active = this.active(n);
    const dt = now - n.since;
    n.since = now;
    if (dt <= 0 || active === 0) return;
    const done = this.rate(node, active) * dt;
    for (let i = 0; i < active; i++) n.pulls[i]!.remaining = Math.max(0, n.pulls[i]!.remaining - done);
  }

  /** Schedules the next pull completion on the node. */
  private reschedule(node: NodeIndex, now: Micros): void {
    const n = this.nodes[node]!;
    n.epoch++;
    const active = this.active(n);
    if (active === 0) return;
    const rate = this.rate(node, active);
    if (rate <= 0) return; // a node without NIC capacity never finishes a pull
    let least = Infinity;
    for (let i = 0; i < active; i++) least = Math.min(least, n.pulls[i]!.remaining);
    this.world.kernel.schedule(now + Math.ceil(least / rate), this.PULL, node, n.epoch);
  }

  /** A pull may have finished on the node. */
  private pullDone(node: NodeIndex, epoch: number): void {
    const n = this.nodes[node]!;
    if (n.epoch !== epoch) return;
    const { kernel, pods, observers } = this.world;
    const now = kernel.now;
    this.settle(node, now);
    const active = this.active(n);
    // Rounding to whole µs: a pull within a byte of done is done.
    const finished = n.pulls.slice(0, active).filter((p) => p.remaining < 1);
    for (const pull of finished) {
      n.pulls.splice(n.pulls.indexOf(pull), 1);
      n.present.set(pull.image, now);
      n.bytes += this.sizes[pull.image]!;
      this.world.cluster.images.add(node, this.names[pull.image]!, this.sizes[pull.image]!);
      this.pulled[node]! += this.sizes[pull.image]!;
      for (const o of observers) o.imagePulled?.(node, this.sizes[pull.image]!, now);
      pull.waiters.forEach((slot, i) => {
        // Still the pod that waits: same occupant of the slot, still bound there.
        if (pods.generation[slot] !== pull.generations[i] || pods.state[slot] !== PodState.Running) return;
        const left = (this.waiting.get(slot) ?? 1) - 1;
        if (left > 0) this.waiting.set(slot, left);
        else {
          this.waiting.delete(slot);
          this.started(slot, node, now);
        }
      });
    }
    this.collect(node);
    if (n.pulls.length === 0) this.demand(node);
    this.reschedule(node, now);
  }

  private started(slot: PodSlot, node: NodeIndex, now: Micros): void {
    const used = this.inUse[node]!;
    const present = this.nodes[node]!.present;
    for (const image of this.imagesOf(slot)) {
      used.set(image, (used.get(image) ?? 0) + 1);
      present.set(image, now);
    }
    this.world.schedulePod(now + this.settings.containerStart, this.START, slot);
  }

  /** A pod that had started left the node: its images may be collected again. */
  private released(slot: PodSlot, node: NodeIndex): void {
    const used = this.inUse[node]!;
    for (const image of this.imagesOf(slot)) {
      const k = (used.get(image) ?? 0) - 1;
      if (k > 0) used.set(image, k);
      else used.delete(image);
    }
  }

  /** The node failed: its pulls stop (the pods waiting on them are lost). */
  nodeFailed(node: NodeIndex): void {
    const n = this.nodes[node]!;
    for (const pull of n.pulls) for (const slot of pull.waiters) this.waiting.delete(slot);
    n.pulls.length = 0;
    n.epoch++;
    this.inUse[node]!.clear();
    this.demand(node);
  }

  /**
   * Image garbage collection: when images and local volumes fill the disk
   * past the high threshold, least recently used images no pod on the node
   * uses are deleted until usage is at the low threshold.
   */
  private collect(node: NodeIndex): void {
    const disk = this.world.cluster.allocatable[NVME]?.[node] ?? 0;
    if (disk <= 0) return;
    const n = this.nodes[node]!;
    const volumes = this.world.cluster.requested[NVME]![node]!;
    const usage = (): number => ((n.bytes + volumes) / disk) * 100;
    if (usage() <= this.settings.gcHighPercent) return;
    const used = this.inUse[node]!;
    const candidates = [...n.present.entries()].filter(([id]) => !used.has(id)).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [id] of candidates) {
      if (usage() <= this.settings.gcLowPercent) break;
      n.present.delete(id);
      n.bytes -= this.sizes[id]!;
      this.world.cluster.images.remove(node, this.names[id]!);
    }
  }
}
