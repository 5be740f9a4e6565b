/** The Alibaba readers on the real samples (when present) and on rows copied from them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/model/yaml-input.js';
import { LONG_RUNNING } from '../src/workload/pod.js';
import { openTrace, traceNodes, tracePods } from '../src/workload/trace/replay.js';
import type { TraceRef } from '../src/workload/trace/options.js';
import { ROOT, tempDir } from './support/cli.js';
import { describeWithShared, sharedPath } from './support/shared-data.js';

const NODE_LIST = sharedPath('data', 'traces', 'alibaba_gpu2023_openb_node_list_all_node.csv');
const POD_LIST = sharedPath('data', 'traces', 'alibaba_gpu2023_openb_pod_list_default_head2500.csv');
const MACHINE_META = sharedPath('data', 'traces', 'alibaba_v2018_machine_meta_first_row_per_machine.csv');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'traces');

const read = (ref: TraceRef) => {
  const t = openTrace(ref, 'test');
  return { nodes: traceNodes(t), pods: [...tracePods(t)], t };
};

describeWithShared('real samples in ../shared/data/traces', [NODE_LIST, POD_LIST, MACHINE_META], () => {
  it('the Alibaba GPU node list loads to exactly 1,523 nodes with 6,212 GPUs', () => {
    const { nodes, t } = read({ format: 'alibaba-gpu2023', files: [NODE_LIST] });
    expect(nodes).toHaveLength(1523);
    expect(nodes.reduce((s, n) => s + n.gpu, 0)).toBe(6212);
    expect(t.ctx.counts.rejected).toBe(0);
    // The most common shape (SOURCES.md): 96000 mCPU / 393216 MiB / 8 × G2 on 549 nodes.
    expect(nodes.filter((n) => n.cpu === 96_000 && n.memory === 393_216 * 2 ** 20 && n.gpu === 8 && n.gpuModel === 'G2')).toHaveLength(549);
  });

  it('the 2,500-pod sample reads without bad rows, in arrival order', () => {
    const { pods, t } = read({ format: 'alibaba-gpu2023', files: [POD_LIST] });
    expect(pods).toHaveLength(2500);
    expect(t.ctx.counts.rejected).toBe(0);
    for (let i = 1; i < pods.length; i++) expect(pods[i]!.arrival).toBeGreaterThanOrEqual(pods[i - 1]!.arrival);
    // num_gpu: 0 → 390 pods, 1 → 2,083, 2 → 3, 4 → 3, 8 → 21 (SOURCES.md).
    const byGpus = new Map<number, number>();
    for (const p of pods) {
      const n = p.gpuMilli === 0 ? 0 : Math.max(1, Math.floor(p.gpuMilli / 1000));
      byGpus.set(n, (byGpus.get(n) ?? 0) + 1);
    }
    expect(Object.fromEntries(byGpus)).toEqual({ 0: 390, 1: 2083, 2: 3, 4: 3, 8: 21 });
  });

  it('the 2018 machine list yields 4,034 nodes of 96 cores, with failure domains as racks and zones', () => {
    const { nodes, t } = read({ format: 'alibaba-2018', files: [MACHINE_META] });
    expect(nodes).toHaveLength(4034);
    expect(nodes.every((n) => n.cpu === 96_000)).toBe(true);
    expect(new Set(nodes.map((n) => n.rack)).size).toBe(292);
    expect(new Set(nodes.map((n) => n.zone)).size).toBe(20);
    expect(t.ctx.counts.rejected).toBe(0);
  });
});

describe('alibaba-gpu2023 on copied rows', () => {
  it('reads nodes: millicores, MiB → bytes, GPUs and their model', () => {
    const { nodes } = read({ format: 'alibaba-gpu2023', files: [join(FIXTURES, 'alibaba_gpu2023_node_list_rows.csv')] });
    expect(nodes).toHaveLength(8);
    expect(nodes.reduce((s, n) => s + n.gpu, 0)).toBe(30);
    expect(nodes[3]).toEqual({ name: 'openb-node-0234', cpu: 96_000, memory: 393_216 * 2 ** 20, gpu: 8, gpuModel: 'G2' });
    expect(nodes[0]!.gpuModel).toBeUndefined();
  });

  it('reads pods: arrival at creation_time, running from scheduled_time to deletion_time, GPU shares in milli-GPU', () => {
    const { pods } = read({ format: 'alibaba-gpu2023', files: [join(FIXTURES, 'alibaba_gpu2023_pod_list_rows.csv')] });
    expect(pods).toHaveLength(22);
    // openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
    const p1 = pods.find((p) => p.name === 'openb-pod-0001')!;
    expect(p1).toMatchObject({ arrival: 427_061e6, duration: (12_902_960 - 427_061) * 1e6, cpu: 6000, memory: 12_288 * 2 ** 20, gpuMilli: 460, qos: 'LS' });
    // openb-pod-0005,20000,65536,0,0,,LS,Running,2759674,12902960,2759676: scheduled 2 s after creation.
    expect(pods.find((p) => p.name === 'openb-pod-0005')).toMatchObject({ duration: (12_902_960 - 2_759_676) * 1e6, gpuMilli: 0 });
    // openb-pod-0061 was never scheduled: it runs deletion − creation = 125 s.
    expect(pods.find((p) => p.name === 'openb-pod-0061')).toMatchObject({ duration: 125e6 });
  });

  it('counts bad rows with file and line, and strict mode fails on the first', () => {
    const dir = tempDir();
    const file = join(dir, 'openb_pod_list_bad.csv');
    writeFileSync(
      file,
      [
        'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time',
        'p0,1000,1024,1,500,,LS,Running,0,10,0',
        'p1,lots,1024,0,0,,LS,Running,1,10,1',
        'p2,1000,1024,1,1500,,LS,Running,2,10,2',
        'p3,1000,1024,0,0,,LS,Running,5,3,5',
        'p4,1000,1024,0,0,,XX,Running,6,9,6',
        'p5,1000,1024,0,0,,LS,Running,7',
        'p6,1000,1024,0,0,V100M16|T4,BE,Running,8,,8',
      ].join('\n'),
    );
    const { pods, t } = read({ format: 'alibaba-gpu2023', files: [file] });
    expect(pods.map((p) => p.name)).toEqual(['p0', 'p6']);
    expect(pods[1]).toMatchObject({ duration: LONG_RUNNING, gpuModels: ['V100M16', 'T4'] });
    expect(t.ctx.counts).toMatchObject({ rows: 7, rejected: 5 });
    expect(t.ctx.issues.map((i) => `${i.line} ${i.field}`)).toEqual(['3 cpu_milli', '4 gpu_milli', '5 deletion_time', '6 qos', '7 ']);
    expect(t.ctx.issues[0]!.message).toContain('expected a whole number ≥ 0 (millicores), got "lots"');
    expect(t.ctx.issues[0]!.file).toBe(file);

    const strict = openTrace({ format: 'alibaba-gpu2023', files: [file], options: { strict: true } }, 'test');
    expect(() => Array.from(tracePods(strict))).toThrow(InputError);
    const again = openTrace({ format: 'alibaba-gpu2023', files: [file], options: { strict: true } }, 'test');
    expect(() => Array.from(tracePods(again))).toThrow(`${file}:3: cpu_milli: expected a whole number ≥ 0 (millicores), got "lots"`);
  });
});

describe('alibaba-2018', () => {
  it('machine_meta: cores, memory as a share of machineMemory, failure domains; a machine once', () => {
    const dir = tempDir();
    const file = join(dir, 'machine_meta.csv');
    writeFileSync(file, 'm_1,0,219,17,96,100,USING\nm_2,0,9,9,64,50,USING\nm_1,100,219,17,96,100,IMPORT_INSTALLING\nm_3,0,1,1,96,150,USING\n');
    const { nodes, t } = read({ format: 'alibaba-2018', files: [file], options: { machineMemory: '512Gi' } });
    expect(nodes).toEqual([
      { name: 'm_1', cpu: 96_000, memory: 512 * 2 ** 30, gpu: 0, rack: '219', zone: '17' },
      { name: 'm_2', cpu: 64_000, memory: 256 * 2 ** 30, gpu: 0, rack: '9', zone: '9' },
    ]);
    expect(t.ctx.issues).toEqual([{ file, line: 4, field: 'mem_size', message: 'expected a number from 0 to 100 (normalized memory), got "150"' }]);
  });

  it('copied machine_meta rows: m_1142 first appears at 569903 s and is a node too', () => {
    const { nodes } = read({ format: 'alibaba-2018', files: [join(FIXTURES, 'alibaba_v2018_machine_meta_rows.csv')] });
    expect(nodes.map((n) => n.name)).toEqual(['m_1', 'm_10', 'm_100', 'm_1000', 'm_1001', 'm_1002', 'm_1142']);
  });

  it('containers, batch tasks and batch instances: 100 = 1 core, merged in arrival order', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'container_meta.csv'), 'c_1,m_1,50,app_1,started,400,400,1.5\nc_1,m_1,60,app_1,started,400,400,1.5\nc_2,m_2,200,app_2,started,50,100,3\n');
    writeFileSync(join(dir, 'batch_task.csv'), 'M1,2,j_1,1,Terminated,100,160,50,0.2\nR2,1,j_2,1,Running,150,0,100,0.4\nM3,1,j_3,1,Terminated,300,250,100,0.4\n');
    writeFileSync(join(dir, 'batch_instance.csv'), 'i_1,M1,j_1,1,Terminated,120,130,m_1,1,1,10,20,0.5,0.75\n');
    const { pods, t } = read({
      format: 'alibaba-2018',
      files: ['container_meta.csv', 'batch_task.csv', 'batch_instance.csv'].map((f) => join(dir, f)),
      options: { machineMemory: '100Gi' },
    });
    expect(pods.map((p) => [p.name, p.arrival / 1e6, p.duration === LONG_RUNNING ? 'long' : p.duration / 1e6, p.cpu])).toEqual([
      ['c_1', 50, 'long', 4000],
      ['j_1/M1/0', 100, 60, 500],
      ['j_1/M1/1', 100, 60, 500],
      ['i_1', 120, 10, 200],
      ['j_2/R2/0', 150, 'long', 1000],
      ['c_2', 200, 'long', 500],
    ]);
    // plan_mem 0.2 of 100 GiB; mem_max 0.75 of 100 GiB.
    expect(pods[1]!.memory).toBe(Math.round(0.002 * 100 * 2 ** 30));
    expect(pods[3]!.memory).toBe(Math.round(0.0075 * 100 * 2 ** 30));
    expect(t.ctx.issues.map((i) => [i.line, i.field])).toEqual([[3, 'end_time']]);
  });

  it('rejects a batch task row whose instance_num would expand without bound', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'batch_task.csv'), 'M1,12000000000000000000,j_1,1,Terminated,100,160,50,0.2\nM2,2,j_2,1,Terminated,100,160,50,0.2\n');
    const { pods, t } = read({ format: 'alibaba-2018', files: [join(dir, 'batch_task.csv')], options: { machineMemory: '100Gi' } });
    expect(pods.map((p) => p.name)).toEqual(['j_2/M2/0', 'j_2/M2/1']);
    expect(t.ctx.issues.map((i) => [i.line, i.field])).toEqual([[1, 'instance_num']]);
  });
});
