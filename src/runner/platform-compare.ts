/**
 * The Kubernetes vs k3s comparison of a run: which scenarios ran on several
 * platforms, each node's budget on each (from the platform model), and the
 * files that hold it (platforms.csv, platforms.md).
 */
import { writeFileAtomic } from '../core/atomic-file.js';
import { pathInside } from '../core/paths.js';
import type { PlatformPod } from '../model/platform.js';
import { poolBudgets, scenarioAddons } from '../model/platform-budget.js';
import { platformSections } from '../report/markdown.js';
import { platformComparisonText } from '../report/platform-compare.js';
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
}

/** The scenarios of a run that form platform sets, with their node rows; undefined when none do. */
export function platformComparison(scenarios: readonly LoadedScenario[]): PlatformComparison | undefined {
  const titles = scenarios.map((l) => scenarioTitle(l.scenario.name, l.variant));
  const sets = platformSets(titles);
  if (sets.length === 0) return undefined;
  const members = new Set(sets.flatMap((set) => set.variants.map((v) => v.scenario)));
  const rows = scenarios.filter((_, i) => members.has(titles[i]!)).flatMap(platformNodeRows);
  return { sets, rows };
}

/** The comparison for the terminal (after the per-scenario tables). */
export function platformComparisonReport(c: PlatformComparison, summary: Summary): string {
  return platformComparisonText(c.sets, c.rows, summary);
}

/** Writes platforms.csv and platforms.md into a results directory; returns their names. */
export function writePlatformComparison(dir: string, c: PlatformComparison, summary: Summary): string[] {
  writeFileAtomic(pathInside(dir, PLATFORMS_CSV), platformsCsv(c.rows));
  const md = ['# Kubernetes vs k3s', '', ...platformSections(c.sets, c.rows, summary)];
  writeFileAtomic(pathInside(dir, PLATFORMS_MD), `${md.join('\n').trimEnd()}\n`);
  return [PLATFORMS_CSV, PLATFORMS_MD];
}
