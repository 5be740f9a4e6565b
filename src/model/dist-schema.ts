/**
 * Sampled quantities of a scenario's jobs and streams (run times, requests):
 * a plain quantity (fixed) or a distribution, in integer units fixed by where
 * it is used.
 */
import { z } from 'zod';
import { parseDuration, parseQuantity } from './quantity.js';
import type { QuantityUnit } from './quantity.js';
import { unitOf } from './resources.js';
import { convert, raw } from './schema-fields.js';

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
export function distOf(parse: (v: string | number) => number) {
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

/** A run time: a duration or a distribution of durations, in µs. */
export const durationDist = distOf(parseDuration);

/** Per-resource request distributions; each resource is converted in its own unit. */
export const requestDists = z.record(z.string(), z.unknown()).transform((rec, ctx) => {
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
