/**
 * The three example reports as a user makes them, checked in headless
 * Chromium like the fixtures' pages (report-browser.test.ts): the built-in
 * run (`npm start`, then `rackbench report results/latest`), the
 * cluster-size sweep and the web-and-batch capacity plan. Making them takes
 * minutes, so `.ci/run` makes them with the commands a user types and names
 * their parent directory in RACKBENCH_EXAMPLES; without it (or without
 * Chromium) this file skips, saying so. Full-page screenshots go to
 * results/screenshots/, which CI keeps.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, expectCleanPage, haveChromium, launchChromium } from './support/report-browser.js';
import { ROOT } from './support/report-fixtures.js';

const EXAMPLES = process.env.RACKBENCH_EXAMPLES;
const SHOTS = join(ROOT, 'results', 'screenshots');

/** Each example: its page under RACKBENCH_EXAMPLES, its screenshot, and the charts it must have. */
const PAGES: readonly [string, string, string, readonly string[]][] = [
  ['built-in run', 'latest/report.html', 'run.png', ['delay-ecdf', 'startup-ecdf', 'pareto', 'per-seed', 'platform']],
  ['cluster-size sweep', 'cluster-size/report.html', 'cluster-size.png', ['sweep-curve', 'pareto', 'delay-ecdf']],
  ['web-and-batch capacity plan', 'web-and-batch/capacity.html', 'web-and-batch.png', ['capacity-cost', 'capacity-slo']],
];

const why = EXAMPLES === undefined ? 'RACKBENCH_EXAMPLES is not set (.ci/run makes the example reports and sets it)' : !haveChromium ? `no Chromium at ${CHROMIUM}` : '';
if (why !== '') console.warn(`report-examples: skipped: ${why}.`);

describe.skipIf(why !== '')('the example reports in a browser (headless Chromium, offline)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each(PAGES)('%s: every chart draws live, offline, without an error, overlapping or cut-off text', async (_, page, shot, kinds) => {
    const file = resolve(EXAMPLES!, page);
    expect(existsSync(file), `${file} exists`).toBe(true);
    const charts = await expectCleanPage(browser, file, join(SHOTS, shot));
    expect([...new Set(charts.map((c) => c.kind))]).toEqual(expect.arrayContaining([...kinds]));
    expect(readFileSync(join(SHOTS, shot)).length).toBeGreaterThan(50_000);
  }, 180_000);
});
