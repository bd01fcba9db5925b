import { ArgumentsHost, Catch } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from 'src/auth/auth.errors';
import { ErrorPage, PageErrorFilter } from 'src/common/filters/page-error.filter';
import { csrfRefused, SettingsError, SettingsErrorKind } from 'src/settings/settings.errors';
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
 * A page request without a signed-in session is sent to sign in. Every other failure of a settings
 * page is an HTML page with the pages' security headers: 400 for bad
 * input, 403 for CSRF, cross-site posts and foreign organizations, 404 for unknown ids, 503 +
 * Retry-After when the database is down, and a logged, generic 500 for anything unexpected.
 */
@Catch()
export class SettingsPageFilter extends PageErrorFilter {
  constructor(private readonly pages: SettingsPages) {
    super('Settings', 'Try again later.');
  }

  /** A page request without a signed-in session goes to sign in (and comes back afterwards). */
  override catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (exception instanceof AuthError && exception.kind === 'missing' && safe && !reply.sent) {
      return this.pages.toSignIn(reply, req);
    }
    super.catch(exception, host);
  }

  protected send(reply: FastifyReply, req: FastifyRequest, page: ErrorPage): void {
    const html = errorPage(page, this.pages.basePath, contextOf(req));
    this.pages.html(reply, page.status, html, { retryAfterSeconds: page.retryAfterSeconds });
  }

  protected describeOwn(exception: unknown): ErrorPage | undefined {
    if (exception instanceof SettingsError) {
      return { ...TITLES[exception.kind], message: exception.message };
    }
    if (exception instanceof AuthError) {
      // The guard's refusals of a settings form: no (signed-in) session, a cross-site post, a wrong
      // CSRF token — one "form has expired" page; a malformed form is a 400.
      const refusal =
        exception.kind === 'bad_request'
          ? new SettingsError(SettingsErrorKind.BadRequest, exception.message)
          : csrfRefused();
      return { ...TITLES[refusal.kind], message: refusal.message };
    }
    return undefined;
  }
}
