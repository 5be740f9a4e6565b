/** `rackbench trace inspect` and `rackbench run --trace` through the command line's main() in this process. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

const NODE_LIST = sharedPath('data', 'traces', 'alibaba_gpu2023_openb_node_list_all_node.csv');
const POD_LIST = sharedPath('data', 'traces', 'alibaba_gpu2023_openb_pod_list_default_head2500.csv');
const NODE_ROWS = 'test/fixtures/traces/alibaba_gpu2023_node_list_rows.csv';
const POD_ROWS = 'test/fixtures/traces/alibaba_gpu2023_pod_list_rows.csv';

describe('rackbench trace inspect', () => {
  it('--json prints exactly rows, rejected, nodes, pods, capacity and span_s', async () => {
    const r = await runMain('trace', 'inspect', 'alibaba-gpu2023', NODE_ROWS, POD_ROWS, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 8 + 22 rows; 3 × 32 + 3 × 96 + 96 + 104 cores; 3 × 256 + 3 × 384 + 384 + 512 GiB; 3 × 8 + 4 + 2 GPUs;
    // from the first creation (0 s) to the last deletion (12,902,960 s).
    expect(JSON.parse(r.stdout)).toEqual({
      rows: 30,
      rejected: 0,
      nodes: 8,
      pods: 22,
      capacity: { cpu: 584_000, memory: (3 * 256 + 3 * 384 + 384 + 512) * 2 ** 30, gpu: 30 },
      span_s: 12_902_960,
    });
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['rows', 'rejected', 'nodes', 'pods', 'capacity', 'span_s']);
  });

  it('prints a table, lists bad rows with file and line, and fails in strict mode with exit 2', async () => {
    const dir = tempDir();
    const file = join(dir, 'vmtable.csv');
    writeFileSync(file, 'vm1,s,d,0,300,1,1,1,Interactive,2,4\nvm2,s,d,10,5,1,1,1,Interactive,2,4\n');
    const r = await runMain('trace', 'inspect', 'azure-vm', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows\s+2\n\s+rejected\s+1\n\s+nodes\s+0\n\s+pods\s+1\n/);
    expect(r.stderr).toContain(`${file}:2: vmdeleted: expected a number ≥ 10 (seconds, not before vmcreated), got "5"`);

    const strict = await runMain('trace', 'inspect', 'azure-vm', file, '--option', 'strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`${file}:2: vmdeleted: expected a number ≥ 10`);
    expect(strict.stderr).not.toMatch(/\n\s+at /);
  });

  it('names what is wrong with the command: unknown format, missing file', async () => {
    const r = await runMain('trace', 'inspect', 'borg', 'x.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown trace format "borg"; the formats are alibaba-gpu2023, alibaba-2018, google-2011, google-2019, azure-vm, csv');
    const missing = await runMain('trace', 'inspect', 'azure-vm', 'no-such-vmtable.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-vmtable.csv: no such file');
  });
});

describe('rackbench run --trace', () => {
  it('replays copied rows: trace nodes become the cluster, every pod runs to completion', async () => {
    const out = tempDir();
    const r = await runMain('run', '--trace', `alibaba-gpu2023:${NODE_ROWS},${POD_ROWS}`, '-s', 'best-fit', '--seed', '1', '--workers', '1', '--quiet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, row] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    const cols = Object.fromEntries(header!.split(',').map((c, i) => [c, row!.split(',')[i]]));
    expect(cols).toMatchObject({ scenario: 'trace-alibaba-gpu2023', scheduler: 'best-fit', pods_submitted: '22', pods_scheduled: '22', pods_completed: '22', pods_running_end: '0' });
  });

  it('uses the scenario cluster when the trace has no machines; exit 2 without one', async () => {
    const dir = tempDir();
    const vms = join(dir, 'vmtable.csv');
    writeFileSync(vms, 'vm1,s,d,0,300,1,1,1,Interactive,2,4\nvm2,s,d,10,50,1,1,1,Unknown,>24,>64\n');
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, 'name: azure-replay\ncluster:\n  pools:\n    - name: big\n      count: 2\n      capacity: { cpu: 32, memory: 128Gi }\nworkload: {}\n');
    const out = tempDir();
    const r = await runMain('run', scenario, '--trace', `azure-vm:${vms}`, '-s', 'first-fit', '--workers', '1', '--quiet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8')).toMatch(/\nazure-replay,first-fit,\w+,1,2,2,2,/);

    const bare = await runMain('run', '--trace', `azure-vm:${vms}`, '--out', tempDir());
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('these files have no machine list');
  });

  it('reads a trace: section of a scenario file, relative to the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.csv'), 'node,cpu,memory\nn1,4,16Gi\n');
    writeFileSync(join(dir, 'pods.csv'), 'arrival,duration,cpu,memory\n0,10s,3,1Gi\n1,10s,3,1Gi\n');
    writeFileSync(
      join(dir, 'replay.yaml'),
      'name: csv-replay\ncluster:\n  pools: [{ name: unused, count: 0, capacity: { cpu: 1 } }]\nworkload: {}\ntrace:\n  format: csv\n  files: [cluster.csv, pods.csv]\n  options: { compress: 2 }\n',
    );
    const out = tempDir();
    const r = await runMain('run', join(dir, 'replay.yaml'), '-s', 'first-fit', '--workers', '1', '--quiet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // One 4-core node: the second pod (3 cores) waits for the first to finish, 9.5 s after it arrives at 0.5 s.
    expect(readFileSync(join(out, 'runs.csv'), 'utf8')).toMatch(/\ncsv-replay,first-fit,\w+,1,2,2,2,0,0,0,0,0,/);
  });

  it('a bad --trace value or option exits 2 with a message', async () => {
    const r = await runMain('run', '--trace', 'alibaba-gpu2023', '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trace alibaba-gpu2023: expected FORMAT:FILE[,FILE…]');
    const o = await runMain('run', '--trace', `alibaba-gpu2023:${NODE_ROWS}`, '--trace-option', 'sample=3', '--out', tempDir());
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('trace option sample: expected a share in (0, 1]');
  });
});

describeWithShared('rackbench trace on the real Alibaba GPU samples', [NODE_LIST, POD_LIST], () => {
  it('on the real node list: 1,523 nodes, 6,212 GPUs', async () => {
    const r = await runMain('trace', 'inspect', 'alibaba-gpu2023', NODE_LIST, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 1523, rejected: 0, nodes: 1523, pods: 0, capacity: { gpu: 6212 } });
  });

  it('replays the real 2,500-pod sample on the 1,523 nodes to completion', async () => {
    const out = tempDir();
    const r = await runMain('run', '--trace', `alibaba-gpu2023:${NODE_LIST},${POD_LIST}`, '-s', 'first-fit', '--workers', '1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2500 placed, 0 unschedulable');
    const [header, row] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    const cols = Object.fromEntries(header!.split(',').map((c, i) => [c, row!.split(',')[i]]));
    expect(cols).toMatchObject({ pods_submitted: '2500', pods_scheduled: '2500', pods_completed: '2500', pods_running_end: '0', pods_pending_end: '0' });
  });
});
