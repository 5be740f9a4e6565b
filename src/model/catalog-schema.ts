/** The schemas of the hardware catalog and of a pool's hardware fields (no loaders: catalog.ts reads the files). */
import { z } from 'zod';
import { bytes, dnsName, duration, quantity, resourceMapSchema } from './schema-fields.js';

const cpus = quantity('millicores');
const bitsPerSecond = quantity('bitsPerSecond');

/** A duration above zero, in µs. */
const positiveDuration = duration.refine((us) => us > 0, 'expected a positive duration');

/**
 * A machine's reliability, for a failure process (`failures: [{ process: exponential }]`):
 * `mtbf` is the mean up time from start or repair to the next failure, `mttr`
 * the mean time a failed machine stays down. Neither has a default: the
 * catalog ships no figures, since published fleet studies measure whole
 * systems and sites, not these models; give your own (or your vendor's).
 */
export const reliabilityFields = {
  mtbf: positiveDuration.optional(),
  mttr: positiveDuration.optional(),
};

export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

/** What a pool may say (or override) about its machines beyond their capacity. */
export const hardwareSchema = z.strictObject({
  description: z.string().optional(),
  arch: z.enum(ARCHES).optional(),
  /** The medium behind the `nvme` (local storage) resource. */
  storageType: z.enum(['nvme', 'ssd', 'hdd', 'sd', 'emmc']).optional(),
  /**
   * Bytes per second the local storage reads and writes in all, shared among
   * the pods that use it (`usage: { nvmeRead, nvmeWrite }`); absent: not a bottleneck.
   */
  storageBandwidth: bytes.refine((b) => b > 0, 'expected a positive bandwidth').optional(),
  /** Rack units one machine takes (0 for boards and desktop boxes on a shelf). */
  rackUnits: z.number().nonnegative().optional(),
  /** Wall power, idle and at full load. */
  idleWatts: z.number().nonnegative().optional(),
  maxWatts: z.number().nonnegative().optional(),
  /** US dollars; `date` is when the price held (YYYY-MM); basis list, street or estimate. */
  price: z
    .strictObject({
      usd: z.number().nonnegative(),
      date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM or YYYY-MM-DD'),
      basis: z.enum(['list', 'street', 'estimate']),
    })
    .optional(),
});
export type Hardware = z.output<typeof hardwareSchema>;

/** One catalog entry, as written in the catalog file. */
const profileSchema = z
  .strictObject({
    description: z.string().min(1),
    arch: z.enum(ARCHES),
    /** Logical CPUs as the kubelet reports them. */
    cpu: cpus,
    memory: bytes,
    storage: z.strictObject({ type: z.enum(['nvme', 'ssd', 'hdd', 'sd', 'emmc']), size: bytes, bandwidth: bytes.optional() }),
    nic: bitsPerSecond,
    rackUnits: z.number().nonnegative(),
    idleWatts: z.number().nonnegative(),
    maxWatts: z.number().positive(),
    price: z.strictObject({
      usd: z.number().nonnegative(),
      date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM or YYYY-MM-DD'),
      basis: z.enum(['list', 'street', 'estimate']),
    }),
    /** Extended resources (e.g. `gpu`) and `pods` (kubelet --max-pods), if not the default 110. */
    extended: resourceMapSchema.optional(),
    /** Optional reliability figures (see reliabilityFields); a pool's own mtbf and mttr override them. */
    ...reliabilityFields,
  })
  .refine((p) => p.idleWatts <= p.maxWatts, { message: 'idleWatts must not exceed maxWatts', path: ['idleWatts'] });

export const catalogSchema = z.strictObject({ profiles: z.record(dnsName, profileSchema) });
export type CatalogInput = z.input<typeof catalogSchema>;

