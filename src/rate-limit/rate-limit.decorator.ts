import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RateLimitPolicy } from 'src/rate-limit/rate-limit.policies';

export const RATE_LIMIT = 'rate-limit';

export type RateLimitSubject = 'ip' | 'client_and_ip';

export interface RateLimitMetadata {
  policy: RateLimitPolicy;
  subject: RateLimitSubject;
}

/** Counts every request to the route against `policy`, per client IP or per OAuth client and IP. */
export const RateLimit = (
  policy: RateLimitPolicy,
  subject: RateLimitSubject = 'ip',
): MethodDecorator => SetMetadata(RATE_LIMIT, { policy, subject } satisfies RateLimitMetadata);

/** The OAuth client a token/revoke request names (form body or HTTP Basic), for rate-limit keys. */
export function requestClientId(req: FastifyRequest): string {
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body.client_id === 'string') return body.client_id.slice(0, 200);
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    return decoded.split(':', 1)[0].slice(0, 200);
  }
  return '-';
}
