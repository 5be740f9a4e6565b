/**
 * Trace readers: rows parsed per second and peak RSS replaying a generated
 * 1,000,000-row trace of each format (median of several runs, each in a
 * fresh process). The files are written once to a temporary directory.
 * Beside them, the generic CSV file only split into records, by csv-parse
 * (as the reader once did) and by the reader's own splitter. CPU time is
 * given too: on a shared machine it moves less than wall time.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantileSorted } from '../src/core/stats.js';
import type { BenchFigure } from './harness.js';

export const TRACE_ROWS = 1_000_000;

/** Writes `rows` lines made by `line(i)` (plus a header) in 64 KiB batches. */
function writeRows(file: string, header: string | undefined, rows: number, line: (i: number) => string): void {
  const fd = openSync(file, 'w');
  let batch = header === undefined ? '' : `${header}\n`;
  for (let i = 0; i < rows; i++) {
    batch += `${line(i)}\n`;
    if (batch.length > 65_536) {
      writeSync(fd, batch);
      batch = '';
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
}

/** The generated trace of each format: files named so the format recognises their role. */
export function generate(dir: string, n: number): Record<string, string[]> {
  const f = (name: string): string => join(dir, name);
  writeRows(f('openb_pod_list_bench.csv'), 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time', n, (i) =>
    `openb-pod-${i},${4000 + (i % 8) * 1000},${16384 + (i % 4) * 4096},${i % 5 === 0 ? 0 : 1},${i % 3 === 0 ? 500 : 1000},,LS,Running,${i},${i + 3600},${i + 1}`,
  );
  writeRows(f('batch_task.csv'), undefined, n, (i) => `M${i % 7},1,j_${i},1,Terminated,${Math.floor(i / 10)},${Math.floor(i / 10) + 60},${50 + (i % 4) * 50},0.${(i % 9) + 1}`);
  // A third of the rows each: SUBMIT, SCHEDULE and FINISH of one task, time-sorted.
  writeRows(f('task_events.csv'), undefined, n, (i) => {
    const task = Math.floor(i / 3);
    const type = [0, 1, 4][i % 3]!;
    const t = task * 1000 + (i % 3) * 600_000;
    return `${t},,${Math.floor(task / 10)},${task % 10},${type === 0 ? '' : 5},${type},u,1,${task % 12},0.0625,0.03125,0,0`;
  });
  writeRows(f('instance_events.csv'), 'time,type,collection_id,instance_index,priority,scheduling_class,collection_type,resource_request.cpus,resource_request.memory', n, (i) => {
    const task = Math.floor(i / 3);
    const type = [0, 3, 6][i % 3]!;
    return `${task * 1000 + (i % 3) * 600_000},${type},${Math.floor(task / 10)},${task % 10},200,2,0,0.0625,0.03125`;
  });
  writeRows(f('vmtable.csv'), undefined, n, (i) => `vm${i},sub${i % 1000},dep${i % 5000},${i * 3},${i * 3 + 86_400},90.5,10.2,80.1,Interactive,${[2, 4, 8, 24][i % 4]},${[4, 8, 32, 64][i % 4]}`);
  writeRows(f('pods.csv'), 'name,arrival,duration,cpu,memory,gpu,owner', n, (i) => `p${i},${i / 10},600,${(i % 8) + 1},${(i % 16) + 1}Gi,${i % 10 === 0 ? 1 : ''},team-${i % 20}`);
  return {
    'alibaba-gpu2023': [f('openb_pod_list_bench.csv')],
    'alibaba-2018': [f('batch_task.csv')],
    'google-2011': [f('task_events.csv')],
    'google-2019': [f('instance_events.csv')],
    'azure-vm': [f('vmtable.csv')],
    csv: [f('pods.csv')],
  };
}

interface OneReplay {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rows: number;
  readonly rejected: number;
  readonly pods: number;
  readonly peakRssMiB: number;
}

const runner = fileURLToPath(new URL('./trace-one.js', import.meta.url));

export function traceRuns(repeats: number, rows = TRACE_ROWS): BenchFigure[] {
  const dir = mkdtempSync(join(tmpdir(), 'rackbench-bench-trace-'));
  try {
    const traces = generate(dir, rows);
    const splits = { 'split:csv-parse': traces['csv']!, 'split:reader': traces['csv']! };
    return Object.entries({ ...traces, ...splits }).map(([format, files]) => {
      const runs: OneReplay[] = [];
      for (let i = 0; i < repeats; i++) {
        runs.push(JSON.parse(execFileSync(process.execPath, [runner, format, ...files], { encoding: 'utf8' })) as OneReplay);
      }
      const r0 = runs[0]!;
      const expected = format.startsWith('split:') ? rows + 1 : rows;
      if (r0.rejected > 0 || r0.rows !== expected) throw new Error(`trace bench ${format}: ${r0.rows} rows read, ${r0.rejected} rejected`);
      const medianMs = quantileSorted(runs.map((r) => r.wallMs).sort((a, b) => a - b), 0.5);
      const cpuMs = quantileSorted(runs.map((r) => r.cpuMs).sort((a, b) => a - b), 0.5);
      return {
        group: 'trace',
        name: format.startsWith('split:')
          ? `${format} (csv file only split), ${rows.toLocaleString('en-US')} rows`
          : `${format}, ${rows.toLocaleString('en-US')} rows → ${r0.pods.toLocaleString('en-US')} pods`,
        medianMs,
        opsPerSecond: (rows * 1000) / medianMs,
        unit: 'row',
        samples: repeats,
        extra: { cpu_rows_per_s: Math.round((rows * 1000) / cpuMs), pods_per_s: Math.round((r0.pods * 1000) / medianMs), peak_rss_mib: Math.max(...runs.map((r) => r.peakRssMiB)) },
      } satisfies BenchFigure;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
