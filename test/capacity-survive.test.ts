/**
 * `capacity --survive 1` against brute force on the shipped example
 * scenarios/capacity/office-survive.yaml: with the answer's N nodes, every
 * single-node failure (each node by name, not only the most loaded) at
 * several times in and around the busy period meets every SLO on every seed,
 * and so do N − 1 nodes without a failure; with N − 1 nodes, some single
 * failure (or N − 2 nodes without one) misses an SLO.
 */
import { describe, expect, it } from 'vitest';
import { candidateData, loadCapacityFile } from '../src/capacity/capacity-file.js';
import { inProcessRunner, planCapacity } from '../src/capacity/plan.js';
import { checkSlos, parseSlos } from '../src/capacity/slo.js';
import { durationText, failureTimes, MAX_FAILURE_STEP, surviveCases } from '../src/capacity/survive.js';
import { MICROS_PER_SECOND } from '../src/core/ids.js';
import { scenarioFromData } from '../src/model/scenario-file.js';
import { runOne } from '../src/runner/run-one.js';

const FILE = 'scenarios/capacity/office-survive.yaml';
const S = MICROS_PER_SECOND;

describe('the failure times of --survive', () => {
  it('run from the peak minus the eviction delay to the end of the busy period, at most 5 minutes apart', () => {
    // peak 12m, grace 50 s + toleration 300 s: the first failure at 720 − 350 = 370 s, so eviction lands at the peak;
    // to 1200 s: 830 s in ⌈830 / 300⌉ = 3 steps of 276.67 s.
    expect(failureTimes(720 * S, 350 * S, 1200 * S).map((t) => t / S)).toEqual([370, 646.666667, 923.333333, 1200]);
    // A peak earlier than the eviction delay starts at 0; a busy period ending before the first time tries that one only.
    expect(failureTimes(100 * S, 350 * S, 100 * S)).toEqual([0, 100 * S]);
    expect(failureTimes(720 * S, 350 * S, 0)).toEqual([370 * S]);
    const t = failureTimes(3600 * S, 350 * S, 7200 * S);
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeLessThanOrEqual(MAX_FAILURE_STEP);
    expect(durationText(646_666_667)).toBe('10m46.667s');
  });

  it('fail the k most loaded nodes at each time, beside N without failure and N − k without failure', () => {
    const plan = { k: 2, select: 'most-loaded' as const, peak: 720 * S, evictionDelay: 350 * S, busyUntil: 1200 * S, times: [370 * S, 1200 * S] };
    expect(surviveCases(3, plan, ['w-1', 'w-2', 'w-3']).map((c) => [c.label, c.nodes, c.failAt, c.node])).toEqual([
      ['no failure', 3, undefined, undefined],
      ['1 nodes, no failure', 1, undefined, undefined],
      ['2 most loaded failed at 6m10s', 3, 370 * S, undefined],
      ['2 most loaded failed at 20m', 3, 1200 * S, undefined],
    ]);
  });

  it('with select every, fail each node in turn at each time', () => {
    const plan = { k: 1, select: 'every' as const, peak: 720 * S, evictionDelay: 350 * S, busyUntil: 1200 * S, times: [370 * S, 1200 * S] };
    expect(surviveCases(3, plan, ['w-1', 'w-2', 'w-3']).map((c) => [c.label, c.nodes, c.failAt, c.node])).toEqual([
      ['no failure', 3, undefined, undefined],
      ['2 nodes, no failure', 2, undefined, undefined],
      ['w-1 failed at 6m10s', 3, 370 * S, 'w-1'],
      ['w-2 failed at 6m10s', 3, 370 * S, 'w-2'],
      ['w-3 failed at 6m10s', 3, 370 * S, 'w-3'],
      ['w-1 failed at 20m', 3, 1200 * S, 'w-1'],
      ['w-2 failed at 20m', 3, 1200 * S, 'w-2'],
      ['w-3 failed at 20m', 3, 1200 * S, 'w-3'],
    ]);
    // k = 2: each node with the most loaded other; random: k random nodes once per time.
    expect(surviveCases(3, { ...plan, k: 2, times: [370 * S] }, ['w-1', 'w-2', 'w-3']).slice(2).map((c) => c.label)).toEqual([
      'w-1 and the 1 most loaded others failed at 6m10s',
      'w-2 and the 1 most loaded others failed at 6m10s',
      'w-3 and the 1 most loaded others failed at 6m10s',
    ]);
    expect(surviveCases(3, { ...plan, select: 'random' }, ['w-1']).slice(2).map((c) => c.label)).toEqual(['1 random failed at 6m10s', '1 random failed at 20m']);
  });
});

describe('capacity --survive 1 on office-survive, by brute force', () => {
  const cf = loadCapacityFile(FILE);
  const slos = parseSlos(String(cf.section.slo));
  const seeds = [1, 2];

  /** The SLOs missed by `nodes` workers with `fail` (node names failing at `at`), on any seed. */
  const misses = (nodes: number, fail?: { name: string; at: number }): string[] => {
    const { data } = candidateData(cf, { profile: 'n100-mini-16gb', platform: 'none', growth: 1, nodes });
    const scenario = scenarioFromData(fail === undefined ? data : { ...(data as object), failures: [{ at: `${fail.at}us`, names: [fail.name] }] }, FILE);
    return seeds.flatMap((seed) => checkSlos(slos, runOne({ scenario, source: FILE, scheduler: 'first-fit', queue: 'priority', seed }).metrics).violations);
  };

  it('meets every SLO with N nodes whichever node fails, whenever; N − 1 does not', async () => {
    // The default select, every: each node in turn, as the brute force below.
    const { report } = await planCapacity(FILE, { runner: inProcessRunner, survive: 1 });
    const option = report.options[0]!;
    expect(option.status).toBe('found');
    const n = option.nodes!;
    // Without --survive the same search answers fewer: surviving costs at least one node.
    const { report: plain } = await planCapacity(FILE, { runner: inProcessRunner });
    expect(plain.options[0]!.nodes!).toBeLessThan(n);

    // Several times: the search's own (from the peak − 350 s to the end of the busy period, at most 5 minutes apart).
    const times = (report.assumptions.failures as { failureTimesSeconds: number[] }).failureTimesSeconds.map((s) => Math.round(s * S));
    expect(times.map((t) => t / S)).toEqual([370, 646.666667, 923.333333, 1200]);
    for (let i = 1; i <= n; i++) {
      for (const at of times) expect(misses(n, { name: `workers-${i}`, at }), `N = ${n}, workers-${i} failing at ${at / S} s`).toEqual([]);
    }
    expect(misses(n - 1), `N − 1 = ${n - 1} without failure`).toEqual([]);

    // N − 1 nodes do not survive one failure: N − 2 alone, or some single failure, misses an SLO.
    let missed = misses(n - 2).length > 0;
    for (let i = 1; i <= n - 1 && !missed; i++) {
      for (const at of times) if (misses(n - 1, { name: `workers-${i}`, at }).length > 0) missed = true;
    }
    expect(missed).toBe(true);
  }, 60_000);

  it('the k most loaded nodes alone are not the worst case: select most-loaded answers a count where a lighter node\'s loss misses an SLO', async () => {
    const { report } = await planCapacity(FILE, { runner: inProcessRunner, survive: 1, surviveSelect: 'most-loaded' });
    const n = report.options[0]!.nodes!;
    const times = (report.assumptions.failures as { failureTimesSeconds: number[] }).failureTimesSeconds.map((s) => Math.round(s * S));
    const worse = Array.from({ length: n }, (_, i) => `workers-${i + 1}`).flatMap((name) => times.filter((at) => misses(n, { name, at }).length > 0).map((at) => `${name}@${at / S}`));
    // The figures docs/capacity.md quotes.
    expect(n).toBe(7);
    expect(worse).toContain('workers-3@646.666667');
    expect(misses(n, { name: 'workers-3', at: 646_666_667 })).toEqual(['delay_p99_s=120.185866 (sched_delay_p99<=2m)']);
  }, 60_000);
});
