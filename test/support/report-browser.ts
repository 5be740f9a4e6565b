/**
 * The report pages in headless Chromium (Debian's chromium package, driven by
 * playwright-core), shared by the browser tests: a page opened from disk,
 * offline, every request but file: aborted and logged; and per chart, whether
 * it drew live, its data marks, and the texts that overlap or leave it.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Starts Chromium headless, with nothing that reaches the network on its own. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Loaded {
  readonly page: Page;
  readonly errors: string[];
  readonly blocked: string[];
}

/** Opens a page from disk, offline, every non-file request aborted and logged; waits for the charts. */
export async function open(browser: Browser, file: string, scripts = true): Promise<Loaded> {
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

export interface ChartState {
  readonly id: string;
  readonly kind: string;
  readonly live: boolean;
  readonly error: string | null;
  readonly marks: number;
  readonly overlaps: string[];
  readonly outside: string[];
  /** Texts vega shortened with an ellipsis to fit a label limit (a legend or axis label cut off). */
  readonly truncated: string[];
}

/** What the check reads of an SVG text element (the tests compile without the DOM's types). */
interface TextNode {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
}

/** Per chart: whether it drew live, its data marks, and the pairs of its texts whose boxes overlap (or that leave the chart). */
export async function chartStates(page: Page): Promise<ChartState[]> {
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
        truncated: boxes.filter((b) => b.text.endsWith('…')).map((b) => b.text),
      };
    }),
  );
}


/**
 * Opens a page and checks it as a reader would meet it: every chart drawn
 * live without a vega error and with data marks, no two texts of a chart
 * overlapping, none leaving its chart or cut short, no console error, and no
 * request beyond the file itself. Then a full-page screenshot to `shot`.
 * Returns the charts' states for further checks.
 */
export async function expectCleanPage(browser: Browser, file: string, shot: string): Promise<ChartState[]> {
  const { page, errors, blocked } = await open(browser, file);
  try {
    const charts = await chartStates(page);
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) {
      expect({ id: c.id, kind: c.kind, live: c.live, error: c.error }).toEqual({ id: c.id, kind: c.kind, live: true, error: null });
      expect(c.marks, `${c.id} (${c.kind}) has data marks`).toBeGreaterThan(0);
      expect(c.overlaps, `${c.id} (${c.kind}): overlapping texts`).toEqual([]);
      expect(c.outside, `${c.id} (${c.kind}): texts outside the chart`).toEqual([]);
      expect(c.truncated, `${c.id} (${c.kind}): texts cut short`).toEqual([]);
    }
    await page.screenshot({ path: shot, fullPage: true });
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    return charts;
  } finally {
    await page.context().close();
  }
}
