import { ArgumentsHost, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import {
  describeError,
  RETRY_AFTER_SECONDS,
  statusForCode,
} from 'src/common/filters/http-exception.filter';

/** What an HTML error page says, and with which status. */
export interface ErrorPage {
  status: number;
  title: string;
  message: string;
  retryAfterSeconds?: number;
}

export const UNAVAILABLE_PAGE: ErrorPage = {
  status: 503,
  title: 'Temporarily unavailable',
  message: 'The service is temporarily unavailable. Wait a few seconds, then reload this page.',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};

/**
 * The shared part of the HTML pages' exception filters: nothing once the reply has gone out, never a
 * redirect (`Location` is dropped), and one error page chosen in this order: the area's own errors
 * (`describeOwn`), a database that is down (503 + Retry-After, logged as a warning), the area's errors
 * that come after that check (`describeAfterDatabaseCheck`), refused domain errors and 4xx HTTP errors
 * as "Request refused", and a logged, generic 500 naming the request id for anything else.
 */
export abstract class PageErrorFilter implements ExceptionFilter {
  private readonly logger: Logger;

  /**
   * @param loggerContext the logger's context for warnings and unexpected errors
   * @param unexpectedAdvice the sentence after "An unexpected error occurred (request …)."
   */
  protected constructor(
    loggerContext: string,
    private readonly unexpectedAdvice: string,
  ) {
    this.logger = new Logger(loggerContext);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    const page = this.describe(exception, String(req.id));
    void reply.removeHeader('location');
    this.send(reply, req, page);
  }

  /** Sends `page` as this area's HTML error page. */
  protected abstract send(reply: FastifyReply, req: FastifyRequest, page: ErrorPage): void;

  /** The page for this area's own errors, checked first; undefined for any other error. */
  protected abstract describeOwn(exception: unknown): ErrorPage | undefined;

  /** Like `describeOwn`, for errors checked after the database-outage check; none by default. */
  protected describeAfterDatabaseCheck(_exception: unknown): ErrorPage | undefined {
    return undefined;
  }

  private describe(exception: unknown, requestId: string): ErrorPage {
    const own = this.describeOwn(exception);
    if (own) return own;
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
      return UNAVAILABLE_PAGE;
    }
    const afterDatabaseCheck = this.describeAfterDatabaseCheck(exception);
    if (afterDatabaseCheck) return afterDatabaseCheck;
    if (exception instanceof DomainError) {
      if (exception.code === ErrorCode.Unavailable) return UNAVAILABLE_PAGE;
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
      message: `An unexpected error occurred (request ${requestId}). ${this.unexpectedAdvice}`,
    };
  }
}
