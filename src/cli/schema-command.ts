import type { SchemaKind } from '../runner/json-schemas.js';
import { jsonSchema } from '../runner/json-schemas.js';
import { EXIT_OK } from './exit.js';

export function schemaCommand(kind: SchemaKind): number {
  process.stdout.write(`${JSON.stringify(jsonSchema(kind), null, 2)}\n`);
  return EXIT_OK;
}
