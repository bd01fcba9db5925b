import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { RateLimitedError } from 'src/rate-limit/rate-limit.service';
import {
  describeError,
  RETRY_AFTER_SECONDS,
  statusForCode,
} from 'src/common/filters/http-exception.filter';
import { AuthorizePages } from 'src/oauth/authorize/authorize-pages';
import { AuthorizeError, AuthorizeErrorKind } from 'src/oauth/authorize/authorize.errors';
import { OAuthError } from 'src/oauth/oauth.errors';

interface ErrorPage {
  status: number;
  title: string;
  message: string;
  retryAfterSeconds?: number;
}

const UNAVAILABLE: ErrorPage = {
  status: 503,
  title: 'Temporarily unavailable',
  message: 'The service is temporarily unavailable. Wait a few seconds, then reload this page.',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};

/**
 * Every failure of the authorization endpoint and its pages is an HTML page with the pages' security
 * headers, never a redirect to the client: 400 for a bad request or an expired interaction, 403 for
 * CSRF or a foreign organization, 503 + Retry-After when the database is down, 500 otherwise.
 */
@Catch()
export class AuthorizePageFilter implements ExceptionFilter {
  private readonly logger = new Logger('Authorize');

  constructor(private readonly pages: AuthorizePages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    const page = this.describe(exception, String(req.id));
    void reply.removeHeader('location');
    this.pages.sendError(
      reply,
      page.status,
      { title: page.title, message: page.message },
      page.retryAfterSeconds,
    );
  }

  private describe(exception: unknown, requestId: string): ErrorPage {
    if (exception instanceof AuthorizeError) return describeAuthorizeError(exception);
    if (exception instanceof RateLimitedError) {
      return {
        status: 429,
        title: 'Too many requests',
        message: `Too many authorization requests from your network. Try again in ${exception.retryAfterSeconds} seconds.`,
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
      return UNAVAILABLE;
    }
    if (exception instanceof OAuthError) {
      if (exception.status === 503) return UNAVAILABLE;
      if (exception.status < 500) {
        return {
          status: 400,
          title: 'Invalid authorization request',
          message: exception.description,
        };
      }
    } else if (exception instanceof DomainError) {
      if (exception.code === ErrorCode.Unavailable) return UNAVAILABLE;
      const status = statusForCode(exception.code);
      if (status < 500) return { status, title: 'Request refused', message: exception.message };
    } else {
      const status =
        exception instanceof HttpException
          ? exception.getStatus()
          : (exception as { statusCode?: unknown } | null)?.statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const message = exception instanceof Error ? exception.message : 'Bad request';
        return { status, title: 'Request refused', message };
      }
    }
    this.logger.error({ requestId, msg: 'unexpected error', err: describeError(exception) });
    return {
      status: 500,
      title: 'Something went wrong',
      message: `An unexpected error occurred (request ${requestId}). Try again from the application.`,
    };
  }
}

function describeAuthorizeError(err: AuthorizeError): ErrorPage {
  const message = err.message;
  switch (err.kind) {
    case AuthorizeErrorKind.InvalidRequest:
      return { status: 400, title: 'Invalid authorization request', message };
    case AuthorizeErrorKind.InteractionExpired:
      return { status: 400, title: 'This request has expired', message };
    case AuthorizeErrorKind.Csrf:
      return { status: 403, title: 'This form has expired', message };
    case AuthorizeErrorKind.Forbidden:
      return { status: 403, title: 'Not allowed', message };
    case AuthorizeErrorKind.NoOrganization:
      return { status: 403, title: 'No organization', message };
  }
}
