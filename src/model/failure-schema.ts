/**
 * A scenario's `failures:` entries: node failures at listed times, and
 * random failure processes from MTBF and MTTR.
 */
import { z } from 'zod';
import { dnsName, duration } from './schema-fields.js';

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
  pools: z.array(dnsName).min(1).optional(),
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
export const failureEntrySchema = z.unknown().transform((v, ctx): FailureSpec => {
  const isProcess = typeof v === 'object' && v !== null && 'process' in v;
  const parsed = isProcess ? failureProcess.safeParse(v) : nodeFailure.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: v });
  }
  return z.NEVER;
});
