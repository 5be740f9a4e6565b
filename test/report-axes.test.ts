/**
 * Axes and swept-parameter values as a reader sees them: the labels vega
 * draws (rendered to SVG here), log axes ticked at powers of ten, constant
 * values labelled plainly, and parameter values with units placed by what
 * they mean.
 */
import { describe, expect, it } from 'vitest';
import { axisFor, decadeTicks, widenedDomain } from '../src/report/axes.js';
import type { ChartSpec } from '../src/report/chart.js';
import { compileChart, renderSvg } from '../src/report/render-svg.js';
import { parameterNumbers, sweepFamilies } from '../src/report/sweep-families.js';

/** The text of every label on the chart's y axis. */
async function yLabels(values: readonly number[]): Promise<string[]> {
  const { scale, axis } = axisFor(values);
  const spec: ChartSpec = {
    data: { values: values.map((v, i) => ({ i, v })) },
    mark: 'point',
    width: 200,
    height: 150,
    encoding: { x: { field: 'i', type: 'quantitative', axis: null }, y: { field: 'v', type: 'quantitative', scale, axis: { title: null, ...axis } } },
  };
  const svg = await renderSvg(compileChart(spec), 't');
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('axes', () => {
  it('labels a constant metric with its value, not 1.000000 or 0.000000', async () => {
    expect(await yLabels([1, 1, 1])).toEqual(['1']);
    expect(await yLabels([0, 0])).toEqual(['0']);
    expect(await yLabels([0.000208, 0.000208])).toEqual(['0.000208']);
  });

  it('shows rounding noise as one value, not a scale of 5.9999962, 5.9999964 …', async () => {
    expect(await yLabels([5.999996, 5.999997, 5.999996])).toEqual(['6']);
  });

  it('labels hundreds as 100, 200 …, not 1e+2', async () => {
    const labels = await yLabels([60, 310, 340, 520]);
    expect(labels).toContain('100');
    expect(labels.some((l) => /e\+/.test(l))).toBe(false);
  });

  it('ticks a log axis at powers of ten only, just wider than the values', async () => {
    const a = axisFor([0.012, 0.5, 3, 1200]);
    expect(a.log).toBe(true);
    expect(a.scale).toEqual({ type: 'log', domain: [0.012 / 1.15, 1200 * 1.15], nice: false });
    expect(a.axis).toEqual({ values: [0.1, 1, 10, 100, 1000] });
    expect(await yLabels([0.012, 0.5, 3, 1200])).toEqual(['0.1', '1', '10', '100', '1,000']);
    expect(decadeTicks(1e-4, 1)).toEqual([0.0001, 0.001, 0.01, 0.1, 1]);
  });

  it('adds 2 and 5 between the powers of ten when fewer than three fall inside', () => {
    expect(axisFor([1, 80]).axis).toEqual({ values: [1, 2, 5, 10, 20, 50] });
  });

  it('widens only a domain narrower than 5 % of its magnitude, and keeps it at or above 0', () => {
    expect(widenedDomain([2.4, 4])).toBeUndefined();
    expect(widenedDomain([0, 0])).toEqual([0, 1]);
    expect(widenedDomain([100, 100])).toEqual([97.5, 102.5]);
    const [lo, hi] = widenedDomain([0.01, 0.01])!;
    expect(lo).toBeCloseTo(0.00975, 12);
    expect(hi).toBeCloseTo(0.01025, 12);
  });
});

describe('swept parameter values', () => {
  it('reads rates, CPUs, bytes and durations in one unit each', () => {
    expect(parameterNumbers('workload.streams[name=a].arrival.rate', ['1/s', '120/m', '4/s'])).toEqual({ numbers: [1, 2, 4], unit: 'per s' });
    expect(parameterNumbers('workload.services[0].requests.cpu', ['500m', '2', '1500m'])).toEqual({ numbers: [0.5, 2, 1.5], unit: 'CPUs' });
    expect(parameterNumbers('workload.services[0].requests.memory', ['512Mi', '2Gi'])).toEqual({ numbers: [0.5, 2], unit: 'GiB' });
    expect(parameterNumbers('simulation.until', ['30s', '2m', '1h'])).toEqual({ numbers: [30, 120, 3600], unit: 's' });
    expect(parameterNumbers('cluster.pools[name=r650].count', ['3', '4'])).toEqual({ numbers: [3, 4], unit: '' });
    expect(parameterNumbers('cluster.pools[0].profile', ['r650-2x32c', 'r750-2x48c'])).toBeUndefined();
  });

  it('orders values in mixed units by what they mean, not by their leading digits', () => {
    const name = (v: string): string => `s (workload.services[0].requests.memory=${v})`;
    const [family] = sweepFamilies([name('2Gi'), name('512Mi'), name('1Gi')]);
    expect(family!.values).toEqual(['512Mi', '1Gi', '2Gi']);
    expect(family!.points.map((p) => p.x)).toEqual([0.5, 1, 2]);
    expect(family!.unit).toBe('GiB');
  });
});
