import { Readable } from 'node:stream';
import { onRequestFor, preParsingFor } from 'src/common/scoped-hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jsonDepth, MAX_JSON_DEPTH } from 'src/common/body-parsers';
import { isPlainObject } from 'src/oauth/clients/client-metadata.rules';
import { allowAnyOrigin, registerPublicPreflight } from 'src/oauth/discovery/public-cors';
import { OAuthError } from 'src/oauth/oauth.errors';

export const REGISTER_PATH = '/register';
/** RFC 7591 bodies are small; the app-wide limit (1 MiB) is for /mcp. */
export const MAX_REGISTRATION_BODY_BYTES = 64 * 1024;

const isJsonContentType = (value: string | undefined): boolean =>
  typeof value === 'string' && /^application\/json\s*(;|$)/i.test(value);

const isRegistration = (req: FastifyRequest): boolean =>
  req.method === 'POST' && req.routeOptions.url === REGISTER_PATH;

const tooLarge = () =>
  new OAuthError(
    'invalid_request',
    `The request body must not exceed ${MAX_REGISTRATION_BODY_BYTES} bytes`,
    413,
  );

/** The OAuthExceptionFilter's answer, for failures that happen before Nest sees the request. */
async function sendOAuthError(reply: FastifyReply, err: OAuthError): Promise<FastifyReply> {
  if (err.status === 413) void reply.header('connection', 'close');
  await reply
    .status(err.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send({ error: err.error, error_description: err.description });
  return reply;
}

/** Reads the body, giving up (null) as soon as it exceeds `limit` bytes. */
function readAtMost(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        cleanup();
        stream.pause();
        resolve(null);
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // The client went away before the body ended: nothing will ever answer, don't wait for it.
    const onClose = () => onError(new Error('request closed before its body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.resume();
  });
}

/**
 * Route-scoped Fastify hooks for `POST /register`, so that failures before the controller (wrong
 * content type, oversized or malformed body) are answered like every other registration error:
 * `{ error, error_description }` with `no-store`, never Fastify's 415 or the generic error shape.
 *
 * - every answer (success or failure) gets `Cache-Control: no-store` and `Access-Control-Allow-Origin: *`;
 * - `Content-Type` other than `application/json` → 400 `invalid_request`;
 * - body over 64 KiB (declared or streamed) → 413 `invalid_request`;
 * - malformed JSON (prototype-poisoning keys included), JSON nested deeper than the app's limit, or
 *   JSON that is not an object → 400 `invalid_request`.
 *
 * The validated bytes are handed on to Fastify's JSON parser unchanged.
 */
export function registerRegistrationHooks(fastify: FastifyInstance): void {
  registerPublicPreflight(fastify, [REGISTER_PATH], 'POST, OPTIONS');
  const defaultParser = fastify.getDefaultJsonParser('error', 'error');
  const parseJson = (req: FastifyRequest, text: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      void defaultParser(req, text, (err, body) => (err ? reject(err) : resolve(body)));
    });

  fastify.addHook(
    'onRequest',
    onRequestFor(isRegistration, async (req, reply) => {
      void allowAnyOrigin(reply).header('cache-control', 'no-store').header('pragma', 'no-cache');
      if (!isJsonContentType(req.headers['content-type']))
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'Content-Type must be application/json'),
        );
      if (Number(req.headers['content-length']) > MAX_REGISTRATION_BODY_BYTES)
        return sendOAuthError(reply, tooLarge());
    }),
  );

  fastify.addHook(
    'preParsing',
    preParsingFor(isRegistration, async (req, reply, payload) => {
      const bytes = await readAtMost(payload, MAX_REGISTRATION_BODY_BYTES);
      if (bytes === null) return sendOAuthError(reply, tooLarge());
      const text = bytes.toString('utf8');
      if (jsonDepth(text) > MAX_JSON_DEPTH)
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`),
        );
      let body: unknown;
      try {
        body = await parseJson(req, text);
      } catch {
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'The request body is not valid JSON'),
        );
      }
      if (!isPlainObject(body))
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'The request body must be a JSON object'),
        );
      return Readable.from([bytes]);
    }),
  );
}
