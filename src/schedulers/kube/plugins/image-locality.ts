/**
 * ImageLocality (plugins/imagelocality/image_locality.go): prefers nodes that
 * already have the pod's images, by their size scaled by how widely they are
 * spread (an image on every node says little about where to go):
 *
 *   sum   = Σ over the pod's images the node has: trunc(size · numNodes / totalNodes)
 *   sum  := clamp(sum, 23 MiB, 1000 MiB × containers)
 *   score = trunc(100 · (sum − 23 MiB) / (1000 MiB × containers − 23 MiB))
 *
 * No NormalizeScore. The images are those on each node at the time of the
 * cycle (the cluster's NodeImages: a pool's images, plus what the kubelet has
 * pulled and not garbage-collected when a container runtime is modelled);
 * numNodes counts the nodes that have an image under that name then.
 */
import type { NodeIndex } from '../../../core/ids.js';
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
  const images = cluster.view.images;
  const total = cluster.view.nodeCount;
  // Per images array (a template's pods share one): the id of each normalized name (−1: no node has had it),
  // and how many names the cluster knew then (a new name may be one of them).
  const podIds = new WeakMap<readonly string[], { ids: Int32Array; names: number }>();
  const idsOf = (list: readonly string[]): Int32Array => {
    let entry = podIds.get(list);
    if (entry === undefined || (entry.names !== images.names && entry.ids.includes(-1))) {
      entry = { ids: Int32Array.from(list, (i) => images.idOf(normalizedImageName(i))), names: images.names };
      podIds.set(list, entry);
    }
    return entry.ids;
  };
  const score = (ids: Int32Array, node: NodeIndex): number => {
    let sum = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      // scaledImageScore: int64(float64(size) · (float64(numNodes) / float64(totalNodes))).
      if (id >= 0 && images.has(id, node)) sum += Math.trunc(images.size(id) * (images.nodesWith(id) / total));
    }
    return imageLocalityScore(sum, ids.length);
  };
  /** Whether no node has any of the pod's images: the sum clamps to the minimum everywhere, 0. */
  const nowhere = (ids: Int32Array): boolean => {
    for (let k = 0; k < ids.length; k++) if (ids[k]! >= 0 && images.nodesWith(ids[k]!) > 0) return false;
    return true;
  };
  return {
    name: NAME,
    score: (pod, node) => (pod.images.length === 0 ? 0 : score(idsOf(pod.images), node)),
    uniformScore: (pod) => pod.images.length === 0,
    scoreNodes(pod, candidates, count, out) {
      const ids = pod.images.length === 0 ? undefined : idsOf(pod.images);
      if (ids === undefined || nowhere(ids)) {
        out.fill(0, 0, count);
        return;
      }
      for (let i = 0; i < count; i++) out[i] = score(ids, candidates[i]! as NodeIndex);
    },
  };
};
