/**
 * KubeSchedulerConfiguration (apiVersion kubescheduler.config.k8s.io/v1), the
 * part that decides placement: profiles, plugins enabled and disabled per
 * extension point, weights, pluginConfig args and percentageOfNodesToScore.
 * Merged with the defaults as upstream's mergePlugins does.
 */
import { z } from 'zod';
import { DEFAULT_PLUGINS, KUBE_PLUGINS, NO_OP_PLUGINS, NOT_YET_MODELLED } from './registry.js';
import type { ExtensionPoint } from './registry.js';

const pluginRef = z.strictObject({ name: z.string().min(1), weight: z.number().int().min(0).optional() });
const pluginSet = z.strictObject({
  enabled: z.array(pluginRef).default([]),
  disabled: z.array(z.strictObject({ name: z.string().min(1) })).default([]),
});
const POINTS = ['multiPoint', 'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;

const profile = z.strictObject({
  schedulerName: z.string().default('default-scheduler'),
  percentageOfNodesToScore: z.number().int().min(0).max(100).optional(),
  plugins: z.strictObject(Object.fromEntries(POINTS.map((p) => [p, pluginSet.optional()])) as Record<(typeof POINTS)[number], z.ZodOptional<typeof pluginSet>>).optional(),
  pluginConfig: z.array(z.strictObject({ name: z.string().min(1), args: z.unknown() })).default([]),
});

export const kubeSchedulerConfigurationSchema = z.strictObject({
  apiVersion: z.literal('kubescheduler.config.k8s.io/v1'),
  kind: z.literal('KubeSchedulerConfiguration'),
  parallelism: z.number().int().positive().optional(),
  percentageOfNodesToScore: z.number().int().min(0).max(100).default(0),
  podInitialBackoffSeconds: z.number().int().positive().default(1),
  podMaxBackoffSeconds: z.number().int().positive().default(10),
  profiles: z.array(profile).min(1).default([{ schedulerName: 'default-scheduler', pluginConfig: [] }]),
  // Fields that do not affect placement are accepted and ignored.
  clientConnection: z.unknown().optional(),
  leaderElection: z.unknown().optional(),
  enableProfiling: z.boolean().optional(),
  enableContentionProfiling: z.boolean().optional(),
  healthzBindAddress: z.string().optional(),
  metricsBindAddress: z.string().optional(),
  extenders: z.array(z.unknown()).max(0, 'scheduler extenders are not modelled').optional(),
  delayCacheUntilActive: z.boolean().optional(),
});

export type KubeSchedulerConfiguration = z.output<typeof kubeSchedulerConfigurationSchema>;

/**
 * A scenario's KubeSchedulerConfiguration, read once per run: the parsed
 * configuration, or what is wrong with it (reported when a policy is built
 * from it, so a run that does not use it is not failed by it).
 */
export type KubeConfigReading =
  | { readonly configuration: KubeSchedulerConfiguration; readonly problem?: undefined }
  | { readonly configuration?: undefined; readonly problem: string };

/** Reads a KubeSchedulerConfiguration as the scenario gives it (plain data). */
export function readKubeSchedulerConfiguration(config: unknown): KubeConfigReading {
  const parsed = kubeSchedulerConfigurationSchema.safeParse(config);
  if (parsed.success) return { configuration: parsed.data };
  return { problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** The plugins of one profile, per extension point, in order, with their args and score weights. */
export interface ResolvedProfile {
  readonly percentageOfNodesToScore: number;
  readonly preFilter: readonly string[];
  readonly filter: readonly string[];
  /** PostFilter plugins (DefaultPreemption). */
  readonly postFilter: readonly string[];
  readonly preScore: readonly string[];
  readonly score: readonly { readonly name: string; readonly weight: number }[];
  readonly args: ReadonlyMap<string, unknown>;
  /** Enabled default plugins that are not modelled yet (skipped). */
  readonly skipped: readonly string[];
}

/** Thrown for a configuration rackbench cannot honour; the message names the plugin. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

type Entry = { name: string; weight?: number | undefined };

/** Defaults minus disabled ("*" drops all), custom entries replacing defaults of the same name in place, others appended. */
function merge(defaults: readonly Entry[], set: z.output<typeof pluginSet> | undefined): Entry[] {
  if (set === undefined) return [...defaults];
  const disabled = new Set(set.disabled.map((d) => d.name));
  const custom = new Map(set.enabled.map((e) => [e.name, e]));
  const out: Entry[] = [];
  for (const d of defaults) {
    if (disabled.has('*') || disabled.has(d.name)) continue;
    const c = custom.get(d.name);
    out.push(c ? { name: d.name, weight: c.weight ?? d.weight } : d);
    custom.delete(d.name);
  }
  for (const e of set.enabled) if (custom.has(e.name)) out.push(e);
  return out;
}

/** Resolves a profile (the first, or the one named `schedulerName`) against the defaults. */
export function resolveProfile(config: KubeSchedulerConfiguration, schedulerName?: string): ResolvedProfile {
  const p = schedulerName === undefined ? config.profiles[0]! : config.profiles.find((x) => x.schedulerName === schedulerName);
  if (p === undefined) throw new KubeConfigError(`no profile with schedulerName "${schedulerName}"`);
  const plugins = p.plugins ?? {};
  const multi = merge(DEFAULT_PLUGINS, plugins.multiPoint);
  const skipped: string[] = [];
  for (const e of multi) {
    if (NO_OP_PLUGINS.has(e.name)) continue;
    if (NOT_YET_MODELLED.has(e.name)) skipped.push(e.name);
    else if (!KUBE_PLUGINS.has(e.name)) throw new KubeConfigError(`plugin "${e.name}" is not an in-tree plugin rackbench models; known: ${[...KUBE_PLUGINS.keys()].join(', ')}`);
  }
  // A plugin joins each extension point it implements, as upstream's MultiPoint expansion does.
  const point = (key: ExtensionPoint): Entry[] =>
    merge(
      multi.filter((e) => KUBE_PLUGINS.get(e.name)?.points.includes(key) === true),
      plugins[key],
    ).filter((e) => KUBE_PLUGINS.get(e.name)?.points.includes(key) === true);
  for (const key of ['preFilter', 'filter', 'postFilter', 'preScore', 'score'] as const) {
    for (const e of plugins[key]?.enabled ?? []) {
      if (!KUBE_PLUGINS.has(e.name) && !NOT_YET_MODELLED.has(e.name)) throw new KubeConfigError(`plugin "${e.name}" (plugins.${key}) is not an in-tree plugin rackbench models`);
    }
  }
  const args = new Map<string, unknown>();
  for (const c of p.pluginConfig) args.set(c.name, c.args);
  return {
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
    preFilter: point('preFilter').map((e) => e.name),
    filter: point('filter').map((e) => e.name),
    postFilter: point('postFilter').map((e) => e.name),
    preScore: point('preScore').map((e) => e.name),
    // A weight left unset or 0 is 1 (getScoreWeights).
    score: point('score').map((e) => ({ name: e.name, weight: e.weight === undefined || e.weight === 0 ? 1 : e.weight })),
    args,
    skipped,
  };
}

/** The configuration a cluster gets without one: all defaults. */
export const DEFAULT_CONFIGURATION: KubeSchedulerConfiguration = kubeSchedulerConfigurationSchema.parse({
  apiVersion: 'kubescheduler.config.k8s.io/v1',
  kind: 'KubeSchedulerConfiguration',
});
