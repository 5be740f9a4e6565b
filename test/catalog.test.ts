import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinCatalog, builtinCatalogFile } from '../src/model/catalog.js';
import { catalogSchema } from '../src/model/catalog-schema.js';
import { buildNodes, resourceSpaceOf } from '../src/model/cluster.js';
import { parseScenario } from '../src/model/scenario-file.js';
import { InputError, parseYaml } from '../src/model/yaml-input.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

function scenario(pool: string, extra = ''): string {
  return `name: t
${extra}cluster:
  pools:
    - name: p
      count: 2
${pool}
workload: {}
`;
}

function inputError(text: string): InputError {
  try {
    parseScenario(text, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('the built-in hardware catalog', () => {
  const catalog = builtinCatalog();

  it('parses, with at least ten profiles including the ones other files name', () => {
    expect(catalog.size).toBeGreaterThanOrEqual(10);
    for (const name of ['r650-2x32c', 'r750-2x48c', 'ampere-altra-80c', 'rpi4-4gb', 'rpi4-8gb', 'rpi5-4gb', 'rpi5-8gb', 'jetson-orin-nano-8gb', 'nuc13pro-i7']) {
      expect(catalog.has(name), name).toBe(true);
    }
  });

  it('gives every profile every field', () => {
    const { data } = parseYaml(readFileSync(builtinCatalogFile(), 'utf8'), 'hardware.yaml');
    const parsed = catalogSchema.parse(data);
    for (const [name, p] of Object.entries(parsed.profiles)) {
      for (const field of ['description', 'arch', 'cpu', 'memory', 'storage', 'nic', 'rackUnits', 'idleWatts', 'maxWatts', 'price'] as const) {
        expect(p[field], `${name}.${field}`).toBeDefined();
      }
      expect(p.cpu, name).toBeGreaterThan(0);
      expect(p.memory, name).toBeGreaterThan(0);
      expect(p.storage.size, name).toBeGreaterThan(0);
      expect(p.nic, name).toBeGreaterThan(0);
      expect(p.idleWatts, name).toBeLessThanOrEqual(p.maxWatts);
      expect(p.price.usd, name).toBeGreaterThan(0);
    }
  });

  it('cites a source in a comment for every profile', () => {
    const text = readFileSync(builtinCatalogFile(), 'utf8');
    const blocks = text.split(/\n {2}(?=[a-z0-9-]+:\n)/).slice(1);
    expect(blocks.length).toBe(catalog.size);
    for (const block of blocks) expect(block, block.split('\n')[0]).toMatch(/#.*(https:\/\/|Spec Sheet|ARK|Product Brief|QuickSpecs|Data Sheet|specifications)/);
  });

  it('describes the Dell R650 with 2x Xeon Gold 6338 as the kubelet sees it', () => {
    const p = catalog.get('r650-2x32c')!;
    // 2 sockets × 32 cores × 2 threads = 128 logical CPUs.
    expect(p.capacity).toEqual({ cpu: 128_000, memory: 512 * Gi, nvme: 15.36e12, nic: 25e9 });
    expect(p.hardware).toMatchObject({ arch: 'amd64', rackUnits: 1, storageType: 'nvme' });
  });

  it('has arm64 profiles for the ARM server and the boards', () => {
    for (const name of ['ampere-altra-80c', 'rpi4-4gb', 'rpi5-8gb', 'jetson-orin-nano-8gb']) expect(catalog.get(name)!.hardware.arch, name).toBe('arm64');
    expect(catalog.get('rpi4-4gb')!.hardware.rackUnits).toBe(0);
    expect(catalog.get('jetson-orin-nano-8gb')!.capacity.gpu).toBe(1);
  });
});

describe('pools that name a profile', () => {
  it('take its capacity, labels and hardware', () => {
    const s = parseScenario(scenario('      profile: rpi4-4gb'), 'test.yaml');
    const pool = s.cluster.pools[0]!;
    expect(pool.capacity).toEqual({ cpu: 4000, memory: 3790 * Mi, nvme: 64e9, nic: 1e9 });
    expect(pool.labels).toEqual({ 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'rpi4-4gb' });
    expect(pool.hardware).toMatchObject({ arch: 'arm64', storageType: 'sd', idleWatts: 2.7, maxWatts: 6.4, price: { usd: 55, basis: 'list' } });
    // No stack: nothing reserved, as before.
    const nodes = buildNodes(s, resourceSpaceOf(s));
    expect([...nodes[0]!.allocatable.slice(0, 5)]).toEqual([4000, 3790 * Mi, 64e9, 1e9, 110]);
    expect(nodes[1]!.labels['kubernetes.io/hostname']).toBe('p-2');
  });

  it('may override capacity entries, labels and hardware fields one by one', () => {
    const s = parseScenario(
      scenario(`      profile: r650-2x32c
      capacity: { memory: 256Gi, gpu: 2 }
      labels: { node.kubernetes.io/instance-type: r650-small, team: data }
      hardware: { idleWatts: 180, price: { usd: 20000, date: 2025-01, basis: list } }`),
      'test.yaml',
    );
    const pool = s.cluster.pools[0]!;
    expect(pool.capacity).toEqual({ cpu: 128_000, memory: 256 * Gi, nvme: 15.36e12, nic: 25e9, gpu: 2 });
    expect(pool.labels).toMatchObject({ 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/instance-type': 'r650-small', team: 'data' });
    expect(pool.hardware).toMatchObject({ idleWatts: 180, maxWatts: 700, price: { usd: 20000 } });
  });

  it('reject an unknown profile, naming it, the field and the known names', () => {
    const error = inputError(scenario('      profile: r999-huge'));
    const issue = error.issues.find((i) => i.path === 'cluster.pools[0].profile');
    expect(issue?.line).toBe(6);
    expect(issue?.message).toMatch(/unknown hardware profile "r999-huge" \(pool "p"\); known profiles: .*ampere-altra-80c.*r650-2x32c.*rpi4-4gb/);
    expect(error.message).toContain('test.yaml:6: cluster.pools[0].profile: unknown hardware profile "r999-huge"');
  });

  it('reject a pool with neither a profile nor a capacity', () => {
    const error = inputError(scenario('      labels: { a: b }'));
    expect(error.issues.map((i) => i.path)).toContain('cluster.pools[0].capacity');
  });

  it('can use profiles the scenario adds inline, replacing built-in ones of the same name', () => {
    const own = `catalog:
  profiles:
    tiny-box:
      description: test box
      arch: arm64
      cpu: 2
      memory: 2Gi
      storage: { type: emmc, size: 32G }
      nic: 1G
      rackUnits: 0
      idleWatts: 1
      maxWatts: 5
      price: { usd: 10, date: 2025-01, basis: list }
`;
    const s = parseScenario(scenario('      profile: tiny-box', own), 'test.yaml');
    expect(s.cluster.pools[0]!.capacity).toEqual({ cpu: 2000, memory: 2 * Gi, nvme: 32e9, nic: 1e9 });
  });

  it('report a catalog file that does not exist at the catalog field', () => {
    const error = inputError(scenario('      profile: r650-2x32c', 'catalog: /nonexistent/hardware.yaml\n'));
    expect(error.issues[0]).toMatchObject({ path: 'catalog' });
    expect(error.issues[0]!.message).toMatch(/nonexistent\/hardware.yaml: no such catalog file/);
  });
});
