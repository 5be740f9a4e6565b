/**
 * The JSON Schemas of the files rackbench reads, generated from the zod
 * schemas that check them (never written by hand, so they cannot drift):
 * zod 4's z.toJSONSchema in input mode, where a field with a default is
 * optional, as it is in a file. Editors use them through the
 * `# yaml-language-server: $schema=…` line of each shipped file.
 */
import { z } from 'zod';
import { capacitySectionSchema } from '../model/capacity-section.js';
import { NUMBER_AS_WRITTEN } from '../model/schema-fields.js';
import { scenarioSchema } from '../model/scenario-schema.js';
import { sweepSchema } from './sweep-file.js';

export const SCHEMA_KINDS = ['scenario', 'sweep', 'capacity'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** A capacity file is a scenario whose capacity section is required (`rackbench capacity`, docs/capacity.md). */
export const capacityFileSchema = scenarioSchema.extend({ capacity: capacitySectionSchema });

const SOURCES: Record<SchemaKind, { schema: z.ZodType; title: string; description: string }> = {
  scenario: { schema: scenarioSchema, title: 'rackbench scenario', description: 'A cluster, its workload and how to run it (README, Scenarios).' },
  sweep: { schema: sweepSchema, title: 'rackbench sweep', description: 'Scenarios × parameters × schedulers × seeds (README, Sweeps).' },
  capacity: {
    schema: capacityFileSchema,
    title: 'rackbench capacity file',
    description: 'A scenario with a capacity section: what `rackbench capacity` sizes (docs/capacity.md).',
  },
};

/** The file each schema ships as, under schemas/ in the package. */
export function schemaFileName(kind: SchemaKind): string {
  return `${kind}.schema.json`;
}

/**
 * The JSON Schema (draft-07, which editors and validators support widely) of a
 * kind of file. Throws if a zod schema holds something JSON Schema cannot say,
 * so a new field cannot silently drop out of the schema.
 */
export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const { schema, title, description } = SOURCES[kind];
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    // The one custom type is `raw`'s (schema-fields.ts): a number zod's number type refuses (Infinity from
    // YAML's 400 digits), let through for its parser's message. In JSON it is a number. Any other custom
    // type is a field JSON Schema cannot say: fail, so it cannot drop out of the schema silently.
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type !== 'custom') return;
      if (ctx.zodSchema !== NUMBER_AS_WRITTEN) throw new Error('a custom zod type cannot be represented in JSON Schema');
      ctx.jsonSchema.type = 'number';
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title, description, ...rest };
}
