/**
 * A node's image pulls as one flow on its NIC, next to its pods' traffic:
 * the container runtime (runtime.ts) says how much the pulls want, the
 * contention model (contention.ts) shares the NIC max-min among the pods and
 * that flow, and says back what the pulls get. The pulls want the node's
 * pull bandwidth (NIC × `pullShare`) whenever one is in flight, so a pull
 * beside NIC-heavy pods is slower and slows them.
 */
import type { NodeIndex } from '../../core/ids.js';

/** The container runtime's side: told the pulls' rate whenever it changes. */
export interface PullFlow {
  /** The node's pulls now get `bitsPerSecond` in all; their progress up to now was at the old rate. */
  pullRateChanged(node: NodeIndex, bitsPerSecond: number): void;
}

/** The contention model's side: takes the pulls' demand. */
export interface NicSharing {
  /** Attaches the runtime whose pulls share the NIC. */
  attachPulls(flow: PullFlow): void;
  /** The node's pulls now want `bitsPerSecond` (0: none in flight). */
  setPullDemand(node: NodeIndex, bitsPerSecond: number): void;
}
