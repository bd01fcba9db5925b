import type { FastifyInstance, FastifyReply } from 'fastify';
import { onRequestFor } from 'src/common/scoped-hooks';

/**
 * CORS for the public OAuth surfaces, which browser-based MCP clients need: discovery documents
 * and `/register` (and, in
 * their own modules, token and revoke). Any origin, no credentials.
 */
export const PUBLIC_CORS_ALLOW_HEADERS = 'Content-Type, Authorization, MCP-Protocol-Version';

/** The path of a raw request URL, without the query string. */
export const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/** Adds `Access-Control-Allow-Origin: *` (safe: these answers never depend on cookies). */
export function allowAnyOrigin(reply: FastifyReply): FastifyReply {
  return reply.header('access-control-allow-origin', '*');
}

/**
 * Answers CORS preflight `OPTIONS` for the given paths with 204, before routing and authentication
 * (there is no OPTIONS route, and the global guard would refuse one).
 */
export function registerPublicPreflight(
  fastify: FastifyInstance,
  paths: readonly string[],
  allowMethods: string,
): void {
  const known = new Set(paths);
  fastify.addHook(
    'onRequest',
    onRequestFor(
      (req) => req.method === 'OPTIONS' && known.has(pathOf(req.url)),
      async (_req, reply) =>
        allowAnyOrigin(reply)
          .status(204)
          .header('access-control-allow-methods', allowMethods)
          .header('access-control-allow-headers', PUBLIC_CORS_ALLOW_HEADERS)
          .header('access-control-max-age', '600')
          .send(),
    ),
  );
}
