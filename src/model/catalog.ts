/**
 * The hardware catalog: named server and edge profiles, kept as data in
 * `scenarios/catalog/hardware.yaml` (shipped with the package), that a
 * scenario's pool names with `profile:`. A scenario may add or replace
 * profiles with its own `catalog:` (a file, or profiles inline).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { catalogSchema } from './catalog-schema.js';
import type { Hardware } from './catalog-schema.js';
import type { ParsedScenario } from './scenario-schema.js';
import { InputError, parseYaml, readInputText, validateWith } from './yaml-input.js';
import type { FieldIssue } from './yaml-input.js';

/** A resolved profile: the capacity a pool gets, its labels and its hardware facts. */
export interface HardwareProfile {
  readonly name: string;
  readonly capacity: Readonly<Record<string, number>>;
  readonly hardware: Required<Omit<Hardware, 'price' | 'storageBandwidth'>> & {
    readonly price: NonNullable<Hardware['price']>;
    readonly storageBandwidth?: number | undefined;
  };
  /** Mean time between failures and to repair, in µs, when the catalog gives them (for a failure process). */
  readonly reliability: { readonly mtbf?: number | undefined; readonly mttr?: number | undefined };
}

/** Profile name → profile. */
export type Catalog = ReadonlyMap<string, HardwareProfile>;

function toProfiles(parsed: z.output<typeof catalogSchema>): Map<string, HardwareProfile> {
  const out = new Map<string, HardwareProfile>();
  for (const [name, p] of Object.entries(parsed.profiles)) {
    out.set(name, {
      name,
      capacity: { cpu: p.cpu, memory: p.memory, nvme: p.storage.size, nic: p.nic, ...p.extended },
      hardware: {
        description: p.description,
        arch: p.arch,
        storageType: p.storage.type,
        ...(p.storage.bandwidth === undefined ? {} : { storageBandwidth: p.storage.bandwidth }),
        rackUnits: p.rackUnits,
        idleWatts: p.idleWatts,
        maxWatts: p.maxWatts,
        price: p.price,
      },
      reliability: { mtbf: p.mtbf, mttr: p.mttr },
    });
  }
  return out;
}

/** The package's `scenarios/catalog` directory, found by walking up from this module (works from src/ and dist/src/). */
export function catalogDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scenarios', 'catalog');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the rackbench package (scenarios/catalog) above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The built-in catalog file: `scenarios/catalog/hardware.yaml` of the installed package. */
export function builtinCatalogFile(): string {
  return join(catalogDir(), 'hardware.yaml');
}

const cache = new Map<string, Catalog>();

/**
 * Reads and validates a catalog file (cached per absolute path for the life
 * of the process: sweeps validate one scenario many times). Throws InputError
 * naming the file, line and field on bad input.
 */
export function loadCatalogFile(file: string): Catalog {
  const path = resolve(file);
  let catalog = cache.get(path);
  if (catalog === undefined) {
    let text: string;
    try {
      text = readInputText(path);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(file, e.issues.map((i) => (i.message === 'no such file' ? { ...i, message: 'no such catalog file' } : i)));
      throw e;
    }
    const parsed = parseYaml(text, file);
    catalog = toProfiles(validateWith(catalogSchema, parsed.data, file, parsed));
    cache.set(path, catalog);
  }
  return catalog;
}

/** The built-in catalog. */
export function builtinCatalog(): Catalog {
  return loadCatalogFile(builtinCatalogFile());
}

/**
 * The catalog a scenario sees: the built-in profiles, plus (replacing any of
 * the same name) those of its own `catalog`, given as a file path (relative
 * to the working directory) or inline as `{ profiles: … }`. Throws InputError.
 */
export function catalogFor(own: string | z.output<typeof catalogSchema> | undefined): Catalog {
  const builtin = builtinCatalog();
  if (own === undefined) return builtin;
  const extra = typeof own === 'string' ? loadCatalogFile(own) : toProfiles(own);
  return new Map([...builtin, ...extra]);
}

/** The well-known node labels a profile implies (kubelet-set arch and os; instance-type as a cloud provider would). */
export function profileLabels(profile: HardwareProfile): Record<string, string> {
  return {
    'kubernetes.io/arch': profile.hardware.arch,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': profile.name,
  };
}

type Pool = ParsedScenario['cluster']['pools'][number];

/**
 * Each pool with its `profile` applied: capacity = the profile's, then the
 * pool's entries; labels = the profile's well-known labels, then the pool's;
 * hardware = the profile's fields, then the pool's; mtbf and mttr = the
 * pool's, else the profile's. Issues for an unreadable catalog, an unknown
 * profile or a pool with neither a profile nor a capacity. Reads the
 * catalog files (once per process) only when a pool names a profile or the
 * scenario its own catalog.
 */
export function applyProfiles(s: ParsedScenario): { pools: Pool[]; issues: FieldIssue[] } {
  const named = s.cluster.pools.some((p) => p.profile !== undefined);
  let catalog: Catalog | undefined;
  if (named || s.catalog !== undefined) {
    try {
      catalog = catalogFor(s.catalog);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return { pools: s.cluster.pools, issues: [{ path: ['catalog'], message: `cannot use the hardware catalog: ${e.message}` }] };
    }
  }
  const issues: FieldIssue[] = [];
  const pools = s.cluster.pools.map((pool, i) => {
    if (pool.profile === undefined) {
      if (Object.keys(pool.capacity).length === 0) {
        issues.push({ path: ['cluster', 'pools', i, 'capacity'], message: 'give the pool a capacity, or a hardware profile (profile: <name>) to take it from' });
      }
      return pool;
    }
    const profile = catalog?.get(pool.profile);
    if (profile === undefined) {
      const known = [...(catalog?.keys() ?? [])].sort();
      issues.push({
        path: ['cluster', 'pools', i, 'profile'],
        message: `unknown hardware profile "${pool.profile}" (pool "${pool.name}"); known profiles: ${known.join(', ')}`,
      });
      return pool;
    }
    return {
      ...pool,
      capacity: { ...profile.capacity, ...pool.capacity },
      labels: { ...profileLabels(profile), ...pool.labels },
      hardware: { ...profile.hardware, ...pool.hardware },
      // Only the figures someone gave: a pool without them keeps no undefined keys.
      ...definedOnly({ mtbf: pool.mtbf ?? profile.reliability.mtbf, mttr: pool.mttr ?? profile.reliability.mttr }),
    };
  });
  return { pools, issues };
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
