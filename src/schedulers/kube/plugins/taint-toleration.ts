/**
 * TaintToleration (plugins/tainttoleration/taint_toleration.go).
 * Filter: every NoSchedule/NoExecute taint must be tolerated. A node out of
 * the cluster's schedulable mask (NotReady after a failure, or not joined
 * yet) carries node.kubernetes.io/unreachable:NoSchedule, which the node
 * lifecycle controller adds (pkg/controller/nodelifecycle,
 * UnreachableTaintTemplate); no pod is placed there in the simulation, so it
 * rejects every pod.
 * Score: the number of PreferNoSchedule taints the pod does not tolerate
 * (counting only its tolerations whose effect is absent, "" or
 * PreferNoSchedule: getAllTolerationPreferNoSchedule),
 * normalized in reverse, so fewer untolerated taints score higher.
 */
import type { NodeIndex } from '../../../core/ids.js';
import { toleratesAll, toleratesTaint } from '../../../model/labels.js';
import type { Toleration } from '../../../model/labels.js';
import { EVENT_NODE_ADD, EVENT_NODE_TAINT } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { defaultNormalizeScore, SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'TaintToleration';

/** The rejection code for a node tainted node.kubernetes.io/unreachable (taints on the node spec are numbered from 1). */
const UNREACHABLE = 0x10000;

export const taintToleration: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  const nodes = cluster.view.nodes;
  // Which nodes have taints that filter (NoSchedule, NoExecute) or score (PreferNoSchedule), so untainted nodes cost nothing.
  const hard = Uint8Array.from(nodes, (n) => (n.taints.some((t) => t.effect !== 'PreferNoSchedule') ? 1 : 0));
  const soft = Uint8Array.from(nodes, (n) => (n.taints.some((t) => t.effect === 'PreferNoSchedule') ? 1 : 0));
  const preferTolerations: Toleration[] = [];
  const anyHard = hard.includes(1);
  const anySoft = soft.includes(1);
  const view = cluster.view;
  const schedulable = view.schedulable;
  return {
    name: NAME,
    preFilterNeverRejects: true,
    // Not an upstream PreFilter: with no NoSchedule/NoExecute taint anywhere the Filter always passes, so it is skipped.
    preFilter: () => (anyHard || view.unschedulableCount > 0 ? SUCCESS : SKIP),
    filter(pod, node) {
      if (schedulable[node] === 0) return UNREACHABLE;
      if (hard[node] === 0) return SUCCESS;
      const taints = nodes[node]!.taints;
      for (let i = 0; i < taints.length; i++) {
        const taint = taints[i]!;
        if (taint.effect === 'PreferNoSchedule') continue;
        if (!pod.tolerations.some((t) => toleratesTaint(t, taint))) return i + 1;
      }
      return SUCCESS;
    },
    unresolvable: () => true,
    // EventsToRegister: Node/Add and UpdateNodeTaint. isSchedulableAfterNodeChange queues when the node's
    // NoSchedule/NoExecute taints were not all tolerated before (nothing before an added node; a repaired
    // node had the unreachable taint, which rejects every pod here) and are now.
    events: { queue: 0, hint: EVENT_NODE_ADD | EVENT_NODE_TAINT },
    queueingHint: (pod, event) => toleratesAll(pod.tolerations, nodes[event.node]!.taints),
    reason(code) {
      if (code === UNREACHABLE) return 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }';
      return `node(s) had untolerated taint(s) (taint #${code})`;
    },
    preScore(pod) {
      preferTolerations.length = 0;
      for (const t of pod.tolerations) if (t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule') preferTolerations.push(t);
      return SUCCESS;
    },
    uniformScore: () => !anySoft,
    scoreNodes(pod, nodes, count, out) {
      if (!anySoft) out.fill(0, 0, count);
      else for (let i = 0; i < count; i++) out[i] = this.score!(pod, nodes[i]! as NodeIndex);
    },
    score(_pod, node) {
      if (soft[node] === 0) return 0;
      let count = 0;
      for (const taint of nodes[node]!.taints) {
        if (taint.effect === 'PreferNoSchedule' && !preferTolerations.some((t) => toleratesTaint(t, taint))) count++;
      }
      return count;
    },
    normalizeScore(_pod, scores, _nodes, count) {
      defaultNormalizeScore(scores, count, true);
    },
  };
};
