import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { onRequestFor } from 'src/common/scoped-hooks';
import { pathOf } from 'src/oauth/discovery/public-cors';
import { isFormContentType } from 'src/oauth/tokens/oauth-form';

const PATHS = new Set(['/oauth2/token', '/token', '/oauth2/revoke', '/revoke']);
const ALLOW_HEADERS = 'Content-Type, Authorization, MCP-Protocol-Version';

/**
 * Runs before routing and body parsing on the token and revocation endpoints only: CORS for browser
 * clients (`*`, no credentials), `no-store` on every answer, preflight OPTIONS answered 204, and a
 * body that is not form-encoded refused as `invalid_request` (rather than Fastify's 415).
 */
async function tokenEndpointHook(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply
    .header('access-control-allow-origin', '*')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache');
  if (req.method === 'OPTIONS') {
    await reply
      .status(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', ALLOW_HEADERS)
      .header('access-control-max-age', '600')
      .send();
    return;
  }
  if (req.method === 'POST' && !isFormContentType(req.headers['content-type'])) {
    await reply.status(400).header('content-type', 'application/json; charset=utf-8').send({
      error: 'invalid_request',
      error_description: 'The request body must be application/x-www-form-urlencoded',
    });
  }
}

const isTokenEndpoint = (req: FastifyRequest): boolean => PATHS.has(pathOf(req.url));

/** Installs {@link tokenEndpointHook} on the Fastify instance (HTTP apps only, not the CLI). */
@Injectable()
export class TokenEndpointHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance: FastifyInstance | undefined = this.adapterHost.httpAdapter?.getInstance?.();
    if (typeof instance?.addHook !== 'function') return;
    instance.addHook('onRequest', onRequestFor(isTokenEndpoint, tokenEndpointHook));
  }
}
