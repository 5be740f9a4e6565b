/**
 * The report pages in a real browser: headless Chromium (Debian's chromium
 * package, driven by playwright-core) opens each page from disk, offline, with
 * every request but file: aborted. Four pages: a run of eight policies with
 * its records (the crowded case), a sweep over two parameters, a capacity
 * plan, and one of eight hardware options. Every chart must draw live without a vega error, no text of a chart may
 * overlap another, leave the chart or be cut short, and the page must work with scripts off.
 * Screenshots of the three pages go to results/screenshots/fixture-*.png (CI
 * keeps them). Skipped, saying so, where Chromium is absent.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { CHROMIUM, expectCleanPage, haveChromium, launchChromium, open } from './support/report-browser.js';
import { fileTempDir, ROOT } from './support/report-fixtures.js';
import { writeRunSet } from './support/results.js';

if (!haveChromium) {
  console.warn(`report-browser: skipped: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`);
}

const OFFICE = join(ROOT, 'test', 'fixtures', 'reports', 'office.yaml');
const OFFICE_SWEEP = join(ROOT, 'test', 'fixtures', 'reports', 'office-sweep.yaml');
const CAPACITY = join(ROOT, 'test', 'fixtures', 'capacity', 'tiny.yaml');
/** Boxes of 1 to 128 CPUs: eight options whose node counts span decades. */
const EIGHT_OPTIONS = join(ROOT, 'test', 'fixtures', 'capacity', 'eight.yaml');
const EIGHT = ['first-fit', 'best-fit', 'worst-fit', 'spread', 'random', 'kube-default', 'tetris', 'l2-norm'];
const SHOTS = join(ROOT, 'results', 'screenshots');

describe.skipIf(!haveChromium)('the report pages in a browser (headless Chromium, offline)', () => {
  let browser: Browser;
  let run = '';
  let sweep = '';
  let capacity = '';
  let eight = '';

  beforeAll(async () => {
    run = fileTempDir();
    writeRunSet(run, [OFFICE], { schedulers: EIGHT, seeds: [1, 2], record: ['timeseries', 'nodes'] });
    sweep = fileTempDir();
    capacity = fileTempDir();
    eight = fileTempDir();
    for (const args of [['report', run], ['sweep', OFFICE_SWEEP, '--out', sweep, '--quiet'], ['report', sweep], ['capacity', CAPACITY, '--out', capacity], ['capacity', EIGHT_OPTIONS, '--out', eight]]) {
      const r = await runMain(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['run of eight policies', () => join(run, 'report.html'), 'fixture-run.png'],
    ['sweep over two parameters', () => join(sweep, 'report.html'), 'fixture-sweep.png'],
    ['capacity plan', () => join(capacity, 'capacity.html'), 'fixture-capacity.png'],
    ['capacity plan of eight options', () => join(eight, 'capacity.html'), 'fixture-capacity-eight.png'],
  ])('%s: every chart draws live, offline, without an error or overlapping text', async (_, file, shot) => {
    await expectCleanPage(browser, file(), join(SHOTS, shot));
    expect(readFileSync(join(SHOTS, shot)).length).toBeGreaterThan(10_000);
  });

  it('the capacity plan of eight options: one legend entry per option, and log axes where node counts span decades', async () => {
    const { page } = await open(browser, join(eight, 'capacity.html'));
    try {
      const slo = page.locator('figure.chart[data-kind="capacity-slo"]').first();
      const texts = await slo.locator('.live svg text').allTextContents();
      const options = texts.filter((t) => / · none$/.test(t));
      expect(new Set(options).size).toBe(8);
      // 1 to 80 nodes: a log axis, ticked 1, 10, 100 (2 and 5 between them when fewer decades fit).
      expect(texts).toContain('nodes of the sized pool (log scale)');
      expect(texts).toEqual(expect.arrayContaining(['1', '10']));
      const cost = await page.locator('figure.chart[data-kind="capacity-cost"] .live svg text').allTextContents();
      expect(cost).toContain('nodes of the sized pool (log scale)');
    } finally {
      await page.context().close();
    }
  });

  it('the run of eight policies: one legend switches a policy off everywhere, and tables sort by column', async () => {
    const { page, errors } = await open(browser, join(run, 'report.html'));
    try {
      expect(await page.locator('.legend button[data-policy]').count()).toBe(8);
      const faded = (): Promise<number> => page.$$eval('.live svg [opacity="0.05"]', (marks) => marks.length);
      expect(await faded()).toBe(0);
      const spread = page.locator('.legend button[data-policy="spread"]');
      await spread.click();
      expect(await spread.getAttribute('aria-pressed')).toBe('false');
      // The charts redraw the policy's marks faded.
      await expect.poll(faded).toBeGreaterThan(0);
      await spread.click();
      await expect.poll(faded).toBe(0);

      const table = page.locator('table.sortable').first();
      const seedsColumn = table.locator('thead th').nth(0).locator('button');
      await seedsColumn.click();
      const names = await table.locator('tbody tr th').allTextContents();
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      await seedsColumn.click();
      expect(await table.locator('tbody tr th').allTextContents()).toEqual([...names].reverse());
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('with scripts off, each chart shows its static SVG', async () => {
    const { page } = await open(browser, join(run, 'report.html'), false);
    try {
      const shown = await page.$$eval('figure.chart', (figs) => figs.map((f) => (f.querySelector('.static svg')?.getBoundingClientRect().width ?? 0) > 100));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every(Boolean)).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});
