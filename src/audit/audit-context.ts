import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest } from 'fastify';
import type { AuditEventInput } from 'src/audit/audit-event.types';
import type { Principal } from 'src/auth/principal';

/** Longer user agents are cut (the column allows 512 characters). */
export const MAX_USER_AGENT_LENGTH = 512;

export interface AuditRequestContext {
  ip: string | null;
  userAgent: string | null;
}

/** What the audit context is read from: a Fastify request, or anything with its IP and headers. */
export type RequestLike = Pick<FastifyRequest, 'ip' | 'headers'>;

/**
 * IP and user agent of a request, for events recorded by code that holds the request (sign-in,
 * consent, token endpoint). `req.ip` is Fastify's: the socket address, or the client address from
 * `X-Forwarded-For` for the proxy hops TRUST_PROXY trusts.
 */
export function requestContext(req: RequestLike): AuditRequestContext {
  const ua = req.headers['user-agent'];
  return {
    ip: typeof req.ip === 'string' && req.ip ? req.ip : null,
    userAgent: typeof ua === 'string' && ua ? ua.slice(0, MAX_USER_AGENT_LENGTH) : null,
  };
}

const currentRequest = new AsyncLocalStorage<RequestLike>();

/**
 * Runs the rest of a request (guards, handler) with the request as ambient audit context, so that
 * services without the request (API key verification, admin services) record its IP and user agent.
 */
export function runWithAuditRequest(req: RequestLike, next: () => void): void {
  currentRequest.run(req, next);
}

/** The context of the request being handled, if any (null in the CLI and in timers). */
export function currentRequestContext(): AuditRequestContext | null {
  const req = currentRequest.getStore();
  return req ? requestContext(req) : null;
}

/** The actor columns of an event done by `principal` (its organization included). */
export function auditActor(
  principal: Principal,
): Pick<AuditEventInput, 'organizationId' | 'actorUserId' | 'actorApiKeyId' | 'actorClientId'> {
  switch (principal.kind) {
    case 'system':
      return {};
    case 'organization':
      return { organizationId: principal.organizationId, actorApiKeyId: principal.apiKeyId };
    case 'user':
      return {
        organizationId: principal.organizationId,
        actorUserId: principal.userId,
        actorApiKeyId: principal.apiKeyId ?? null,
        actorClientId: principal.clientId ?? null,
      };
  }
}
