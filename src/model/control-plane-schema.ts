/**
 * The opt-in parts of a scenario that model the cluster's machinery: the
 * node lifecycle controller's timings, the kubelet's start-up of a bound pod
 * (`runtime:`) and pod creation and binding through the API server
 * (`controlPlane:`).
 */
import { z } from 'zod';
import { bytes, duration } from './schema-fields.js';

/**
 * The node lifecycle controller's timings (kube-controller-manager): a node
 * that stops reporting is marked NotReady after the grace period (50 s since
 * Kubernetes v1.32, 40 s before; --node-monitor-grace-period), and its pods
 * are evicted when their toleration of node.kubernetes.io/unreachable runs
 * out (300 s, added by the DefaultTolerationSeconds admission plugin).
 */
export const nodeLifecycleSchema = z
  .strictObject({
    monitorGracePeriod: duration.default(50 * 1_000_000),
    tolerationSeconds: z.number().int().min(0).default(300),
  })
  .default({ monitorGracePeriod: 50 * 1_000_000, tolerationSeconds: 300 });

/**
 * The kubelet's start-up of a bound pod (opt-in): its images are pulled, then
 * its containers start. Defaults are the kubelet's (KubeletConfiguration
 * v1beta1: serializeImagePulls true, imageGCHighThresholdPercent 85,
 * imageGCLowThresholdPercent 80); containerStart is an assumption (the
 * Kubernetes pod start-up SLO allows 5 s at the 99th percentile for pods
 * whose images are present).
 */
export const runtimeSchema = z.strictObject({
  /** Image sizes as pulled, by image name; every image a pod names must be here or on a pool's images. */
  images: z.record(z.string().min(1), bytes).default({}),
  containerStart: duration.default(1_000_000),
  serializeImagePulls: z.boolean().default(true),
  /** Share of the node's nic capacity image pulls may use. */
  pullShare: z.number().gt(0).lte(1).default(1),
  imageGCHighThresholdPercent: z.number().int().min(1).max(100).default(85),
  imageGCLowThresholdPercent: z.number().int().min(0).max(100).default(80),
});

/**
 * Pod creation and binding through the API server (opt-in). Rate limits are
 * the client defaults: kube-controller-manager --kube-api-qps 20 and
 * --kube-api-burst 30 for the pods controllers create; kube-scheduler's
 * clientConnection qps 50 and burst 100 for bindings. Datastore defaults by
 * kind: etcd commits a request in under 1 ms under light load and takes more
 * than 30,000 requests/s under heavy load (etcd.io docs, op-guide/performance);
 * the SQLite and external-database (kine) figures are assumptions to replace
 * with measured ones.
 */
export const DATASTORE_DEFAULTS = {
  etcd: { maxWriteRate: 30_000, writeLatency: 1_000 },
  sqlite: { maxWriteRate: 2_000, writeLatency: 2_000 },
  external: { maxWriteRate: 5_000, writeLatency: 5_000 },
} as const;

export const controlPlaneSchema = z.strictObject({
  /** Which datastore's defaults apply; the stack's datastore when absent, else etcd. */
  datastore: z.enum(['etcd', 'sqlite', 'external']).optional(),
  maxWriteRate: z.number().positive().optional(),
  writeLatency: duration.optional(),
  controllerQps: z.number().positive().default(20),
  controllerBurst: z.number().int().min(1).default(30),
  schedulerQps: z.number().positive().default(50),
  schedulerBurst: z.number().int().min(1).default(100),
});
