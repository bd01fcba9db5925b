import { z } from 'zod';
import { deepFreeze } from 'src/common/deep-freeze';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';

/** JSON Schema 2020-12 is the default dialect of MCP tool schemas (MCP 2026-07-28 server/tools). */
const TARGET = 'draft-2020-12';

const cache = new WeakMap<z.ZodType, { input?: JsonSchema; output?: JsonSchema }>();

export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The JSON Schema a tool advertises for a zod schema, computed once per schema and frozen: `input`
 * for `inputSchema` (unknown keys allowed), `output` for `outputSchema` (what results contain).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  let entry = cache.get(schema);
  if (!entry) {
    entry = {};
    cache.set(schema, entry);
  }
  return (entry[io] ??= deepFreeze(
    z.toJSONSchema(schema, { target: TARGET, io }) as Record<string, unknown>,
  ));
}

/**
 * A zod schema as the SDK's Standard Schema with its JSON Schema precomputed: `tools/list` then
 * serves the frozen JSON instead of converting every tool's schemas on every call. The SDK's own
 * validation is a pass-through: the tool call parses its arguments with the same schema (so a refusal
 * is an `invalid_argument` tool error like any other), and `toolSuccess` builds `structuredContent` by
 * parsing the result through the output schema.
 */
export function standardSchemaOf(
  schema: z.ZodType,
  role: 'input' | 'output',
): StandardSchemaWithJSON {
  const json = jsonSchemaOf(schema, role);
  const jsonSchema = (): Record<string, unknown> => json;
  return {
    '~standard': {
      version: 1,
      vendor: 'data-product-catalog',
      validate: (value) => ({ value }),
      jsonSchema: { input: jsonSchema, output: jsonSchema },
    },
  };
}
