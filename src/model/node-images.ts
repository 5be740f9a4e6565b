/**
 * The container images on each node, as node.status.images lists them: every
 * image under each of its names, with its size. A pool's `images` are there
 * from the start; when a container runtime is modelled, an image the kubelet
 * pulls is added under the name the pod gave, and one its image garbage
 * collection deletes is removed. ImageLocality reads it as the scheduler's
 * snapshot holds it (NodeInfo.ImageStates: per name, its size and the number
 * of nodes that have it).
 */
import type { NodeIndex } from '../core/ids.js';
import type { NodeImage } from './container.js';

/** What a policy may read. */
export interface NodeImagesView {
  /** The id of an image name some node has had, or −1. Ids are never reused. */
  idOf(name: string): number;
  /** How many names have ids (grows as images appear). */
  readonly names: number;
  /** The size of an image, in bytes (the first size listed under its name). */
  size(id: number): number;
  /** How many nodes have the image now. */
  nodesWith(id: number): number;
  /** Whether the node has the image now. */
  has(id: number, node: NodeIndex): boolean;
}

export class NodeImages implements NodeImagesView {
  private readonly ids = new Map<string, number>();
  private readonly sizes: number[] = [];
  private readonly present: Uint8Array[] = [];
  private readonly count: number[] = [];

  constructor(
    private readonly nodeCount: number,
    initial: readonly (readonly NodeImage[] | undefined)[] = [],
  ) {
    initial.forEach((images, node) => {
      for (const image of images ?? []) for (const name of image.names) this.add(node as NodeIndex, name, image.sizeBytes);
    });
  }

  get names(): number {
    return this.sizes.length;
  }

  idOf(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  size(id: number): number {
    return this.sizes[id]!;
  }

  nodesWith(id: number): number {
    return this.count[id]!;
  }

  has(id: number, node: NodeIndex): boolean {
    return this.present[id]![node] === 1;
  }

  /** The node now has the image under `name` (pulled, or there from the start); nothing changes if it had it. */
  add(node: NodeIndex, name: string, sizeBytes: number): void {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.sizes.length;
      this.ids.set(name, id);
      this.sizes.push(sizeBytes);
      this.present.push(new Uint8Array(this.nodeCount));
      this.count.push(0);
    }
    if (this.present[id]![node] === 1) return;
    this.present[id]![node] = 1;
    this.count[id]!++;
  }

  /** The node no longer has the image under `name` (garbage-collected). */
  remove(node: NodeIndex, name: string): void {
    const id = this.ids.get(name);
    if (id === undefined || this.present[id]![node] === 0) return;
    this.present[id]![node] = 0;
    this.count[id]!--;
  }
}
