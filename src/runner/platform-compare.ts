/**
 * The Kubernetes vs k3s comparison of a run: which scenarios ran on several
 * platforms, each node's budget on each (from the platform model), and the
 * files that hold it (platforms.csv, platforms.md).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import type { PlatformPod } from '../model/platform.js';
import { poolBudgets, scenarioAddons } from '../model/platform-budget.js';
import { platformShare } from '../model/platform-share.js';
import type { PlatformShare } from '../model/platform-share.js';
import { markdownTable, platformSections } from '../report/markdown.js';
import { orderedVariants, plainTable, platformComparisonText } from '../report/platform-compare.js';
import { platformShareTable } from '../report/platform-share.js';
import { escapeMarkdown } from '../report/escape.js';
import { parseScenarioLabel, platformSets } from '../report/platform-sets.js';
import type { PlatformSet } from '../report/platform-sets.js';
import type { Amounts, PlatformNodeRow } from '../report/platforms-csv.js';
import { platformsCsv } from '../report/platforms-csv.js';
import type { Summary } from '../report/summary.js';
import type { LoadedScenario } from './plan.js';
import { PLATFORMS_CSV, PLATFORMS_MD } from './result-store.js';
import { scenarioTitle } from './run-key.js';

const amounts = (r: Readonly<Record<string, number>>, pods?: number): Amounts => ({ cpu: r.cpu ?? 0, memory: r.memory ?? 0, pods });

function total(pods: readonly PlatformPod[]): Amounts {
  let cpu = 0;
  let memory = 0;
  let count = 0;
  for (const p of pods) {
    cpu += (p.requests.cpu ?? 0) * p.replicas;
    memory += (p.requests.memory ?? 0) * p.replicas;
    count += p.replicas;
  }
  return { cpu, memory, pods: count };
}

/** Per pool of a loaded scenario on one platform, one node's budget, as platforms.csv holds it. */
export function platformNodeRows(loaded: LoadedScenario): PlatformNodeRow[] {
  const s = loaded.scenario;
  const scenario = scenarioTitle(s.name, loaded.variant);
  const platform = parseScenarioLabel(scenario).params.find(([k]) => k === 'platform')?.[1] ?? s.platform;
  const addons = scenarioAddons(s);
  const addonNames = addons.map((a) => `${a.name}×${a.replicas}`).join(' ');
  return poolBudgets(s).map((b) => ({
    scenario,
    platform,
    pool: b.pool,
    profile: b.profile ?? '',
    role: b.role,
    nodes: b.count,
    taints: b.taints.map((t) => `${t.key}${t.value === undefined ? '' : `=${t.value}`}:${t.effect}`).join(' '),
    capacity: amounts(b.capacity, b.capacity.pods),
    reserved: amounts(b.reserved),
    allocatable: amounts(b.allocatable, b.allocatable.pods),
    pinnedNames: b.pinned.map((p) => p.name).join(' '),
    pinned: total(b.pinned),
    left: amounts(b.left, b.left.pods),
    addonNames,
    addons: total(addons),
  }));
}

export interface PlatformComparison {
  readonly sets: readonly PlatformSet[];
  readonly rows: readonly PlatformNodeRow[];
  /** Each variant's platform share of its cluster, by the variant's scenario title. */
  readonly shares: ReadonlyMap<string, PlatformShare>;
}

/** The scenarios of a run that form platform sets, with their node rows; undefined when none do. */
export function platformComparison(scenarios: readonly LoadedScenario[]): PlatformComparison | undefined {
  const titles = scenarios.map((l) => scenarioTitle(l.scenario.name, l.variant));
  const sets = platformSets(titles);
  if (sets.length === 0) return undefined;
  const members = new Set(sets.flatMap((set) => set.variants.map((v) => v.scenario)));
  const rows = scenarios.filter((_, i) => members.has(titles[i]!)).flatMap(platformNodeRows);
  const shares = new Map<string, PlatformShare>();
  scenarios.forEach((l, i) => {
    if (!members.has(titles[i]!)) return;
    const share = platformShare(l.scenario);
    if (share !== undefined) shares.set(titles[i]!, share);
  });
  return { sets, rows, shares };
}

const SHARE_TITLE = 'Where the difference comes from (whole cluster, cpu · memory · pods; requests as the scheduler sees them):';

/** The attribution table of a set of two platforms whose scenarios both have a stack; undefined otherwise. */
function shareTable(c: PlatformComparison, set: PlatformSet) {
  const variants = orderedVariants(set);
  if (variants.length !== 2) return undefined;
  const [a, b] = variants.map((v) => c.shares.get(v.scenario));
  return a === undefined || b === undefined ? undefined : platformShareTable(a, b);
}

/** The comparison for the terminal (after the per-scenario tables): per set, the nodes, the attribution of the difference, the outcomes. */
export function platformComparisonReport(c: PlatformComparison, summary: Summary): string {
  const out: string[] = [];
  for (const set of c.sets) {
    out.push(platformComparisonText([set], c.rows, summary).trimEnd());
    const t = shareTable(c, set);
    if (t !== undefined) {
      // Components and sources would make the table too wide for a terminal: they follow it, one line per part.
      out.push('', SHARE_TITLE, ...plainTable({ header: t.header.slice(0, 4), rows: t.rows.map((r) => r.slice(0, 4)) }, 1));
      out.push(...t.rows.filter((r) => r[4]!.text !== '–').map((r) => `  ${r[0]!.text}: ${r[4]!.text} [${r[5]!.text}]`));
    }
    out.push('');
  }
  return out.join('\n');
}

/** Writes platforms.csv and platforms.md into a results directory; returns their names. */
export function writePlatformComparison(dir: string, c: PlatformComparison, summary: Summary): string[] {
  writeFileAtomic(join(dir, PLATFORMS_CSV), platformsCsv(c.rows));
  const md = ['# Kubernetes vs k3s', '', ...platformSections(c.sets, c.rows, summary)];
  for (const set of c.sets) {
    const t = shareTable(c, set);
    if (t !== undefined) md.push(`## ${escapeMarkdown(set.name)}: ${SHARE_TITLE.replace(/:$/, '')}`, '', ...markdownTable(t), '');
  }
  writeFileAtomic(join(dir, PLATFORMS_MD), `${md.join('\n').trimEnd()}\n`);
  return [PLATFORMS_CSV, PLATFORMS_MD];
}
