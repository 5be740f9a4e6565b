/**
 * The verdict of a scenario: per metric, the policy with the best mean across
 * seeds, by how much it beats the runner-up, and whether that holds seed by
 * seed — the Wilcoxon signed-rank test on the paired differences (same
 * scenario and seed), two-sided, with Holm's correction across the metrics
 * judged. With fewer than 6 paired seeds the exact test cannot reach
 * p < 0.05 however large the difference, and the verdict says so.
 */
import { holm, signedRank, smallestSignedRankP } from '../core/inference.js';
import { formatValue, metricDirection } from './metric-info.js';
import type { ScenarioView } from './report-model.js';
import { seriesName } from './report-model.js';
import type { SeedIndex } from './seed-values.js';
import type { GroupSummary } from './summary.js';

/** The metrics a verdict judges, where the results have them and the policies differ. */
export const VERDICT_METRICS: readonly string[] = ['delay_p50_s', 'delay_p99_s', 'pods_unschedulable', 'active_nodes_mean', 'packing_efficiency_peak', 'stranded_cpu', 'stranded_memory'];

export const ALPHA = 0.05;

export interface MetricVerdict {
  readonly metric: string;
  readonly best: string;
  readonly bestMean: number;
  /** Other policies with exactly the best mean (the test pairs the first with the runner-up). */
  readonly sharedWith?: readonly string[] | undefined;
  /** The next best policy with a different mean, when there is one. */
  readonly runnerUp?: string | undefined;
  readonly runnerUpMean?: number | undefined;
  /** Seeds both ran. */
  readonly pairs: number;
  /** Seeds on which the best policy did better than the runner-up. */
  readonly wins: number;
  /** Raw and Holm-adjusted two-sided p of the signed-rank test; undefined when not tested. */
  readonly p?: number | undefined;
  readonly pHolm?: number | undefined;
  /** 'holds' (adjusted p < α), 'not-significant', 'too-few-seeds' (the exact test cannot reach α), 'tie' (every policy has the same mean) or 'alone'. */
  readonly status: 'holds' | 'not-significant' | 'too-few-seeds' | 'tie' | 'alone';
}

export interface Verdict {
  readonly metrics: readonly MetricVerdict[];
  /** The paragraph shown in the report. */
  readonly text: string;
}

function rankGroups(view: ScenarioView, metric: string): GroupSummary[] {
  const dir = metricDirection(metric);
  const sign = dir === 'higher' ? -1 : 1;
  return view.groups.filter((g) => g.metrics[metric] !== undefined).sort((a, b) => sign * (a.metrics[metric]!.mean - b.metrics[metric]!.mean));
}

/** Per metric, best against runner-up, paired by seed; Holm over the metrics actually tested. */
export function judge(view: ScenarioView, seeds: SeedIndex, metrics: readonly string[] = VERDICT_METRICS): MetricVerdict[] {
  const partial: (Omit<MetricVerdict, 'pHolm' | 'status'> & { status?: MetricVerdict['status'] })[] = [];
  for (const metric of metrics) {
    const ranked = rankGroups(view, metric);
    if (ranked.length === 0) continue;
    const best = ranked[0]!;
    const name = seriesName(view, best);
    if (ranked.length === 1) {
      partial.push({ metric, best: name, bestMean: best.metrics[metric]!.mean, pairs: 0, wins: 0, status: 'alone' });
      continue;
    }
    const bestMean = best.metrics[metric]!.mean;
    const second = ranked.find((g) => g.metrics[metric]!.mean !== bestMean);
    if (second === undefined) {
      partial.push({ metric, best: name, bestMean, pairs: 0, wins: 0, status: 'tie' });
      continue;
    }
    const shared = ranked.slice(1, ranked.indexOf(second)).map((g) => seriesName(view, g));
    const base = { metric, best: name, bestMean, sharedWith: shared.length > 0 ? shared : undefined, runnerUp: seriesName(view, second), runnerUpMean: second.metrics[metric]!.mean };
    const a = new Map(seeds.runs(best).map((r) => [r.seed, r.metrics[metric]]));
    const diffs: number[] = [];
    for (const r of seeds.runs(second)) {
      const x = a.get(r.seed);
      const y = r.metrics[metric];
      if (x !== undefined && y !== undefined) diffs.push(x - y);
    }
    const better = metricDirection(metric) === 'higher' ? (d: number): boolean => d > 0 : (d: number): boolean => d < 0;
    const wins = diffs.filter(better).length;
    const test = signedRank(diffs);
    partial.push({ ...base, pairs: diffs.length, wins, p: test.p });
  }
  const tested = partial.filter((v) => v.p !== undefined);
  const adjusted = holm(tested.map((v) => v.p!));
  return partial.map((v) => {
    if (v.status !== undefined) return v as MetricVerdict;
    const pHolm = adjusted[tested.indexOf(v)]!;
    const status: MetricVerdict['status'] = pHolm < ALPHA ? 'holds' : smallestSignedRankP(v.pairs) >= ALPHA ? 'too-few-seeds' : 'not-significant';
    return { ...v, pHolm, status };
  });
}

const pct = (a: number, b: number): string => {
  if (b === 0) return '';
  const r = (100 * Math.abs(a - b)) / Math.abs(b);
  return `${r < 0.1 ? r.toPrecision(1) : r < 10 ? r.toFixed(1) : r.toFixed(0)} %`;
};

const pText = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toPrecision(2)}`);

/** One sentence part per metric, then the test: a paragraph. */
export function verdictText(view: ScenarioView, verdicts: readonly MetricVerdict[]): string {
  if (verdicts.length === 0) return 'No metric to judge: the runs hold none of the verdict metrics.';
  const seedsPer = [...new Set(view.groups.map((g) => g.seeds.length))];
  const parts: string[] = [];
  const ties: string[] = [];
  for (const v of verdicts) {
    if (v.status === 'tie') {
      ties.push(v.metric);
      continue;
    }
    if (v.status === 'alone') continue;
    const lower = metricDirection(v.metric) !== 'higher';
    const how = pct(v.bestMean, v.runnerUpMean!);
    const diff = `${how === '' ? '' : `${how} `}${lower ? 'below' : 'above'} ${v.runnerUp}'s ${formatValue(v.metric, v.runnerUpMean!)}`;
    let held: string;
    if (v.status === 'holds') held = `holds across seeds (${pText(v.pHolm!)}, better on ${v.wins} of ${v.pairs})`;
    else if (v.status === 'too-few-seeds') held = `better on ${v.wins} of ${v.pairs} seeds, too few to decide`;
    else held = `not significant (${pText(v.pHolm!)}, better on ${v.wins} of ${v.pairs} seeds)`;
    const who = v.sharedWith === undefined ? `${v.best} is` : `${[v.best, ...v.sharedWith].join(', ').replace(/, ([^,]*)$/, ' and $1')} share the best mean; ${v.best} is`;
    parts.push(`${who} best on ${v.metric} (${formatValue(v.metric, v.bestMean)}, ${diff}; ${held})`);
  }
  const tested = verdicts.filter((v) => v.pHolm !== undefined).length;
  const fewest = Math.min(...verdicts.filter((v) => v.pHolm !== undefined).map((v) => v.pairs));
  const method =
    tested === 0
      ? ''
      : ` Each best policy is paired seed by seed with the runner-up and tested with the Wilcoxon signed-rank test (two-sided), Holm-corrected over the ${tested} metric${tested > 1 ? 's' : ''} tested, at the 5 % level.` +
        (smallestSignedRankP(fewest) >= ALPHA
          ? ` With ${fewest} paired seed${fewest === 1 ? '' : 's'} the test cannot reach p < 0.05 (its smallest p is ${smallestSignedRankP(fewest).toPrecision(2)}), so the seeds are too few to decide: run at least 6.`
          : '');
  const tie = ties.length === 0 ? '' : ` Every policy has the same mean on ${ties.join(', ')}.`;
  const n = seedsPer.length === 1 ? `${seedsPer[0]} seed${seedsPer[0] === 1 ? '' : 's'} per policy` : `${Math.min(...seedsPer)}–${Math.max(...seedsPer)} seeds per policy`;
  return `${parts.length === 0 ? 'No policy stands out.' : `${parts.join('; ')}.`}${tie}${method} (${n}.)`;
}

export function verdict(view: ScenarioView, seeds: SeedIndex): Verdict {
  const metrics = judge(view, seeds);
  return { metrics, text: verdictText(view, metrics) };
}
