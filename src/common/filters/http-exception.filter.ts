import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
} from '@nestjs/common';
import { AuthError } from 'src/auth/auth.errors';
import { mcpChallenge } from 'src/auth/challenge';
import { isMcpPath } from 'src/auth/guards/authentication.guard';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { RateLimitedError } from 'src/rate-limit/rate-limit.service';
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
    case ErrorCode.PreconditionFailed:
      return HttpStatus.PRECONDITION_FAILED;
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

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const requestId = String(req.id ?? '');
    const mcp = isMcpPath(req.url);
    const { status, body, headers } =
      exception instanceof AuthError
        ? this.describeAuth(exception, mcp)
        : mcp
          ? this.describeForMcp(exception, requestId)
          : this.describe(exception, requestId);
    if (reply.sent || reply.raw.headersSent) return;
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(status).header('cache-control', 'no-store').send(body);
  }

  /** 401/403/400 for credentials; on /mcp with the MCP challenge and a JSON-RPC error body. */
  private describeAuth(
    err: AuthError,
    mcp: boolean,
  ): { status: number; body: object; headers: Record<string, string> } {
    const status = err.status;
    const headers: Record<string, string> = {};
    if (mcp) {
      const challenge = mcpChallenge(err, this.config.publicUrl);
      if (challenge) headers['www-authenticate'] = challenge;
      const code = status === 400 ? -32600 : -32001;
      return {
        status,
        body: { jsonrpc: '2.0', error: { code, message: err.message }, id: err.rpcId },
        headers,
      };
    }
    if (status === 401) headers['www-authenticate'] = 'ApiKey header="x-api-key"';
    const error =
      err.kind === 'missing'
        ? 'unauthorized'
        : err.kind === 'invalid'
          ? 'invalid_token'
          : err.kind === 'bad_request'
            ? 'invalid_request'
            : err.kind;
    return { status, body: { statusCode: status, error, message: err.message }, headers };
  }

  /** Errors on /mcp that are not about credentials: JSON-RPC error bodies, same statuses. */
  private describeForMcp(
    exception: unknown,
    requestId: string,
  ): { status: number; body: object; headers: Record<string, string> } {
    const plain = this.describe(exception, requestId);
    const fastifyCode = (exception as { code?: unknown } | null)?.code;
    let code = -32603;
    if (plain.status === 400) code = -32700;
    else if (plain.status < 500) code = -32600;
    if (typeof fastifyCode === 'string' && fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      code = -32600;
    return {
      status: plain.status,
      body: { jsonrpc: '2.0', error: { code, message: plain.body.message }, id: null },
      headers: plain.headers,
    };
  }

  private describe(
    exception: unknown,
    requestId: string,
  ): { status: number; body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof RateLimitedError) {
      return {
        status: 429,
        body: { statusCode: 429, error: 'too_many_requests', message: exception.message },
        headers: { 'retry-after': String(exception.retryAfterSeconds) },
      };
    }
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
