/**
 * The report pages in a real browser: headless Chromium (Debian's chromium
 * package, driven by playwright-core) opens each page from disk, offline, with
 * every request but file: aborted. Three pages: a run of eight policies with
 * its records (the crowded case), a sweep over two parameters, and a capacity
 * plan. Every chart must draw live without a vega error, no text of a chart may
 * overlap another or leave the chart, and the page must work with scripts off.
 * Screenshots of the three pages go to results/report-screenshots/ (CI keeps
 * them). Skipped, saying so, where Chromium is absent.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { fileTempDir, ROOT } from './support/report-fixtures.js';
import { writeRunSet } from './support/results.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`report-browser: skipped: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`);
}

const OFFICE = join(ROOT, 'test', 'fixtures', 'reports', 'office.yaml');
const OFFICE_SWEEP = join(ROOT, 'test', 'fixtures', 'reports', 'office-sweep.yaml');
const CAPACITY = join(ROOT, 'test', 'fixtures', 'capacity', 'tiny.yaml');
const EIGHT = ['first-fit', 'best-fit', 'worst-fit', 'spread', 'random', 'kube-default', 'tetris', 'l2-norm'];
const SHOTS = join(ROOT, 'results', 'report-screenshots');

interface Loaded {
  readonly page: Page;
  readonly errors: string[];
  readonly blocked: string[];
}

/** Opens a page from disk, offline, every non-file request aborted and logged; waits for the charts. */
async function open(browser: Browser, file: string, scripts = true): Promise<Loaded> {
  const context = await browser.newContext({ offline: true, javaScriptEnabled: scripts, viewport: { width: 1200, height: 900 } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // vega reports a bad spec or expression through console.error / console.warn.
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  if (scripts) await page.waitForSelector('body[data-charts="ready"]', { timeout: 120_000 });
  return { page, errors, blocked };
}

interface ChartState {
  readonly id: string;
  readonly kind: string;
  readonly live: boolean;
  readonly error: string | null;
  readonly marks: number;
  readonly overlaps: string[];
  readonly outside: string[];
}

/** What the check reads of an SVG text element (the tests compile without the DOM's types). */
interface TextNode {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
}

/** Per chart: whether it drew live, its data marks, and the pairs of its texts whose boxes overlap (or that leave the chart). */
async function chartStates(page: Page): Promise<ChartState[]> {
  return page.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('.live svg') ?? f.querySelector('.static svg');
      const frame = svg?.getBoundingClientRect();
      // vega hides a label it drops for overlap with opacity 0.
      const texts = (svg === null || svg === undefined ? [] : Array.from(svg.querySelectorAll('text'))) as TextNode[];
      const boxes = texts
        .filter((t) => (t.textContent ?? '').trim() !== '' && t.getAttribute('opacity') !== '0')
        .map((t) => ({ text: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }))
        .filter((b) => b.r.width > 0 && b.r.height > 0);
      const overlaps: string[] = [];
      const outside: string[] = [];
      // Half a pixel of slack: glyph boxes of neighbouring tick labels touch.
      const slack = 0.5;
      for (let i = 0; i < boxes.length; i++) {
        const a = boxes[i]!.r;
        if (frame !== undefined && (a.left < frame.left - 1 || a.right > frame.right + 1 || a.top < frame.top - 1 || a.bottom > frame.bottom + 1)) outside.push(boxes[i]!.text);
        for (let j = i + 1; j < boxes.length; j++) {
          const b = boxes[j]!.r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > slack && h > slack) overlaps.push(`"${boxes[i]!.text}" × "${boxes[j]!.text}"`);
        }
      }
      return {
        id: f.id,
        kind: f.getAttribute('data-kind') ?? '',
        live: f.getAttribute('data-live') === 'true',
        error: f.getAttribute('data-error'),
        marks: svg === null || svg === undefined ? 0 : svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark rect, .role-mark circle').length,
        overlaps,
        outside,
      };
    }),
  );
}

describe.skipIf(!haveChromium)('the report pages in a browser (headless Chromium, offline)', () => {
  let browser: Browser;
  let run = '';
  let sweep = '';
  let capacity = '';

  beforeAll(async () => {
    run = fileTempDir();
    writeRunSet(run, [OFFICE], { schedulers: EIGHT, seeds: [1, 2], record: ['timeseries', 'nodes'] });
    sweep = fileTempDir();
    capacity = fileTempDir();
    for (const args of [['report', run], ['sweep', OFFICE_SWEEP, '--out', sweep, '--quiet'], ['report', sweep], ['capacity', CAPACITY, '--out', capacity]]) {
      const r = await runMain(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['run of eight policies', () => join(run, 'report.html'), 'run.png'],
    ['sweep over two parameters', () => join(sweep, 'report.html'), 'sweep.png'],
    ['capacity plan', () => join(capacity, 'capacity.html'), 'capacity.png'],
  ])('%s: every chart draws live, offline, without an error or overlapping text', async (_, file, shot) => {
    const { page, errors, blocked } = await open(browser, file());
    try {
      const charts = await chartStates(page);
      expect(charts.length).toBeGreaterThan(0);
      for (const c of charts) {
        expect({ id: c.id, kind: c.kind, live: c.live, error: c.error }).toEqual({ id: c.id, kind: c.kind, live: true, error: null });
        expect(c.marks, `${c.id} (${c.kind}) has data marks`).toBeGreaterThan(0);
        expect(c.overlaps, `${c.id} (${c.kind}): overlapping texts`).toEqual([]);
        expect(c.outside, `${c.id} (${c.kind}): texts outside the chart`).toEqual([]);
      }
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
      expect(readFileSync(join(SHOTS, shot)).length).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
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
