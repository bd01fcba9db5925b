import type { AuthInfo } from '@modelcontextprotocol/server';
import type { RequestLike } from 'src/audit/audit-context';
import type { UserPrincipal } from 'src/auth/principal';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';

/**
 * What the HTTP layer hands one MCP request's handlers, inside the SDK's `AuthInfo.extra`, and what
 * the handlers report back: a database that could not be reached makes the answer a 503 with
 * `Retry-After` instead of a result (clients must not mistake an outage for an answer).
 */
export interface McpCallContext {
  principal: UserPrincipal;
  /** The HTTP request, for the IP and user agent of audited calls (/mcp has no ambient audit context). */
  request: RequestLike;
  databaseUnavailable: boolean;
}

const CONTEXT = 'mcpCall';

export function authInfoFor(call: McpCallContext, resource: URL): AuthInfo {
  const p = call.principal;
  const expires = p.credentialExpiresAt;
  return {
    // The raw credential is deliberately not passed on: handlers never need it.
    token: p.apiKeyId ?? p.grantId ?? '',
    clientId: p.clientId ?? p.apiKeyId ?? '',
    scopes: [...p.scopes],
    ...(expires ? { expiresAt: Math.floor(expires.getTime() / 1000) } : {}),
    resource,
    extra: { [CONTEXT]: call },
  };
}

/** The call context of a handler invocation (the SDK passes the request's AuthInfo as `ctx.http.authInfo`). */
export function callContextOf(ctx: { http?: { authInfo?: AuthInfo } }): McpCallContext {
  const call = ctx.http?.authInfo?.extra?.[CONTEXT] as McpCallContext | undefined;
  if (!call) throw new Error('MCP request without an authenticated principal');
  return call;
}

/**
 * Notes a handler's failure on the call: a database that could not be reached turns the answer into
 * the 503. True when that was the cause.
 */
export function noteFailure(call: McpCallContext, err: unknown): boolean {
  if (!isDatabaseUnavailable(err)) return false;
  call.databaseUnavailable = true;
  return true;
}
