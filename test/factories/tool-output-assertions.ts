import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isCallToolResult } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator as Sdk2Validator } from '@modelcontextprotocol/client/validators/ajv';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator as Sdk1Validator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { jsonSchemaOf } from 'src/mcp/tool-json-schema';
import { ERROR_META_KEY } from 'src/mcp/tool-results';
import type { ToolDefinition } from 'src/mcp/tool.decorator';

/** A validator of structured content: the error text, or null when it accepts the value. */
type Check = (value: unknown) => string | null;

const ajv2020 = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv2020);
const sdk1 = new Sdk1Validator();
const sdk2 = new Sdk2Validator();

const compiled = new WeakMap<ToolDefinition, Array<[string, Check]>>();

/**
 * The validators real clients run on `structuredContent`, compiled from the advertised output schema:
 * ajv in JSON Schema 2020-12 mode (strict), the SDK 1.x client's and the SDK 2.x client's.
 */
export function outputValidators(definition: ToolDefinition): Array<[string, Check]> {
  let checks = compiled.get(definition);
  if (!checks) {
    const schema = jsonSchemaOf(definition.output, 'output');
    const strict = ajv2020.compile(schema);
    const one = sdk1.getValidator(schema);
    const two = sdk2.getValidator(schema);
    checks = [
      ['ajv 2020', (v) => (strict(v) ? null : ajv2020.errorsText(strict.errors))],
      ['SDK 1.x client', (v) => one(v).errorMessage ?? null],
      ['SDK 2.x client', (v) => two(v).errorMessage ?? null],
    ];
    compiled.set(definition, checks);
  }
  return checks;
}

/** What each validator says against a value: empty when every one accepts it. */
export function outputSchemaErrors(definition: ToolDefinition, value: unknown): string[] {
  return outputValidators(definition).flatMap(([name, check]) => {
    const error = check(value);
    return error === null ? [] : [`${name}: ${error}`];
  });
}

/** The result as a client receives it: through JSON. */
const overTheWire = (result: CallToolResult): CallToolResult =>
  JSON.parse(JSON.stringify(result)) as CallToolResult;

function expectWellFormed(result: CallToolResult): void {
  const wire = overTheWire(result);
  expect(CallToolResultSchema.safeParse(wire).error).toBeUndefined();
  expect(isCallToolResult(wire)).toBe(true);
}

/**
 * A success result every client accepts: its structured content passes each validator of the
 * advertised output schema, the second text block is that content as JSON, and parsing through the
 * schema dropped nothing the tool produced (a field missing from the schema would vanish).
 */
export function expectAcceptedSuccess(
  definition: ToolDefinition,
  result: CallToolResult,
  produced: unknown,
): void {
  const tool = definition.name;
  expectWellFormed(result);
  expect(result.isError).toBeFalsy();
  const wire = overTheWire(result);
  expect({ tool, errors: outputSchemaErrors(definition, wire.structuredContent) }).toEqual({
    tool,
    errors: [],
  });
  // toEqual, not toStrictEqual: query rows come from a worker thread, whose arrays are of another
  // realm than jest's; a key the schema lacks is still missing on one side.
  expect({ tool, structured: result.structuredContent }).toEqual({ tool, structured: produced });
  expect(wire.content).toEqual([
    { type: 'text', text: expect.stringMatching(/\S/) },
    { type: 'text', text: JSON.stringify(result.structuredContent) },
  ]);
}

/**
 * An error result every client accepts and shows: `isError`, no structured content for the output
 * schema to refuse, a text naming the next step, and the code (and details) under `_meta`.
 */
export function expectAcceptedFailure(
  definition: ToolDefinition,
  result: CallToolResult,
  code: string,
  details: Record<string, unknown> = {},
): void {
  expectWellFormed(result);
  expect(result.isError).toBe(true);
  expect(result).not.toHaveProperty('structuredContent');
  expect(result.content).toEqual([
    { type: 'text', text: expect.stringMatching(new RegExp(`^${code}: `)) },
  ]);
  const [{ text }] = result.content as Array<{ text: string }>;
  expect({ tool: definition.name, text }).toEqual({
    tool: definition.name,
    text: expect.stringMatching(/\b(call|try again)\b/i),
  });
  expect(overTheWire(result)._meta?.[ERROR_META_KEY]).toEqual({
    code,
    message: expect.any(String),
    ...details,
  });
}
