/**
 * The `capacity:` section of a scenario, read by `rackbench capacity` (see
 * src/capacity/capacity-file.ts and docs/capacity.md); other commands validate
 * it and leave it alone.
 */
import { z } from 'zod';
import { duration } from './schema-fields.js';

const positive = z.number().positive();

/** Defaults for racks, power and prices; each is an assumption to replace with your own figures (docs/capacity.md). */
export const RACK_DEFAULTS = {
  /** EIA-310 full-height rack. */
  units: 42,
  /** One 1U top-of-rack switch. */
  torUnits: 1,
  /** A 48-port 25GbE ToR switch (e.g. Dell S5248F-ON: 48× SFP28 in 1U). */
  torPorts: 48,
  portsPerNode: 1,
  /** ASSUMPTION: 8 kW per rack, a common air-cooled enterprise budget; use your facility's. */
  powerKw: 8,
  budgetAt: 'max' as 'max' | 'peak',
};

export const COST_DEFAULTS = {
  /** ASSUMPTION: five-year straight-line amortization. */
  amortizationMonths: 60,
  /** ASSUMPTION: USD per kWh. */
  usdPerKwh: 0.15,
  /** ASSUMPTION: facility power ÷ IT power. */
  pue: 1.5,
  /** ASSUMPTION: no separate space cost (owned floor); set a colocation price per rack. */
  rackUsdPerMonth: 0,
};

const platformName = z.enum(['kubernetes', 'k3s', 'none']);

export const capacitySectionSchema = z.strictObject({
  /** The pool to size; default: the first pool whose role is not server. */
  pool: z.string().min(1).optional(),
  /** Hardware profiles to try (the command line's --profiles wins). */
  profiles: z.array(z.string().min(1)).min(1).optional(),
  platforms: z.array(platformName).min(1).optional(),
  growth: z.array(positive).min(1).optional(),
  /** `metric op value` terms: a comma-separated string or a list. */
  slo: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Seeds 1 … seeds are run for every count; every one must meet every SLO. */
  seeds: z.number().int().positive().optional(),
  /** Placement policy of the runs; default: the scenario's first defaults.schedulers, else kube-default. */
  scheduler: z.string().min(1).optional(),
  maxNodes: z.number().int().positive().optional(),
  survive: z.number().int().nonnegative().optional(),
  surviveSelect: z.enum(['most-loaded', 'every', 'random']).optional(),
  /** The moment of peak demand, where survive's first failure evicts its pods; default: the middle of the run (simulation.until ÷ 2). */
  peak: duration.optional(),
  /** The end of the busy period: the last survive failure time; default: simulation.until − (grace period + toleration). */
  busyUntil: duration.optional(),
  /** A stack per platform, used when the candidate's platform is not the scenario's own. */
  stacks: z.partialRecord(z.enum(['kubernetes', 'k3s']), z.record(z.string(), z.unknown())).optional(),
  rack: z
    .strictObject({
      units: z.number().int().positive().optional(),
      torUnits: z.number().nonnegative().optional(),
      torPorts: z.number().int().positive().optional(),
      portsPerNode: z.number().int().positive().optional(),
      powerKw: positive.optional(),
      budgetAt: z.enum(['max', 'peak']).optional(),
    })
    .optional(),
  cost: z
    .strictObject({
      amortizationMonths: positive.optional(),
      usdPerKwh: z.number().nonnegative().optional(),
      pue: z.number().min(1).optional(),
      rackUsdPerMonth: z.number().nonnegative().optional(),
    })
    .optional(),
});
export type CapacitySection = z.output<typeof capacitySectionSchema>;
