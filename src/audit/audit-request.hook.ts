import type { FastifyInstance } from 'fastify';
import { runWithAuditRequest } from 'src/audit/audit-context';

/**
 * Makes each request the ambient audit context for its guards and handler (a `preHandler` hook:
 * the last step before the route, after body parsing, so the async context reaches the handler).
 */
export function registerAuditRequestHook(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (req, _reply, done) => runWithAuditRequest(req, () => done()));
}
