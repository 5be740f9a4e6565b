/** Hand-made rows for the Google, Azure and generic CSV readers, and the replay options every format shares. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { ResourceSpace } from '../src/model/resources.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { prepareRun } from '../src/runner/run-one.js';
import { LONG_RUNNING } from '../src/workload/pod.js';
import type { PodSubmission } from '../src/workload/pod.js';
import type { TraceRef } from '../src/workload/trace/options.js';
import { GPU_MODEL_LABEL, openTrace, sampleShare, traceNodes, traceNodeSpecs, tracePods, traceWorkload } from '../src/workload/trace/replay.js';
import { tempDir } from './support/cli.js';

const GIB = 2 ** 30;

function files(contents: Record<string, string>): string[] {
  const dir = tempDir();
  return Object.entries(contents).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

const read = (ref: TraceRef) => {
  const t = openTrace(ref, 'test');
  return { nodes: traceNodes(t), pods: [...tracePods(t)], t };
};

const brief = (pods: readonly { name: string; arrival: number; duration: number }[]) =>
  pods.map((p) => `${p.name}@${p.arrival / 1e6}+${p.duration === LONG_RUNNING ? '∞' : p.duration / 1e6}`);

describe('google-2011', () => {
  // time, machine_id, event_type (0 ADD, 1 REMOVE, 2 UPDATE), platform_id, cpus, memory
  const machines = ['0,5,0,p1,0.5,0.25', '0,6,0,p1,1,1', '100,5,2,p1,,0.5', '200,6,1,p1,,', '300,9,1,p1,,', '300,7,0,p1,,0.5', '300,8,3,p1,1,1'].join('\n');
  // time, missing, job_id, task_index, machine_id, event_type, user, class, priority, cpu, memory, disk, different_machines
  const tasks = [
    '1000000,,j1,0,,0,u,2,9,0.125,0.0625,0,0', // SUBMIT
    '2000000,,j1,0,5,1,u,2,9,0.125,0.0625,0,0', // SCHEDULE
    '2000000,,j1,1,,0,u,0,0,0.25,0.25,0,0', // SUBMIT
    '2500000,,j1,1,,7,u,0,0,0.5,,0,0', // UPDATE_PENDING: cpu 0.5
    '3000000,,j1,1,6,1,u,0,0,0.5,0.25,0,0', // SCHEDULE
    '3500000,,j1,1,6,8,u,0,0,0.75,0.25,0,0', // UPDATE_RUNNING: ignored
    '4000000,,j1,0,5,4,u,2,9,,,,', // FINISH
    '5000000,,j1,1,6,2,u,0,0,,,,', // EVICT
    '5000000,,j1,1,,0,u,0,0,0.5,0.25,0,0', // resubmitted
    '6000000,,j1,1,6,1,u,0,0,,,,', // SCHEDULE
    '9000000,,j1,1,6,3,u,0,0,,,,', // FAIL
    '6000000,,j2,0,,0,u,1,4,0.1,0.1,0,0', // SUBMIT
    '7000000,,j2,0,,5,u,1,4,,,,', // KILL while pending
    '7000000,,j3,0,,0,u,1,4,0.1,0.1,0,0', // SUBMIT
    '7500000,,j3,0,,1,u,1,4,,,,', // SCHEDULE
    '8000000,,j3,0,,6,u,1,4,,,,', // LOST
    '8000000,,j4,0,,0,u,1,4,0.1,0.1,0,0', // SUBMIT, never ends
    '8000000,,j0,0,,4,u,1,4,,,,', // FINISH of a task submitted before the trace
    '8000000,,j5,0,,9,u,1,4,,,,', // no such event type
  ].join('\n');

  it('maps each task event code and scales normalized resources to the machine', () => {
    const [m, t] = files({ 'machine_events.csv': machines, 'task_events.csv': tasks });
    const r = read({ format: 'google-2011', files: [m!, t!], options: { machineCpu: '32', machineMemory: '128Gi' } });
    expect(r.nodes).toEqual([
      { name: '5', cpu: 16_000, memory: 64 * GIB, gpu: 0, zone: undefined, rack: undefined }, // updated: memory 0.5
      { name: '6', cpu: 32_000, memory: 128 * GIB, gpu: 0, zone: undefined, rack: undefined }, // removed later: counted, kept
    ]);
    expect(r.t.ctx.counts.removedMachines).toBe(1);
    expect(r.t.ctx.issues.map((i) => `${i.file.endsWith('machine_events.csv')}:${i.line}:${i.field}`)).toEqual(['true:6:cpus', 'true:7:event_type', 'false:19:event_type']);
    expect(brief(r.pods)).toEqual(['j1/0@1+2', 'j1/1@2+2', 'j1/1@5+3', 'j2/0@6+1', 'j3/0@7+0.5', 'j4/0@8+∞']);
    // cpu 0.5 after UPDATE_PENDING (of 32 cores), memory 0.25 of 128 GiB; priority and class from the SUBMIT row.
    expect(r.pods[1]).toMatchObject({ cpu: 16_000, memory: 32 * GIB, priority: 0, qos: 'class-0', owner: 'j1' });
    expect(r.pods[0]).toMatchObject({ cpu: 4000, memory: 8 * GIB, priority: 9, qos: 'class-2' });
    expect(r.t.ctx.counts.unmatched).toBe(2); // REMOVE of machine 9, FINISH of j0/0
  });

  it('an open task past openLimit is replayed as running to the end', () => {
    const [t] = files({ 'task_events.csv': ['0,,a,0,,0,u,0,0,0.1,0.1,0,0', '1,,b,0,,0,u,0,0,0.1,0.1,0,0', '2,,b,0,,1,u,0,0,,,,', '5,,b,0,,4,u,0,0,,,,', '9,,a,0,,4,u,0,0,,,,'].join('\n') });
    const r = read({ format: 'google-2011', files: [t!], options: { openLimit: 1 } });
    expect(r.pods.map((p) => [p.name, p.duration])).toEqual([
      ['a/0', LONG_RUNNING],
      ['b/0', 3],
    ]);
    expect(r.t.ctx.counts.truncated).toBe(1);
  });
});

describe('google-2019', () => {
  it('reads CSV exported from BigQuery, with its own event codes', () => {
    const [m, i] = files({
      'machine_events.csv': 'time,machine_id,type,switch_id,capacity.cpus,capacity.memory,platform_id\n0,11,1,sw1,0.5,0.5,p\n0,12,1,sw2,1,1,p\n10,12,3,sw2,0.75,,p\n20,11,2,sw1,,,p\n30,13,0,sw3,1,1,p\n',
      'instance_events.csv': [
        'time,type,collection_id,instance_index,priority,scheduling_class,collection_type,resource_request_cpus,resource_request_memory',
        '1000000,0,c1,0,200,3,0,0.5,0.25', // SUBMIT
        '1500000,1,c1,0,200,3,0,,', // QUEUE
        '2000000,2,c1,0,200,3,0,,', // ENABLE
        '2000000,9,c1,0,200,3,0,0.25,', // UPDATE_PENDING
        '3000000,3,c1,0,200,3,0,,', // SCHEDULE
        '3500000,10,c1,0,200,3,0,1,1', // UPDATE_RUNNING
        '4000000,0,c2,7,0,0,0,0.1,0.1',
        '5000000,3,c2,7,0,0,0,,',
        '6000000,4,c2,7,0,0,0,,', // EVICT
        '6000000,0,c3,0,0,0,0,0.1,0.1',
        '6500000,3,c3,0,0,0,0,,',
        '7000000,5,c3,0,0,0,0,,', // FAIL
        '7000000,0,c4,0,0,0,0,0.1,0.1',
        '7500000,7,c4,0,0,0,0,,', // KILL pending
        '8000000,0,c5,0,0,0,0,0.1,0.1',
        '8000000,3,c5,0,0,0,0,,',
        '8250000,8,c5,0,0,0,0,,', // LOST
        '9000000,6,c1,0,200,3,0,,', // FINISH
        '9000000,11,c1,0,200,3,0,,', // no such type
        '9000000,0,c6,0,0,0,0,2,0.1', // cpus above 1
      ].join('\n'),
    });
    const r = read({ format: 'google-2019', files: [m!, i!], options: { machineCpu: '100', machineMemory: '400Gi' } });
    expect(r.nodes).toEqual([
      { name: '11', cpu: 50_000, memory: 200 * GIB, gpu: 0, zone: undefined, rack: 'sw1' },
      { name: '12', cpu: 75_000, memory: 400 * GIB, gpu: 0, zone: undefined, rack: 'sw2' },
    ]);
    expect(r.t.ctx.issues.map((x) => `${x.line}:${x.field}`)).toEqual(['6:type', '20:type', '21:resource_request.cpus']);
    expect(brief(r.pods)).toEqual(['c1/0@1+6', 'c2/7@4+1', 'c3/0@6+0.5', 'c4/0@7+0.5', 'c5/0@8+0.25']);
    expect(r.pods[0]).toMatchObject({ cpu: 25_000, memory: 100 * GIB, priority: 200, qos: 'class-3' });
  });

  it('with the usage option, replays instance_usage: the time-weighted mean of each instance’s average_usage', () => {
    const [m, i, u] = files({
      'machine_events.csv': 'time,machine_id,type,capacity.cpus,capacity.memory\n0,1,1,1,1\n',
      'instance_events.csv': ['time,type,collection_id,instance_index,resource_request.cpus,resource_request.memory', '0,0,c1,0,0.5,0.5', '0,3,c1,0,,', '0,0,c2,7,0.1,0.1', '0,3,c2,7,,'].join('\n'),
      'instance_usage.csv': [
        'start_time,end_time,collection_id,instance_index,average_usage.cpus,average_usage.memory,maximum_usage.cpus,maximum_usage.memory',
        '0,300000000,c1,0,0.1,0.2,0.4,0.25', // 300 s at 0.1 CPU, 0.2 memory
        '300000000,400000000,c1,0,0.5,0.2,0.6,0.3', // 100 s at 0.5
        '400000000,400000000,c1,0,1,1,1,1', // an empty window: no weight
        '0,300000000,c2,7,2,0.1,,', // cpus above 1: a bad row, so c2/7 has no usage
      ].join('\n'),
    });
    const withUsage = read({ format: 'google-2019', files: [m!, i!, u!], options: { machineCpu: '100', machineMemory: '400Gi', usage: true } });
    // c1/0: CPU (0.1 × 300 + 0.5 × 100) ÷ 400 = 0.2 of 100 cores = 20 cores; memory 0.2 of 400 Gi = 80 Gi.
    expect(withUsage.pods[0]!.usage).toEqual({ cpu: 20_000, memory: 80 * GIB });
    expect(withUsage.pods[1]!.usage).toBeUndefined();
    expect(withUsage.t.ctx.issues.map((x) => `${x.line}:${x.field}`)).toEqual(['5:average_usage.cpus']);
    expect(withUsage.t.format.hasUsage?.(withUsage.t.files, withUsage.t.ctx.options)).toBe(true);
    // Without the option, instance_usage is not read.
    const without = read({ format: 'google-2019', files: [m!, i!, u!], options: { machineCpu: '100', machineMemory: '400Gi' } });
    expect(without.pods.map((p) => p.usage)).toEqual([undefined, undefined]);
  });

  it('reads JSON lines with nested records and 64-bit integers as strings', () => {
    const [m, i] = files({
      'machine_events.json': '{"time":"0","machine_id":"42","type":1,"switch_id":"s","capacity":{"cpus":0.5,"memory":0.25}}\n',
      'instance_events.json': [
        '{"time":"0","type":0,"collection_id":"99","instance_index":3,"priority":100,"resource_request":{"cpus":0.1,"memory":0.2}}',
        'not json',
        '{"time":"5000000","type":3,"collection_id":"99","instance_index":3}',
        '{"time":"6000000","type":6,"collection_id":"99","instance_index":3}',
      ].join('\n'),
    });
    const r = read({ format: 'google-2019', files: [m!, i!], options: { machineCpu: '10', machineMemory: '10Gi' } });
    expect(r.nodes).toMatchObject([{ name: '42', cpu: 5000, memory: 2.5 * GIB, rack: 's' }]);
    expect(brief(r.pods)).toEqual(['99/3@0+1']);
    expect(r.pods[0]).toMatchObject({ cpu: 1000, memory: 2 * GIB, priority: 100 });
    expect(r.t.ctx.issues.map((x) => `${x.line}:${x.message}`)).toEqual(['2:expected a JSON object per line']);
  });
});

describe('azure-vm', () => {
  it('reads V1 and V2 vmtables: core and memory buckets, open buckets at their bound', () => {
    const [v1, v2] = files({
      'vmtable.csv': 'vm1,sub1,dep1,0,300,90,10,80,Interactive,2,4\nvm2,sub1,dep1,600,3600,50,5,40,Delay-insensitive,>24,>64\nvm3,sub2,dep2,700,100,1,1,1,Unknown,4,8\nvm4,sub2,dep2,800,900,1,1,1,Unknown,big,8\n',
      'vmtable_v2.csv': 'v2a,s,d,1200,2400,1,1,1,Unknown,8,32\n',
    });
    const r = read({ format: 'azure-vm', files: [v1!, v2!] });
    expect(r.nodes).toEqual([]);
    expect(brief(r.pods)).toEqual(['vm1@0+300', 'vm2@600+3000', 'v2a@1200+1200']);
    expect(r.pods.map((p) => [p.cpu, p.memory / GIB, p.owner, p.qos])).toEqual([
      [2000, 4, 'sub1', 'Interactive'],
      [24_000, 64, 'sub1', 'Delay-insensitive'],
      [8000, 32, 's', 'Unknown'],
    ]);
    expect(r.t.ctx.issues.map((x) => `${x.line}:${x.field}`)).toEqual(['3:vmdeleted', '4:vmcorecount']);
  });
});

describe('csv (generic)', () => {
  it('reads node and pod lists in Kubernetes notation', () => {
    const [n, p] = files({
      'cluster.csv': 'node,cpu,memory,gpu,gpu_model,zone,rack\nn1,32,128Gi,4,A100,z1,r1\nn2,16000m,64G,,,z2,\nn3,lots,1Gi,,,,\n',
      'load.csv': 'name,arrival,duration,cpu,memory,gpu,gpu_model,priority,owner,class\na,0,90s,500m,1Gi,0.5,A100|H100,10,team,LS\nb,1.5,,2,2Gi,,,,,\n,2h,1m,1,1Gi,,,,,\nd,3h,1m,1,1Gi,,,-,,\n',
    });
    const r = read({ format: 'csv', files: [n!, p!] });
    expect(r.nodes).toEqual([
      { name: 'n1', cpu: 32_000, memory: 128 * GIB, gpu: 4, gpuModel: 'A100', zone: 'z1', rack: 'r1' },
      { name: 'n2', cpu: 16_000, memory: 64e9, gpu: 0, gpuModel: undefined, zone: 'z2', rack: undefined },
    ]);
    expect(brief(r.pods)).toEqual(['a@0+90', 'b@1.5+∞', 'pod-4@7200+60']);
    expect(r.pods[0]).toMatchObject({ gpuMilli: 500, gpuModels: ['A100', 'H100'], priority: 10, owner: 'team', qos: 'LS', cpu: 500, memory: GIB });
    expect(r.t.ctx.issues.map((x) => `${x.line}:${x.field}`)).toEqual(['4:cpu', '5:priority']);
  });

  it('reads nvme, nic, extended resources, limits and usage columns', () => {
    const [n, p] = files({
      'nodes.csv': 'node,cpu,memory,nvme,nic,storage_bandwidth,example.com/fpga\nn1,8,32Gi,3.84T,25G,6G,2\n',
      'pods.csv':
        'name,arrival,duration,cpu,memory,nvme,nic,example.com/fpga,limit_cpu,limit_memory,limit_example.com/fpga,usage_cpu,usage_memory,usage_nvme_read,usage_nvme_write,usage_nic\n' +
        'a,0,10s,1,1Gi,100Gi,1G,1,2,2Gi,1,3,1536Mi,200M,50M,2G\n' +
        'b,0,10s,1,1Gi,,,,,,,,,,,\n',
    });
    const r = read({ format: 'csv', files: [n!, p!] });
    expect(r.nodes[0]).toMatchObject({ resources: { nvme: 3.84e12, nic: 25e9, 'example.com/fpga': 2 }, storageBandwidth: 6e9 });
    expect(r.pods[0]).toMatchObject({
      resources: { nvme: 100 * GIB, nic: 1e9, 'example.com/fpga': 1 },
      limits: { cpu: 2000, memory: 2 * GIB, 'example.com/fpga': 1 },
      usage: { cpu: 3000, memory: 1.5 * GIB, nvmeRead: 200e6, nvmeWrite: 50e6, nic: 2e9 },
    });
    expect(r.pods[1]).toMatchObject({ resources: undefined, limits: undefined, usage: undefined });
    expect(r.t.format.extendedResources?.(r.t.files)).toEqual(['example.com/fpga']);
    expect(r.t.format.hasUsage?.(r.t.files, r.t.ctx.options)).toBe(true);
    // In the run's resource space, with limits in the template and usage in the submission.
    const space = new ResourceSpace(['example.com/fpga']);
    const fpga = space.indexOf('example.com/fpga')!;
    const [a] = [...traceWorkload(r.t, space)] as PodSubmission[];
    expect(a!.requests[fpga]).toBe(1);
    expect(a!.template.limits?.[0]).toBe(2000);
    expect(a!.usage?.phases[0]).toMatchObject({ cpu: 3000, memory: 1.5 * GIB, nvme: 250e6, nic: 2e9 });
    expect(traceNodeSpecs(r.nodes, space, r.t)[0]).toMatchObject({ storageBandwidth: 6e9 });
    expect(traceNodeSpecs(r.nodes, space, r.t)[0]!.capacity[fpga]).toBe(2);
  });

  it('a replay with usage columns models contention: two pods using 8 cores each on one 8-core node take twice as long', () => {
    const [n, p] = files({
      'nodes.csv': 'node,cpu,memory\nn1,8,32Gi\n',
      'pods.csv': 'name,arrival,duration,cpu,memory,usage_cpu\na,0,10s,1,1Gi,8\nb,0,10s,1,1Gi,8\n',
    });
    const scenario = { name: 'csv-usage', cluster: { pools: [{ name: 'unused', count: 0, capacity: { cpu: 1 } }] }, workload: {}, trace: { format: 'csv', files: [n!, p!] } };
    const run = prepareRun({ scenario: scenarioFromData(scenario, 'csv-usage'), source: 'csv-usage', scheduler: 'first-fit', queue: 'fifo', seed: 1 });
    run.sim.run();
    expect(run.metrics.result()['slowdown_p50']).toBe(2);
  });

  it('refuses a header it does not know, naming the column', () => {
    const [p] = files({ 'pods.csv': 'arrival,cpu,memroy\n0,1,1Gi\n' });
    expect(() => read({ format: 'csv', files: [p!] })).toThrow(/pods\.csv:1: the header has an unknown column "memroy" \(column 3\) and no column memory; the columns are arrival, cpu, memory, name/);
  });
});

describe('replay options', () => {
  const podFile = () => files({
    'p.csv': `arrival,duration,cpu,memory,name\n${Array.from({ length: 100 }, (_, i) => `${i * 10},5,1,1Gi,p${i}`).join('\n')}\n`,
  });

  it('keeps the window [start, end) and shifts it to 0', () => {
    const r = read({ format: 'csv', files: podFile(), options: { window: '100s..200s' } });
    expect(r.pods.map((p) => p.arrival / 1e6)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(r.t.ctx.counts.filtered).toBe(90);
  });

  it('compresses arrival times, not durations', () => {
    const r = read({ format: 'csv', files: podFile(), options: { window: '0..40', compress: 4 } });
    expect(r.pods.map((p) => [p.arrival / 1e6, p.duration / 1e6])).toEqual([
      [0, 5],
      [2.5, 5],
      [5, 5],
      [7.5, 5],
    ]);
  });

  it('samples deterministically by a hash of the name', () => {
    const a = read({ format: 'csv', files: podFile(), options: { sample: 0.3, sampleSeed: 7 } }).pods.map((p) => p.name);
    const b = read({ format: 'csv', files: podFile(), options: { sample: '0.3', sampleSeed: '7' } }).pods.map((p) => p.name);
    expect(a).toEqual(b);
    expect(a).toEqual(Array.from({ length: 100 }, (_, i) => `p${i}`).filter((n) => sampleShare(7, n) < 0.3));
    expect(a.length).toBeGreaterThan(15);
    expect(a.length).toBeLessThan(45);
  });

  it('restores arrival order within the reorder buffer, and reports pods beyond it', () => {
    const [f] = files({ 'p.csv': 'arrival,cpu,memory,name\n5,1,1,a\n3,1,1,b\n9,1,1,c\n10,1,1,d\n1,1,1,e\n' });
    const r = read({ format: 'csv', files: [f!], options: { reorder: 2 } });
    expect(r.pods.map((p) => p.name)).toEqual(['b', 'a', 'c', 'd']);
    expect(r.t.ctx.issues).toMatchObject([{ line: 6, field: 'arrival' }]);
    expect(r.t.ctx.issues[0]!.message).toContain('out of arrival order by more than the reorder buffer (2 pods)');
  });

  it('rejects unknown options and bad values, naming them', () => {
    expect(() => openTrace({ format: 'csv', files: podFile(), options: { smaple: 1 } }, 'here')).toThrow(UsageError);
    expect(() => openTrace({ format: 'csv', files: podFile(), options: { smaple: 1 } }, 'here')).toThrow(/unknown trace option smaple/);
    expect(() => openTrace({ format: 'csv', files: podFile(), options: { sample: 2 } }, 'here')).toThrow(/trace option sample: expected a share in \(0, 1\]/);
    expect(() => openTrace({ format: 'csv', files: podFile(), options: { window: '2h..1h' } }, 'here')).toThrow(/ends .* before it starts/);
    expect(() => openTrace({ format: 'nope', files: ['x.csv'] }, 'here')).toThrow(/unknown trace format "nope"; the formats are alibaba-gpu2023, alibaba-2018/);
    expect(() => openTrace({ format: 'google-2011', files: ['x.csv'] }, 'here')).toThrow(/x\.csv: not a file of trace format google-2011/);
  });
});

describe('GPUs as an extended resource', () => {
  const gpuFiles = () => files({
    'nodes.csv': 'node,cpu,memory,gpu,gpu_model\nn1,8,32Gi,2,T4\n',
    'pods.csv': 'arrival,cpu,memory,gpu,gpu_model,name\n0,1,1Gi,0.25,T4|V100,shared\n1,1,1Gi,2,,whole\n',
  });

  it('whole GPUs by default: a shared GPU counts as one; models become required node affinity', () => {
    const t = openTrace({ format: 'csv', files: gpuFiles(), options: { gpuResource: 'nvidia.com/gpu' } }, 'test');
    const space = new ResourceSpace(['nvidia.com/gpu']);
    const gpu = space.indexOf('nvidia.com/gpu')!;
    const [node] = traceNodeSpecs(traceNodes(t), space, t);
    expect(node!.capacity[gpu]).toBe(2);
    expect(node!.labels[GPU_MODEL_LABEL]).toBe('T4');
    const subs = [...traceWorkload(t, space)] as PodSubmission[];
    expect(subs.map((s) => s.requests[gpu])).toEqual([1, 2]);
    expect(subs[0]!.template.kind).toBe('trace');
    expect(subs[0]!.template.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: GPU_MODEL_LABEL, operator: 'In', values: ['T4', 'V100'] }] },
    ]);
    expect(subs[1]!.template.affinity).toBeUndefined();
  });

  it('milli-GPU shares: nodes have 1000 per GPU', () => {
    const t = openTrace({ format: 'csv', files: gpuFiles(), options: { gpuResource: 'alibaba.com/gpu-milli', gpuShare: 'milli' } }, 'test');
    const space = new ResourceSpace(['alibaba.com/gpu-milli']);
    const gpu = space.indexOf('alibaba.com/gpu-milli')!;
    expect(traceNodeSpecs(traceNodes(t), space, t)[0]!.capacity[gpu]).toBe(2000);
    expect(([...traceWorkload(t, space)] as PodSubmission[]).map((s) => s.requests[gpu])).toEqual([250, 2000]);
  });
});
