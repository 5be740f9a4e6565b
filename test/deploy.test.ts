/**
 * `rackbench deploy sweep`: the rendered manifests are valid against the Kubernetes API schemas and agree
 * with themselves (one shard count, one image, one sweep id, volumes that exist); and the shard flow they
 * describe works when played locally: the rendered shard arguments for every index into one directory,
 * then the rendered merge, which refuses a missing, unfinished, foreign or differently split shard.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkImageRef } from '../src/runner/image-ref.js';
import { fileTempDir, tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';

const SMALL = 'test/fixtures/sweeps/small.yaml';
const FAULTS = 'test/fixtures/sweeps/faults.yaml';

interface Container {
  name: string;
  image: string;
  args: string[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string; items: { key: string; path: string }[] } }[];
}
interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; annotations: Record<string, string> };
  spec?: { completions?: number; parallelism?: number; completionMode?: string; template: { spec: PodSpec } };
  data?: Record<string, string>;
}

async function render(...args: string[]): Promise<K8sObject[]> {
  const r = await runMain('deploy', 'sweep', ...args);
  expect(r.code, r.stderr).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject);
}

const byKind = (objects: K8sObject[], kind: string, suffix = ''): K8sObject => objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix))!;
const flag = (args: string[], name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('rackbench deploy sweep', () => {
  it('renders a ConfigMap, a claim, the Indexed Job and the merge Job, each valid against its API schema', async () => {
    const objects = await render(SMALL, '--shards', '3', '--image', 'registry.example.com:5000/bench/rackbench:0.1.0', '--namespace', 'bench');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/rackbench-small-sweep',
      'PersistentVolumeClaim/rackbench-small-results',
      'Job/rackbench-small-shards',
      'Job/rackbench-small-merge',
    ]);
    // validate() checks every field against the OpenAPI schema and throws naming the bad path.
    new ConfigMap(objects[0] as never).validate();
    new PersistentVolumeClaim(objects[1] as never).validate();
    new Job(objects[2] as never).validate();
    new Job(objects[3] as never).validate();
    for (const o of objects) expect(o.metadata.namespace).toBe('bench');
    const broken = structuredClone(objects[2]) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'three';
    expect(() => new Job(broken as never).validate()).toThrow();
  });

  for (const n of [1, 4, 12]) {
    it(`agrees with itself with --shards ${n}: counts, arguments, image, sweep id and volumes`, async () => {
      const image = 'rackbench:test';
      const objects = await render(SMALL, '--shards', String(n), '--image', image, '--record', 'pods');
      const shards = byKind(objects, 'Job', '-shards');
      const merge = byKind(objects, 'Job', '-merge');
      expect(shards.spec!.completionMode).toBe('Indexed');
      expect(shards.spec!.completions).toBe(n);
      expect(shards.spec!.parallelism).toBe(n);

      const worker = shards.spec!.template.spec.containers[0]!;
      const merger = merge.spec!.template.spec.containers[0]!;
      expect([worker.image, merger.image]).toEqual([image, image]);
      expect(worker.args[0]).toBe('sweep');
      expect(flag(worker.args, 'shard-index')).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
      const shardOut = flag(worker.args, 'out')!;
      expect(shardOut).toContain('$(JOB_COMPLETION_INDEX)');
      expect(flag(worker.args, 'record')).toBe('pods');

      // The merge waits for, and merges, exactly the n directories the shards write.
      expect(merger.args[0]).toBe('merge');
      expect(flag(merger.args, 'shards')).toBe(String(n));
      expect(flag(merger.args, 'wait')).toBeDefined();
      const dirs = merger.args.filter((a) => !a.startsWith('-') && a !== 'merge');
      expect(dirs).toEqual(Array.from({ length: n }, (_, i) => shardOut.replace('$(JOB_COMPLETION_INDEX)', String(i))));
      expect(flag(merger.args, 'out')).not.toMatch(/shard-/);

      // One sweep id: the annotations, what each shard checks and what the merge accepts.
      const id = shards.metadata.annotations['rackbench/sweep-id']!;
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      for (const o of objects) expect(o.metadata.annotations['rackbench/sweep-id']).toBe(id);
      expect(flag(worker.args, 'sweep-id')).toBe(id);
      expect(flag(merger.args, 'sweep')).toBe(id);

      // Every mount names a volume of its pod; the claim and the ConfigMap are the rendered ones.
      const claim = byKind(objects, 'PersistentVolumeClaim').metadata.name;
      const configMap = byKind(objects, 'ConfigMap');
      for (const job of [shards, merge]) {
        const pod = job.spec!.template.spec;
        const names = pod.volumes.map((v) => v.name);
        for (const m of pod.containers[0]!.volumeMounts) expect(names).toContain(m.name);
        expect(pod.volumes.find((v) => v.persistentVolumeClaim)!.persistentVolumeClaim!.claimName).toBe(claim);
        const results = pod.containers[0]!.volumeMounts.find((m) => m.name === pod.volumes.find((v) => v.persistentVolumeClaim)!.name)!;
        for (const dir of [shardOut, ...dirs]) if (job === shards || dir !== shardOut) expect(dir.startsWith(`${results.mountPath}/`)).toBe(true);
      }
      const sweepVolume = shards.spec!.template.spec.volumes.find((v) => v.configMap)!;
      expect(sweepVolume.configMap!.name).toBe(configMap.metadata.name);
      expect(sweepVolume.configMap!.items.map((i) => i.key).sort()).toEqual(Object.keys(configMap.data!).sort());
      const sweepMount = worker.volumeMounts.find((m) => m.name === sweepVolume.name)!;
      expect(sweepVolume.configMap!.items.map((i) => `${sweepMount.mountPath}/${i.path}`)).toContain(worker.args[1]);
    });
  }

  it('prints the same manifests on every call, and writes one file per object with --out', async () => {
    const a = await runMain('deploy', 'sweep', SMALL, '--shards', '2', '--image', 'rackbench:0.1.0');
    const b = await runMain('deploy', 'sweep', SMALL, '--shards', '2', '--image', 'rackbench:0.1.0');
    expect(b.stdout).toBe(a.stdout);
    const out = tempDir();
    const r = await runMain('deploy', 'sweep', SMALL, '--shards', '2', '--image', 'rackbench:0.1.0', '--out', out, '--pvc', 'shared-results');
    expect(r.code, r.stderr).toBe(0);
    const files = ['1-sweep-configmap.yaml', '3-sweep-job.yaml', '4-merge-job.yaml'];
    const kinds = files.map((f) => (parseAllDocuments(readFileSync(join(out, f), 'utf8'))[0]!.toJS() as K8sObject).kind);
    expect(kinds).toEqual(['ConfigMap', 'Job', 'Job']);
    const job = parseAllDocuments(readFileSync(join(out, '3-sweep-job.yaml'), 'utf8'))[0]!.toJS() as K8sObject;
    expect(job.spec!.template.spec.volumes[0]!.persistentVolumeClaim!.claimName).toBe('shared-results');
  });

  it('refuses bad input with exit 2 and a message naming it', async () => {
    const cases: [string[], RegExp][] = [
      [[SMALL, '--shards', '0', '--image', 'rackbench:1'], /--shards 0: expected a whole number from 1 to 1000/],
      [[SMALL, '--shards', '2.5', '--image', 'rackbench:1'], /--shards "2.5": expected a whole number/],
      [[SMALL, '--shards', '1001', '--image', 'rackbench:1'], /--shards 1001/],
      [[SMALL, '--shards', '13', '--image', 'rackbench:1'], /has only 12 runs/],
      [[SMALL, '--shards', '2', '--image', 'Rackbench:1'], /repository names are lower case/],
      [[SMALL, '--shards', '2', '--image', 'rackbench:'], /is not a tag/],
      [[SMALL, '--shards', '2', '--image', 'rackbench:1', '--name', 'Bad_Name'], /--name "Bad_Name": expected a Kubernetes name/],
      [[SMALL, '--shards', '2', '--image', 'rackbench:1', '--memory', 'lots'], /--memory "lots"/],
      [[SMALL, '--shards', '2', '--image', 'rackbench:1', '--access-mode', 'ReadOnlyMany'], /--access-mode/],
      [['test/fixtures/sweeps/bad-value.yaml', '--shards', '2', '--image', 'rackbench:1'], /bad-value\.yaml/],
      [['no/such/sweep.yaml', '--shards', '2', '--image', 'rackbench:1'], /no\/such\/sweep\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await runMain('deploy', 'sweep', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('checks image references by the distribution grammar', () => {
    for (const ok of ['rackbench', 'rackbench:0.1.0', 'localhost:5000/rackbench:dev', 'ghcr.io/org/rack-bench_x:v1.2', `rackbench@sha256:${'a'.repeat(64)}`, 'a/b/c:latest']) {
      expect(() => checkImageRef(ok), ok).not.toThrow();
    }
    for (const bad of ['', ':1', 'rack bench', 'rackbench:-x', 'rackbench@sha256:xyz', 'UPPER/name', 'name//double', 'bad_host:99999x/name']) {
      expect(() => checkImageRef(bad), bad).toThrow();
    }
  });
});

describe('the rendered shard flow, played locally', () => {
  const N = 3;
  let root: string;
  let shardArgs: (index: number) => string[];
  let mergeArgs: string[];
  let shardDirs: string[];

  /** The pod's view: /results on a temporary directory, the ConfigMap's items written out under /sweep. */
  beforeAll(async () => {
    root = fileTempDir();
    const objects = await render(SMALL, '--shards', String(N), '--image', 'rackbench:test', '--cpu', '1', '--memory', '4Gi');
    const configMap = byKind(objects, 'ConfigMap');
    const shards = byKind(objects, 'Job', '-shards').spec!.template.spec;
    const merge = byKind(objects, 'Job', '-merge').spec!.template.spec;
    const sweepVolume = shards.volumes.find((v) => v.configMap)!;
    const sweepMount = shards.containers[0]!.volumeMounts.find((m) => m.name === sweepVolume.name)!.mountPath;
    for (const item of sweepVolume.configMap!.items) {
      const file = join(root, 'sweep', item.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, configMap.data![item.key]!);
    }
    const local = (arg: string): string => arg.replace('/results/', `${root}/results/`).replace(`${sweepMount}/`, `${root}/sweep/`);
    shardArgs = (index) => shards.containers[0]!.args.map((a) => local(a.replaceAll('$(JOB_COMPLETION_INDEX)', String(index))));
    mergeArgs = merge.containers[0]!.args.map(local).map((a) => (a.startsWith('--wait=') ? '--wait=1s' : a));
    shardDirs = mergeArgs.filter((a) => a.startsWith(`${root}/results/`) && a.includes('/shard-'));
    for (let i = 0; i < N; i++) {
      const r = await runMain(...shardArgs(i));
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('merges the n shards into the unsharded result', async () => {
    expect(shardDirs).toHaveLength(N);
    for (const dir of shardDirs) expect(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'))).toMatchObject({ complete: true });
    const r = await runMain(...mergeArgs);
    expect(r.code, r.stderr).toBe(0);
    const merged = mergeArgs.find((a) => a.startsWith('--out='))!.slice(6);
    const whole = tempDir();
    const w = await runMain('sweep', SMALL, '--workers', '1', '--out', whole, '--quiet');
    expect(w.code, w.stderr).toBe(0);
    expect(readFileSync(join(merged, 'runs.csv'), 'utf8')).toBe(readFileSync(join(whole, 'runs.csv'), 'utf8'));
  });

  it('waits, then refuses (exit 2), when a shard is missing', async () => {
    const args = mergeArgs.map((a) => (a.startsWith('--out=') ? `--out=${tempDir()}` : a === shardDirs[1] ? join(root, 'results', 'nowhere') : a));
    const r = await runMain(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/1 of 3 shards not finished after waiting 1 s/);
    expect(r.stderr).toContain('nowhere');
  });

  it('refuses an unfinished shard, naming it', async () => {
    const manifest = join(shardDirs[2]!, 'sweep.json');
    const original = readFileSync(manifest, 'utf8');
    try {
      writeFileSync(manifest, original.replace('"complete": true', '"complete": false'));
      const r = await runMain('merge', '--shards', String(N), '--out', tempDir(), ...shardDirs);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${shardDirs[2]}: shard 3/3 of sweep "small" has not finished`);
    } finally {
      writeFileSync(manifest, original);
    }
  });

  it('refuses a shard of another sweep file, or of another split', async () => {
    const faults = tempDir();
    await runMain('sweep', FAULTS, '--shard-index', '1/2', '--out', faults, '--quiet');
    const foreign = await runMain(...mergeArgs.map((a) => (a === shardDirs[1] ? faults : a.startsWith('--out=') ? `--out=${tempDir()}` : a)).filter((a) => !a.startsWith('--wait')));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(new RegExp(`${faults}: holds sweep "faults" with id [0-9a-f]{16}, not the expected`));

    const split = tempDir();
    const two = await runMain('sweep', SMALL, '--shard-index', '1/2', '--out', split, '--quiet');
    expect(two.code, two.stderr).toBe(0);
    const mixed = await runMain('merge', '--shards', String(N), '--out', tempDir(), shardDirs[0]!, split, shardDirs[2]!);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${split}: holds shard 2/2, not a shard of a split into 3`);
    // Without --shards, the split is read from the first shard: still refused.
    const unsaid = await runMain('merge', '--out', tempDir(), shardDirs[0]!, split, shardDirs[2]!);
    expect(unsaid.code).toBe(2);
    expect(unsaid.stderr).toMatch(/is shard 2\/2, but .* is of a split into 3/);
  });

  it('a shard pod stops at once (exit 2) when its sweep is not the one rendered', async () => {
    const args = shardArgs(0).map((a) => (a.startsWith('--sweep-id=') ? '--sweep-id=0123456789abcdef' : a.startsWith('--out=') ? `--out=${tempDir()}` : a));
    const r = await runMain(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has id [0-9a-f]{16} here, not 0123456789abcdef \(--sweep-id\)/);
  });
});
