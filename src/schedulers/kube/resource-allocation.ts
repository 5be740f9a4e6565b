/**
 * Which node figures a scoring resource reads, shared by NodeResourcesFit's
 * scoring strategies and NodeResourcesBalancedAllocation as upstream shares
 * resourceAllocationScorer (plugins/noderesources/resource_allocation.go,
 * calculateResourceAllocatableRequest):
 *
 *   cpu, memory        allocatable, and the node's requests plus the pod's
 *                      (NonZeroRequested for NodeResourcesFit, Requested for
 *                      BalancedAllocation)
 *   ephemeral-storage  allocatable and Requested plus the pod's request,
 *                      even when the pod requests none (not a scalar resource)
 *   scalar resources   the same, but left out when the pod requests none
 *                      (IsScalarResourceName: extended resources, hugepages)
 *   pods               nothing: the allowed pod number is not among the
 *                      node's scalar resources, so allocatable reads as 0
 *
 * A resource whose allocatable is 0 on the node is left out of the node's
 * score. rackbench's local storage `nvme` is Kubernetes' ephemeral-storage
 * (as `rackbench import` maps it), under either name; its other resources
 * (`nic`, extended resources such as `gpu`) are scalar resources.
 */
import { CPU, MEMORY, NVME } from '../../model/resources.js';
import type { ResourceSpace } from '../../model/resources.js';

export const SCORED_CPU = 0;
export const SCORED_MEMORY = 1;
export const SCORED_STORAGE = 2;
export const SCORED_SCALAR = 3;
/** Contributes nothing (pods, or a resource no node has). */
export const SCORED_NONE = 4;

export interface ScoredResources {
  /** Per configured resource: SCORED_*. */
  readonly kinds: Int32Array;
  /** Per configured resource: its dimension in the resource space, −1 for SCORED_NONE. */
  readonly dims: Int32Array;
}

/** Classifies a scoring strategy's resource names (in order) for one resource space. */
export function scoredResources(space: ResourceSpace, names: readonly string[]): ScoredResources {
  const kinds = new Int32Array(names.length);
  const dims = new Int32Array(names.length);
  names.forEach((name, i) => {
    let kind: number;
    let dim: number;
    if (name === 'cpu') [kind, dim] = [SCORED_CPU, CPU];
    else if (name === 'memory') [kind, dim] = [SCORED_MEMORY, MEMORY];
    else if (name === 'ephemeral-storage' || name === 'nvme') [kind, dim] = [SCORED_STORAGE, NVME];
    else if (name === 'pods') [kind, dim] = [SCORED_NONE, -1];
    else {
      dim = space.indexOf(name) ?? -1;
      kind = dim < 0 ? SCORED_NONE : SCORED_SCALAR;
    }
    kinds[i] = kind;
    dims[i] = dim;
  });
  return { kinds, dims };
}

/**
 * IsExtendedResourceName (pkg/apis/core/v1/helper): a name outside the
 * kubernetes.io namespace, with a domain prefix, not a quota "requests."
 * name. Only such resources can be ignored by NodeResourcesFit's
 * ignoredResources and ignoredResourceGroups (fit.go, fitsRequest).
 */
export function isExtendedResourceName(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash < 0 || name.includes('kubernetes.io/')) return false;
  return !name.startsWith('requests.');
}
