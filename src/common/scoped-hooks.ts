import type {
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preParsingHookHandler,
  RequestPayload,
} from 'fastify';

/**
 * Global Fastify hooks that concern a few requests only: the test runs synchronously, and only a
 * matching request pays for the async handler. An `async` hook costs every request a promise and a
 * microtask (and promise hooks, while an AsyncLocalStorage is in use), on every route, /mcp included.
 *
 * The handler answers early with `reply.send()` (then the chain stops, as for an async hook that
 * returns the reply) or returns to let the request go on.
 */
export function onRequestFor(
  matches: (req: FastifyRequest) => boolean,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): onRequestHookHandler {
  return (req, reply, done) => {
    if (!matches(req)) return done();
    handler(req, reply).then(
      () => {
        if (!reply.sent) done();
      },
      (err: Error) => done(err),
    );
  };
}

/** The same for `preParsing`: the handler returns the payload the request goes on with. */
export function preParsingFor(
  matches: (req: FastifyRequest) => boolean,
  handler: (
    req: FastifyRequest,
    reply: FastifyReply,
    payload: RequestPayload,
  ) => Promise<RequestPayload | FastifyReply>,
): preParsingHookHandler {
  return (req, reply, payload, done) => {
    if (!matches(req)) return done(null, payload);
    handler(req, reply, payload).then(
      (next) => {
        if (!reply.sent) done(null, next as RequestPayload);
      },
      (err: Error) => done(err),
    );
  };
}
