/**
 * A scenario's `cluster:` section: node pools (hardware, platform role,
 * labels, taints, images, local volumes, reliability) and the StorageClasses
 * their local volumes name.
 */
import { z } from 'zod';
import { hardwareSchema, reliabilityFields } from './catalog-schema.js';
import { bytes, dnsName, labels, resourceMapSchema } from './schema-fields.js';

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

/**
 * A StorageClass for static local PVs (provisioner kubernetes.io/no-provisioner).
 * Only WaitForFirstConsumer is modelled: with Immediate the PV controller binds
 * a claim before its pod is scheduled, ignoring the pod's other constraints.
 */
const storageClass = z.strictObject({
  name: dnsName,
  provisioner: z.literal('kubernetes.io/no-provisioner').default('kubernetes.io/no-provisioner'),
  volumeBindingMode: z.enum(['WaitForFirstConsumer', 'Immediate']),
  /** Accepted and ignored: a released local PV is cleaned and offered again at once (Delete), see README. */
  reclaimPolicy: z.enum(['Delete', 'Retain']).optional(),
});

/** Static local PVs per node of a pool: `count` PVs of `capacity` bytes, each with node affinity to its node. */
const localVolume = z.strictObject({
  storageClass: dnsName,
  capacity: bytes.refine((b) => b > 0, 'expected a positive capacity'),
  count: z.number().int().min(1),
});

const pool = z.strictObject({
  name: dnsName,
  count: z.number().int().nonnegative(),
  /**
   * A hardware profile from the catalog (scenarios/catalog/hardware.yaml, or
   * the scenario's `catalog`): its capacity, labels and hardware facts, which
   * the pool's own capacity entries, labels and hardware fields override.
   */
  profile: dnsName.optional(),
  /** server: runs the platform's control plane (see `stack`); agent: a worker node. */
  role: z.enum(['server', 'agent']).default('agent'),
  /** Hardware capacity of each node (required unless a profile gives it). */
  capacity: resourceMapSchema.default({}),
  /** Power, price, rack units and the like of each machine (from the profile, overridden here). */
  hardware: hardwareSchema.optional(),
  /**
   * System and kube reserved; allocatable = capacity − reserved. Absent or
   * empty with a `stack`: computed by the platform's rule.
   */
  reserved: resourceMapSchema.default({}),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
  /** Cordoned nodes (kubectl cordon). */
  unschedulable: z.boolean().default(false),
  /** Nodes are spread round-robin over these zones and racks. */
  zones: z.array(z.string().min(1)).min(1).optional(),
  racks: z.array(z.string().min(1)).min(1).optional(),
  /** The container images present on each node of the pool (node.status.images), for ImageLocality. */
  images: z
    .array(
      z.strictObject({
        names: z.array(z.string().min(1)).min(1),
        sizeBytes: bytes,
      }),
    )
    .default([]),
  /** Static local PersistentVolumes on each node of the pool (VolumeBinding). */
  localVolumes: z.array(localVolume).optional(),
  /**
   * Mean time between failures and mean time to repair of each node, for a
   * failure process (`failures: [{ process: exponential }]`); the profile's
   * when the pool gives none.
   */
  ...reliabilityFields,
});

export const clusterSchema = z.strictObject({
  pools: z.array(pool).min(1),
  /** StorageClasses that local volumes and claims name. */
  storageClasses: z.array(storageClass).default([]),
  /**
   * Over-commit by a factor on requests, per resource: `{ cpu: 1.5 }` lets
   * the scheduler place requests up to 1.5× each node's allocatable CPU, as
   * an inflated allocatable does. The node keeps its real capacity, which
   * running pods share (the run models usage and contention).
   */
  overcommit: z.record(z.string().min(1), z.number().positive().max(100)).optional(),
});
