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
  }
}

/**
 * The JSON error answer for the REST API and everything without a filter of its own: domain errors by
 * code, HttpExceptions as they are, a database that is down as 503 + Retry-After, anything else as a
 * generic 500 that is logged with the request id (never the error to the client).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const requestId = String(req.id ?? '');
    const { status, body, headers } = this.describe(exception, requestId);
    if (reply.sent || reply.raw.headersSent) return;
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(status).header('cache-control', 'no-store').send(body);
  }

  private describe(
    exception: unknown,
    requestId: string,
  ): { status: number; body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      const status = statusForCode(exception.code);
      return {
        status,
        body: {
          statusCode: status,
          error: exception.code,
          message: exception.message,
          ...(exception.details ? { details: exception.details } : {}),
        },
        headers:
          exception.code === ErrorCode.Unavailable
            ? { 'retry-after': String(RETRY_AFTER_SECONDS) }
            : {},
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
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
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
    this.logger.error({ requestId, msg: 'unexpected error', err: describeError(exception) });
    return {
      status: 500,
      body: {
        statusCode: 500,
        error: 'internal_error',
        message: 'Internal server error',
        requestId,
      },
      headers: {},
    };
  }
}

/** Error name, message and stack only: never request data that may carry credentials. */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}
