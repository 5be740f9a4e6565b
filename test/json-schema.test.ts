/**
 * The JSON Schemas (`rackbench schema`, schemas/): generated from the zod
 * schemas, shipped as generated, named by every shipped file, and in
 * agreement with zod when an independent validator (ajv) checks files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/model/scenario-file.js';
import { scenarioSchema } from '../src/model/scenario-schema.js';
import { capacityFileSchema, jsonSchema, SCHEMA_KINDS, schemaFileName } from '../src/runner/json-schemas.js';
import type { SchemaKind } from '../src/runner/json-schemas.js';
import { sweepSchema } from '../src/runner/sweep-file.js';
import { runMain } from './support/in-process.js';
import { ROOT } from './support/cli.js';

const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
const validators = Object.fromEntries(SCHEMA_KINDS.map((k) => [k, ajv.compile(jsonSchema(k))])) as Record<SchemaKind, ReturnType<Ajv['compile']>>;

/** The files the package ships that rackbench reads as scenario, sweep or capacity files, with the kind each must name. */
function shippedFiles(): [string, SchemaKind][] {
  const yamlIn = (dir: string): string[] =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(dir, f));
  return [
    ...yamlIn('scenarios').map((f): [string, SchemaKind] => [f, 'scenario']),
    ...yamlIn('scenarios/scale').map((f): [string, SchemaKind] => [f, 'scenario']),
    ...yamlIn('scenarios/sweeps').map((f): [string, SchemaKind] => [f, 'sweep']),
    ...yamlIn('bench/sweeps').map((f): [string, SchemaKind] => [f, 'sweep']),
    ...yamlIn('scenarios/capacity').map((f): [string, SchemaKind] => [f, 'capacity']),
  ];
}

describe('rackbench schema', () => {
  it.each(SCHEMA_KINDS)('prints the %s schema, as shipped in schemas/', async (kind) => {
    const r = await runMain('schema', kind);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(printed.$schema).toBe('http://json-schema.org/draft-07/schema#');
    // Regenerate with `npm run schemas` when a zod schema changes.
    expect(readFileSync(join(ROOT, 'schemas', schemaFileName(kind)), 'utf8')).toBe(r.stdout);
  });

  it('exits 2 on an unknown kind, naming the choices', async () => {
    const r = await runMain('schema', 'scenarios');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenario, sweep, capacity');
  });

  it('keeps defaulted fields optional (input mode) and unknown fields out, as zod does', () => {
    const scenario = jsonSchema('scenario') as { required: string[]; additionalProperties: boolean };
    expect(scenario.required.sort()).toEqual(['cluster', 'name', 'workload']);
    expect(scenario.additionalProperties).toBe(false);
    expect((jsonSchema('capacity') as { required: string[] }).required).toContain('capacity');
  });
});

describe('shipped files', () => {
  const files = shippedFiles();

  it('are all found', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s names its %s schema on its first line and passes ajv and zod', (file, kind) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const first = text.split('\n')[0]!;
    expect(first).toMatch(/^# yaml-language-server: \$schema=\S+$/);
    const target = resolve(ROOT, dirname(file), first.slice(first.indexOf('=') + 1));
    expect(relative(ROOT, target)).toBe(join('schemas', schemaFileName(kind)));
    const validate = validators[kind];
    expect(validate(parseYaml(text)), ajv.errorsText(validate.errors)).toBe(true);
    if (kind === 'sweep') expect(sweepSchema.safeParse(parseYaml(text)).success).toBe(true);
    else expect(() => parseScenario(text, file)).not.toThrow();
  });
});

describe('a wrong file', () => {
  const wrong: [string, SchemaKind, unknown][] = [
    ['an unknown top-level key', 'scenario', { ...parseYaml(readFileSync(join(ROOT, 'test/fixtures/valid-small.yaml'), 'utf8')), colour: 'blue' }],
    ['a count that is a string', 'scenario', parseYaml(readFileSync(join(ROOT, 'test/fixtures/bad-count-type.yaml'), 'utf8'))],
    ['no workload', 'scenario', { name: 'x', cluster: { pools: [] } }],
    ['a sweep without scenarios', 'sweep', { name: 'x', scenarios: [] }],
    ['a sweep seed below zero', 'sweep', { name: 'x', scenarios: ['a.yaml'], seeds: [-1] }],
    ['a capacity file without capacity', 'capacity', parseYaml(readFileSync(join(ROOT, 'test/fixtures/valid-small.yaml'), 'utf8'))],
  ];

  it.each(wrong)('with %s fails both zod and ajv', (_, kind, data) => {
    expect(validators[kind](data)).toBe(false);
    const zod = kind === 'sweep' ? sweepSchema : kind === 'capacity' ? capacityFileSchema : scenarioSchema;
    expect(zod.safeParse(data).success).toBe(false);
  });
});
