import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';

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

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/**
 * JSON (prototype-poisoning safe, depth-limited) and form bodies. Registered instead of Nest's own
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
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, parseQueryString(body as string)),
  );
}
