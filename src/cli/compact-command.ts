/** `rackbench compact`: Borg's compaction of a scenario's peak snapshot under one placement policy (src/compact/compaction.ts). */
import { COMPACTION_ORDERS, compact } from '../compact/compaction.js';
import type { CompactionOrder, CompactionResult } from '../compact/compaction.js';
import { UsageError } from '../core/errors.js';
import { loadScenarioFile } from '../runner/plan.js';

export interface CompactFlags {
  readonly scheduler: string;
  readonly seeds?: string;
  readonly workloadSeed?: string;
  readonly order?: string;
  readonly json?: boolean;
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} ${value}: expected an integer ≥ ${min}`);
  return n;
}

function text(r: CompactionResult, file: string): string {
  const fmt = (x: number | null): string => (x === null ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(2));
  const lines = [
    `${file}: scenario "${r.scenario}", scheduler ${r.scheduler}, order ${r.order}, workload seed ${r.workload_seed}`,
    `peak snapshot at ${r.peak_s} s: ${r.pods} pods; cluster: ${r.nodes_total} nodes`,
    `nodes needed per shuffle seed: ${r.runs.map((x) => `${x.seed}:${x.nodes === null ? 'does not fit' : x.nodes}`).join(' ')}`,
    `min ${fmt(r.min)}  median ${fmt(r.median)}  max ${fmt(r.max)}  mean ${fmt(r.mean)}`,
  ];
  if (r.runs.some((x) => x.nodes === null)) lines.push('the snapshot does not fit on the whole cluster under some seeds: they are left out of the summary');
  return lines.join('\n');
}

export function compactCommand(file: string, flags: CompactFlags): number {
  const order = flags.order ?? 'arrival';
  if (!(COMPACTION_ORDERS as readonly string[]).includes(order)) throw new UsageError(`--order ${order}: expected one of ${COMPACTION_ORDERS.join(', ')}`);
  const seeds = integer('--seeds', flags.seeds, 1);
  const workloadSeed = integer('--workload-seed', flags.workloadSeed, 0);
  const { scenario } = loadScenarioFile(file);
  const result = compact({ scenario, source: file, scheduler: flags.scheduler, seeds, workloadSeed, order: order as CompactionOrder });
  console.log(flags.json ? JSON.stringify(result) : text(result, file));
  return 0;
}
