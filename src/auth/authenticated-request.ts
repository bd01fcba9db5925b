import type { FastifyRequest } from 'fastify';
import type { RequestPrincipal } from 'src/auth/principal';

/** A request after the authentication guard: the principal of its one credential, if any. */
export type AuthenticatedRequest = FastifyRequest & { user?: RequestPrincipal };
