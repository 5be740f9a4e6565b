/**
 * The scenario schema: what a scenario file (YAML or JSON) may say, validated
 * with zod so every error names its field path. Quantities, durations and
 * rates are converted here to the engine's integer units (millicores, bytes,
 * bits/s, counts, microseconds), so nothing downstream parses text.
 */
import { z } from 'zod';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { parseDuration, parseQuantity, parseRate, QuantityError } from './quantity.js';
import type { QuantityUnit } from './quantity.js';
import { capacitySectionSchema } from './capacity-section.js';
import { unitOf } from './resources.js';
import type { Labels, Taint, Toleration } from './labels.js';
import { applyProfiles } from './catalog.js';
import { catalogSchema, hardwareSchema, reliabilityFields } from './catalog-schema.js';
import { applyStack } from './platform.js';
import { stackSchema } from './platform-schema.js';

type Ctx = z.core.$RefinementCtx;

const raw = z.union([z.string(), z.number()]);

/** Converts with `parse`, turning a QuantityError into an issue at this path. */
function convert<T>(value: string | number, ctx: Ctx, parse: (v: string | number) => T, path: PropertyKey[] = []): T {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof QuantityError) {
      ctx.addIssue({ code: 'custom', message: e.message, path, input: value });
      return z.NEVER;
    }
    throw e;
  }
}

const duration = raw.transform((v, ctx) => convert(v, ctx, parseDuration));
const rate = raw.transform((v, ctx) => convert(v, ctx, parseRate));
const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a lowercase DNS-style name (a-z, 0-9, "-", ".")');
const labels = z.record(z.string(), z.string());

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});
const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

/** A map from resource name to quantity, converted per resource unit. */
const resourceMap = z.record(z.string(), raw).transform((rec, ctx) => {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(rec)) {
    out[key] = convert(value, ctx, (v) => parseQuantity(v, unitOf(key)), [key]);
  }
  return out;
});

// ---- distributions -------------------------------------------------------

/** A sampled quantity, in integer units fixed by where it is used. */
export type Dist =
  | { readonly dist: 'fixed'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number; readonly max?: number | undefined }
  | {
      readonly dist: 'lognormal';
      readonly median: number;
      readonly sigma: number;
      readonly min?: number | undefined;
      readonly max?: number | undefined;
    }
  | { readonly dist: 'pareto'; readonly scale: number; readonly shape: number; readonly max?: number | undefined }
  | { readonly dist: 'choice'; readonly values: readonly number[]; readonly weights: readonly number[] };

/** Distribution schema for values measured with `parse` (a quantity unit or durations). */
function distOf(parse: (v: string | number) => number) {
  const q = raw.transform((v, ctx) => convert(v, ctx, parse));
  const positive = z.number().positive();
  const object = z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), value: q }),
    z.strictObject({ dist: z.literal('uniform'), min: q, max: q }),
    z.strictObject({ dist: z.literal('exponential'), mean: q, max: q.optional() }),
    z.strictObject({ dist: z.literal('lognormal'), median: q, sigma: positive, min: q.optional(), max: q.optional() }),
    z.strictObject({ dist: z.literal('pareto'), scale: q, shape: positive, max: q.optional() }),
    z.strictObject({
      dist: z.literal('choice'),
      values: z.array(q).min(1),
      weights: z.array(z.number().nonnegative()).optional(),
    }),
  ]);
  // Dispatch on the input's type rather than a z.union, so an error names the
  // field and says what was wrong instead of "Invalid input" for the union.
  const either = z.unknown().transform((v, ctx): number | z.output<typeof object> => {
    const parsed = typeof v === 'string' || typeof v === 'number' ? q.safeParse(v) : object.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: v });
    }
    return z.NEVER;
  });
  return either.transform((d, ctx): Dist => {
    if (typeof d === 'number') return { dist: 'fixed', value: d };
    if (d.dist === 'uniform' && d.min > d.max) {
      ctx.addIssue({ code: 'custom', message: 'uniform: min must not exceed max', path: ['min'], input: d });
    }
    if (d.dist === 'lognormal' && d.min !== undefined && d.max !== undefined && d.min > d.max) {
      ctx.addIssue({ code: 'custom', message: 'lognormal: min must not exceed max', path: ['min'], input: d });
    }
    if (d.dist === 'choice') {
      const weights = d.weights ?? d.values.map(() => 1);
      if (weights.length !== d.values.length) {
        ctx.addIssue({
          code: 'custom',
          message: `choice: ${weights.length} weights for ${d.values.length} values; give one weight per value`,
          path: ['weights'],
          input: d,
        });
      } else if (!weights.some((w) => w > 0)) {
        ctx.addIssue({ code: 'custom', message: 'choice: at least one weight must be positive', path: ['weights'], input: d });
      }
      return { dist: 'choice', values: d.values, weights };
    }
    return d;
  });
}

const durationDist = distOf(parseDuration);

/** Per-resource request distributions; each resource is converted in its own unit. */
const requestDists = z.record(z.string(), z.unknown()).transform((rec, ctx) => {
  const out: Record<string, Dist> = {};
  for (const [key, value] of Object.entries(rec)) {
    const unit: QuantityUnit = unitOf(key);
    const parsed = distOf((v) => parseQuantity(v, unit)).safeParse(value);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path], input: value });
      }
    }
  }
  return out;
});

// ---- cluster -------------------------------------------------------------

const bytes = raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, 'bytes')));

/**
 * A StorageClass for static local PVs (provisioner kubernetes.io/no-provisioner).
 * Only WaitForFirstConsumer is modelled: with Immediate the PV controller binds
 * a claim before its pod is scheduled, ignoring the pod's other constraints.
 */
const storageClass = z.strictObject({
  name,
  provisioner: z.literal('kubernetes.io/no-provisioner').default('kubernetes.io/no-provisioner'),
  volumeBindingMode: z.enum(['WaitForFirstConsumer', 'Immediate']),
  /** Accepted and ignored: a released local PV is cleaned and offered again at once (Delete), see README. */
  reclaimPolicy: z.enum(['Delete', 'Retain']).optional(),
});

/** Static local PVs per node of a pool: `count` PVs of `capacity` bytes, each with node affinity to its node. */
const localVolume = z.strictObject({
  storageClass: name,
  capacity: bytes.refine((b) => b > 0, 'expected a positive capacity'),
  count: z.number().int().min(1),
});

const pool = z.strictObject({
  name,
  count: z.number().int().nonnegative(),
  /**
   * A hardware profile from the catalog (scenarios/catalog/hardware.yaml, or
   * the scenario's `catalog`): its capacity, labels and hardware facts, which
   * the pool's own capacity entries, labels and hardware fields override.
   */
  profile: name.optional(),
  /** server: runs the platform's control plane (see `stack`); agent: a worker node. */
  role: z.enum(['server', 'agent']).default('agent'),
  /** Hardware capacity of each node (required unless a profile gives it). */
  capacity: resourceMap.default({}),
  /** Power, price, rack units and the like of each machine (from the profile, overridden here). */
  hardware: hardwareSchema.optional(),
  /**
   * System and kube reserved; allocatable = capacity − reserved. Absent or
   * empty with a `stack`: computed by the platform's rule.
   */
  reserved: resourceMap.default({}),
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
        sizeBytes: raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, 'bytes'))),
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

// ---- workload ------------------------------------------------------------

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

/** Pod affinity in Kubernetes' shape: node affinity, pod affinity and pod anti-affinity. */
const affinity = z.strictObject({
  nodeAffinity: z
    .strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(term) }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z
        .array(z.strictObject({ weight: z.number().int().min(1).max(100), preference: term }))
        .optional(),
    })
    .optional(),
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
  name,
  storageClass: name,
  size: bytes.refine((b) => b > 0, 'expected a positive size'),
});

const podFields = {
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
  topologySpreadConstraints: z
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
    })
    .optional(),
};

const service = z.strictObject({
  name,
  replicas: z.number().int().positive(),
  at: duration.default(0),
  requests: resourceMap,
  ...podFields,
});

const job = z.strictObject({
  name,
  at: duration.default(0),
  completions: z.number().int().positive(),
  parallelism: z.number().int().positive().default(1),
  duration: durationDist,
  requests: requestDists,
  /** Share of pods whose run ends in failure (exit non-zero) at a uniform point of their run; the Job replaces them. */
  podFailureRate: z.number().min(0).max(1).default(0),
  /** batch/v1 Job backoffLimit (default 6): the Job fails at its backoffLimit + 1st failed pod and creates no more. */
  backoffLimit: z.number().int().min(0).default(6),
  /**
   * Gang scheduling (coscheduling's PodGroup): the first `minMember` pods
   * (default: parallelism) start together or not at all; placed pods wait
   * at most `timeout` (scheduleTimeoutSeconds, default 60 s) for the rest.
   */
  gang: z
    .strictObject({
      minMember: z.number().int().positive().optional(),
      timeout: duration.refine((us) => us > 0, 'expected a positive duration').default(60 * MICROS_PER_SECOND),
    })
    .optional(),
  ...podFields,
}).refine((j) => j.gang?.minMember === undefined || j.gang.minMember <= Math.min(j.parallelism, j.completions), {
  message: 'expected at most min(parallelism, completions): more pods never run at once',
  path: ['gang', 'minMember'],
});

const arrival = z.discriminatedUnion('process', [
  /** Exponential inter-arrival times (a Poisson process) at `rate` per second. */
  z.strictObject({ process: z.literal('poisson'), rate }),
  /** One arrival every 1/rate seconds. */
  z.strictObject({ process: z.literal('fixed'), rate }),
  /** `size` pods at once, every `every` (or at each time in `at`). */
  z.strictObject({
    process: z.literal('burst'),
    size: z.number().int().positive(),
    every: duration.refine((us) => us > 0, 'expected a positive duration between bursts').optional(),
    at: z.array(duration).min(1).optional(),
  }),
]);

const stream = z.strictObject({
  name,
  arrival,
  start: duration.default(0),
  /** Arrivals stop at this time or after `count` pods, whichever comes first. */
  stop: duration.optional(),
  count: z.number().int().positive().optional(),
  duration: durationDist,
  requests: requestDists,
  ...podFields,
});

/**
 * Node failures injected into a run: at `at`, `nodes` nodes stop (chosen as
 * the most loaded, at random, or by name); `repairAfter` brings them back.
 */
const nodeFailure = z
  .strictObject({
    at: duration,
    nodes: z.number().int().min(1).default(1),
    select: z.enum(['most-loaded', 'random']).default('most-loaded'),
    /** Fail these nodes (by name) instead of choosing; `nodes` is then their count. */
    names: z.array(z.string().min(1)).min(1).optional(),
    repairAfter: duration.optional(),
  })
  .transform((f) => (f.names === undefined ? f : { ...f, nodes: f.names.length }));

/**
 * Random node failures, expanded into listed ones before the run (see
 * src/runner/failure-process.ts): every node of the covered pools fails after
 * an exponential up time of mean `mtbf` (a Poisson process while it is up),
 * stays down for a repair time of mean `mttr`, and so on until
 * simulation.until. A pool's (or its profile's) mtbf and mttr win over the
 * ones given here, which serve pools without their own.
 */
const failureProcess = z.strictObject({
  process: z.literal('exponential'),
  mtbf: duration.refine((us) => us > 0, 'expected a positive duration').optional(),
  mttr: duration.refine((us) => us > 0, 'expected a positive duration').optional(),
  /**
   * How long a repair takes: exponential with mean mttr (the default), fixed
   * (exactly mttr), lognormal with mean mttr and `repairSigma` (the shape
   * field data fits: Schroeder & Gibson, "A large-scale study of failures in
   * high-performance computing systems", DSN 2006), or never (the node stays down).
   */
  repair: z.enum(['exponential', 'fixed', 'lognormal', 'never']).default('exponential'),
  /** σ of the logarithm of the repair time, for repair: lognormal. */
  repairSigma: z.number().positive().optional(),
  /** The pools whose nodes fail (default: every pool). */
  pools: z.array(name).min(1).optional(),
});

export type ListedFailure = z.output<typeof nodeFailure>;
export type FailureProcessSpec = z.output<typeof failureProcess>;
export type FailureSpec = ListedFailure | FailureProcessSpec;

/** Whether a `failures` entry is a random failure process rather than a listed failure. */
export function isFailureProcess(f: FailureSpec): f is FailureProcessSpec {
  return 'process' in f;
}

/**
 * A `failures` entry: a process when it says `process`, else a listed
 * failure. Dispatched on that key rather than a z.union, so an error names
 * the field that is wrong instead of "Invalid input" for the union.
 */
const failureEntry = z.unknown().transform((v, ctx): FailureSpec => {
  const isProcess = typeof v === 'object' && v !== null && 'process' in v;
  const parsed = isProcess ? failureProcess.safeParse(v) : nodeFailure.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: v });
  }
  return z.NEVER;
});

/**
 * The node lifecycle controller's timings (kube-controller-manager): a node
 * that stops reporting is marked NotReady after the grace period (50 s since
 * Kubernetes v1.32, 40 s before; --node-monitor-grace-period), and its pods
 * are evicted when their toleration of node.kubernetes.io/unreachable runs
 * out (300 s, added by the DefaultTolerationSeconds admission plugin).
 */
const nodeLifecycle = z
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
const runtime = z.strictObject({
  /** Image sizes as pulled, by image name; every image a pod names must be here or on a pool's images. */
  images: z.record(z.string().min(1), raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, 'bytes')))).default({}),
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

const controlPlane = z.strictObject({
  /** Which datastore's defaults apply; the stack's datastore when absent, else etcd. */
  datastore: z.enum(['etcd', 'sqlite', 'external']).optional(),
  maxWriteRate: z.number().positive().optional(),
  writeLatency: duration.optional(),
  controllerQps: z.number().positive().default(20),
  controllerBurst: z.number().int().min(1).default(30),
  schedulerQps: z.number().positive().default(50),
  schedulerBurst: z.number().int().min(1).default(100),
});

const workload = z.strictObject({
  services: z.array(service).default([]),
  jobs: z.array(job).default([]),
  streams: z.array(stream).default([]),
});

export const scenarioSchema = z
  .strictObject({
    name,
    description: z.string().default(''),
    platform: z.enum(['kubernetes', 'k3s', 'none']).default('none'),
    /**
     * The deployment stack on the platform (datastore, CNI, kube-proxy,
     * ingress, agents). With it the platform takes its share of every node:
     * reserved resources, control-plane and DaemonSet pods, add-ons.
     */
    stack: stackSchema.optional(),
    /** Hardware profiles beyond the built-in catalog: a file (relative to the working directory) or `{ profiles: … }` inline. */
    catalog: z.union([z.string().min(1), catalogSchema]).optional(),
    cluster: z.strictObject({
      pools: z.array(pool).min(1),
      /** StorageClasses that local volumes and claims name. */
      storageClasses: z.array(storageClass).default([]),
    }),
    workload,
    /** A trace to replay: { format, files, options }, validated by src/workload/trace/options.ts when the run starts. */
    trace: z.record(z.string(), z.unknown()).optional(),
    simulation: z
      .strictObject({
        /** The run stops at this simulated time; by default when no event is left. */
        until: duration.optional(),
        /** Simulated time of one kube-scheduler scheduling cycle: perCycle + perNode × nodes evaluated (queue kube). */
        schedulingCost: z.strictObject({ perCycle: duration, perNode: duration }).optional(),
        nodeLifecycle,
      })
      .default({ nodeLifecycle: { monitorGracePeriod: 50 * 1_000_000, tolerationSeconds: 300 } }),
    failures: z.array(failureEntry).default([]),
    runtime: runtime.optional(),
    controlPlane: controlPlane.optional(),
    /** Read by `rackbench capacity`; validated here so `rackbench validate` checks capacity files too. */
    capacity: capacitySectionSchema.optional(),
    metrics: z
      .strictObject({
        /** The pod shape used to measure fragmentation: free capacity on nodes that cannot fit it. */
        probe: resourceMap.default({ cpu: 1000, memory: 2 * 2 ** 30 }),
        /** A node whose allocation of a resource reaches this share strands its other free resources. */
        strandedThreshold: z.number().gt(0).lte(1).default(0.95),
      })
      .default({ probe: { cpu: 1000, memory: 2 * 2 ** 30 }, strandedThreshold: 0.95 }),
    /**
     * Named schedulers, each a KubeSchedulerConfiguration (apiVersion
     * kubescheduler.config.k8s.io/v1), usable as `--scheduler <name>`.
     * Validated when the run builds the scheduler.
     */
    schedulers: z.record(name, z.record(z.string(), z.unknown())).default({}),
    /** What `rackbench run` uses when the command line does not say. */
    defaults: z
      .strictObject({
        seeds: z.array(z.number().int().nonnegative()).min(1).default([1]),
        schedulers: z.array(z.string().min(1)).min(1).optional(),
        queue: z.string().min(1).optional(),
        /** Whether `rackbench run` with no scenario arguments (and `npm start`) includes this scenario. */
        runByDefault: z.boolean().default(true),
        /** Run the scenario once per platform, identical otherwise (`name (platform=k3s)`); see src/runner/platform-variants.ts. */
        platforms: z.array(z.enum(['kubernetes', 'k3s'])).min(1).optional(),
      })
      .default({ seeds: [1], runByDefault: true }),
  })
  .check((payload) => {
    // Resolves hardware profiles, then the stack, in place on the freshly parsed value.
    const issues = applyProfiles(payload.value);
    if (issues.length === 0) issues.push(...applyStack(payload.value));
    for (const issue of issues) payload.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: payload.value });
  })
  .superRefine((s, ctx) => {
    // With a container runtime, every image a pod names needs a size, to be pulled.
    if (s.runtime !== undefined) {
      const known = new Set(Object.keys(s.runtime.images));
      for (const p of s.cluster.pools) for (const image of p.images) for (const n of image.names) known.add(n);
      if (s.runtime.imageGCLowThresholdPercent > s.runtime.imageGCHighThresholdPercent) {
        ctx.addIssue({ code: 'custom', message: 'imageGCLowThresholdPercent must not exceed imageGCHighThresholdPercent', path: ['runtime', 'imageGCLowThresholdPercent'], input: s.runtime });
      }
      for (const section of ['services', 'jobs', 'streams'] as const) {
        s.workload[section].forEach((item, i) =>
          item.images?.forEach((image, k) => {
            if (!known.has(image)) {
              ctx.addIssue({
                code: 'custom',
                message: `image "${image}" has no size: list it under runtime.images (e.g. ${image}: 200Mi) or in a pool's images`,
                path: ['workload', section, i, 'images', k],
                input: image,
              });
            }
          }),
        );
      }
    }
    // Every requested resource must exist on some pool, or no pod could ever use it.
    const declared = new Set(['cpu', 'memory', 'nvme', 'nic', 'pods']);
    for (const p of s.cluster.pools) for (const r of Object.keys(p.capacity)) declared.add(r);
    s.cluster.pools.forEach((p, i) => {
      for (const [r, v] of Object.entries(p.reserved)) {
        const cap = p.capacity[r] ?? 0;
        if (v > cap) {
          ctx.addIssue({
            code: 'custom',
            message: `reserved ${r} (${v}) exceeds the pool's capacity (${cap})`,
            path: ['cluster', 'pools', i, 'reserved', r],
            input: v,
          });
        }
      }
    });
    const checkRequests = (section: string, items: readonly { requests: Record<string, unknown> }[]) =>
      items.forEach((item, i) => {
        for (const r of Object.keys(item.requests)) {
          if (!declared.has(r)) {
            ctx.addIssue({
              code: 'custom',
              message: `no node pool has resource "${r}" in its capacity`,
              path: ['workload', section, i, 'requests', r],
              input: r,
            });
          }
        }
      });
    // Random streams are named after services, jobs and streams: two of one name would share draws.
    const seen = new Set<string>();
    for (const section of ['services', 'jobs', 'streams'] as const) {
      s.workload[section].forEach((item, i) => {
        if (seen.has(item.name)) {
          ctx.addIssue({
            code: 'custom',
            message: `the name "${item.name}" is used twice in the workload; give each service, job and stream its own name`,
            path: ['workload', section, i, 'name'],
            input: item.name,
          });
        }
        seen.add(item.name);
      });
    }
    // Storage classes: declared once, WaitForFirstConsumer, and named by every local volume and claim.
    const classes = new Set<string>();
    s.cluster.storageClasses.forEach((c, i) => {
      if (classes.has(c.name)) {
        ctx.addIssue({ code: 'custom', message: `storage class "${c.name}" is declared twice`, path: ['cluster', 'storageClasses', i, 'name'], input: c.name });
      }
      classes.add(c.name);
      if (c.volumeBindingMode === 'Immediate') {
        ctx.addIssue({
          code: 'custom',
          message: 'volumeBindingMode Immediate is not modelled (the PV controller would bind claims before scheduling, regardless of the pod); use WaitForFirstConsumer, as local volumes should',
          path: ['cluster', 'storageClasses', i, 'volumeBindingMode'],
          input: c.volumeBindingMode,
        });
      }
    });
    const undeclared = (className: string, path: PropertyKey[]): void => {
      if (!classes.has(className)) {
        ctx.addIssue({ code: 'custom', message: `storage class "${className}" is not declared under cluster.storageClasses`, path, input: className });
      }
    };
    s.cluster.pools.forEach((p, i) => p.localVolumes?.forEach((v, k) => undeclared(v.storageClass, ['cluster', 'pools', i, 'localVolumes', k, 'storageClass'])));
    for (const section of ['services', 'jobs', 'streams'] as const) {
      s.workload[section].forEach((item, i) => item.volumeClaims?.forEach((c, k) => undeclared(c.storageClass, ['workload', section, i, 'volumeClaims', k, 'storageClass'])));
    }
    checkFailureProcesses(s, ctx);
    checkRequests('services', s.workload.services);
    checkRequests('jobs', s.workload.jobs);
    checkRequests('streams', s.workload.streams);
    s.workload.streams.forEach((st, i) => {
      if (st.arrival.process === 'burst' && (st.arrival.every === undefined) === (st.arrival.at === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message: 'a burst arrival needs exactly one of "every" or "at"',
          path: ['workload', 'streams', i, 'arrival'],
          input: st.arrival,
        });
      }
      const unbounded = st.count === undefined && st.stop === undefined && s.simulation.until === undefined;
      const finiteBursts = st.arrival.process === 'burst' && st.arrival.at !== undefined;
      if (unbounded && !finiteBursts) {
        ctx.addIssue({
          code: 'custom',
          message: 'an endless stream: give "count" or "stop" here, or "simulation.until"',
          path: ['workload', 'streams', i],
          input: st,
        });
      }
    });
  });

/**
 * A failure process needs a horizon (simulation.until), pools that exist and
 * are covered once, and for each covered pool an mtbf and (unless repair is
 * never) an mttr, from the pool, its profile or the entry.
 */
function checkFailureProcesses(
  s: {
    failures: readonly FailureSpec[];
    simulation: { until?: number | undefined };
    cluster: { pools: readonly { name: string; count: number; mtbf?: number | undefined; mttr?: number | undefined }[] };
  },
  ctx: Ctx,
): void {
  const coveredBy = new Map<string, number>();
  s.failures.forEach((f, i) => {
    if (!isFailureProcess(f)) return;
    const at = (...path: PropertyKey[]): PropertyKey[] => ['failures', i, ...path];
    const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', message, path, input: f });
    if (s.simulation.until === undefined) {
      issue(at('process'), 'a failure process draws failures up to simulation.until: give simulation.until (e.g. until: 30d)');
    }
    if (f.repair === 'lognormal' && f.repairSigma === undefined) {
      issue(at('repairSigma'), 'repair: lognormal needs repairSigma, the σ of the logarithm of the repair time (e.g. repairSigma: 1)');
    }
    if (f.repair !== 'lognormal' && f.repairSigma !== undefined) {
      issue(at('repairSigma'), `repairSigma is for repair: lognormal, and this entry's repair is ${f.repair}`);
    }
    if (f.repair === 'never' && f.mttr !== undefined) {
      issue(at('mttr'), 'mttr has no use with repair: never (failed nodes stay down); remove one of them');
    }
    const known = new Set(s.cluster.pools.map((p) => p.name));
    f.pools?.forEach((pool, k) => {
      if (!known.has(pool)) issue(at('pools', k), `no pool "${pool}" in cluster.pools (pools: ${[...known].join(', ')})`);
    });
    for (const pool of s.cluster.pools) {
      if (f.pools !== undefined && !f.pools.includes(pool.name)) continue;
      const other = coveredBy.get(pool.name);
      if (other !== undefined) {
        issue(at(f.pools === undefined ? 'process' : 'pools'), `pool "${pool.name}" already fails by failures[${other}]; give each pool one failure process (list pools in each)`);
        continue;
      }
      coveredBy.set(pool.name, i);
      if (pool.count === 0) continue;
      if (pool.mtbf === undefined && f.mtbf === undefined) {
        issue(at('mtbf'), `pool "${pool.name}" has no mtbf: give mtbf here (e.g. mtbf: 90d), on the pool or on its hardware profile`);
      }
      if (f.repair !== 'never' && pool.mttr === undefined && f.mttr === undefined) {
        issue(at('mttr'), `pool "${pool.name}" has no mttr: give mttr here (e.g. mttr: 8h), on the pool or on its hardware profile, or say repair: never`);
      }
    }
  });
}

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type PoolSpec = Scenario['cluster']['pools'][number];
export type ServiceSpec = Scenario['workload']['services'][number];
export type JobSpec = Scenario['workload']['jobs'][number];
export type StreamSpec = Scenario['workload']['streams'][number];
export type { Labels, Taint, Toleration };
