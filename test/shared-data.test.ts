/** The rule for fidelity tests on ../shared (test/support/shared-data.ts): run, or fail in CI, or skip elsewhere. */
import { describe, expect, it } from 'vitest';
import { inCi, sharedDataPlan, sharedPath, SHARED } from './support/shared-data.js';

describe('fidelity tests on the shared data', () => {
  const here = (path: string): boolean => path === '/data/a.csv';

  it('run when every file they read is there, in CI or not', () => {
    expect(sharedDataPlan(['/data/a.csv'], { CI: 'true' }, here)).toEqual({ action: 'run' });
    expect(sharedDataPlan(['/data/a.csv'], {}, here)).toEqual({ action: 'run' });
  });

  it('fail in CI naming every absent file, and are skipped elsewhere with the same names', () => {
    const paths = ['/data/a.csv', '/data/b.csv', '/data/c.vbp'];
    const ci = sharedDataPlan(paths, { CI: 'true' }, here);
    expect(ci.action).toBe('fail');
    expect(ci).toMatchObject({ message: expect.stringContaining('/data/b.csv, /data/c.vbp') });
    expect(ci).not.toMatchObject({ message: expect.stringContaining('a.csv') });
    expect(sharedDataPlan(paths, {}, here)).toEqual({ action: 'skip', message: 'skipped: /data/b.csv, /data/c.vbp absent' });
  });

  it('count as CI when CI is set to anything but empty, 0 or false', () => {
    for (const value of ['true', '1', 'yes', 'TRUE']) expect(inCi({ CI: value }), value).toBe(true);
    for (const value of [undefined, '', '0', 'false', 'False']) expect(inCi({ CI: value }), String(value)).toBe(false);
  });

  it('look for the data next to the repository', () => {
    expect(sharedPath('data', 'vbp')).toBe(`${SHARED}/data/vbp`);
    expect(SHARED.endsWith('/shared')).toBe(true);
  });
});
