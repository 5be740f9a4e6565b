/** `rackbench capacity`: parses flags, runs the capacity search, prints the ranking and writes capacity.csv, capacity.json and capacity.html. */
import { join } from 'node:path';
import pc from 'picocolors';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { capacityCharts } from '../report/capacity-charts.js';
import { renderChartList } from '../runner/report.js';
import { vegaRuntime } from '../runner/vega-assets.js';
import { capacityHtml } from '../report/capacity-html.js';
import { capacityCsv, capacityJson, capacityTable } from '../report/capacity-report.js';
import { planCapacity } from '../capacity/plan.js';
import type { PlatformName } from '../capacity/plan.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED } from './exit.js';
import type { PoolFlags } from './options.js';
import { interruptSignal, poolOptions } from './options.js';

export interface CapacityFlags extends PoolFlags {
  readonly out: string;
  readonly profiles?: string;
  readonly platform?: string;
  readonly slo?: string;
  readonly survive?: string;
  readonly surviveSelect?: string;
  readonly growth?: string;
  readonly seeds?: string;
  readonly maxNodes?: string;
  readonly scheduler?: string;
  readonly quiet?: boolean;
}

const PLATFORMS: readonly PlatformName[] = ['kubernetes', 'k3s', 'none'];

function items(flag: string, text: string): string[] {
  const out = text.split(',').map((s) => s.trim());
  if (out.some((s) => s === '')) throw new UsageError(`${flag} "${text}": expected a comma-separated list without empty items`);
  return out;
}

function integer(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} ${text}: expected an integer of at least ${min}`);
  }
  return Number(text);
}

export async function capacityCommand(file: string, flags: CapacityFlags): Promise<number> {
  const platforms = flags.platform === undefined ? undefined : items('--platform', flags.platform);
  for (const p of platforms ?? []) {
    if (!(PLATFORMS as readonly string[]).includes(p)) throw new UsageError(`--platform: unknown platform "${p}"; expected ${PLATFORMS.join(', ')}`);
  }
  const growth = flags.growth === undefined ? undefined : items('--growth', flags.growth).map((g) => {
    if (!/^(\d+\.?\d*|\.\d+)$/.test(g) || !(Number(g) > 0)) throw new UsageError(`--growth: "${g}" is not a positive number (e.g. --growth 1.0,1.5,2.0)`);
    return Number(g);
  });
  const select = flags.surviveSelect;
  if (select !== undefined && select !== 'most-loaded' && select !== 'every' && select !== 'random') {
    throw new UsageError(`--survive-select ${select}: expected most-loaded, every or random`);
  }
  const interrupt = interruptSignal();
  let result;
  try {
    result = await planCapacity(file, {
      profiles: flags.profiles === undefined ? undefined : items('--profiles', flags.profiles),
      platforms: platforms as PlatformName[] | undefined,
      growth,
      slo: flags.slo,
      seeds: flags.seeds === undefined ? undefined : integer('--seeds', flags.seeds, 1),
      maxNodes: flags.maxNodes === undefined ? undefined : integer('--max-nodes', flags.maxNodes, 1),
      survive: flags.survive === undefined ? undefined : integer('--survive', flags.survive, 0),
      surviveSelect: select,
      scheduler: flags.scheduler,
      pool: poolOptions(flags, interrupt.signal),
      onProgress: flags.quiet ? undefined : (m) => console.error(pc.dim(m)),
    });
  } finally {
    interrupt.dispose();
  }
  if (result.interrupted) {
    console.error('interrupted: nothing written (a capacity search is not resumable; run it again)');
    return EXIT_INTERRUPTED;
  }
  const { report } = result;
  writeFileAtomic(join(flags.out, 'capacity.csv'), capacityCsv(report.options));
  writeFileAtomic(join(flags.out, 'capacity.json'), capacityJson(report));
  const charts = await renderChartList(capacityCharts(report));
  writeFileAtomic(join(flags.out, 'capacity.html'), capacityHtml(report, charts, { runtime: vegaRuntime() }));
  console.log(
    `${report.scenario}: pool "${report.pool}" sized for ${report.slos.join(', ')} on seeds ${report.seeds.join(', ')} (${report.scheduler})${report.survive > 0 ? `, surviving ${report.survive} failed node(s)` : ''}`,
  );
  console.log(capacityTable(report));
  console.log(
    `nodes: of pool "${report.pool}", the fewest meeting every SLO on every seed; cluster: every node at that count (servers too); lower bound: nodes_lower_bound_peak of those runs, ` +
      'the fewest nodes the peak requests could fill by volume (whole cluster); compaction: the fewest of the answer\'s nodes the policy packs the peak snapshot on (rackbench compact, best of 3 shuffles); free r: 1 − alloc_r_peak (maximum over seeds); $/month: amortized purchase + energy × PUE + rack space.',
  );
  for (const note of report.notes) console.error(`${pc.yellow('note:')} ${note}`);
  console.log(`wrote ${join(flags.out, 'capacity.csv')}, capacity.json and capacity.html`);
  const bad = report.options.filter((o) => o.status !== 'found');
  return bad.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}
