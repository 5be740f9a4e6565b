/**
 * A trace reference — format, files and options — as plain data (it travels
 * inside the scenario to worker threads), and its validation. Options come
 * from a scenario's `trace.options` or from `--trace-option key=value`.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { parseDuration, parseQuantity, QuantityError } from '../../model/quantity.js';
import { GIB } from './fields.js';
import type { TraceOptions } from './types.js';

/** A trace as a scenario or the command line names it. */
export interface TraceRef {
  readonly format: string;
  readonly files: readonly string[];
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

export const DEFAULT_TRACE_OPTIONS: TraceOptions = {
  window: { start: 0, end: Infinity },
  sample: 1,
  sampleSeed: 0,
  compress: 1,
  machineCpu: 64_000,
  machineMemory: 256 * GIB,
  gpuResource: 'nvidia.com/gpu',
  gpuShare: 'whole',
  strict: false,
  reorder: 100_000,
  openLimit: 1_000_000,
  machineEvents: 'failures',
  usage: false,
};

/** The values of the machineEvents option. */
export const MACHINE_EVENTS_MODES = ['failures', 'ignore'] as const;

type Ctx = z.core.$RefinementCtx;
const raw = z.union([z.string(), z.number()]);

function convert<T>(v: string | number, ctx: Ctx, parse: (v: string | number) => T): T {
  try {
    return parse(v);
  } catch (e) {
    if (e instanceof QuantityError) {
      ctx.addIssue({ code: 'custom', message: e.message, input: v });
      return z.NEVER;
    }
    throw e;
  }
}

const number = raw.transform((v, ctx) => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(v)}`, input: v });
    return z.NEVER;
  }
  return n;
});
const bool = z.union([z.boolean(), z.enum(['true', 'false', '']).transform((s) => s !== 'false')]);

/** `START..END` in trace time (durations such as 0s..2h; END may be left out). */
const windowText = z.string().transform((s, ctx) => {
  const m = s.trim().split('..');
  if (m.length !== 2) {
    ctx.addIssue({ code: 'custom', message: `expected START..END, e.g. 1h..3h or 0..600 (seconds) or 2h.. (to the end), got ${JSON.stringify(s)}`, input: s });
    return z.NEVER;
  }
  const start = m[0] === '' ? 0 : convert(m[0]!, ctx, parseDuration);
  const end = m[1] === '' ? Infinity : convert(m[1]!, ctx, parseDuration);
  if (end <= start) ctx.addIssue({ code: 'custom', message: `the window ends (${m[1]}) before it starts (${m[0]})`, input: s });
  return { start, end };
});

export const traceOptionsSchema = z.strictObject({
  /** Trace time kept, START..END; times are shifted so START is 0. */
  window: windowText.optional(),
  sample: number.refine((n) => n > 0 && n <= 1, 'expected a share in (0, 1]').optional(),
  sampleSeed: number.refine((n) => Number.isSafeInteger(n) && n >= 0, 'expected a non-negative integer').optional(),
  compress: number.refine((n) => n > 0, 'expected a positive factor').optional(),
  machineCpu: raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, 'millicores'))).optional(),
  machineMemory: raw.transform((v, ctx) => convert(v, ctx, (x) => parseQuantity(x, 'bytes'))).optional(),
  gpuResource: z.string().regex(/^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/, 'expected a resource name such as nvidia.com/gpu').optional(),
  gpuShare: z.enum(['whole', 'milli']).optional(),
  strict: bool.optional(),
  /** Replay what pods use from the trace's usage columns (alibaba-2018 cpu_avg/mem_avg, google-2019 instance_usage average_usage, azure-vm avgcpu). */
  usage: bool.optional(),
  reorder: number.refine((n) => Number.isSafeInteger(n) && n >= 1, 'expected a positive integer').optional(),
  openLimit: number.refine((n) => Number.isSafeInteger(n) && n >= 1, 'expected a positive integer').optional(),
  machineEvents: z
    .enum(MACHINE_EVENTS_MODES, {
      error: (i) => `expected ${MACHINE_EVENTS_MODES.join(' or ')} (what machine ADD and REMOVE events do), got ${JSON.stringify(i.input)}`,
    })
    .optional(),
});

export const traceRefSchema = z.strictObject({
  format: z.string().min(1),
  files: z.array(z.string().min(1)).min(1),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The option names, for messages. */
export const TRACE_OPTION_NAMES = Object.keys(traceOptionsSchema.shape);

/** Validated options with defaults. Throws UsageError naming the option. */
export function traceOptions(raw: Readonly<Record<string, unknown>> | undefined, where: string): TraceOptions {
  const parsed = traceOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const key = i.path.map(String).join('.');
      return i.code === 'unrecognized_keys'
        ? `unknown trace option ${i.keys.join(', ')}; the options are ${TRACE_OPTION_NAMES.join(', ')}`
        : `trace option ${key}: ${i.message}`;
    });
    throw new UsageError(`${where}: ${issues.join('; ')}`);
  }
  const o = parsed.data;
  const d = DEFAULT_TRACE_OPTIONS;
  return {
    window: o.window ?? d.window,
    sample: o.sample ?? d.sample,
    sampleSeed: o.sampleSeed ?? d.sampleSeed,
    compress: o.compress ?? d.compress,
    machineCpu: o.machineCpu ?? d.machineCpu,
    machineMemory: o.machineMemory ?? d.machineMemory,
    gpuResource: o.gpuResource ?? d.gpuResource,
    gpuShare: o.gpuShare ?? d.gpuShare,
    strict: o.strict ?? d.strict,
    reorder: o.reorder ?? d.reorder,
    openLimit: o.openLimit ?? d.openLimit,
    machineEvents: o.machineEvents ?? d.machineEvents,
    usage: o.usage ?? d.usage,
  };
}

/** `FORMAT:file1,file2` → format and files. Throws UsageError. */
export function parseTraceArgument(arg: string): { format: string; files: string[] } {
  const colon = arg.indexOf(':');
  const files = colon < 0 ? [] : arg.slice(colon + 1).split(',').filter((f) => f !== '');
  if (colon <= 0 || files.length === 0) {
    throw new UsageError(`--trace ${arg}: expected FORMAT:FILE[,FILE…], e.g. alibaba-gpu2023:nodes.csv,pods.csv`);
  }
  return { format: arg.slice(0, colon), files };
}

/** `key=value` flags (kebab-case or camelCase keys; a bare key is true) → an options record. */
export function optionsFromFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = (eq < 0 ? flag : flag.slice(0, eq)).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    out[key] = eq < 0 ? 'true' : flag.slice(eq + 1);
  }
  return out;
}
