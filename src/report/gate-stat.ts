/**
 * The gate across seeds (`rackbench gate --stat`): for each scenario ×
 * policy × queue and each metric, the runs' mean over seeds against the
 * baseline's. A metric has changed only when the new mean falls outside the
 * baseline's two-sided (1 − α) confidence interval of the mean, or a paired
 * t-test over the seeds both sets ran says the two differ at α. A change
 * within the seeds' own spread is noise, not a regression.
 *
 * Confidence interval: mean ± t(1 − α/2, n − 1) · sd / √n (Student, 1908).
 * Paired t-test: t = mean(d) / (sd(d) / √n) over the per-seed differences d,
 * two-sided p = 2 · P(T > |t|) with n − 1 degrees of freedom.
 */
import { studentTCdf, studentTQuantile, Welford } from '../core/stats.js';
import { round6 } from './format.js';
import type { Baseline, GateFinding, GateReport } from './gate.js';
import type { RunRow } from './runs-csv.js';

interface SeedRun {
  readonly seed: number;
  readonly metrics: Readonly<Record<string, number>>;
}

interface Group {
  readonly scenario: string;
  readonly key: string;
  readonly runs: SeedRun[];
}

function groups(runs: readonly (SeedRun & { scenario: string; scheduler: string; queue: string })[]): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const r of runs) {
    const key = `${r.scenario}/${r.scheduler}/${r.queue}`;
    let g = out.get(key);
    if (g === undefined) out.set(key, (g = { scenario: r.scenario, key, runs: [] }));
    g.runs.push({ seed: r.seed, metrics: r.metrics });
  }
  return out;
}

function stats(values: readonly number[]): Welford {
  const w = new Welford();
  for (const v of values) w.add(v);
  return w;
}

/** Half-width of the two-sided (1 − α) confidence interval of the mean; NaN for fewer than 2 values. */
export function ciHalfWidth(values: readonly number[], alpha: number): number {
  const w = stats(values);
  if (w.n < 2) return NaN;
  return w.sd === 0 ? 0 : (studentTQuantile(1 - alpha / 2, w.n - 1) * w.sd) / Math.sqrt(w.n);
}

/** Two-sided p-value of the paired t-test on before/after pairs; NaN for fewer than 2 pairs; 0 when every pair moved by the same non-zero amount. */
export function pairedTTestP(pairs: readonly (readonly [number, number])[]): number {
  const d = stats(pairs.map(([a, b]) => b - a));
  if (d.n < 2) return NaN;
  if (d.sd === 0) return d.mean === 0 ? 1 : 0;
  const t = d.mean / (d.sd / Math.sqrt(d.n));
  return 2 * (1 - studentTCdf(Math.abs(t), d.n - 1));
}

const fmt = (x: number): string => String(round6(x));

/** One metric of one group: a finding when it changed, else undefined. */
function compareMetric(metric: string, base: readonly SeedRun[], now: readonly SeedRun[], alpha: number): string | undefined {
  const b = base.map((r) => r.metrics[metric]).filter((x): x is number => x !== undefined);
  const c = now.map((r) => r.metrics[metric]).filter((x): x is number => x !== undefined);
  const bMean = stats(b).mean;
  const cMean = stats(c).mean;
  const nowBySeed = new Map(now.map((r) => [r.seed, r.metrics[metric]]));
  const pairs = base.flatMap((r): [number, number][] => {
    const x = r.metrics[metric];
    const y = nowBySeed.get(r.seed);
    return x === undefined || y === undefined ? [] : [[x, y]];
  });
  if (pairs.every(([x, y]) => x === round6(y)) && b.length === c.length) return undefined;
  const half = ciHalfWidth(b, alpha);
  const level = `${round6(100 * (1 - alpha))} %`;
  if (Number.isNaN(half)) {
    // One baseline seed says nothing about the spread: compare exactly.
    return round6(cMean) === bMean ? undefined : `one seed, compared exactly: ${fmt(bMean)} → ${fmt(cMean)}`;
  }
  const outside = Math.abs(cMean - bMean) > half;
  const p = pairedTTestP(pairs);
  const differs = !Number.isNaN(p) && p < alpha;
  if (!outside && !differs) return undefined;
  const why = [
    outside ? `mean ${fmt(cMean)} outside the baseline's ${level} CI ${fmt(bMean)} ± ${fmt(half)}` : `mean ${fmt(cMean)} within the baseline's ${level} CI ${fmt(bMean)} ± ${fmt(half)}`,
    Number.isNaN(p) ? 'no paired test (fewer than 2 common seeds)' : `paired t-test p = ${p.toPrecision(3)}${differs ? ` < α = ${alpha}` : ''}`,
  ];
  return why.join('; ');
}

/** Compares runs with the baseline group by group across seeds (see the module comment); missing and new groups are findings. */
export function compareAcrossSeeds(rows: readonly RunRow[], baseline: Baseline, alpha: number): GateReport {
  const base = groups(baseline.runs);
  const now = groups(rows);
  const findings: GateFinding[] = [];
  for (const [key, b] of base) {
    const c = now.get(key);
    if (c === undefined) {
      findings.push({ scenario: b.scenario, run: key, metric: '(runs)', baseline: null, current: null, note: 'in the baseline but not run' });
      continue;
    }
    const metrics = new Set([...b.runs.flatMap((r) => Object.keys(r.metrics)), ...c.runs.flatMap((r) => Object.keys(r.metrics))]);
    for (const m of [...metrics].sort()) {
      const bv = b.runs.flatMap((r) => (r.metrics[m] === undefined ? [] : [r.metrics[m]]));
      const cv = c.runs.flatMap((r) => (r.metrics[m] === undefined ? [] : [r.metrics[m]]));
      if (bv.length === 0 || cv.length === 0) {
        findings.push({ scenario: b.scenario, run: key, metric: m, baseline: bv.length ? round6(stats(bv).mean) : null, current: cv.length ? round6(stats(cv).mean) : null, note: bv.length === 0 ? 'new metric' : 'metric gone' });
        continue;
      }
      const note = compareMetric(m, b.runs, c.runs, alpha);
      if (note !== undefined) findings.push({ scenario: b.scenario, run: key, metric: m, baseline: round6(stats(bv).mean), current: round6(stats(cv).mean), note });
    }
  }
  for (const [key, c] of now) if (!base.has(key)) findings.push({ scenario: c.scenario, run: key, metric: '(runs)', baseline: null, current: null, note: 'not in the baseline' });
  return { compared: baseline.runs.length, findings, passed: findings.length === 0 };
}
