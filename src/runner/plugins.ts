/**
 * User placement policies loaded from a file: a TypeScript or JavaScript
 * module whose default export is a policy object or a factory returning one
 * (see src/plugin.ts). TypeScript is compiled on load by tsx, so users need no
 * build step. Loaded once per process (each worker thread loads its own).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import type { PlacementPolicy, PolicyContext, PolicyFactory } from '../schedulers/types.js';

/** The hooks a policy may define (PlacementPolicy's optional members). */
const HOOKS = ['place', 'filter', 'score', 'onBind', 'onRelease', 'onTerminating', 'onNodeChanged', 'evaluatedNodes', 'requeueOn', 'hintOn', 'queueingHint', 'postFilter'] as const;

/** Whether a --scheduler value names a file rather than a built-in policy. */
export function isPluginReference(scheduler: string): boolean {
  return /[\\/]/.test(scheduler) || /\.(?:[cm]?[jt]s)$/.test(scheduler);
}

/** The plugin file a scheduler value names, resolved against `base`; throws UsageError if it does not exist. */
export function resolvePlugin(scheduler: string, base: string): { file: string; sha256: string } {
  const file = isAbsolute(scheduler) ? scheduler : resolve(base, scheduler);
  if (!existsSync(file)) throw new UsageError(`scheduler plugin ${scheduler}: no such file (${file})`);
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

const loaded = new Map<string, PolicyFactory>();

/** Imports a plugin file and checks its shape. Throws UsageError naming the file. */
export async function loadPlugin(file: string): Promise<PolicyFactory> {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  let module: Record<string, unknown>;
  try {
    const url = pathToFileURL(file).href;
    if (/\.[cm]?ts$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    } else {
      module = (await import(url)) as Record<string, unknown>;
    }
  } catch (e) {
    // esbuild's message puts the location on the lines after its first.
    const message = e instanceof Error ? e.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join('\n  ') : String(e);
    throw new UsageError(`scheduler plugin ${file}: cannot load: ${message}`);
  }
  const factory = toFactory(module.default ?? module.policy, file);
  loaded.set(file, factory);
  return factory;
}

/** A plugin already loaded in this process. */
export function loadedPlugin(file: string): PolicyFactory {
  const factory = loaded.get(file);
  if (factory === undefined) throw new Error(`scheduler plugin ${file} was not loaded before the run`);
  return factory;
}

function toFactory(exported: unknown, file: string): PolicyFactory {
  if (typeof exported === 'function') {
    return (ctx: PolicyContext): PlacementPolicy => checkPolicy((exported as (c: PolicyContext) => unknown)(ctx), file);
  }
  if (exported !== null && typeof exported === 'object') {
    const policy = checkPolicy(exported, file);
    return () => policy;
  }
  throw new UsageError(
    `scheduler plugin ${file}: expected a default export that is a policy object ({ name, score?, filter?, place?, … }) or a function (ctx) => policy; found ${exported === undefined ? 'no default export' : typeof exported}`,
  );
}

function checkPolicy(value: unknown, file: string): PlacementPolicy {
  if (value === null || typeof value !== 'object') {
    throw new UsageError(`scheduler plugin ${file}: the factory returned ${value === null ? 'null' : typeof value}, expected a policy object`);
  }
  const policy = value as Record<string, unknown>;
  if (typeof policy.name !== 'string' || policy.name === '') {
    throw new UsageError(`scheduler plugin ${file}: the policy needs a non-empty string "name"`);
  }
  for (const hook of HOOKS) {
    const member = policy[hook];
    if (member !== undefined && typeof member !== 'function') {
      throw new UsageError(`scheduler plugin ${file}: "${hook}" must be a function, found ${typeof member}`);
    }
  }
  if (policy.place === undefined && policy.score === undefined && policy.filter === undefined) {
    throw new UsageError(`scheduler plugin ${file}: the policy defines none of place, filter or score, so it would only be first-fit (hooks: ${HOOKS.join(', ')})`);
  }
  return value as PlacementPolicy;
}

/** Loads every plugin the specs name, so a broken file is reported before any run starts. */
export async function checkPlugins(specs: readonly { readonly plugin?: { readonly file: string } | undefined }[]): Promise<void> {
  for (const file of new Set(specs.flatMap((s) => (s.plugin ? [s.plugin.file] : [])))) await loadPlugin(file);
}
