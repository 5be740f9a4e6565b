/**
 * A scenario's `workload:` section: long-running services, Jobs and streams
 * of arriving pods.
 */
import { z } from 'zod';
import { MICROS_PER_SECOND } from '../core/ids.js';
import { durationDist, requestDists } from './dist-schema.js';
import { podFields } from './pod-schema.js';
import { containersSchema, podResources } from './containers-schema.js';
import { dnsName, duration, rate, resourceMapSchema } from './schema-fields.js';

/**
 * The node the workload's first pods are already bound to when the run
 * starts (a running pod of an imported cluster): they are placed there at
 * time 0 without a scheduling cycle, even past the node's allocatable.
 * Pods created later (replacements) are scheduled as usual.
 */
const boundAtStart = z.string().min(1).optional();
const BOUND_AT_START_RULES = 'boundAtStart needs at: 0 and no volumeClaims';
const boundAtStartRule = (w: { boundAtStart?: string | undefined; at: number; volumeClaims?: unknown }): boolean =>
  w.boundAtStart === undefined || (w.at === 0 && w.volumeClaims === undefined);

const service = z
  .strictObject({
    name: dnsName,
    replicas: z.number().int().positive(),
    at: duration.default(0),
    /** Absent when `containers` gives them. */
    requests: resourceMapSchema.optional(),
    containers: containersSchema.optional(),
    boundAtStart,
    ...podFields,
  })
  .refine(boundAtStartRule, { message: BOUND_AT_START_RULES, path: ['boundAtStart'] })
  .transform((s, ctx) => ({ ...s, ...podResources(s, ctx, false) }));

const job = z
  .strictObject({
    name: dnsName,
    at: duration.default(0),
    completions: z.number().int().positive(),
    parallelism: z.number().int().positive().default(1),
    duration: durationDist,
    requests: requestDists.optional(),
    containers: containersSchema.optional(),
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
    boundAtStart,
    ...podFields,
  })
  .refine((j) => j.gang?.minMember === undefined || j.gang.minMember <= Math.min(j.parallelism, j.completions), {
    message: 'expected at most min(parallelism, completions): more pods never run at once',
    path: ['gang', 'minMember'],
  })
  .refine((j) => boundAtStartRule(j) && (j.boundAtStart === undefined || j.gang === undefined), {
    message: `${BOUND_AT_START_RULES} (nor a gang)`,
    path: ['boundAtStart'],
  })
  .transform((j, ctx) => ({ ...j, ...podResources(j, ctx, true) }));

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

const stream = z
  .strictObject({
    name: dnsName,
    arrival,
    start: duration.default(0),
    /** Arrivals stop at this time or after `count` pods, whichever comes first. */
    stop: duration.optional(),
    count: z.number().int().positive().optional(),
    duration: durationDist,
    requests: requestDists.optional(),
    containers: containersSchema.optional(),
    ...podFields,
  })
  .transform((s, ctx) => ({ ...s, ...podResources(s, ctx, true) }));

export const workloadSchema = z.strictObject({
  services: z.array(service).default([]),
  jobs: z.array(job).default([]),
  streams: z.array(stream).default([]),
});
