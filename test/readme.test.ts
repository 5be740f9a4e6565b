import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_COLUMNS, METRIC_COLUMNS, PER_RESOURCE_COLUMNS, RECORD_COLUMNS, TIMING_COLUMNS } from '../src/metrics/columns.js';
import { placementNames, queueNames } from '../src/schedulers/registry.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('defines every result column', () => {
    for (const c of [...KEY_COLUMNS, ...METRIC_COLUMNS, ...PER_RESOURCE_COLUMNS, ...TIMING_COLUMNS]) {
      expect(readme, `column ${c.name}`).toContain(`| \`${c.name}\` |`);
    }
  });

  it('defines every column of the run records', () => {
    for (const [file, cols] of Object.entries(RECORD_COLUMNS)) {
      const section = readme.slice(readme.indexOf(`\`${file}.csv\`:`));
      for (const c of cols) expect(section, `${file}.csv column ${c.name}`).toContain(`| \`${c.name}\` |`);
    }
  });

  it('describes every built-in policy', () => {
    for (const name of [...placementNames(), ...queueNames()]) expect(readme, name).toContain(`\`${name}\``);
  });

  it('keeps the two-command quick start', () => {
    expect(readme).toMatch(/```sh\nnpm ci && npm start[^\n]*\nnpm test\n```/);
  });
});
