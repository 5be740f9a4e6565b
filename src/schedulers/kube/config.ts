/**
 * KubeSchedulerConfiguration (apiVersion kubescheduler.config.k8s.io/v1), the
 * part that decides placement: profiles, plugins enabled and disabled per
 * extension point, weights, pluginConfig args and percentageOfNodesToScore.
 * Merged with the defaults as upstream's mergePlugins does, and each
 * extension point built from MultiPoint as the framework does.
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
type PluginSet = z.output<typeof pluginSet>;

/**
 * mergePluginSet (apis/config/v1/default_plugins.go): the defaults minus the
 * disabled ("*" drops them all), a custom entry of a default's name replacing
 * it in place — weight included, so an entry without a weight has none —
 * and the other custom entries appended.
 */
function mergePluginSet(defaults: readonly Entry[], set: PluginSet | undefined): { enabled: Entry[]; disabled: Set<string> } {
  if (set === undefined) return { enabled: [...defaults], disabled: new Set() };
  const disabled = new Set(set.disabled.map((d) => d.name));
  const custom = new Map(set.enabled.map((e, i) => [e.name, i]));
  const replaced = new Set<number>();
  const enabled: Entry[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults) {
      if (disabled.has(d.name)) continue;
      const i = custom.get(d.name);
      if (i === undefined) enabled.push(d);
      else {
        enabled.push(set.enabled[i]!);
        replaced.add(i);
      }
    }
  }
  set.enabled.forEach((e, i) => {
    if (!replaced.has(i)) enabled.push(e);
  });
  return { enabled, disabled };
}

/**
 * One extension point's plugins, as the framework builds them
 * (framework/runtime/framework.go, expandMultiPointPlugins): the point's own
 * enabled plugins that are also MultiPoint plugins first, in the point's
 * order (an explicit override), then the MultiPoint plugins that implement
 * the point and are not disabled there, then the point's other plugins.
 * A point that disables "*" takes no MultiPoint plugin.
 */
function expandPoint(key: ExtensionPoint, multi: readonly Entry[], set: PluginSet | undefined): string[] {
  const implementsPoint = (name: string): boolean => KUBE_PLUGINS.get(name)?.points.includes(key) === true;
  const explicit = (set?.enabled ?? []).map((e) => e.name).filter((name) => !NO_OP_PLUGINS.has(name));
  for (const name of explicit) {
    if (explicit.indexOf(name) !== explicit.lastIndexOf(name)) throw new KubeConfigError(`plugin "${name}" is enabled twice under ${key}`);
  }
  const disabled = new Set((set?.disabled ?? []).map((d) => d.name));
  if (disabled.has('*')) return explicit.filter(implementsPoint);
  const fromMulti = multi.map((e) => e.name).filter((name) => implementsPoint(name) && !disabled.has(name));
  const overrides = explicit.filter((name) => fromMulti.includes(name));
  for (const name of fromMulti) {
    if (fromMulti.indexOf(name) !== fromMulti.lastIndexOf(name)) throw new KubeConfigError(`plugin "${name}" is enabled twice under multiPoint`);
  }
  return [...overrides, ...fromMulti.filter((name) => !overrides.includes(name)), ...explicit.filter((name) => !overrides.includes(name))].filter(implementsPoint);
}

/** Resolves a profile (the first, or the one named `schedulerName`) against the defaults. */
export function resolveProfile(config: KubeSchedulerConfiguration, schedulerName?: string): ResolvedProfile {
  const p = schedulerName === undefined ? config.profiles[0]! : config.profiles.find((x) => x.schedulerName === schedulerName);
  if (p === undefined) throw new KubeConfigError(`no profile with schedulerName "${schedulerName}"`);
  const plugins = p.plugins ?? {};
  const multi = mergePluginSet(DEFAULT_PLUGINS, plugins.multiPoint).enabled;
  const skipped: string[] = [];
  for (const e of multi) {
    if (NO_OP_PLUGINS.has(e.name)) continue;
    if (NOT_YET_MODELLED.has(e.name)) skipped.push(e.name);
    else if (!KUBE_PLUGINS.has(e.name)) throw new KubeConfigError(`plugin "${e.name}" is not an in-tree plugin rackbench models; known: ${[...KUBE_PLUGINS.keys()].join(', ')}`);
  }
  for (const key of ['preFilter', 'filter', 'postFilter', 'preScore', 'score'] as const) {
    for (const e of plugins[key]?.enabled ?? []) {
      if (NO_OP_PLUGINS.has(e.name)) continue;
      if (!KUBE_PLUGINS.has(e.name) && !NOT_YET_MODELLED.has(e.name)) throw new KubeConfigError(`plugin "${e.name}" (plugins.${key}) is not an in-tree plugin rackbench models`);
      if (KUBE_PLUGINS.has(e.name) && !KUBE_PLUGINS.get(e.name)!.points.includes(key)) {
        throw new KubeConfigError(`plugin "${e.name}" (plugins.${key}) does not extend ${key}`);
      }
    }
  }
  // getScoreWeights: the score point's own entries first, then MultiPoint's; the first one of a name
  // sets its weight, and a weight left unset or 0 is 1.
  const weights = new Map<string, number>();
  for (const e of [...(plugins.score?.enabled ?? []), ...multi]) {
    if (!weights.has(e.name)) weights.set(e.name, e.weight === undefined || e.weight === 0 ? 1 : e.weight);
  }
  const args = new Map<string, unknown>();
  for (const c of p.pluginConfig) args.set(c.name, c.args);
  return {
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
    preFilter: expandPoint('preFilter', multi, plugins.preFilter),
    filter: expandPoint('filter', multi, plugins.filter),
    postFilter: expandPoint('postFilter', multi, plugins.postFilter),
    preScore: expandPoint('preScore', multi, plugins.preScore),
    score: expandPoint('score', multi, plugins.score).map((name) => ({ name, weight: weights.get(name)! })),
    args,
    skipped,
  };
}

/** The configuration a cluster gets without one: all defaults. */
export const DEFAULT_CONFIGURATION: KubeSchedulerConfiguration = kubeSchedulerConfigurationSchema.parse({
  apiVersion: 'kubescheduler.config.k8s.io/v1',
  kind: 'KubeSchedulerConfiguration',
});
