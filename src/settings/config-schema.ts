import { configSchemaOf, type JsonSchema } from './option-spec.js';
import { OPTION_TABLE } from './option-table.js';

/**
 * The config file's JSON Schema (shipped as schema/verify-schema.config.schema.json for editors), generated
 * from the option table; test/option-table.test.ts fails when the committed file is out of date.
 */
export function configJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = { $schema: { type: 'string', description: 'This schema, for editors.' } };
  for (const o of OPTION_TABLE) if (o.config !== false) properties[o.key] = configSchemaOf(o);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://unpkg.com/verify-schema/schema/verify-schema.config.schema.json',
    title: 'verify-schema configuration',
    description: 'verify-schema.config.json, or the "verifySchema" key of package.json. Paths are relative to the file.',
    type: 'object',
    additionalProperties: false,
    definitions: {
      paths: { description: 'A path or a list of paths.', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      names: { description: 'A name or a list of names.', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      severity: { type: 'string', enum: ['error', 'warning', 'info'] },
    },
    properties,
  };
}
