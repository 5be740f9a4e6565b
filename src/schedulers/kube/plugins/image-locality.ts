/**
 * ImageLocality (plugins/imagelocality/image_locality.go): prefers nodes that
 * already have the pod's images, by their size scaled by how widely they are
 * spread (an image on every node says little about where to go):
 *
 *   sum   = Σ over the pod's images the node has: trunc(size · numNodes / totalNodes)
 *   sum  := clamp(sum, 23 MiB, 1000 MiB × containers)
 *   score = trunc(100 · (sum − 23 MiB) / (1000 MiB × containers − 23 MiB))
 *
 * No NormalizeScore. Image states (size from the first node that lists a name,
 * the number of nodes listing it) come from node.status.images, which does not
 * change during a run.
 */
import type { KubeCluster } from '../cluster.js';
import { MAX_NODE_SCORE } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'ImageLocality';
const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName: an image named without a tag is ":latest" (a digest or a tag after the last "/" is kept). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** The score of an image sum for a pod of `containers` containers. */
export function imageLocalityScore(sum: number, containers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * containers;
  const clamped = sum < MIN_THRESHOLD ? MIN_THRESHOLD : sum > max ? max : sum;
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

export const imageLocality: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  const nodes = cluster.view.nodes;
  const total = nodes.length;
  // Image states by name: an id, the size of the first node listing the name, and which nodes list it.
  const ids = new Map<string, number>();
  const sizes: number[] = [];
  const present: Uint8Array[] = [];
  for (const node of nodes) {
    for (const image of node.images ?? []) {
      for (const name of image.names) {
        let id = ids.get(name);
        if (id === undefined) {
          id = sizes.length;
          ids.set(name, id);
          sizes.push(image.sizeBytes);
          present.push(new Uint8Array(total));
        }
        present[id]![node.index] = 1;
      }
    }
  }
  // scaledImageScore: int64(float64(size) · (float64(numNodes) / float64(totalNodes))).
  const scaled = sizes.map((size, id) => Math.trunc(size * (present[id]!.reduce((a, b) => a + b, 0) / total)));
  // Per images array (a template's pods share one): the ids of the images some node has.
  const podIds = new WeakMap<readonly string[], Int32Array>();
  const idsOf = (images: readonly string[]): Int32Array => {
    let out = podIds.get(images);
    if (out === undefined) {
      out = Int32Array.from(images.map((i) => ids.get(normalizedImageName(i)) ?? -1).filter((id) => id >= 0));
      podIds.set(images, out);
    }
    return out;
  };
  const score = (images: readonly string[], known: Int32Array, node: number): number => {
    let sum = 0;
    for (let k = 0; k < known.length; k++) if (present[known[k]!]![node] === 1) sum += scaled[known[k]!]!;
    return imageLocalityScore(sum, images.length);
  };
  return {
    name: NAME,
    score: (pod, node) => (pod.images.length === 0 ? 0 : score(pod.images, idsOf(pod.images), node)),
    uniformScore: (pod) => pod.images.length === 0,
    scoreNodes(pod, candidates, count, out) {
      const known = pod.images.length === 0 ? undefined : idsOf(pod.images);
      // A pod none of whose images any node has scores 0 everywhere (the sum clamps to the minimum).
      if (known === undefined || known.length === 0) {
        out.fill(0, 0, count);
        return;
      }
      for (let i = 0; i < count; i++) out[i] = score(pod.images, known, candidates[i]!);
    },
  };
};
