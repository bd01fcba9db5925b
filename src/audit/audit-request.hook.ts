import type { FastifyInstance } from 'fastify';
import { runWithAuditRequest } from 'src/audit/audit-context';

/**
 * Fastify route config flag (`@RouteConfig({ [EXPLICIT_AUDIT_CONTEXT]: true })`) of routes that pass
 * the request's IP and user agent to whatever they audit themselves, so they need no ambient
 * context. The MCP endpoint does: entering an AsyncLocalStorage context cost it ≈ 5 % of its CPU
 * per request on Node 20 (whoami, measured side by side with and without).
 */
export const EXPLICIT_AUDIT_CONTEXT = 'explicitAuditContext';

/**
 * Makes each request the ambient audit context for its guards and handler (a `preHandler` hook:
 * the last step before the route, after body parsing, so the async context reaches the handler),
 * except on routes flagged with {@link EXPLICIT_AUDIT_CONTEXT}.
 */
export function registerAuditRequestHook(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (req, _reply, done) => {
    const config = req.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (config?.[EXPLICIT_AUDIT_CONTEXT] === true) return done();
    runWithAuditRequest(req, () => done());
  });
}
