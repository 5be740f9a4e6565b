/**
 * Hostile and careless input through the command line's main(): paths taken
 * from input data never lead a writer outside its output directory, bad trace
 * rows are reported and counted, runs too large for the memory at hand are
 * refused up front, YAML bombs and deep nesting are input errors, a results
 * directory has one writer at a time, and damaged resume state names its line.
 * Every case exits 2 with `error: file…` lines and no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockResults } from '../src/runner/lock.js';
import { fileTempDir, ROOT, tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import type { MainResult } from './support/in-process.js';

const SMALL = 'test/fixtures/valid-small.yaml';
const NODE_ROWS = 'test/fixtures/traces/alibaba_gpu2023_node_list_rows.csv';
const POD_ROWS = 'test/fixtures/traces/alibaba_gpu2023_pod_list_rows.csv';

/** Exit 2, every issue on an `error:` line, no stack trace and no internal error. */
function expectInputError(r: MainResult, ...parts: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|^\s+at |node:internal/m);
  for (const p of parts) expect(r.stderr).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : [];
}

/** A directory holding `out/` (the output directory) beside `outside/` (which nothing may touch). */
function sandbox(): { out: string; outside: string } {
  const root = tempDir();
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'keep.txt'), 'untouched\n');
  return { out: join(root, 'out'), outside };
}

describe('paths from input data stay inside --out, through every writer', () => {
  let shards: string[];
  let sweepFile: string;
  beforeAll(async () => {
    const dir = fileTempDir();
    sweepFile = join(dir, 'two.yaml');
    writeFileSync(sweepFile, `name: two\nscenarios: [${resolve(ROOT, SMALL)}]\nschedulers: [first-fit]\nseeds: [1, 2]\n`);
    shards = [join(dir, 's1'), join(dir, 's2')];
    for (const [i, s] of shards.entries()) {
      const r = await runMain('sweep', sweepFile, '--shard', `${i + 1}/2`, '--out', s, '--quiet', '--record', 'pods', '--workers', '1');
      expect(r.code, r.stderr).toBe(0);
    }
  });

  /** A copy of shard 1 whose first run key is `key` in sweep.json and runs.ndjson. */
  function tamperedShard(key: string): string {
    const copy = join(tempDir(), 's1');
    spawnSync('cp', ['-r', shards[0]!, copy]);
    const manifest = readFileSync(join(copy, 'sweep.json'), 'utf8');
    const real = /"key": "([0-9a-f]{16})"/.exec(manifest)![1]!;
    for (const f of ['sweep.json', 'runs.ndjson']) writeFileSync(join(copy, f), readFileSync(join(copy, f), 'utf8').replaceAll(real, key));
    return copy;
  }

  it('merge: a run key of ../../EVIL is refused, exit 2, and nothing is written outside --out', async () => {
    const { out, outside } = sandbox();
    const r = await runMain('merge', tamperedShard('../../EVIL'), shards[1]!, '--out', out);
    expectInputError(r, 'sweep.json', 'runs[0].key: expected a run key of 16 hexadecimal digits');
    // --out itself is made (and locked while merge reads): nothing else, inside or out.
    expect(tree(join(out, '..'))).toEqual(['out', 'outside', 'outside/keep.txt']);
    expect(existsSync(join(out, '..', '..', 'EVIL'))).toBe(false);
    expect(tree(outside)).toEqual(['keep.txt']);
  });

  it('merge: a records directory that is a symbolic link out of its shard is refused', async () => {
    const { out, outside } = sandbox();
    const shard = tamperedShard('0123456789abcdef');
    const records = join(shard, 'records', '0123456789abcdef');
    spawnSync('rm', ['-rf', records]);
    symlinkSync(outside, records);
    const r = await runMain('merge', shard, shards[1]!, '--out', out);
    expectInputError(r, 'leads outside the shard directory');
  });

  it('sweep: a resumed runs.ndjson naming a run key of ../../EVIL is refused, naming the line', async () => {
    const { out, outside } = sandbox();
    mkdirSync(out);
    writeFileSync(join(out, 'runs.ndjson'), `${JSON.stringify({ key: '../../EVIL', label: 'x', ok: false, error: 'e' })}\n`);
    const r = await runMain('sweep', sweepFile, '--out', out, '--quiet', '--workers', '1');
    expectInputError(r, `${join(out, 'runs.ndjson')}:1:`);
    expect(tree(outside)).toEqual(['keep.txt']);
  });

  it('run: a records directory linked outside --out is refused before anything is written there', async () => {
    const { out, outside } = sandbox();
    mkdirSync(out);
    symlinkSync(outside, join(out, 'records'));
    const r = await runMain('run', SMALL, '--scheduler', 'first-fit', '--seed', '1', '--record', 'pods', '--out', out, '--quiet', '--workers', '1');
    expectInputError(r, 'outside', 'rackbench writes only inside its output directory');
    expect(tree(outside)).toEqual(['keep.txt']);
  });

  it('report: a report.html linked to a file outside the results directory is refused, the file untouched', async () => {
    const { out, outside } = sandbox();
    spawnSync('cp', ['-r', shards[1]!, out]);
    symlinkSync(join(outside, 'keep.txt'), join(out, 'report.html'));
    const r = await runMain('report', out);
    expectInputError(r, 'report.html', 'outside');
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('untouched\n');
  });

  it('capacity: a capacity.csv linked outside --out is refused before the search runs', async () => {
    const { out, outside } = sandbox();
    mkdirSync(out);
    symlinkSync(join(outside, 'keep.txt'), join(out, 'capacity.csv'));
    const r = await runMain('capacity', 'test/fixtures/capacity/tiny.yaml', '--out', out, '--quiet', '--workers', '1');
    expectInputError(r, 'capacity.csv', 'outside');
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('untouched\n');
  });

  it('import: names of ../ in a dump end up only as text in the one --out file', async () => {
    const { out, outside } = sandbox();
    const dump = join(out, '..', 'dump.json');
    const node = JSON.parse(readFileSync('test/fixtures/k8s-dumps/nodes.json', 'utf8')) as { items: { metadata: { name: string } }[] };
    node.items[0]!.metadata.name = '../../EVIL';
    writeFileSync(dump, JSON.stringify(node));
    const file = join(out, 'imported.yaml');
    const r = await runMain('import', dump, '--out', file, '--name', 'imported');
    expect([0, 2], r.stderr).toContain(r.code);
    expect(tree(join(out, '..'))).toEqual(['dump.json', 'out', ...(r.code === 0 ? ['out/imported.yaml'] : []), 'outside', 'outside/keep.txt']);
    expect(tree(outside)).toEqual(['keep.txt']);
  });
});

describe('bad trace rows in run', () => {
  const withBadRow = (): string => {
    const dir = tempDir();
    const file = join(dir, 'openb_pod_list_bad.csv');
    writeFileSync(file, `${readFileSync(POD_ROWS, 'utf8')}openb-pod-x,12000,abc,1,1000,,LS,Running,5,99,5\n`);
    return file;
  };

  it('are reported as trace inspect reports them and counted in runs.csv, exit 0', async () => {
    const pods = withBadRow();
    const out = tempDir();
    const r = await runMain('run', SMALL, '--scheduler', 'first-fit', '--seed', '1', '--trace', `alibaba-gpu2023:${NODE_ROWS},${pods}`, '--out', out, '--quiet', '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${pods}: 1 row: memory_mib: expected a number ≥ 0 (MiB)`);
    expect(r.stderr).toContain(`${pods}:24: memory_mib: expected a number ≥ 0 (MiB), got "abc"`);
    const [header, row] = readFileSync(join(out, 'runs.csv'), 'utf8').split('\n');
    expect(row!.split(',')[header!.split(',').indexOf('trace_rows_rejected')]).toBe('1');
  });

  it('make the run exit 2 with --trace-option strict=true', async () => {
    const pods = withBadRow();
    const r = await runMain('run', SMALL, '--scheduler', 'first-fit', '--seed', '1', '--trace', `alibaba-gpu2023:${NODE_ROWS},${pods}`, '--trace-option', 'strict=true', '--out', tempDir(), '--quiet', '--workers', '1');
    expectInputError(r, `error: ${pods}:24: memory_mib:`);
  });

  it('an empty trace file (0 bytes, or a header alone) is an error naming the file', async () => {
    const dir = tempDir();
    const empty = join(dir, 'openb_pod_list_empty.csv');
    writeFileSync(empty, '');
    const header = join(dir, 'openb_pod_list_header.csv');
    writeFileSync(header, `${readFileSync(POD_ROWS, 'utf8').split('\n')[0]}\n`);
    for (const [file, why] of [[empty, 'empty file'], [header, 'no rows after the header']] as const) {
      const r = await runMain('run', SMALL, '--trace', `alibaba-gpu2023:${NODE_ROWS},${file}`, '--out', tempDir(), '--quiet');
      expectInputError(r, `error: ${file}: ${why}`);
    }
  });

  it('a node file with no usable row is an error, never a silent fall back to the scenario pools', async () => {
    const nodes = join(tempDir(), 'openb_node_list_bad.csv');
    writeFileSync(nodes, 'sn,cpu_milli,memory_mib,gpu,model\nx,abc,1,1,V100\n');
    const r = await runMain('run', SMALL, '--trace', `alibaba-gpu2023:${nodes},${POD_ROWS}`, '--out', tempDir(), '--quiet');
    expectInputError(r, `error: ${nodes}: the machine list gives no node: all 1 of its rows were rejected`);
  });

  it('duplicate and unknown header columns are a header error naming the column', async () => {
    const dir = tempDir();
    const dup = join(dir, 'openb_node_list_dup.csv');
    writeFileSync(dup, 'sn,cpu_milli,cpu_milli,gpu,model\nx,1,1,1,V100\n');
    const r = await runMain('trace', 'inspect', 'alibaba-gpu2023', dup);
    expectInputError(r, `${dup}:1: the header has column "cpu_milli" twice (columns 2 and 3)`);
    const unknown = join(dir, 'pods.csv');
    writeFileSync(unknown, 'arrival,cpu,memroy\n0,1,1Gi\n');
    const u = await runMain('trace', 'inspect', 'csv', unknown);
    expectInputError(u, `${unknown}:1: the header has an unknown column "memroy" (column 3)`);
  });

  it('a binary trace is named, its bytes never echoed', async () => {
    const file = join(tempDir(), 'openb_pod_list_bin.csv');
    writeFileSync(file, Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x9b, 0x07, 0x0a, 0xff, 0x00]));
    const r = await runMain('trace', 'inspect', 'alibaba-gpu2023', file);
    expectInputError(r, `${file}: not a text file`);
    // eslint-disable-next-line no-control-regex -- no raw control byte may reach the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('limits', () => {
  const scenario = (edit: (text: string) => string): string => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, edit(readFileSync(SMALL, 'utf8')));
    return file;
  };

  it('validate and run refuse 10^9 replicas and 10^8 nodes, naming the field, its line and the estimate', async () => {
    const replicas = scenario((t) => t.replace('replicas: 2', 'replicas: 1000000000'));
    for (const command of ['validate', 'run']) {
      const r = await runMain(command, replicas, ...(command === 'run' ? ['--out', tempDir()] : []));
      // 10^9 × (512 + 32) B + 128 MiB ≈ 506.8 GiB (model/memory-estimate.ts).
      expectInputError(r, `${replicas}:11: workload.services[0].replicas: a run of scenario valid-small needs about 507 GiB of memory; 1,000,000,000 pods here take about 507 GiB`);
    }
    const nodes = scenario((t) => t.replace('count: 2', 'count: 100000000'));
    expectInputError(await runMain('validate', nodes), `${nodes}:6: cluster.pools[0].count:`, '100,000,000 nodes here take about 143 GiB');
  });

  it('--max-memory bounds the estimate, as MiB or a quantity', async () => {
    expectInputError(await runMain('validate', SMALL, '--max-memory', '100'), 'needs about 128 MiB of memory', 'more than --max-memory 100 MiB');
    expectInputError(await runMain('validate', SMALL, '--max-memory', '0.1Gi'), 'more than --max-memory 102 MiB');
    expect((await runMain('validate', SMALL, '--max-memory', '1Gi')).code).toBe(0);
    expectInputError(await runMain('validate', SMALL, '--max-memory', 'lots'), '--max-memory "lots": expected MiB');
  });

  it('a quantity of 1,000,000 digits is refused for its length, quoting 80 characters of it', async () => {
    const file = scenario((t) => t.replace('cpu: 4', `cpu: "${'1'.repeat(1_000_000)}"`));
    const r = await runMain('validate', file);
    expectInputError(r, `cluster.pools[0].capacity.cpu: invalid quantity "${'1'.repeat(80)}…" (1,000,000 characters): too long (at most 64 characters)`);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  it('a number too large for a double is refused as one, not as "Invalid input"', async () => {
    const file = scenario((t) => t.replace('cpu: 4', `cpu: ${'9'.repeat(400)}`));
    const r = await runMain('validate', file);
    expectInputError(r, 'cluster.pools[0].capacity.cpu:', 'expected a finite number');
  });

  it('control characters in a value are escaped in the message', async () => {
    const file = scenario((t) => t.replace('cpu: 4', 'cpu: "4\\u001b[2J\\u0007"'));
    const r = await runMain('validate', file);
    expectInputError(r, 'invalid quantity "4\\u001b[2J\\u0007"');
    // eslint-disable-next-line no-control-regex -- no raw control byte may reach the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('YAML bombs and deep nesting in every YAML input', () => {
  const BOMB = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
  const DEEP = `${'['.repeat(500)}${']'.repeat(500)}\n`;

  function files(): Record<string, { file: string; args: (f: string) => string[] }> {
    const dir = tempDir();
    const catalogUser = join(dir, 'uses-catalog.yaml');
    writeFileSync(catalogUser, readFileSync(SMALL, 'utf8').replace('cluster:', `catalog: ${join(dir, 'catalog.yaml')}\ncluster:`));
    return {
      scenario: { file: join(dir, 'scenario.yaml'), args: (f) => ['validate', f] },
      sweep: { file: join(dir, 'sweep.yaml'), args: (f) => ['sweep', f, '--out', tempDir()] },
      capacity: { file: join(dir, 'capacity.yaml'), args: (f) => ['capacity', f, '--out', tempDir()] },
      catalog: { file: join(dir, 'catalog.yaml'), args: () => ['validate', catalogUser] },
      dump: { file: join(dir, 'dump.yaml'), args: (f) => ['import', f, '--out', join(tempDir(), 'x.yaml')] },
    };
  }

  it('an alias bomb is exit 2 naming the file and the reason, for scenarios, sweeps, capacity files, catalogs and dumps', async () => {
    for (const [kind, { file, args }] of Object.entries(files())) {
      writeFileSync(file, `${BOMB}\n`);
      const r = await runMain(...args(file));
      // A catalog's error comes through the scenario that names it (`uses-catalog.yaml:3: catalog: … catalog.yaml:2: …`).
      expectInputError(r, /^error: /m, `${file}:2: its aliases expand more than 100 times`);
      expect(r.stderr, kind).not.toContain('Excessive alias count');
    }
  });

  it('nesting beyond 64 levels is exit 2 naming the file, for every YAML input', async () => {
    for (const { file, args } of Object.values(files())) {
      writeFileSync(file, DEEP);
      // A dump opening with `[` is read as JSON, whose error names the path rather than a line.
      expectInputError(await runMain(...args(file)), /^error: /m, file, 'collections nested more than 64 deep; rackbench reads at most 64 levels');
    }
  });
});

describe('a results directory has one writer', () => {
  it('a second run on a --out in use exits 2 "in use by pid N", and the holder\'s lock is left alone', async () => {
    const out = tempDir();
    const lock = lockResults(out);
    try {
      const r = await runMain('run', SMALL, '--scheduler', 'first-fit', '--seed', '1', '--out', out, '--quiet');
      expectInputError(r, `${out} is in use by pid ${process.pid}`);
      expect(existsSync(join(out, 'runs.csv'))).toBe(false);
      expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    } finally {
      lock.release();
    }
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('a stale lock (its process gone) is taken over, and removed when the run ends', async () => {
    const out = tempDir();
    // A pid that is surely not running: a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: Number(gone), host: (await import('node:os')).hostname(), since: 0, token: 'old' }));
    const r = await runMain('run', SMALL, '--scheduler', 'first-fit', '--seed', '1', '--out', out, '--quiet', '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('damaged resume state names the line: a runs.ndjson line of null', async () => {
    const out = tempDir();
    const sweep = join(tempDir(), 'one.yaml');
    writeFileSync(sweep, `name: one\nscenarios: [${resolve(ROOT, SMALL)}]\nschedulers: [first-fit]\nseeds: [1]\n`);
    writeFileSync(join(out, 'runs.ndjson'), 'null\n');
    const r = await runMain('sweep', sweep, '--out', out, '--quiet');
    expectInputError(r, `error: ${join(out, 'runs.ndjson')}:1: not a run record`);
    expect(r.stderr).not.toContain('Cannot read properties');
  });
});
