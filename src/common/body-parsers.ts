import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';
import { isNode, parseDocument, visit } from 'yaml';

/** Deeper JSON than this is refused with 400 before any code walks it (stack-overflow defence). */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text, counted outside strings in one pass (O(n), no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Media types of YAML bodies (RFC 9512 registers application/yaml; the others are in use). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

/** Aliases a YAML body may use at most (bounds "billion laughs" expansion). */
export const MAX_YAML_ALIASES = 50;

/** The YAML 1.2 core schema's tags; any other tag (`!!binary`, `!!set`, `!custom`) is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Nesting depth of a parsed YAML value, walked without recursion; refuses `__proto__` keys. */
function yamlValueDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (d > MAX_JSON_DEPTH) return d;
    if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, '__proto__')) {
      throw new BodyError('The YAML key "__proto__" is not allowed');
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}

/**
 * Parses a YAML body into plain JSON values: YAML 1.2 core schema only (no custom or YAML 1.1
 * tags), unique keys, at most {@link MAX_YAML_ALIASES} aliases and {@link MAX_JSON_DEPTH} levels.
 * Throws an error with a 400 status naming the line of the first problem.
 */
export function parseYamlBody(text: string): unknown {
  // Flow collections nest without indentation: bound them before the parser recurses.
  if (jsonDepth(text.replace(/'/g, '"')) > MAX_JSON_DEPTH) {
    throw new BodyError(`YAML nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    throw new BodyError(
      `Invalid YAML at line ${error.linePos?.[0].line ?? 1}: ${firstLine(error.message)}`,
    );
  }
  let tagged: { tag: string; line: number } | null = null;
  visit(doc, (_key, node) => {
    if (!isNode(node) || !node.tag || CORE_TAGS.has(node.tag)) return undefined;
    const offset = node.range?.[0] ?? 0;
    tagged = { tag: node.tag, line: text.slice(0, offset).split('\n').length };
    return visit.BREAK;
  });
  if (tagged) {
    const { tag, line } = tagged as { tag: string; line: number };
    throw new BodyError(
      `Invalid YAML at line ${line}: the tag ${tag} is not allowed (plain YAML only)`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    throw new BodyError(`Invalid YAML: ${firstLine((err as Error).message)}`);
  }
  if (yamlValueDepth(value) > MAX_JSON_DEPTH) {
    throw new BodyError(`YAML nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

const firstLine = (message: string): string => message.split('\n')[0];

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/**
 * JSON (prototype-poisoning safe, depth-limited), YAML (see parseYamlBody) and form bodies. Registered instead of Nest's own
 * parsers (`bodyParser: false`) so that deeply nested input is a 400, never a stack overflow.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new BodyError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    void json(req, text, done);
  });
  fastify.addContentTypeParser([...YAML_MEDIA_TYPES], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYamlBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, parseQueryString(body as string)),
  );
}
