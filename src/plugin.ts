/**
 * The plugin API: what a user's placement policy file sees. A plugin is a
 * TypeScript or JavaScript module whose default export is either
 *
 * - a policy object — `{ name, filter?, score?, place?, onBind?, onRelease? }` —
 *   shared by every run in a worker thread, so it must keep no state; or
 * - a factory `(ctx) => policy`, called once per run, which may keep per-run
 *   state (counters, indexes) and draw randomness from `ctx.rng`, a stream
 *   seeded from the run's seed (never use Math.random: runs must repeat).
 *
 * Run it with `rackbench run SCENARIO --scheduler ./my-policy.ts`, or list the
 * file under `schedulers:` in a sweep. See examples/ for a complete policy.
 *
 * How the simulator uses the hooks:
 * - `place(pod, cluster)` decides alone when present: return a node index for
 *   which `pod.fitsOn(node)` holds, or NO_NODE (-1) to leave the pod pending.
 * - Otherwise each node that fits (`pod.fitsOn`) and passes `filter` is
 *   scored; the highest `score` wins, ties to the lowest node index; without
 *   `score` the first feasible node wins.
 * - `onBind` / `onRelease` report every pod bound to or released from a node;
 *   `onNodeChanged(node)` reports a node whose free capacity changed otherwise
 *   (a failed node made full, a repaired one opened): refresh any index.
 * - `postFilter(pod, cluster)` (queue `kube` only) may preempt after a failed
 *   decision: return a nominated node and the slots of running pods to evict.
 *
 * Hooks run on the hot path, once per node per decision: read the typed
 * arrays of the cluster view and avoid allocating.
 */
export type { NodeIndex } from './core/ids.js';
export type { Rng } from './core/random.js';
export type { ClusterView } from './model/cluster-state.js';
export type { NodeSpec } from './model/cluster.js';
export type { PlacementPolicy, PodView, PolicyContext, PolicyFactory, Preemption } from './schedulers/types.js';
export { NO_NODE } from './core/ids.js';
/** Dimension indexes of the built-in resources in every cluster's resource space. */
export { CPU, MEMORY, NIC, NVME, PODS } from './model/resources.js';
