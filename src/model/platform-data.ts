/**
 * The platform defaults file, `scenarios/catalog/platforms.yaml`: every figure
 * the platform model uses (reservation rules, static pods, DaemonSets,
 * add-ons, priorities), each with its source in a comment there.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { catalogDir } from './catalog.js';
import { bytes, quantity, resourceMapSchema } from './schema-fields.js';
import { parseYaml, validateWith } from './yaml-input.js';

const millicores = quantity('millicores');
const tiers = <T extends z.ZodType<number>>(q: T) => z.array(z.strictObject({ upTo: q.optional(), share: z.number().min(0).max(1) })).min(1);

const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});
/** Where a figure comes from (an upstream file or a published page), shown where the figure is compared. */
const source = z.string().min(1).optional();
const taint = z.strictObject({ key: z.string().min(1), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), source });
const component = z.strictObject({ name: z.string().min(1), requests: resourceMapSchema, source });
const deployment = z.strictObject({
  name: z.string().min(1),
  replicas: z.number().int().positive(),
  requests: resourceMapSchema,
  /** A PriorityClass name from `priorities`; absent: priority 0 (ingress controllers) or system-cluster-critical (add-ons). */
  priority: z.enum(['system-node-critical', 'system-cluster-critical']).optional(),
  tolerations: z.array(toleration).default([]),
  source,
});
const addon = deployment.omit({ name: true });
const datastore = z.enum(['etcd', 'sqlite', 'external']);
const defaults = z.strictObject({
  datastore,
  /** The datastore when there is more than one server (k3s: embedded etcd). */
  haDatastore: datastore.optional(),
  cni: z.enum(['calico', 'cilium', 'flannel']),
  kubeProxy: z.enum(['iptables', 'ipvs', 'nftables', 'none']),
  ingress: z.enum(['nginx', 'traefik', 'none']),
  serversSchedulable: z.boolean(),
  metricsServer: z.boolean(),
});
const platform = z.strictObject({
  defaults,
  datastores: z.array(datastore).min(1),
  serverMinimum: z.strictObject({ cpu: millicores, memory: bytes }).optional(),
  serverLabels: z.record(z.string(), z.string()),
  etcdLabels: z.record(z.string(), z.string()).default({}),
  serverTaint: taint,
  staticPods: z.array(component.extend({ datastore: datastore.optional() })),
  kubeProxy: component.optional(),
  embedded: z.array(z.string()).default([]),
  embeddedSource: source,
  coredns: addon,
  metricsServer: addon,
  addons: z.array(deployment),
});
const perArch = <T extends z.ZodType>(t: T) => z.strictObject({ amd64: t, arm64: t });

export const platformDataSchema = z.strictObject({
  priorities: z.strictObject({ 'system-node-critical': z.number().int(), 'system-cluster-critical': z.number().int() }),
  /** The memory.available hard-eviction threshold each platform's kubelet applies (0: none), which allocatable leaves out. */
  evictionHard: z.strictObject({
    kubernetes: z.strictObject({ memory: bytes, source }),
    k3s: z.strictObject({ memory: bytes, source }),
  }),
  /** Reservation rules a stack may name (`stack.reserved: gke`). */
  reserved: z.strictObject({
    gke: z.strictObject({ cpu: tiers(z.number().nonnegative()), memory: tiers(bytes), memoryUnder1Gi: bytes }),
  }),
  /** Published measurements of process footprints that no pod requests (shown beside the requests, never reserved). */
  measured: z.strictObject({
    source: z.string().min(1),
    k3s: z.strictObject({
      server: perArch(z.strictObject({ cpu: millicores, memory: z.strictObject({ sqlite: bytes, etcd: bytes, external: bytes }) })),
      agent: perArch(z.strictObject({ cpu: millicores, memory: bytes })),
    }),
  }),
  platforms: z.strictObject({ kubernetes: platform, k3s: platform }),
  cnis: z.strictObject({
    calico: z.strictObject({ daemonset: component, deployments: z.array(deployment), replacesKubeProxy: z.boolean().default(false), embeddedIn: z.array(z.string()).default([]) }),
    cilium: z.strictObject({ daemonset: component, deployments: z.array(deployment), replacesKubeProxy: z.boolean().default(false), embeddedIn: z.array(z.string()).default([]) }),
    flannel: z.strictObject({ daemonset: component, deployments: z.array(deployment), replacesKubeProxy: z.boolean().default(false), embeddedIn: z.array(z.string()).default([]) }),
  }),
  ingresses: z.strictObject({
    nginx: z.strictObject({ deployments: z.array(deployment), k3sServiceLb: component.optional() }),
    traefik: z.strictObject({ deployments: z.array(deployment), k3sServiceLb: component.optional() }),
  }),
  agents: z.record(z.string(), z.strictObject({ requests: resourceMapSchema, source })),
});
export type PlatformData = z.output<typeof platformDataSchema>;

/** The platform defaults file shipped with the package. */
export function platformDataFile(): string {
  return join(catalogDir(), 'platforms.yaml');
}

let cached: PlatformData | undefined;

/** Reads and validates the platform defaults (once per process). Throws InputError naming the file and field. */
export function loadPlatformData(): PlatformData {
  if (cached === undefined) {
    const file = platformDataFile();
    const parsed = parseYaml(readFileSync(file, 'utf8'), file);
    cached = validateWith(platformDataSchema, parsed.data, file, parsed);
  }
  return cached;
}
