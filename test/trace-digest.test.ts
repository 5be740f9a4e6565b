/**
 * The trace readers produce exactly what they produced before they were
 * made fast: the same machines, pods (order, times, requests, usage, names,
 * lines), submissions and rejections, as digested by bench/trace-digest.ts.
 * The expected digests in test/fixtures/trace-digests.json were taken with
 * the readers of commit 570abb8, on the shipped samples, on the samples in
 * ../shared/data/traces (skipped when absent) and on seeded random files of
 * every format read with several option sets.
 * RACKBENCH_RECORD_DIGESTS=1 rewrites the file from the readers as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestOf, traceLines } from '../bench/trace-digest.js';
import { RANDOM_FORMATS, RANDOM_OPTIONS, randomTrace } from '../bench/trace-random.js';
import { ResourceSpace } from '../src/model/resources.js';
import * as replay from '../src/workload/trace/replay.js';
import { tempDir } from './support/cli.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'trace-digests.json');
const record = process.env.RACKBENCH_RECORD_DIGESTS === '1';
const expected = (existsSync(FIXTURE) ? JSON.parse(readFileSync(FIXTURE, 'utf8')) : {}) as Record<string, string>;
const recorded: Record<string, string> = {};

afterAll(() => {
  if (record) writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
});

function check(key: string, ref: { format: string; files: readonly string[]; options?: Record<string, unknown> }): void {
  const lines = traceLines({ replay, ResourceSpace }, ref);
  const digest = `${digestOf(lines)} ${lines.length}`;
  recorded[key] = digest;
  if (!record) expect(digest, key).toBe(expected[key]);
}

const fixtures = join(import.meta.dirname, 'fixtures', 'traces');
const shared = join(import.meta.dirname, '..', '..', 'shared', 'data', 'traces');

describe('trace readers give what they gave before', () => {
  it.each([
    ['alibaba-gpu2023', [join(fixtures, 'alibaba_gpu2023_node_list_rows.csv'), join(fixtures, 'alibaba_gpu2023_pod_list_rows.csv')]],
    ['alibaba-2018', [join(fixtures, 'alibaba_v2018_machine_meta_rows.csv')]],
  ])('shipped sample: %s', (format, files) => {
    for (const [i, options] of RANDOM_OPTIONS.entries()) check(`fixture ${format} ${i}`, { format, files, options });
  });

  it.skipIf(!existsSync(shared)).each([
    ['alibaba-gpu2023', ['alibaba_gpu2023_openb_node_list_all_node.csv', 'alibaba_gpu2023_openb_pod_list_default_head2500.csv']],
    ['alibaba-2018', ['alibaba_v2018_machine_meta_first_row_per_machine.csv']],
  ])('shared sample: %s', (format, files) => {
    for (const [i, options] of RANDOM_OPTIONS.entries()) check(`shared ${format} ${i}`, { format, files: files.map((f) => join(shared, f)), options });
  });

  it.each(RANDOM_FORMATS)('random files: %s', (format) => {
    for (let seed = 0; seed < 12; seed++) {
      const dir = tempDir();
      const files = randomTrace(format, dir, seed, 40 + seed * 40);
      check(`random ${format} ${seed}`, { format, files, options: RANDOM_OPTIONS[seed % RANDOM_OPTIONS.length]! });
    }
  });
});
