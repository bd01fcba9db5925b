import { z } from 'zod';
import type { DocumentProblem } from 'src/catalog/documents/catalog-model';

/** The message of a field that is missing (the legacy contract validator keys on it). */
export const REQUIRED = 'is required';

/**
 * Our ids (teams, products, ports, contracts) appear in URL paths (`/api/v1/dataproducts/{id}`), so
 * they are restricted to a URL-safe alphabet; ODPS v1.0.0 and ODCS v3.1.0 only say "string".
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
export const ID_MESSAGE =
  'must be 1 to 200 letters, digits, ".", "_", ":" or "-" (e.g. "orders_npii_v1")';
export const idSchema = z.string({ error: ID_MESSAGE }).regex(ID_PATTERN, { error: ID_MESSAGE });

/** An enum whose unknown values are reported with the allowed values listed. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (iss) =>
      iss.input === undefined ? `${REQUIRED} (${values.join(', ')})` : mustBeOneOf(values),
  });

export const mustBeOneOf = (values: readonly string[]): string =>
  `must be one of ${values.join(', ')}`;

/** A version as text; a YAML `version: 1.0` is a number, so the message says to quote it. */
export const versionText = () =>
  z.string({
    error: (iss) =>
      iss.input === undefined
        ? REQUIRED
        : typeof iss.input === 'number'
          ? `must be text: quote it in YAML ("${String(iss.input)}")`
          : 'must be text',
  });

/** An integer, reported as one whatever the wrong input is. */
export const integer = () =>
  z.int({
    error: (iss) =>
      iss.code !== 'invalid_type'
        ? undefined
        : iss.input === undefined
          ? REQUIRED
          : 'must be an integer',
  });

/** `$.outputPorts[0].name` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  tuple: 'a list',
};

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'a date-time in ISO 8601 with a time zone (e.g. "2025-01-31T12:00:00Z")',
  date: 'a date in ISO 8601 (YYYY-MM-DD)',
  url: 'a URL (e.g. "https://example.com")',
  email: 'an email address',
};

/** Plain messages for zod's built-in issues; a schema's own `error` wins over these. */
export const problemMessages: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return REQUIRED;
      return `must be ${TYPE_NAMES[iss.expected] ?? iss.expected}`;
    case 'invalid_value':
      if (iss.input === undefined) return REQUIRED;
      return iss.values.length === 1
        ? `must be ${JSON.stringify(iss.values[0])}`
        : mustBeOneOf(iss.values.map(String));
    case 'invalid_format':
      return `must be ${FORMAT_NAMES[iss.format] ?? `in the format ${iss.format}`}`;
    case 'too_small':
      return iss.origin === 'array'
        ? `must have at least ${String(iss.minimum)} entries`
        : iss.origin === 'string'
          ? 'must not be empty'
          : `must be at least ${String(iss.minimum)}`;
    case 'too_big':
      return iss.origin === 'array'
        ? `must have at most ${String(iss.maximum)} entries`
        : `must be at most ${String(iss.maximum)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'unrecognized_keys':
    case 'custom':
      return undefined;
  }
};

/** Every problem of a document against a schema, or the parsed data. */
export function parseDocument<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { data: T; problems: [] } | { data: null; problems: DocumentProblem[] } {
  const result = schema.safeParse(body, { error: problemMessages });
  if (result.success) return { data: result.data, problems: [] };
  return { data: null, problems: result.error.issues.flatMap((i) => toProblems(i, [])) };
}

/**
 * A union none of whose branches matched is reported through the one branch of the value's own
 * shape (an object for ODCS v3.1.0 `team`, a list for v3.0.x), so the problem keeps its precise
 * path; when no branch or several fit, the union's own message stands.
 */
function toProblems(issue: z.core.$ZodIssue, base: PropertyKey[]): DocumentProblem[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union') {
    const fitting = issue.errors.filter(
      (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
    );
    if (fitting.length === 1) return fitting[0].flatMap((i) => toProblems(i, path));
  }
  return [{ path: jsonPath(path), message: issue.message }];
}

/** Problems of a document that is not even an object. */
export function notAnObject(body: unknown, what: string): DocumentProblem[] | null {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return null;
  return [{ path: '$', message: `must be an object (${what})` }];
}

/** The `expectedId` rule shared by every reader: the body's id, or the expected one when absent. */
export function checkId(
  body: Record<string, unknown>,
  expectedId: string | undefined,
): { body: Record<string, unknown>; problems: DocumentProblem[] } {
  if (expectedId === undefined) return { body, problems: [] };
  if (body.id === undefined) return { body: { ...body, id: expectedId }, problems: [] };
  if (body.id === expectedId) return { body, problems: [] };
  return {
    body,
    problems: [
      { path: '$.id', message: `must be "${expectedId}", the id the document is stored under` },
    ],
  };
}
