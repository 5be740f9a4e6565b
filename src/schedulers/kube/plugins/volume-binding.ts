/**
 * VolumeBinding (framework/plugins/volumebinding/volume_binding.go and
 * binder.go, v1.34), for static node-local PersistentVolumes of
 * WaitForFirstConsumer storage classes without a provisioner.
 *
 * PreFilter: a pod without claims is skipped. Filter: FindPodVolumes — each
 * claim bound to a PV needs the PV's node affinity to match the node
 * (checkBoundClaims: ErrReasonNodeConflict), each unbound claim a distinct
 * Available PV of its class on the node with capacity ≥ its request, the
 * smallest first (findMatchingVolumes: ErrReasonBindConflict, as no
 * provisioner can make one). Every such rejection is
 * UnschedulableAndUnresolvable, so preemption never targets those nodes.
 * Reserve/PreBind (AssumePodVolumes, BindPodVolumes) are the simulator's
 * binding of the pod: its claims take the PVs this filter found
 * (model/volumes.ts). Score needs the StorageCapacityScoring feature gate,
 * alpha and off by default in v1.34 (pkg/features/kube_features.go), so
 * there is no scorer and PreScore skips.
 *
 * Args (VolumeBindingArgs, apis/config/v1/defaults.go and
 * validation_pluginargs.go): bindTimeoutSeconds defaults to 600 and must not
 * be negative; binding is instant in the simulation, so it is accepted and
 * ignored. `shape` is refused as upstream refuses it with the gate off.
 */
import { z } from 'zod';
import { conflictReasons } from '../../../model/volumes.js';
import { EVENT_NODE_ADD, EVENT_VOLUME_CHANGE } from '../../types.js';
import type { KubeCluster } from '../cluster.js';
import { SKIP, SUCCESS } from '../framework.js';
import type { KubePlugin, KubePluginFactory } from '../framework.js';

export const NAME = 'VolumeBinding';

export const argsSchema = z.strictObject({
  bindTimeoutSeconds: z.number().int().min(0, 'invalid BindTimeoutSeconds, should not be a negative value').default(600),
  shape: z
    .unknown()
    .optional()
    .refine((v) => v === undefined, { message: 'unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring' }),
});

export const volumeBinding: KubePluginFactory = (rawArgs, cluster: KubeCluster): KubePlugin => {
  argsSchema.parse(rawArgs ?? {});
  const volumes = cluster.view.volumes;
  // The pod's claim set, set by PreFilter (CycleState's podVolumeClaims).
  let set = -1;
  return {
    name: NAME,
    preFilterNeverRejects: true,
    preFilter(pod) {
      if (volumes === undefined || pod.volumeSet < 0 || volumes.claimsOf(pod.volumeSet).length === 0) return SKIP;
      set = pod.volumeSet;
      return SUCCESS;
    },
    // The code is the reason bits (NODE_CONFLICT | BIND_CONFLICT), 0 when the node can take the claims.
    filter: (_pod, node) => volumes!.check(set, node),
    unresolvable: () => true,
    reason: (code) => conflictReasons(code),
    // EventsToRegister: PersistentVolume and PersistentVolumeClaim Add/Update, and Node/Add | UpdateNodeLabel;
    // isSchedulableAfterPersistentVolumeClaimChange (is it one of the pod's claims?) is not modelled: every
    // volume change queues, which can only retry sooner.
    events: { queue: EVENT_NODE_ADD | EVENT_VOLUME_CHANGE, hint: 0 },
    preScore: () => SKIP,
    score: () => 0,
  };
};
