/** `rackbench trace inspect FORMAT FILE...`: the command line over runner/trace-inspect. */
import pc from 'picocolors';
import { formatQuantity } from '../model/quantity.js';
import { inspectTrace } from '../runner/trace-inspect.js';
import { safeText } from '../core/text.js';
import { rejectionReport } from '../workload/trace/issues.js';
import { EXIT_OK } from './exit.js';

export interface TraceInspectFlags {
  readonly json?: boolean;
  readonly option?: string[];
}

export function traceInspectCommand(format: string, files: string[], flags: TraceInspectFlags): number {
  const { summary, counts, options, rejections } = inspectTrace(format, files, flags.option);
  const [first, ...rest] = safeText(rejectionReport(rejections, '--option strict').join('\n')).split('\n');
  if (first !== undefined && first !== '') {
    console.error(`${pc.yellow('warning:')} ${format}: ${first}`);
    for (const line of rest) console.error(line);
  }
  if (flags.json) {
    console.log(JSON.stringify(summary));
    return EXIT_OK;
  }
  const rows: [string, string][] = [
    ['rows', summary.rows.toLocaleString('en-US')],
    ['rejected', summary.rejected.toLocaleString('en-US')],
    ['nodes', summary.nodes.toLocaleString('en-US')],
    ['pods', summary.pods.toLocaleString('en-US')],
    ['cpu', `${formatQuantity(summary.capacity.cpu, 'millicores')} (${(summary.capacity.cpu / 1000).toLocaleString('en-US')} cores)`],
    ['memory', `${formatQuantity(summary.capacity.memory, 'bytes')} (${(summary.capacity.memory / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB)`],
    ['gpu', summary.capacity.gpu.toLocaleString('en-US')],
    ['span', `${summary.span_s.toLocaleString('en-US', { maximumFractionDigits: 3 })} s`],
    ['filtered', `${counts.filtered.toLocaleString('en-US')} (outside the window or not sampled)`],
  ];
  if (counts.truncated > 0) rows.push(['truncated', `${counts.truncated.toLocaleString('en-US')} (open past openLimit: run to the end)`]);
  if (counts.unmatched > 0) rows.push(['unmatched', `${counts.unmatched.toLocaleString('en-US')} (events for tasks submitted before the trace)`]);
  if (summary.joins !== undefined && summary.removals !== undefined && summary.repairs !== undefined) {
    if (options.machineEvents === 'ignore') {
      rows.push(['machines', `${counts.removedMachines.toLocaleString('en-US')} removals read, ignored (machineEvents=ignore: every machine is a node for the whole run)`]);
    } else {
      rows.push(['joins', `${summary.joins.toLocaleString('en-US')} (machines added after the start)`]);
      rows.push(['removals', `${summary.removals.toLocaleString('en-US')} (node failures; ${summary.repairs.toLocaleString('en-US')} added again within the window)`]);
    }
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`${pc.bold(format)}: ${safeText(files.join(', '))}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  return EXIT_OK;
}
