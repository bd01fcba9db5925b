import { Catch } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorPage, PageErrorFilter, UNAVAILABLE_PAGE } from 'src/common/filters/page-error.filter';
import { RateLimitedError } from 'src/rate-limit/rate-limit.service';
import { AuthorizePages } from 'src/oauth/authorize/authorize-pages';
import { AuthorizeError, AuthorizeErrorKind } from 'src/oauth/authorize/authorize.errors';
import { OAuthError } from 'src/oauth/oauth.errors';

/**
 * Every failure of the authorization endpoint and its pages is an HTML page with the pages' security
 * headers, never a redirect to the client: 400 for a bad request or an expired interaction, 403 for
 * CSRF or a foreign organization, 503 + Retry-After when the database is down, 500 otherwise.
 */
@Catch()
export class AuthorizePageFilter extends PageErrorFilter {
  constructor(private readonly pages: AuthorizePages) {
    super('Authorize', 'Try again from the application.');
  }

  protected send(reply: FastifyReply, _req: FastifyRequest, page: ErrorPage): void {
    this.pages.sendError(
      reply,
      page.status,
      { title: page.title, message: page.message },
      page.retryAfterSeconds,
    );
  }

  protected describeOwn(exception: unknown): ErrorPage | undefined {
    if (exception instanceof AuthorizeError) return describeAuthorizeError(exception);
    if (exception instanceof RateLimitedError) {
      return {
        status: 429,
        title: 'Too many requests',
        message: `Too many authorization requests from your network. Try again in ${exception.retryAfterSeconds} seconds.`,
        retryAfterSeconds: exception.retryAfterSeconds,
      };
    }
    return undefined;
  }

  protected override describeAfterDatabaseCheck(exception: unknown): ErrorPage | undefined {
    if (!(exception instanceof OAuthError)) return undefined;
    if (exception.status === 503) return UNAVAILABLE_PAGE;
    if (exception.status < 500) {
      return {
        status: 400,
        title: 'Invalid authorization request',
        message: exception.description,
      };
    }
    // Any other OAuthError is unexpected: the shared rules answer it with a logged 500.
    return undefined;
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
