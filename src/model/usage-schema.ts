/**
 * What a pod uses, as opposed to what it requests (`usage:`), and what its
 * container may use at most (`limits:`).
 *
 *   usage:
 *     cpu: 1500m             # cores it would use alone (a quantity or a distribution drawn per pod)
 *     memory: 3Gi            # working set
 *     nvmeRead: 200M         # NVMe bandwidth it reads and writes, bytes per second
 *     nvmeWrite: 50M
 *     nic: 2G                # network bandwidth, bits per second
 *     phases:                # optional piecewise profile; a phase's missing values are the ones above
 *       - { for: 30s, cpu: 200m, memory: 1Gi }
 *       - { cpu: 4 }         # the last phase may run to the end
 *   limits: { cpu: 2, memory: 4Gi }
 *
 * A batch pod (a job's or stream's) has an amount of work: its run time at
 * the usage it asks for, so contention stretches it; its phases are measured
 * in that uncontended time. A service's phases are wall-clock time.
 */
import { z } from 'zod';
import { distOf } from './dist-schema.js';
import type { Dist } from './dist-schema.js';
import { parseDuration, parseQuantity } from './quantity.js';
import { convert, raw, resourceMapSchema } from './schema-fields.js';

const cpu = distOf((v) => parseQuantity(v, 'millicores'));
const bytes = distOf((v) => parseQuantity(v, 'bytes'));
const bits = distOf((v) => parseQuantity(v, 'bitsPerSecond'));
const fixed = (unit: 'millicores' | 'bytes' | 'bitsPerSecond') => raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, unit)));

const phase = z.strictObject({
  /** How long the phase lasts (batch pods: uncontended time); absent on the last phase: to the end. */
  for: raw.transform((v, ctx) => convert(v, ctx, parseDuration)).refine((us) => us > 0, 'expected a positive duration').optional(),
  cpu: fixed('millicores').optional(),
  memory: fixed('bytes').optional(),
  nvmeRead: fixed('bytes').optional(),
  nvmeWrite: fixed('bytes').optional(),
  nic: fixed('bitsPerSecond').optional(),
});

const usageValues = {
  cpu: cpu.optional(),
  memory: bytes.optional(),
  nvmeRead: bytes.optional(),
  nvmeWrite: bytes.optional(),
  nic: bits.optional(),
};

export const usageSchema = z
  .strictObject({
    ...usageValues,
    phases: z.array(phase).min(1).optional(),
  })
  .refine((u) => u.phases === undefined || u.phases.slice(0, -1).every((p) => p.for !== undefined), {
    message: 'every phase but the last needs `for`',
    path: ['phases'],
  });

export type UsageSpec = z.output<typeof usageSchema>;

/** One container's usage: constant over its run (phases belong to a pod without `containers:`). */
export const containerUsageSchema = z.strictObject(usageValues);
export type ContainerUsageSpec = z.output<typeof containerUsageSchema>;
export type UsagePhaseSpec = z.output<typeof phase>;

/** A pod's container limits by resource (cpu in millicores, memory in bytes, …). */
export const limitsSchema = resourceMapSchema;

/** The values of a usage spec that are drawn per pod. */
export const USAGE_DIMENSIONS = ['cpu', 'memory', 'nvmeRead', 'nvmeWrite', 'nic'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];
export type UsageDists = Partial<Record<UsageDimension, Dist>>;

/** The largest value a distribution can draw, or Infinity when it has no bound. */
export function distMax(d: Dist): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.max;
    case 'choice':
      return Math.max(...d.values);
    default:
      return d.max ?? Infinity;
  }
}

interface WithLimits<R> {
  readonly requests: R;
  readonly limits?: Readonly<Record<string, number>> | undefined;
}

/**
 * API defaulting and validation of a container's limits (core/v1
 * SetDefaults_Pod and ValidateResourceRequirements): a resource with a limit
 * and no request requests its limit; a request may not exceed its limit, and
 * an extended resource's request must equal its limit. Requests are fixed
 * quantities (services) or distributions (jobs, streams), whose largest draw
 * is checked.
 */
export function checkLimits<R extends Readonly<Record<string, number | Dist>>>(spec: WithLimits<R>, ctx: z.core.$RefinementCtx): R {
  const limits = spec.limits;
  if (limits === undefined) return spec.requests;
  const requests: Record<string, number | Dist> = { ...spec.requests };
  const fixedValues = Object.values(spec.requests).every((v) => typeof v === 'number');
  for (const [name, limit] of Object.entries(limits)) {
    const request = requests[name];
    if (request === undefined) {
      requests[name] = fixedValues ? limit : { dist: 'fixed', value: limit };
      continue;
    }
    const most = typeof request === 'number' ? request : distMax(request);
    const builtin = name === 'cpu' || name === 'memory' || name === 'nvme' || name === 'nic' || name === 'pods';
    if (!builtin && most !== limit) {
      ctx.addIssue({ code: 'custom', message: `an extended resource's request must equal its limit (${limit})`, path: ['requests', name], input: request });
    } else if (most > limit) {
      const message = Number.isFinite(most) ? `the request (at most ${most}) must not exceed the limit (${limit})` : `the request's distribution has no max; give a max at most the limit (${limit})`;
      ctx.addIssue({ code: 'custom', message, path: ['requests', name], input: request });
    }
  }
  return requests as R;
}
