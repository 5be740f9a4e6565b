/**
 * NodePorts (plugins/nodeports/node_ports.go): a pod's host ports must be free
 * on the node. A wanted 0.0.0.0 port conflicts with the same protocol and port
 * bound on any address; a wanted specific address conflicts with the same on
 * that address or on 0.0.0.0.
 */
import type { KubeCluster } from '../cluster.js';
import { SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodePorts';
const CONFLICT = 1;
const NO_KEYS: Int32Array = new Int32Array(0);

export const nodePorts: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  // The pod's port keys, set by PreFilter (CycleState).
  let wanted = NO_KEYS;
  return {
    name: NAME,
    preFilter(pod) {
      if (pod.hostPorts.length === 0) return SKIP;
      wanted = cluster.portKeys(pod.hostPorts);
      return SUCCESS;
    },
    filter: (_pod, node) => (cluster.portsConflict(node, wanted) ? CONFLICT : SUCCESS),
    reason: () => "node(s) didn't have free ports for the requested pod ports",
  };
};
