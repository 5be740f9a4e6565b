/**
 * An example placement policy plugin: pack racks one at a time.
 *
 * Pods go to the rack that already holds the most pods (so whole racks stay
 * empty and can be powered down or drained), and within it to the node with
 * the least CPU left after placing the pod (best fit on CPU). The per-rack
 * counts are per-run state, which is why the default export is a factory.
 *
 *   rackbench run scenarios/k8s-bare-metal.yaml --scheduler ./examples/my-policy.ts
 *
 * Outside this repository, import the types from 'rackbench/plugin'.
 */
import type { PolicyContext, PolicyFactory } from '../src/plugin.js';

// Dimension 0 of every resource space is CPU (see CPU in rackbench/plugin).
const CPU = 0;

const rackPacking: PolicyFactory = ({ cluster }: PolicyContext) => {
  // Rack of each node as a small integer, and pods bound per rack.
  const rackIds = new Map<string, number>();
  const rackOf = new Int32Array(cluster.nodeCount);
  cluster.nodes.forEach((node, i) => {
    if (!rackIds.has(node.rack)) rackIds.set(node.rack, rackIds.size);
    rackOf[i] = rackIds.get(node.rack)!;
  });
  const podsInRack = new Float64Array(rackIds.size);
  const allocatable = cluster.allocatable[CPU]!;
  const requested = cluster.requested[CPU]!;

  return {
    name: 'rack-packing',
    score(pod, node) {
      // The rack term dominates; the CPU best-fit term (0..1) orders nodes within a rack.
      const cpuLeft = allocatable[node]! > 0 ? (allocatable[node]! - requested[node]! - pod.requests[CPU]!) / allocatable[node]! : 0;
      return podsInRack[rackOf[node]!]! * 2 + (1 - cpuLeft);
    },
    onBind(_pod, node) {
      podsInRack[rackOf[node]!]!++;
    },
    onRelease(_pod, node) {
      podsInRack[rackOf[node]!]!--;
    },
  };
};

export default rackPacking;
