/**
 * One trace replay in a process of its own (spawned by trace.ts), so its
 * peak RSS is its own: reads FORMAT's FILES through the replay pipeline
 * (window, sampling, reordering, PodSubmissions for the simulator) and
 * prints one JSON line. FORMAT split:csv-parse or split:reader only splits
 * the files into records (csv-parse as the trace reader used it, or the
 * reader's own splitter), to compare the two.
 *
 *   node dist/bench/trace-one.js FORMAT FILE...
 */
import { performance } from 'node:perf_hooks';
import { ResourceSpace } from '../src/model/resources.js';
import { csvRows } from '../src/workload/trace/csv-reader.js';
import { csvParseRows } from './csv-parse-rows.js';
import { openTrace, traceNodes, traceWorkload } from '../src/workload/trace/replay.js';

const [format, ...files] = process.argv.slice(2);
if (format === undefined || files.length === 0) throw new Error('usage: trace-one.js FORMAT FILE...');
const started = performance.now();
const cpuStarted = process.cpuUsage();
const cpuMs = (): number => {
  const c = process.cpuUsage(cpuStarted);
  return (c.user + c.system) / 1000;
};
if (format.startsWith('split:')) {
  const split = format === 'split:csv-parse' ? csvParseRows : csvRows;
  let rows = 0;
  for (const file of files) for (const _ of split(file)) rows++;
  const wallMs = performance.now() - started;
  console.log(JSON.stringify({ wallMs, cpuMs: cpuMs(), rows, rejected: 0, nodes: 0, pods: 0, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}
const t = openTrace({ format, files }, 'bench');
const nodes = traceNodes(t).length;
const space = new ResourceSpace([t.ctx.options.gpuResource]);
let pods = 0;
const source = traceWorkload(t, space);
for (let r = source.next(); r.done !== true; r = source.next()) pods++;
const wallMs = performance.now() - started;
console.log(
  JSON.stringify({ wallMs, cpuMs: cpuMs(), rows: t.ctx.counts.rows, rejected: t.ctx.counts.rejected, nodes, pods, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
