import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import {
  describeError,
  RETRY_AFTER_SECONDS,
  statusForCode,
} from 'src/common/filters/http-exception.filter';
import { SettingsError, SettingsErrorKind } from 'src/settings/settings.errors';
import { SettingsPages } from 'src/settings/settings-pages';
import { contextOf } from 'src/settings/settings-session.service';
import { errorPage } from 'src/settings/views/error.view';

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

const TITLES: Record<SettingsErrorKind, { status: number; title: string }> = {
  [SettingsErrorKind.BadRequest]: { status: 400, title: 'Bad request' },
  [SettingsErrorKind.Csrf]: { status: 403, title: 'This form has expired' },
  [SettingsErrorKind.Forbidden]: { status: 403, title: 'Not allowed' },
  [SettingsErrorKind.NotFound]: { status: 404, title: 'Not found' },
};

/**
 * Every failure of a settings page is an HTML page with the pages' security headers: 400 for bad
 * input, 403 for CSRF, cross-site posts and foreign organizations, 404 for unknown ids, 503 +
 * Retry-After when the database is down, and a logged, generic 500 for anything unexpected.
 */
@Catch()
export class SettingsPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('Settings');

  constructor(private readonly pages: SettingsPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    const page = this.describe(exception, String(req.id));
    void reply.removeHeader('location');
    const html = errorPage(page, this.pages.basePath, contextOf(req));
    this.pages.html(reply, page.status, html, { retryAfterSeconds: page.retryAfterSeconds });
  }

  private describe(exception: unknown, requestId: string): ErrorPage {
    if (exception instanceof SettingsError) {
      return { ...TITLES[exception.kind], message: exception.message };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
      return UNAVAILABLE;
    }
    if (exception instanceof DomainError) {
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
      message: `An unexpected error occurred (request ${requestId}). Try again later.`,
    };
  }
}
