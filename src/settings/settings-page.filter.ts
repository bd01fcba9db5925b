import { Catch } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorPage, PageErrorFilter } from 'src/common/filters/page-error.filter';
import { SettingsError, SettingsErrorKind } from 'src/settings/settings.errors';
import { SettingsPages } from 'src/settings/settings-pages';
import { contextOf } from 'src/settings/settings-session.service';
import { errorPage } from 'src/settings/views/error.view';

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
export class SettingsPageFilter extends PageErrorFilter {
  constructor(private readonly pages: SettingsPages) {
    super('Settings', 'Try again later.');
  }

  protected send(reply: FastifyReply, req: FastifyRequest, page: ErrorPage): void {
    const html = errorPage(page, this.pages.basePath, contextOf(req));
    this.pages.html(reply, page.status, html, { retryAfterSeconds: page.retryAfterSeconds });
  }

  protected describeOwn(exception: unknown): ErrorPage | undefined {
    if (exception instanceof SettingsError) {
      return { ...TITLES[exception.kind], message: exception.message };
    }
    return undefined;
  }
}
