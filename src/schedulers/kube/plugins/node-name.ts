/** NodeName (plugins/nodename/node_name.go): a pod with spec.nodeName fits only that node. */
import { EVENT_NODE_ADD } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodeName';

export const nodeName: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  const nodes = cluster.view.nodes;
  return {
    name: NAME,
    preFilterNeverRejects: true,
    // Not an upstream PreFilter: skipping the Filter when spec.nodeName is empty changes no outcome and saves a call per node.
    preFilter: (pod) => (pod.nodeName === '' ? SKIP : SUCCESS),
    filter: (pod, node) => (pod.nodeName === '' || pod.nodeName === nodes[node]!.name ? SUCCESS : 1),
    unresolvable: () => true,
    reason: () => "node(s) didn't match the requested node name",
    // EventsToRegister: Node/Add, without a hint (always Queue).
    events: { queue: EVENT_NODE_ADD, hint: 0 },
  };
};
