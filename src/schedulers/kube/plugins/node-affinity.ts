/**
 * NodeAffinity (plugins/nodeaffinity/node_affinity.go).
 * Filter: the pod's nodeSelector and required node affinity must match.
 * Score: the sum of the weights of the preferred terms the node matches,
 * normalized to 0…100 by the largest sum.
 */
import { matchesRequiredAffinity, matchesTerm } from '../../../model/affinity.js';
import { matchesSelector } from '../../../model/labels.js';
import type { KubeCluster } from '../cluster.js';
import { defaultNormalizeScore, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodeAffinity';
const REJECTED = 1;

/** Whether a label map is empty, without building its key list. */
function isEmpty(labels: object): boolean {
  for (const _ in labels) return false;
  return true;
}

export const nodeAffinity: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  const nodes = cluster.view.nodes;
  return {
    name: NAME,
    preFilter(pod) {
      const required = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      return required === undefined && isEmpty(pod.nodeSelector) ? SKIP : SUCCESS;
    },
    filter(pod, node) {
      const labels = nodes[node]!.labels;
      return matchesSelector(pod.nodeSelector, labels) && matchesRequiredAffinity(pod.affinity, labels) ? SUCCESS : REJECTED;
    },
    unresolvable: () => true,
    reason: () => "node(s) didn't match Pod's node affinity/selector",
    preScore(pod) {
      const preferred = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      return preferred === undefined || preferred.length === 0 ? SKIP : SUCCESS;
    },
    score(pod, node) {
      const labels = nodes[node]!.labels;
      let sum = 0;
      for (const term of pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (term.weight !== 0 && matchesTerm(term.preference, labels)) sum += term.weight;
      }
      return sum;
    },
    normalizeScore(_pod, scores, _nodes, count) {
      defaultNormalizeScore(scores, count, false);
    },
  };
};
