/** How the tables print seconds: worked examples at each range. */
import { describe, expect, it } from 'vitest';
import { formatSeconds, formatValue } from '../src/report/metric-info.js';

describe('formatSeconds', () => {
  it.each<[number, string]>([
    [0, '0'],
    [0.00021, '0.00021'],
    [0.000001, '0.000001'],
    [0.000999, '0.001'],
    [0.001, '0.001'],
    [2.5, '2.500'],
    [82.64, '82.6'],
    [-0.00034, '-0.00034'],
  ])('%s s prints as %s', (x, text) => {
    expect(formatSeconds(x)).toBe(text);
  });

  it('is what the tables use for a delay column, never an exponent', () => {
    expect(formatValue('delay_p50_s', 2.1e-4)).toBe('0.00021');
    expect(formatValue('delay_p50_s', 3e-6)).not.toMatch(/e/);
  });
});
