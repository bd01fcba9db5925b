import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from 'src/config/app.config';

/** Query parameters whose values are never written to a log. */
const SECRET_PARAMS = new Set([
  'code',
  'code_verifier',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'key',
  'password',
  'client_secret',
  'assertion',
]);

/** The request path with secret-looking query values replaced by `[redacted]`. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of [...params.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) params.set(name, '[redacted]');
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's `x-request-id` when it is a short token, else a new UUID. */
export function requestIdFor(req: { headers: IncomingMessage['headers'] }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs, one line per request with its id. Headers are not logged at all, so no
 * `Authorization`, `x-api-key` or cookie can reach the log; the redact list guards anything that
 * adds them later.
 */
export function loggerParams(config: AppConfig): Params {
  const infoEnabled = ['info', 'debug', 'trace'].includes(config.logLevel);
  return {
    pinoHttp: {
      level: config.logLevel,
      // Fastify assigns the id (see app.factory.ts); pino-http reuses it.
      genReqId: (req: IncomingMessage) =>
        (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req),
      // `context` goes into the completion line itself: `customProps` would cost pino-http one more
      // child logger per request (and a stringify when it finishes).
      customSuccessObject: (_req, _res, value: object) => ({ ...value, context: 'HTTP' }),
      customErrorObject: (_req, _res, _err, value: object) => ({ ...value, context: 'HTTP' }),
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.client_secret',
          '*.refresh_token',
          '*.access_token',
          '*.code_verifier',
        ],
        censor: '[redacted]',
      },
      // Below the configured level a completion line is skipped before it is built.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : infoEnabled ? 'info' : 'silent',
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
    },
  };
}
