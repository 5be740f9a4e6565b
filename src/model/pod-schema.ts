/**
 * The fields every pod of a scenario's workload may have (services, jobs and
 * streams alike), in Kubernetes' shapes and validated as the API server does:
 * tolerations, node and pod (anti-)affinity, topology spread constraints,
 * host ports, images and volume claims.
 */
import { z } from 'zod';
import { bytes, dnsName, labels } from './schema-fields.js';
import { limitsSchema, usageSchema } from './usage-schema.js';

/** core/v1 Toleration: an empty operator is Equal, an empty effect matches every effect. */
const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists', '']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']).optional(),
});

const requirement = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).optional(),
});
const term = z.strictObject({ matchExpressions: z.array(requirement).optional() });

/** metav1.LabelSelector, validated as the API server does (shared by topology spread constraints and pod affinity terms). */
export const labelSelectorSchema = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z
    .array(
      z
        .strictObject({
          key: z.string().min(1),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        })
        .refine((r) => (r.operator === 'In' || r.operator === 'NotIn') === (r.values !== undefined && r.values.length > 0), {
          message: 'In and NotIn need one or more values; Exists and DoesNotExist take none',
        }),
    )
    .optional(),
});

/**
 * core/v1 PodAffinity / PodAntiAffinity with `topologyKey` as given (the API
 * server requires a non-empty key; upstream's unit tests use an empty one).
 * namespaceSelector is not modelled and is rejected with a message saying so.
 */
export function podAffinitySchema(topologyKey: z.ZodType<string, unknown>) {
  const podAffinityTerm = z.strictObject({
    /** Absent: the term matches no pod. */
    labelSelector: labelSelectorSchema.optional(),
    topologyKey,
    /** Absent or empty: the namespace of the pod the term belongs to. */
    namespaces: z.array(z.string().min(1)).optional(),
    namespaceSelector: z
      .unknown()
      .optional()
      .refine((v) => v === undefined, { message: 'namespaceSelector is not supported by rackbench; list the namespaces (tenants) in namespaces instead' }),
  });
  return z.strictObject({
    requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
    preferredDuringSchedulingIgnoredDuringExecution: z
      .array(z.strictObject({ weight: z.number().int().min(1).max(100), podAffinityTerm }))
      .optional(),
  });
}

const podAffinity = podAffinitySchema(z.string().min(1));

/** core/v1 NodeAffinity (also NodeAffinityArgs' addedAffinity). */
export const nodeAffinitySchema = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(term) }).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.strictObject({ weight: z.number().int().min(1).max(100), preference: term }))
    .optional(),
});

/** Pod affinity in Kubernetes' shape: node affinity, pod affinity and pod anti-affinity. */
const affinity = z.strictObject({
  nodeAffinity: nodeAffinitySchema.optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

/** The fields of a TopologySpreadConstraint other than its selector (shared with PodTopologySpread's defaultConstraints). */
export const spreadConstraintFields = {
  maxSkew: z.number().int().min(1),
  topologyKey: z.string().min(1),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  minDomains: z.number().int().min(1).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
  matchLabelKeys: z.array(z.string().min(1)).optional(),
};

/** The API server's rule: minDomains only with DoNotSchedule. */
export function withSpreadRules<T extends z.ZodType<{ minDomains?: number | undefined; whenUnsatisfiable: string }>>(schema: T) {
  return schema.refine((c) => c.minDomains === undefined || c.whenUnsatisfiable === 'DoNotSchedule', {
    message: 'minDomains can only be used with whenUnsatisfiable: DoNotSchedule',
    path: ['minDomains'],
  });
}

/** A pod's core/v1 TopologySpreadConstraints, validated as the API server does. */
export const topologySpreadConstraintsSchema = z
  .array(
    withSpreadRules(
      z.strictObject({
        ...spreadConstraintFields,
        /** Absent: the constraint counts no pods. */
        labelSelector: labelSelectorSchema.optional(),
      }),
    ),
  )
  .refine((cs) => new Set(cs.map((c) => `${c.topologyKey}\u0000${c.whenUnsatisfiable}`)).size === cs.length, {
    message: 'two constraints with the same topologyKey and whenUnsatisfiable',
  });

/** A container's hostPort, as core/v1 ContainerPort defaults it: TCP on every address. */
export const hostPortSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  hostIP: z
    .string()
    .default('0.0.0.0')
    .transform((ip) => (ip === '' ? '0.0.0.0' : ip)),
});

/** A PersistentVolumeClaim the pod mounts (a StatefulSet volumeClaimTemplate for services, an ephemeral volume otherwise). */
const volumeClaim = z.strictObject({
  name: dnsName,
  storageClass: dnsName,
  size: bytes.refine((b) => b > 0, 'expected a positive size'),
});

/** The pod fields of a service, job or stream. */
export const podFields = {
  /** PersistentVolumeClaims on local PVs (VolumeBinding): the pod goes only where each finds its PV. */
  volumeClaims: z
    .array(volumeClaim)
    .min(1)
    .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, { message: 'two volume claims with the same name' })
    .optional(),
  /** Ports the pod binds on its node (NodePorts). */
  hostPorts: z.array(hostPortSchema).optional(),
  /** The pod's container images, one per container (ImageLocality). */
  images: z.array(z.string().min(1)).min(1).optional(),
  priority: z.number().int().default(0),
  /** core/v1 PreemptionPolicy: Never pods wait instead of preempting lower-priority ones (kube policies). */
  preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).optional(),
  /** Seconds a pod takes to terminate once deleted (preempted); core/v1 defaults it to 30. */
  terminationGracePeriodSeconds: z.number().int().min(0).optional(),
  tenant: z.string().min(1).default('default'),
  labels: labels.default({}),
  nodeSelector: labels.default({}),
  tolerations: z.array(toleration).default([]),
  affinity: affinity.optional(),
  /** core/v1 TopologySpreadConstraint, validated as the API server does. */
  topologySpreadConstraints: topologySpreadConstraintsSchema.optional(),
  /** The container's limits (cpu: the CFS quota; memory: above it the container is OOM-killed). */
  limits: limitsSchema.optional(),
  /** What the pod uses over its run (usage-schema.ts); without it a pod uses what it requests. */
  usage: usageSchema.optional(),
};
