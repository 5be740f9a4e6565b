/** The verdict of a scenario: the best policy per metric, by how much, and whether it holds seed by seed. */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/report/report-model.js';
import type { RunRow } from '../src/report/runs-csv.js';
import { verdict } from '../src/report/verdict.js';

const row = (scheduler: string, seed: number, delay: number, nodes: number): RunRow => ({
  scenario: 'demo',
  scheduler,
  queue: 'kube',
  seed,
  resources: ['cpu', 'memory'],
  metrics: { delay_p99_s: delay, active_nodes_mean: nodes },
  timing: { wallMs: 1, events: 1 },
});

function judged(seeds: number) {
  const rows: RunRow[] = [];
  // best-fit: 20 % lower delay on every seed; active nodes the same for both.
  for (let s = 1; s <= seeds; s++) rows.push(row('best-fit', s, 8 * s, 3), row('kube-default', s, 10 * s, 3));
  const model = buildReport({ title: 't', source: 'd', rows, baseline: 'kube-default', failed: 0 });
  return verdict(model.scenarios[0]!, model.seeds);
}

describe('verdict', () => {
  it('six seeds all one way: holds (exact p = 2/64, Holm over one metric tested), named test and size of the gap', () => {
    const v = judged(6);
    const delay = v.metrics.find((m) => m.metric === 'delay_p99_s')!;
    expect(delay).toMatchObject({ best: 'best-fit', runnerUp: 'kube-default', pairs: 6, wins: 6, status: 'holds' });
    expect(delay.p).toBeCloseTo(2 / 64, 12);
    // The nodes tie, so only one metric is tested and Holm leaves p as it is.
    expect(delay.pHolm).toBeCloseTo(2 / 64, 12);
    expect(v.metrics.find((m) => m.metric === 'active_nodes_mean')!.status).toBe('tie');
    expect(v.text).toContain('best-fit is best on delay_p99_s (28.0, 20 % below kube-default\'s 35.0; holds across seeds (p = 0.031, better on 6 of 6)');
    expect(v.text).toContain('Wilcoxon signed-rank test');
    expect(v.text).toContain('Holm');
  });

  it('two seeds cannot decide, and the verdict says so', () => {
    const v = judged(2);
    expect(v.metrics.find((m) => m.metric === 'delay_p99_s')!.status).toBe('too-few-seeds');
    expect(v.text).toContain('better on 2 of 2 seeds, too few to decide');
    expect(v.text).toContain('With 2 paired seeds the test cannot reach p < 0.05');
  });
});
