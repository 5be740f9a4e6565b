/**
 * A pod of several containers (`containers:`), each with its own requests,
 * limits and usage, in place of the pod-level `requests`, `limits` and
 * `usage`:
 *
 *   containers:
 *     - { name: app, image: app:1.0, requests: { cpu: 1, memory: 2Gi }, limits: { cpu: 2, memory: 3Gi }, usage: { cpu: 1500m, memory: 2500Mi } }
 *     - { name: sidecar, requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
 *
 * The pod requests the sum of its containers' requests, as the scheduler
 * counts them (PodRequests in k8s.io/component-helpers/resource/helpers.go,
 * without init containers or pod overhead), and its QoS class follows from
 * all its containers (model/qos.ts). Each container's limits and requests are
 * defaulted and checked as the API server does (checkLimits).
 */
import { z } from 'zod';
import type { Dist } from './dist-schema.js';
import { dnsName, resourceMapSchema } from './schema-fields.js';
import type { Ctx } from './schema-fields.js';
import { checkLimits, containerUsageSchema, limitsSchema } from './usage-schema.js';
import type { ContainerUsageSpec } from './usage-schema.js';

export const containerSchema = z
  .strictObject({
    name: dnsName,
    /** The container's image (ImageLocality, pulls); the pod's images are its containers' and any listed for the pod. */
    image: z.string().min(1).optional(),
    requests: resourceMapSchema.default({}),
    limits: limitsSchema.optional(),
    usage: containerUsageSchema.optional(),
  })
  .transform((c, ctx) => ({ ...c, requests: checkLimits(c, ctx) }));

export type ContainerSpec = z.output<typeof containerSchema>;

export const containersSchema = z
  .array(containerSchema)
  .min(1)
  .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, { message: 'two containers with the same name' });

interface PodResources<R> {
  readonly requests?: R | undefined;
  readonly limits?: Readonly<Record<string, number>> | undefined;
  readonly usage?: unknown;
  readonly images?: readonly string[] | undefined;
  readonly containers?: readonly ContainerSpec[] | undefined;
}

/**
 * The pod's requests, limits and images from its containers (`dists`: as
 * fixed distributions, for jobs and streams), or its own requests with their
 * limits checked. A pod gives one or the other.
 */
export function podResources<R extends Readonly<Record<string, number | Dist>>>(
  spec: PodResources<R>,
  ctx: Ctx,
  dists: boolean,
): { requests: R; limits: Readonly<Record<string, number>> | undefined; images: readonly string[] | undefined } {
  const cs = spec.containers;
  if (cs === undefined) {
    if (spec.requests === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected requests (or containers, each with its requests)', path: ['requests'], input: undefined });
      return { requests: {} as R, limits: spec.limits, images: spec.images };
    }
    return { requests: checkLimits({ requests: spec.requests, limits: spec.limits }, ctx), limits: spec.limits, images: spec.images };
  }
  for (const field of ['requests', 'limits', 'usage'] as const) {
    if (spec[field] !== undefined) {
      ctx.addIssue({ code: 'custom', message: `with containers, give ${field} per container, not for the pod`, path: [field], input: spec[field] });
    }
  }
  const sum: Record<string, number> = {};
  for (const c of cs) for (const [name, v] of Object.entries(c.requests)) sum[name] = (sum[name] ?? 0) + v;
  const requests = dists ? Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, { dist: 'fixed', value: v }])) : sum;
  const images = [...(spec.images ?? []), ...cs.flatMap((c) => (c.image === undefined ? [] : [c.image]))];
  return { requests: requests as R, limits: podLimits(cs), images: images.length === 0 ? undefined : images };
}

/** PodLimits (component-helpers/resource): each resource's limits summed over the containers that set one. */
export function podLimits(cs: readonly { readonly limits?: Readonly<Record<string, number>> | undefined }[]): Readonly<Record<string, number>> | undefined {
  const out: Record<string, number> = {};
  for (const c of cs) for (const [name, v] of Object.entries(c.limits ?? {})) out[name] = (out[name] ?? 0) + v;
  return Object.keys(out).length === 0 ? undefined : out;
}

export type { ContainerUsageSpec };
