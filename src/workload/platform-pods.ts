/**
 * The platform's own pods as submissions at time 0, ahead of the workload:
 * static control-plane pods and DaemonSet pods pinned to their node (a
 * nodeSelector on kubernetes.io/hostname, as the DaemonSet controller's node
 * affinity on metadata.name does), then the add-on Deployments' replicas.
 * They take capacity like any pod, so allocatable − their requests is what
 * the workload gets.
 */
import type { PlatformPod } from '../model/platform.js';
import { platformPods } from '../model/platform-budget.js';
import { PODS } from '../model/resources.js';
import type { ResourceSpace } from '../model/resources.js';
import type { ResolvedScenario } from '../model/scenario.js';
import { LONG_RUNNING } from './pod.js';
import type { PodSubmission, PodTemplate } from './pod.js';

/** Namespace (tenant) of every platform pod. */
export const PLATFORM_TENANT = 'kube-system';

function templateOf(p: PlatformPod): PodTemplate {
  return {
    owner: p.name,
    kind: p.kind === 'deployment' ? 'service' : p.kind,
    priority: p.priority,
    tenant: PLATFORM_TENANT,
    labels: { 'app.kubernetes.io/name': p.name },
    nodeSelector: p.node === undefined ? {} : { 'kubernetes.io/hostname': p.node },
    tolerations: p.tolerations,
    // A manifest without a request (kube-proxy, cilium, traefik, …) requests nothing: count it as missing, as kube-scheduler's scoring does.
    missingRequests: { cpu: p.requests.cpu === undefined, memory: p.requests.memory === undefined },
  };
}

function requestsOf(space: ResourceSpace, requests: Readonly<Record<string, number>>): Float64Array {
  const v = space.zeros();
  for (const [name, amount] of Object.entries(requests)) {
    const dim = space.indexOf(name);
    if (dim !== undefined) v[dim] = amount;
  }
  v[PODS] = 1;
  return v;
}

/** The scenario's platform pods, all arriving at time 0; none without a `stack`. */
export function* platformSource(scenario: ResolvedScenario, space: ResourceSpace): Generator<PodSubmission, void> {
  for (const p of platformPods(scenario)) {
    const template = templateOf(p);
    const requests = requestsOf(space, p.requests);
    for (let i = 0; i < p.replicas; i++) yield { kind: 'pod', template, arrival: 0, duration: LONG_RUNNING, requests };
  }
}
