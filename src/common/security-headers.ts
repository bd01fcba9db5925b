import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/** Our helmet settings: the headers every response carries (pages set their own stricter CSP). */
export function helmetOptions(hsts: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    hsts,
  };
}

/**
 * The headers helmet sets for `options`, computed once: helmet's own middleware run against a
 * recording response. (@fastify/helmet calls `helmet(options)` on every request, which rebuilds and
 * re-validates the whole policy each time.)
 */
export function securityHeaders(options: HelmetOptions): Array<[string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string): void {
      headers.delete(name.toLowerCase());
    },
  };
  let failure: Error | undefined;
  helmet(options)({} as never, recorder as never, (err?: unknown) => {
    if (err) failure = err instanceof Error ? err : new Error('helmet refused the options');
  });
  if (failure) throw failure;
  return [...headers.entries()];
}

/**
 * Sets the security headers and `x-request-id` (the request's id, for support and log lookups) on
 * every response, as raw headers at the start of the request: one synchronous hook, and a handler's
 * own `reply.header(...)` (the pages' CSP) still wins, as it did with @fastify/helmet.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeaders(options);
  fastify.addHook('onRequest', (req, reply, done) => {
    const raw = reply.raw;
    for (let i = 0; i < headers.length; i++) raw.setHeader(headers[i][0], headers[i][1]);
    raw.setHeader('x-request-id', req.id);
    done();
  });
}
