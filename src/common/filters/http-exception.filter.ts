import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { AreaErrorFilters } from 'src/common/filters/area-error-filters';

export const RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Forbidden:
    case ErrorCode.AccessRequired:
    case ErrorCode.TermsOfUseViolation:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.InvalidArgument:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.QueryTimeout:
      return HttpStatus.GATEWAY_TIMEOUT;
    case ErrorCode.Unavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.PreconditionFailed:
      return HttpStatus.PRECONDITION_FAILED;
    case ErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
  }
}

/** An error answer before it is sent: status, JSON body and headers. */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * The JSON error answer of one error: domain errors by code (with the label, details and
 * `Retry-After` they carry), HttpExceptions as they are, Fastify's own 4xx request errors, a database
 * that is down as 503 + Retry-After (logged as a warning), anything else as a generic 500 that is
 * logged with the request id (never the error to the client).
 */
export function describeHttpError(
  exception: unknown,
  requestId: string,
  logger: Logger,
): ErrorAnswer {
  if (exception instanceof DomainError) {
    const status = statusForCode(exception.code);
    const headers: Record<string, string> = {};
    const retryAfter =
      exception.retryAfterSeconds ??
      (exception.code === ErrorCode.Unavailable ? RETRY_AFTER_SECONDS : undefined);
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    // The admin API's credential is the API key (RFC 9110 §11.6.1: a 401 names its scheme).
    if (status === 401) headers['www-authenticate'] = 'ApiKey header="x-api-key"';
    return {
      status,
      body: {
        statusCode: status,
        error: exception.label,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      },
      headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    const r = typeof res === 'string' ? { message: res } : (res as Record<string, unknown>);
    const message = Array.isArray(r.message)
      ? r.message.map(String).join('; ')
      : typeof r.message === 'string'
        ? r.message
        : exception.message;
    const error =
      typeof r.error === 'string' ? r.error : (HttpStatus[status]?.toLowerCase() ?? 'error');
    const headers: Record<string, string> =
      status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
    return { status, body: { statusCode: status, error, message }, headers };
  }
  const clientStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
    // Fastify's own request errors (body too large, bad JSON, wrong content type…).
    const message = exception instanceof Error ? exception.message : 'Bad request';
    const error = HttpStatus[clientStatus]?.toLowerCase() ?? 'bad_request';
    return {
      status: clientStatus,
      body: { statusCode: clientStatus, error, message },
      headers: {},
    };
  }
  if (isDatabaseUnavailable(exception)) {
    logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
    return {
      status: 503,
      body: {
        statusCode: 503,
        error: 'unavailable',
        message: 'The service is temporarily unavailable. Retry shortly.',
        requestId,
      },
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  logger.error({ requestId, msg: 'unexpected error', err: describeError(exception) });
  return {
    status: 500,
    body: { statusCode: 500, error: 'internal_error', message: 'Internal server error', requestId },
    headers: {},
  };
}

/** Sends an error answer (never cached), unless the reply has already gone out. */
export function sendErrorAnswer(
  reply: FastifyReply,
  answer: { status: number; body: object; headers: Record<string, string> },
): void {
  if (reply.sent || reply.raw.headersSent) return;
  for (const [k, v] of Object.entries(answer.headers)) void reply.header(k, v);
  void reply.status(answer.status).header('cache-control', 'no-store').send(answer.body);
}

/**
 * The global filter: the JSON error answer for the REST API and everything without a filter of its
 * own. A request to an area that renders its own errors (the MCP endpoint's JSON-RPC errors) but
 * failed before reaching its controller (body parsing, size limit) goes to that area's filter.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly areas: AreaErrorFilters) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const area = this.areas.for(req.url);
    if (area) {
      area.catch(exception, host);
      return;
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendErrorAnswer(reply, describeHttpError(exception, String(req.id ?? ''), this.logger));
  }
}

/** Error name, message and stack only: never request data that may carry credentials. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}
