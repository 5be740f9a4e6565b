/**
 * NodeUnschedulable (plugins/nodeunschedulable/node_unschedulable.go): a
 * cordoned node (spec.unschedulable) takes only pods that tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint.
 */
import { toleratesTaint } from '../../../model/labels.js';
import type { Taint } from '../../../model/labels.js';
import { EVENT_NODE_ADD, EVENT_NODE_TAINT } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodeUnschedulable';
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  const cordoned = Uint8Array.from(cluster.view.nodes, (n) => (n.unschedulable ? 1 : 0));
  const anyCordoned = cordoned.includes(1);
  return {
    name: NAME,
    preFilterNeverRejects: true,
    // Not an upstream PreFilter: with no cordoned node the Filter always passes, so it is skipped.
    preFilter: () => (anyCordoned ? SUCCESS : SKIP),
    filter(pod, node) {
      if (cordoned[node] === 0) return SUCCESS;
      return pod.tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT)) ? SUCCESS : 1;
    },
    unresolvable: () => true,
    reason: () => 'node(s) were unschedulable',
    // EventsToRegister: Node/Add and UpdateNodeTaint; isSchedulableAfterNodeChange queues for a node added
    // uncordoned or one whose cordon was lifted (cordons do not change during a run).
    events: { queue: 0, hint: EVENT_NODE_ADD | EVENT_NODE_TAINT },
    queueingHint: (_pod, event) => event.kind === EVENT_NODE_ADD && cordoned[event.node] === 0,
  };
};
