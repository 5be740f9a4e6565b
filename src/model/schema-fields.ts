/**
 * Zod fields shared by the schemas of scenario, catalog and platform files.
 * Quantities, durations and rates are converted here to the engine's integer
 * units (millicores, bytes, bits/s, counts, microseconds), so an error names
 * its field and nothing downstream parses text.
 */
import { z } from 'zod';
import { parseDuration, parseQuantity, parseRate, QuantityError } from './quantity.js';
import type { QuantityUnit } from './quantity.js';
import { unitOf } from './resources.js';

export type Ctx = z.core.$RefinementCtx;

/**
 * A quantity as written: text such as "500m" or "4Gi", or a plain number.
 * Infinite numbers (YAML reads 400 digits as Infinity, `.inf` too) and NaN are
 * let through to the parsers, whose message says what is wrong with them.
 */
/** Any JavaScript number, Infinity and NaN included (JSON Schema: a number). */
export const NUMBER_AS_WRITTEN = z.custom<number>((v) => typeof v === 'number');
export const raw = z.union([z.string(), z.number(), NUMBER_AS_WRITTEN]);

/** Converts with `parse`, turning a QuantityError into an issue at this path. */
export function convert<T>(value: string | number, ctx: Ctx, parse: (v: string | number) => T, path: PropertyKey[] = []): T {
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

/** A quantity in `unit`. */
export function quantity(unit: QuantityUnit) {
  return raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, unit)));
}

export const bytes = quantity('bytes');
/** A duration, in µs. */
export const duration = raw.transform((v, ctx) => convert(v, ctx, parseDuration));
/** A rate, per second. */
export const rate = raw.transform((v, ctx) => convert(v, ctx, parseRate));

export const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a lowercase DNS-style name (a-z, 0-9, "-", ".")');
export const labels = z.record(z.string(), z.string());

/** A map from resource name to quantity, each converted in its resource's unit (cpu → millicores, …). */
export const resourceMapSchema = z.record(z.string(), raw).transform((rec, ctx) => {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(rec)) out[key] = convert(value, ctx, (v) => parseQuantity(v, unitOf(key)), [key]);
  return out;
});
