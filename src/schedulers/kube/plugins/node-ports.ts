/**
 * NodePorts (plugins/nodeports/node_ports.go): a pod's host ports must be free
 * on the node. A wanted 0.0.0.0 port conflicts with the same protocol and port
 * bound on any address; a wanted specific address conflicts with the same on
 * that address or on 0.0.0.0.
 */
import type { HostPort } from '../../../model/container.js';
import { EVENT_NODE_ADD, EVENT_POD_DELETE } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'NodePorts';
const CONFLICT = 1;
const NO_KEYS: Int32Array = new Int32Array(0);

/** HostPortInfo.CheckConflict between two pods' ports: the same protocol and port on overlapping addresses (0.0.0.0 overlaps every address). */
function portsConflict(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of wanted) {
    for (const u of used) {
      if (w.protocol !== u.protocol || w.port !== u.port) continue;
      if (w.hostIP === u.hostIP || w.hostIP === '0.0.0.0' || u.hostIP === '0.0.0.0') return true;
    }
  }
  return false;
}

export const nodePorts: KubePluginFactory = (_args, cluster: KubeCluster): KubePlugin => {
  // The pod's port keys, set by PreFilter (CycleState).
  let wanted = NO_KEYS;
  return {
    name: NAME,
    preFilterNeverRejects: true,
    preFilter(pod) {
      if (pod.hostPorts.length === 0) return SKIP;
      wanted = cluster.portKeys(pod.hostPorts);
      return SUCCESS;
    },
    filter: (_pod, node) => (cluster.portsConflict(node, wanted) ? CONFLICT : SUCCESS),
    reason: () => "node(s) didn't have free ports for the requested pod ports",
    // EventsToRegister: Pod/Delete with isSchedulableAfterPodDeleted (the deleted pod used a port the pod
    // wants), and Node/Add without a hint.
    events: { queue: EVENT_NODE_ADD, hint: EVENT_POD_DELETE },
    queueingHint: (pod, event) => event.pod === undefined || portsConflict(pod.hostPorts, event.pod.hostPorts ?? []),
  };
};
