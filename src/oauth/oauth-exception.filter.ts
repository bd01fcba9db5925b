import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { RETRY_AFTER_SECONDS, describeError } from 'src/common/filters/http-exception.filter';
import { OAuthError } from 'src/oauth/oauth.errors';
import { RateLimitedError } from 'src/rate-limit/rate-limit.service';

/**
 * For the JSON OAuth endpoints (token, revoke, register): every failure is
 * `{ error, error_description }` with `no-store`. A database fault is `temporarily_unavailable` (503 +
 * Retry-After), never invalid_grant or invalid_client, so clients keep their credentials.
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (exception instanceof RateLimitedError) {
      void reply
        .status(429)
        .header('retry-after', String(exception.retryAfterSeconds))
        .send({ error: 'temporarily_unavailable', error_description: exception.message });
      return;
    }
    const err = this.toOAuthError(exception, String(req.id));
    if (err.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    if (err.basicChallenge)
      void reply.header('www-authenticate', 'Basic realm="oauth", charset="UTF-8"');
    void reply.status(err.status).send({ error: err.error, error_description: err.description });
  }

  private toOAuthError(exception: unknown, requestId: string): OAuthError {
    if (exception instanceof OAuthError) return exception;
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, msg: 'database unavailable', err: describeError(exception) });
      return new OAuthError(
        'temporarily_unavailable',
        'The service is temporarily unavailable. Retry shortly.',
      );
    }
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : ((exception as { statusCode?: unknown } | null)?.statusCode as number | undefined);
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      return new OAuthError('invalid_request', message, status === 413 ? 413 : 400);
    }
    this.logger.error({ requestId, msg: 'unexpected OAuth error', err: describeError(exception) });
    return new OAuthError('server_error', 'Internal server error');
  }
}
