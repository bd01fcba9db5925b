import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError, INVALID_API_KEY } from 'src/auth/auth.errors';
import type { AuthenticatedRequest } from 'src/auth/authenticated-request';
import {
  AuthenticatedOptions,
  CredentialKind,
  ROUTE_AUTH,
  RouteAuth,
} from 'src/auth/decorators/authenticated.decorator';
import { RequestPrincipal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { API_KEY_STRATEGY } from 'src/authentication/api-key.strategy';
import { BrowserSessionCredential } from 'src/authentication/browser-session.credential';
import { JWT_STRATEGY } from 'src/authentication/jwt.strategy';
import { PassportCredential } from 'src/authentication/passport-credential';
import { AuthMethodLabel, MetricsService } from 'src/metrics/metrics.service';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';

/** A write route refusing a read-only key (the admin API takes no access tokens, so no step-up). */
export const READ_ONLY_REFUSED =
  'This is a read-only key: it can read but not change anything. Use a key created without --read-only.';

const DEFAULT_CREDENTIALS: readonly CredentialKind[] = ['api_key', 'session'];

/**
 * The one global guard, and the one path every request takes: the route's decorator says which
 * credential it takes (`@Public()`, `@Authenticated()`, `@SignedIn()`, `@SessionForm()`; a route
 * without one is refused), exactly one credential is resolved — API key or bearer token through
 * Passport, or the browser session with its origin and CSRF checks — and the route's requirements
 * (user, scope) are checked against the principal.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /** Per controller class and handler (an inherited handler can carry another class's metadata). */
  private readonly routes = new WeakMap<object, Map<object, RouteAuth>>();
  private readonly apiKey = new PassportCredential(API_KEY_STRATEGY, () => {
    return new AuthError('invalid', INVALID_API_KEY);
  });
  private readonly bearer = new PassportCredential(JWT_STRATEGY, () => {
    return new AuthError('invalid', 'Invalid access token');
  });

  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
    private readonly metrics: MetricsService,
    private readonly browser: BrowserSessionCredential,
    private readonly apiKeys: ApiKeyAuthService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeAuth(context);
    if (route.mode === 'public') return true;
    const req = context.getArgByIndex<AuthenticatedRequest>(0);
    if (route.mode === 'browser') return this.signedIn(req, route.signedIn);
    return this.authenticated(context, req, route.options);
  }

  /** A settings page or form: its browser session, checked (else AuthError `missing`). */
  private async signedIn(req: AuthenticatedRequest, signedIn: boolean): Promise<boolean> {
    const state = await this.browser.check(req, { signedIn, csrf: 'form' });
    if (!state) throw new AuthError('missing', 'Sign in to use the settings pages.');
    return true;
  }

  /**
   * A credential: counted by outcome, failures counted per client IP (malformed, unknown, revoked;
   * not expiry, which real clients hit routinely). Over the limit the IP gets 429 until the window ends.
   */
  private async authenticated(
    context: ExecutionContext,
    req: AuthenticatedRequest,
    options: AuthenticatedOptions,
  ): Promise<boolean> {
    const method = authMethodOf(req);
    let principal: RequestPrincipal;
    try {
      if (this.limits.mayBeBlocked('auth_failure')) {
        await this.limits.assertNotBlocked('auth_failure', req.ip);
      }
      principal = await this.credential(context, req, options.credentials ?? DEFAULT_CREDENTIALS);
    } catch (err) {
      const outcome =
        err instanceof AuthError
          ? err.kind
          : err instanceof RateLimitedError
            ? 'rate_limited'
            : 'error';
      this.metrics.authOutcomes.inc({ method, outcome });
      if (err instanceof AuthError && err.kind === 'invalid' && !/expired/i.test(err.message)) {
        await this.limits.recordFailure('auth_failure', req.ip);
      }
      throw err;
    }
    this.metrics.authSucceeded(method);
    req.user = principal;
    if (options.userOnly && principal.kind === 'organization') {
      throw new AuthError(
        'forbidden',
        typeof options.userOnly === 'string'
          ? options.userOnly
          : 'Organization-level API keys cannot be used here: use a personal API key.',
      );
    }
    if (options.scope && !hasScope(principal.scopes, options.scope)) {
      throw options.scope === Scope.Write
        ? new AuthError('forbidden', READ_ONLY_REFUSED)
        : new AuthError('insufficient_scope', `This operation requires the ${options.scope} scope`);
    }
    if (principal.apiKeyId !== undefined) this.apiKeys.recordUse(principal.apiKeyId);
    return true;
  }

  /** The request's one credential among those the route accepts, checked. */
  private async credential(
    context: ExecutionContext,
    req: AuthenticatedRequest,
    accepted: readonly CredentialKind[],
  ): Promise<RequestPrincipal> {
    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (apiKey !== undefined && authorization !== undefined) {
      throw new AuthError(
        'bad_request',
        'Send exactly one credential: either the x-api-key header or an Authorization header, not both.',
      );
    }
    if (authorization !== undefined) {
      assertBearerShape(authorization);
      if (!accepted.includes('bearer')) {
        throw new AuthError(
          'invalid',
          'Access tokens are accepted only by the MCP endpoint: use an API key (x-api-key) for the admin API.',
        );
      }
      return this.bearer.authenticate(context);
    }
    if (apiKey !== undefined) {
      if (Array.isArray(apiKey))
        throw new AuthError('bad_request', 'Send the x-api-key header once.');
      return this.apiKey.authenticate(context);
    }
    if (accepted.includes('session')) {
      const state = await this.browser.check(req, { signedIn: true, csrf: 'header' });
      if (state) return this.browser.principal(state);
    }
    throw new AuthError(
      'missing',
      accepted.includes('bearer')
        ? 'Authentication required: send an x-api-key header or a bearer token.'
        : 'Authentication required: send your API key in the x-api-key header (this API takes no OAuth access tokens).',
    );
  }

  /** The route's decorator, read once per handler. */
  private routeAuth(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (byHandler === undefined) {
      byHandler = new Map<object, RouteAuth>();
      this.routes.set(controller, byHandler);
    }
    let auth = byHandler.get(handler);
    if (auth === undefined) {
      auth = this.reflector.getAllAndOverride<RouteAuth>(ROUTE_AUTH, [handler, controller]) ?? {
        mode: 'credential',
        options: {},
      };
      byHandler.set(handler, auth);
    }
    return auth;
  }
}

/**
 * "Bearer <token>": the scheme, one space, then a token up to the next space (if any). An API key in
 * the Authorization header gets told where it belongs.
 */
function assertBearerShape(authorization: string): void {
  const space = authorization.indexOf(' ');
  if (
    space !== 6 ||
    authorization.slice(0, 6).toLowerCase() !== 'bearer' ||
    authorization.length === 7 ||
    authorization[7] === ' '
  ) {
    throw new AuthError('invalid', 'The Authorization header must be "Bearer <access token>".');
  }
  if (authorization.startsWith('ed_', 7)) {
    throw new AuthError(
      'invalid',
      'API keys are not bearer tokens: send the key in the x-api-key header instead.',
    );
  }
}

const authMethodOf = (req: AuthenticatedRequest): AuthMethodLabel =>
  req.headers['x-api-key'] !== undefined
    ? 'api_key'
    : req.headers.authorization !== undefined
      ? 'oauth'
      : 'none';
