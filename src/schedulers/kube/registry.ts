/**
 * The in-tree plugins rackbench models, by upstream name, and the default
 * profile's plugin order and weights (apis/config/v1/default_plugins.go, v1.34).
 */
import type { KubePluginFactory } from './framework.js';
import { balancedAllocation, NAME as BALANCED } from './plugins/balanced-allocation.js';
import { imageLocality, NAME as IMAGE_LOCALITY } from './plugins/image-locality.js';
import { interPodAffinity, NAME as INTER_POD_AFFINITY } from './plugins/inter-pod-affinity.js';
import { nodeAffinity, NAME as AFFINITY } from './plugins/node-affinity.js';
import { nodeName, NAME as NODE_NAME } from './plugins/node-name.js';
import { nodePorts, NAME as PORTS } from './plugins/node-ports.js';
import { nodeResourcesFit, NAME as FIT } from './plugins/node-resources-fit.js';
import { nodeUnschedulable, NAME as UNSCHEDULABLE } from './plugins/node-unschedulable.js';
import { podTopologySpread, NAME as SPREAD } from './plugins/pod-topology-spread.js';
import { defaultPreemption, NAME as PREEMPTION } from './preemption.js';
import { taintToleration, NAME as TAINTS } from './plugins/taint-toleration.js';
import { volumeBinding, NAME as VOLUME_BINDING } from './plugins/volume-binding.js';
import { loadAware, NAME as LOAD_AWARE } from './plugins/load-aware.js';

/** The extension points a plugin implements (its MultiPoint expansion). */
export type ExtensionPoint = 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score';

export interface KubePluginEntry {
  readonly factory: KubePluginFactory;
  readonly points: readonly ExtensionPoint[];
}

export const KUBE_PLUGINS: ReadonlyMap<string, KubePluginEntry> = new Map<string, KubePluginEntry>([
  [UNSCHEDULABLE, { factory: nodeUnschedulable, points: ['preFilter', 'filter'] }],
  [NODE_NAME, { factory: nodeName, points: ['preFilter', 'filter'] }],
  [TAINTS, { factory: taintToleration, points: ['preFilter', 'filter', 'preScore', 'score'] }],
  [AFFINITY, { factory: nodeAffinity, points: ['preFilter', 'filter', 'preScore', 'score'] }],
  [PORTS, { factory: nodePorts, points: ['preFilter', 'filter'] }],
  [FIT, { factory: nodeResourcesFit, points: ['preFilter', 'filter', 'score'] }],
  // Reserve and PreBind are the simulator's binding of the pod's claims.
  [VOLUME_BINDING, { factory: volumeBinding, points: ['preFilter', 'filter', 'preScore', 'score'] }],
  [SPREAD, { factory: podTopologySpread, points: ['preFilter', 'filter', 'preScore', 'score'] }],
  [INTER_POD_AFFINITY, { factory: interPodAffinity, points: ['preFilter', 'filter', 'preScore', 'score'] }],
  [BALANCED, { factory: balancedAllocation, points: ['preScore', 'score'] }],
  [IMAGE_LOCALITY, { factory: imageLocality, points: ['score'] }],
  [PREEMPTION, { factory: defaultPreemption, points: ['postFilter'] }],
  // Out of tree (Koordinator): enabled by a profile's filter and score lists, as koord-scheduler's configuration does.
  [LOAD_AWARE, { factory: loadAware, points: ['filter', 'score'] }],
]);

export interface DefaultPlugin {
  readonly name: string;
  /** Score weight; undefined for plugins that do not score. */
  readonly weight?: number;
}

/** getDefaultPlugins' MultiPoint list, in order. */
export const DEFAULT_PLUGINS: readonly DefaultPlugin[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: UNSCHEDULABLE },
  { name: NODE_NAME },
  { name: TAINTS, weight: 3 },
  { name: AFFINITY, weight: 2 },
  { name: PORTS },
  { name: FIT, weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: VOLUME_BINDING },
  { name: 'VolumeZone' },
  { name: SPREAD, weight: 2 },
  { name: INTER_POD_AFFINITY, weight: 2 },
  { name: 'DynamicResources' },
  { name: PREEMPTION },
  { name: BALANCED, weight: 1 },
  { name: IMAGE_LOCALITY, weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * Default plugins that change nothing in rackbench's model: queue sorting is
 * the simulator's, binding is immediate, and pods have no scheduling gates
 * or resource claims. The only volumes are local PVs with hostname node
 * affinity: no zone labels (VolumeZone), not attachable (NodeVolumeLimits),
 * claims ReadWriteOnce (VolumeRestrictions checks ReadWriteOncePod).
 */
export const NO_OP_PLUGINS: ReadonlySet<string> = new Set([
  'SchedulingGates',
  'PrioritySort',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeZone',
  'DynamicResources',
  'DefaultBinder',
]);

/** Default plugins whose behaviour is not modelled yet: a configuration may leave them enabled, and they are skipped. */
export const NOT_YET_MODELLED: ReadonlySet<string> = new Set<string>();
