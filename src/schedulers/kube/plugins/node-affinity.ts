/**
 * NodeAffinity (plugins/nodeaffinity/node_affinity.go).
 *
 * Filter: the node must match the profile's `addedAffinity` required terms
 * ("node(s) didn't match scheduler-enforced node affinity"), then the pod's
 * nodeSelector and required node affinity ("node(s) didn't match Pod's node
 * affinity/selector"); both UnschedulableAndUnresolvable.
 * Score: the sum of the weights of the preferred terms the node matches,
 * `addedAffinity`'s and the pod's alike, normalized to 0…100 by the largest
 * sum. PreFilter skips a pod without a nodeSelector or required affinity when
 * addedAffinity has no required terms; PreScore skips a pod without
 * preferred terms when addedAffinity has none.
 */
import { z } from 'zod';
import { matchesRequiredAffinity, matchesTerm } from '../../../model/affinity.js';
import type { Affinity, NodeAffinity, PreferredSchedulingTerm } from '../../../model/affinity.js';
import { matchesSelector } from '../../../model/labels.js';
import type { Labels } from '../../../model/labels.js';
import { nodeAffinitySchema } from '../../../model/pod-schema.js';
import { EVENT_NODE_ADD } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { defaultNormalizeScore, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodeAffinity';
/** Filter codes: the pod's own selector or affinity; the profile's addedAffinity. */
const REJECTED = 1;
const ENFORCED = 2;

/** NodeAffinityArgs (ValidateNodeAffinityArgs: addedAffinity parsed as a node selector and preferred terms). */
export const argsSchema = z.strictObject({ addedAffinity: nodeAffinitySchema.optional() });

/** Whether a label map is empty, without building its key list. */
function isEmpty(labels: object): boolean {
  for (const _ in labels) return false;
  return true;
}

/** PreferredSchedulingTerms.Score: the weights of the terms the labels match (a term of weight 0 counts for nothing). */
function preferredScore(terms: readonly PreferredSchedulingTerm[], labels: Labels): number {
  let sum = 0;
  for (const term of terms) if (term.weight !== 0 && matchesTerm(term.preference, labels)) sum += term.weight;
  return sum;
}

export const nodeAffinity: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  const added: NodeAffinity | undefined = argsSchema.parse(rawArgs ?? {}).addedAffinity;
  const nodes = cluster.view.nodes;
  // The added required terms as an affinity matchesRequiredAffinity reads, and whether each node matches them.
  const addedRequired: Affinity | undefined =
    added?.requiredDuringSchedulingIgnoredDuringExecution === undefined
      ? undefined
      : { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: added.requiredDuringSchedulingIgnoredDuringExecution } };
  const enforced = addedRequired === undefined ? null : Uint8Array.from(nodes, (n) => (matchesRequiredAffinity(addedRequired, n.labels) ? 1 : 0));
  const addedPreferred = added?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const addedScore = addedPreferred.length === 0 ? null : Float64Array.from(nodes, (n) => preferredScore(addedPreferred, n.labels));
  return {
    name: NAME,
    preFilterNeverRejects: true,
    preFilter(pod) {
      const required = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      return required === undefined && enforced === null && isEmpty(pod.nodeSelector) ? SKIP : SUCCESS;
    },
    filter(pod, node) {
      if (enforced !== null && enforced[node] === 0) return ENFORCED;
      const labels = nodes[node]!.labels;
      return matchesSelector(pod.nodeSelector, labels) && matchesRequiredAffinity(pod.affinity, labels) ? SUCCESS : REJECTED;
    },
    unresolvable: () => true,
    // EventsToRegister: Node/Add and UpdateNodeLabel (labels do not change during a run);
    // isSchedulableAfterNodeChange queues for a node that matches addedAffinity and the pod's required affinity.
    events: { queue: 0, hint: EVENT_NODE_ADD },
    queueingHint(pod, event) {
      if (enforced !== null && enforced[event.node] === 0) return false;
      const labels = nodes[event.node]!.labels;
      return matchesSelector(pod.nodeSelector, labels) && matchesRequiredAffinity(pod.affinity, labels);
    },
    reason: (code) => (code === ENFORCED ? "node(s) didn't match scheduler-enforced node affinity" : "node(s) didn't match Pod's node affinity/selector"),
    preScore(pod) {
      const preferred = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      return (preferred === undefined || preferred.length === 0) && addedScore === null ? SKIP : SUCCESS;
    },
    score(pod, node) {
      const own = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      return (addedScore === null ? 0 : addedScore[node]!) + (own === undefined ? 0 : preferredScore(own, nodes[node]!.labels));
    },
    normalizeScore(_pod, scores, _nodes, count) {
      defaultNormalizeScore(scores, count, false);
    },
  };
};
