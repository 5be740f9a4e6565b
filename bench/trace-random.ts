/**
 * Random trace files of every format, from a seed: mostly valid rows in
 * nearly sorted time order, mixed with what trips a reader — numbers in
 * every notation Number() accepts (exponents, signs, hex, padding), empty
 * and missing fields, quoted fields, CRLF, blank lines, duplicate ids, rows
 * out of order and rows of the wrong width. test/trace-digest.test.ts reads
 * them with the readers as they were and as they are and compares.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';

type Rng = () => number;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** A number field (one whose value a reader does not loop over): usually plain, sometimes in another notation or broken. */
function numberText(rng: Rng, value: number, decimals: number): string {
  const plain = decimals === 0 ? String(Math.round(value)) : value.toFixed(decimals);
  const r = rng();
  if (r < 0.94) return plain;
  return pick(rng, [
    ` ${plain}`, `${plain} `, `+${plain}`, `-${plain}`, `${value.toExponential(3)}`, `0x${Math.round(value).toString(16)}`,
    `${plain}.`, `.${Math.round(value) % 10}`, `0${plain}`, '', 'abc', '1e400', 'NaN', 'Infinity', '-0', '1_000',
    '12345678901234567890', '0.1234567890123456789', '9007199254740993', `"${plain}"`, '  ', '١٢', `${plain}e2`, '00.5', '5e-3',
  ]);
}

/** A name field: usually plain, sometimes padded, quoted, empty or odd. */
function nameText(rng: Rng, base: string): string {
  const r = rng();
  if (r < 0.9) return base;
  return pick(rng, [` ${base}`, `${base} `, `"${base}"`, `"${base},x"`, `"${base}""q"`, '', 'é-ü', `${base}\t`]);
}

/** Joins rows with a random line ending, some blank lines, maybe a BOM. */
function fileText(rng: Rng, header: string | undefined, rows: string[]): string {
  const eol = pick(rng, ['\n', '\n', '\r\n']);
  const lines = header === undefined ? [] : [header];
  for (const r of rows) {
    if (rng() < 0.02) lines.push('');
    lines.push(rng() < 0.02 ? r.split(',').slice(0, -1).join(',') : r);
  }
  return (rng() < 0.1 ? '\ufeff' : '') + lines.join(eol) + (rng() < 0.7 ? eol : '');
}

/** Nearly sorted times: mostly increasing, sometimes a step back. */
function times(rng: Rng, n: number, step: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rng() * step);
    out.push(rng() < 0.05 ? Math.max(0, t - Math.floor(rng() * step * 20)) : t);
  }
  return out;
}

type Writer = (rng: Rng, dir: string, n: number) => string[];

const WRITERS: Record<string, Writer> = {
  'alibaba-2018': (rng, dir, n) => {
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const machines = Array.from({ length: Math.max(1, n / 10) }, (_, i) =>
      [nameText(rng, `m_${i % 7}`), numberText(rng, i, 0), `${i % 3}`, `${i % 2}`, numberText(rng, 96, 0), numberText(rng, 100, 0), 'USING'].join(','),
    );
    const ts = times(rng, n, 5);
    const containers = ts.map((t, i) =>
      [nameText(rng, `c_${i % Math.max(1, n / 2)}`), `m_${i % 7}`, numberText(rng, t, 0), nameText(rng, `app_${i % 5}`), 'started', numberText(rng, 400, 0), '400', numberText(rng, 1.5 + (i % 9), 2)].join(','),
    );
    const tasks = ts.map((t, i) =>
      [nameText(rng, `M${i % 7}`), pick(rng, [`${i % 4}`, `${i % 4}`, `${i % 4}`, ' 2', '+1', '1e1', '0x2', '1.5', '', '-1', 'x']), nameText(rng, `j_${Math.floor(i / 3)}`), '1', 'Terminated', numberText(rng, t, 0), numberText(rng, rng() < 0.1 ? 0 : t + 60, 0), numberText(rng, 50 + (i % 4) * 50, 0), numberText(rng, 0.1 * (i % 9), 2)].join(','),
    );
    const instances = ts.map((t, i) =>
      [nameText(rng, `i_${i}`), `M${i % 7}`, nameText(rng, `j_${i % 11}`), '1', 'Terminated', numberText(rng, t, 0), numberText(rng, t + 30, 0), 'm_1', '1', '1', numberText(rng, 12.5, 2), numberText(rng, 40, 2), numberText(rng, 0.5, 3), numberText(rng, 1.25, 3)].join(','),
    );
    return [
      file('machine_meta.csv', fileText(rng, undefined, machines)),
      file('container_meta.csv', fileText(rng, undefined, containers)),
      file('batch_task.csv', fileText(rng, undefined, tasks)),
      file('batch_instance.csv', fileText(rng, undefined, instances)),
    ];
  },
  'alibaba-gpu2023': (rng, dir, n) => {
    const nodes = join(dir, 'openb_node_list_r.csv');
    writeFileSync(
      nodes,
      fileText(rng, 'sn,cpu_milli,memory_mib,gpu,model', Array.from({ length: Math.max(1, n / 10) }, (_, i) => [nameText(rng, `node-${i}`), numberText(rng, 32000, 0), numberText(rng, 262144, 0), numberText(rng, i % 9, 0), i % 9 === 0 ? '' : pick(rng, ['G2', 'T4', 'V100M16'])].join(','))),
    );
    const pods = join(dir, 'openb_pod_list_r.csv');
    const ts = times(rng, n, 50);
    writeFileSync(
      pods,
      fileText(rng, 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time', ts.map((t, i) => {
        const sched = rng() < 0.1 ? '' : numberText(rng, t + 3, 0);
        return [nameText(rng, `pod-${i}`), numberText(rng, 4000, 0), numberText(rng, 16384.5, 1), numberText(rng, i % 3, 0), numberText(rng, pick(rng, [0, 460, 1000]), 0), pick(rng, ['', 'G2', 'T4|V100M16', ' P100 | T4 ']), pick(rng, ['LS', 'BE', 'Burstable', '', 'XX']), pick(rng, ['Running', 'Pending', '']), numberText(rng, t, 0), rng() < 0.1 ? '' : numberText(rng, t + 3600, 0), sched].join(',');
      })),
    );
    return [nodes, pods];
  },
  'google-2011': (rng, dir, n) => {
    const machines = join(dir, 'machine_events.csv');
    writeFileSync(machines, fileText(rng, undefined, Array.from({ length: Math.max(2, n / 10) }, (_, i) => [numberText(rng, i * 1e6, 0), `${i % 5}`, numberText(rng, i < 5 ? 0 : i % 3, 0), 'p1', numberText(rng, 0.5, 2), numberText(rng, 0.25, 4)].join(','))));
    const tasks = join(dir, 'task_events.csv');
    const rows: string[] = [];
    for (let i = 0; rows.length < n; i++) {
      const t0 = i * 1000;
      const job = `${Math.floor(i / 4)}`;
      const index = `${i % 4}`;
      const row = (t: number, type: number): string => [numberText(rng, t, 0), '', nameText(rng, job), numberText(rng, Number(index), 0), '', numberText(rng, type, 0), 'u', numberText(rng, i % 4, 0), numberText(rng, i % 12, 0), numberText(rng, 0.0625, 4), numberText(rng, 0.03125, 5), '0', '0'].join(',');
      rows.push(row(t0, 0));
      if (rng() < 0.8) rows.push(row(t0 + 10, pick(rng, [1, 1, 7])));
      if (rng() < 0.8) rows.push(row(t0 + 500_000 + Math.floor(rng() * 1e6), pick(rng, [2, 3, 4, 5, 6, 8, 9])));
    }
    writeFileSync(tasks, fileText(rng, undefined, rows));
    return [machines, tasks];
  },
  'google-2019': (rng, dir, n) => {
    const machines = join(dir, 'machine_events.csv');
    writeFileSync(machines, fileText(rng, 'time,machine_id,type,switch_id,capacity.cpus,capacity_memory,platform_id', Array.from({ length: Math.max(2, n / 10) }, (_, i) => [numberText(rng, i * 1e6, 0), `${i % 5}`, numberText(rng, i < 5 ? 1 : 1 + (i % 3), 0), `s${i % 2}`, numberText(rng, 0.5, 2), numberText(rng, 0.25, 4), 'p1'].join(','))));
    const instances = join(dir, 'instance_events.csv');
    const rows: string[] = [];
    for (let i = 0; rows.length < n; i++) {
      const t0 = i * 1000;
      const row = (t: number, type: number): string => [numberText(rng, t, 0), numberText(rng, type, 0), nameText(rng, `${Math.floor(i / 3)}`), numberText(rng, i % 3, 0), numberText(rng, 200, 0), numberText(rng, i % 4, 0), '0', numberText(rng, 0.0625, 4), numberText(rng, 0.03125, 5)].join(',');
      rows.push(row(t0, 0));
      if (rng() < 0.5) rows.push(row(t0 + 5, pick(rng, [1, 2])));
      if (rng() < 0.8) rows.push(row(t0 + 10, pick(rng, [3, 3, 9])));
      if (rng() < 0.8) rows.push(row(t0 + 500_000 + Math.floor(rng() * 1e6), pick(rng, [4, 5, 6, 7, 8, 10, 11])));
    }
    writeFileSync(instances, fileText(rng, 'time,type,collection_id,instance_index,priority,scheduling_class,collection_type,resource_request.cpus,resource_request_memory', rows));
    return [machines, instances];
  },
  'azure-vm': (rng, dir, n) => {
    const file = join(dir, 'vmtable.csv');
    const ts = times(rng, n, 30);
    writeFileSync(file, fileText(rng, undefined, ts.map((t, i) => [nameText(rng, `vm${i}`), nameText(rng, `sub${i % 13}`), `dep${i % 7}`, numberText(rng, t, 0), numberText(rng, t + 86_400, 0), '90.5', numberText(rng, 10.25, 2), '80.1', pick(rng, ['Interactive', 'Delay-insensitive', 'Unknown', '']), pick(rng, ['2', '4', '8', '24', '>24', '0', 'x']), pick(rng, ['2', '4', '8', '32', '64', '>64', ' 8 '])].join(','))));
    return [file];
  },
  csv: (rng, dir, n) => {
    const nodes = join(dir, 'nodes.csv');
    writeFileSync(nodes, fileText(rng, 'node,cpu,memory,gpu,zone,example.com/fpga', Array.from({ length: Math.max(1, n / 10) }, (_, i) => [nameText(rng, `n${i}`), pick(rng, ['32', '500m', '64']), pick(rng, ['128Gi', '64G', '1Ti']), `${i % 3}`, `z${i % 2}`, pick(rng, ['', '2'])].join(','))));
    const pods = join(dir, 'pods.csv');
    const ts = times(rng, n, 3);
    const header = pick(rng, ['name,arrival,duration,cpu,memory,gpu,owner', 'arrival,cpu,memory,owner,class,priority,gpu_model,gpu,limit_cpu,usage_cpu,usage_memory,example.com/fpga']);
    writeFileSync(pods, fileText(rng, header, ts.map((t, i) => header.startsWith('name')
      ? [nameText(rng, `p${i}`), pick(rng, [`${t / 10}`, `${t}s`, `${t}m`, '1h30m', 'x']), pick(rng, ['600', '', '1.5s', '0']), pick(rng, [`${(i % 8) + 1}`, '250m', '']), pick(rng, ['1Gi', '512Mi', '2G', 'x']), i % 10 === 0 ? '1' : '', nameText(rng, `team-${i % 20}`)].join(',')
      : [`${t / 10}`, pick(rng, ['1', '500m']), '1Gi', nameText(rng, `o${i % 4}`), pick(rng, ['', 'batch']), pick(rng, ['', '3', '-1', '1.5']), pick(rng, ['', 'A100', 'A100|T4']), pick(rng, ['', '1', '0.5']), pick(rng, ['', '2']), pick(rng, ['', '0.5']), pick(rng, ['', '512Mi']), pick(rng, ['', '1'])].join(','))));
    return [nodes, pods];
  },
};

/** Option sets the random reads use in turn (the defaults first). */
export const RANDOM_OPTIONS: readonly Record<string, unknown>[] = [
  {},
  { usage: true, reorder: 3 },
  { compress: 2.5, window: '0.1s..2h', reorder: 50 },
  { sample: 0.5, sampleSeed: 7, openLimit: 5, usage: true, gpuShare: 'milli' },
];

/** Writes random files of `format` into `dir` from `seed`; returns their paths. */
export function randomTrace(format: string, dir: string, seed: number, rows: number): string[] {
  const writer = WRITERS[format];
  if (writer === undefined) throw new Error(`no random writer for trace format ${format}`);
  return writer(seedrandom.xor4096(`rackbench-trace-random:${format}:${seed}`), dir, rows);
}

export const RANDOM_FORMATS = Object.keys(WRITERS);
