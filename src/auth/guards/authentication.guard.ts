import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthError, INVALID_API_KEY } from 'src/auth/auth.errors';
import {
  AUTH_OPTIONS,
  AuthenticatedOptions,
  IS_PUBLIC,
} from 'src/auth/decorators/authenticated.decorator';
import { RequestPrincipal } from 'src/auth/principal';
import { hasScope } from 'src/auth/scopes';
import { ApiKeyStrategy } from 'src/auth/strategies/api-key.strategy';
import { JwtStrategy } from 'src/auth/strategies/jwt.strategy';
import { runStrategy } from 'src/auth/strategies/run-strategy';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';
import { AuthMethodLabel, MetricsService } from 'src/metrics/metrics.service';
import { SessionService } from 'src/oauth/authorize/session.service';
import { MembershipsService } from 'src/users/memberships.service';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';

export type AuthenticatedRequest = FastifyRequest & { user?: RequestPrincipal };

const invalidToken = (): Error => new AuthError('invalid', 'Invalid access token');
const invalidKey = (): Error => new AuthError('invalid', INVALID_API_KEY);

export const ORGANIZATION_KEY_AT_MCP =
  'Organization-level API keys cannot be used for MCP. Create a personal API key in Settings → API Keys ' +
  '(/settings/api-keys), with POST /api/v1/api-keys, or with `npm run admin -- key:create --org <slug> --email <you>`.';

/**
 * The one global guard: every route needs a credential unless marked `@Public()`. Exactly one
 * credential per request: `x-api-key` (Passport api-key strategy) or `Authorization: Bearer`.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /** Per controller class and handler (an inherited handler can carry another class's metadata). */
  private readonly routes = new WeakMap<object, Map<object, AuthenticatedOptions | 'public'>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
    private readonly metrics: MetricsService,
    private readonly sessions: SessionService,
    private readonly memberships: MembershipsService,
    private readonly apiKeyStrategy: ApiKeyStrategy,
    private readonly jwtStrategy: JwtStrategy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Synchronous up to the credential itself, and one promise for it: this runs on every request, and
   * each async layer costs a promise and a microtask (and their async_hooks callbacks).
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const options = this.routeOptions(context);
    if (options === 'public') return true;
    // What switchToHttp().getRequest() returns, without the per-call host object.
    const req = context.getArgByIndex<AuthenticatedRequest>(0);
    const method = authMethodOf(req);
    if (this.limits.mayBeBlocked('auth_failure')) {
      return this.activateLimited(req, options, method);
    }
    let principal: RequestPrincipal | Promise<RequestPrincipal>;
    try {
      principal = this.authenticate(req, options);
    } catch (err) {
      return this.failed(err, req, method);
    }
    if (!(principal instanceof Promise)) return this.admit(req, options, method, principal);
    return principal.then(
      (p) => this.admit(req, options, method, p),
      (err: unknown) => this.failed(err, req, method),
    );
  }

  /** The same, when this IP may be over its failure limit: that check comes first. */
  private async activateLimited(
    req: AuthenticatedRequest,
    options: AuthenticatedOptions,
    method: AuthMethodLabel,
  ): Promise<boolean> {
    let principal: RequestPrincipal;
    try {
      await this.limits.assertNotBlocked('auth_failure', req.ip);
      principal = await this.authenticate(req, options);
    } catch (err) {
      return this.failed(err, req, method);
    }
    return this.admit(req, options, method, principal);
  }

  /** Counts the success, attaches the principal, then checks what the route requires of it. */
  private admit(
    req: AuthenticatedRequest,
    options: AuthenticatedOptions,
    method: AuthMethodLabel,
    principal: RequestPrincipal,
  ): boolean {
    this.metrics.authSucceeded(method);
    req.user = principal;
    if (options.userOnly && principal.kind === 'organization') {
      throw new AuthError(
        'forbidden',
        isMcpPath(req.url)
          ? ORGANIZATION_KEY_AT_MCP
          : 'Organization-level API keys cannot be used here: use a personal API key.',
      );
    }
    if (options.scope && !hasScope(principal.scopes, options.scope)) {
      throw new AuthError(
        'insufficient_scope',
        `This operation requires the ${options.scope} scope`,
      );
    }
    return true;
  }

  /** The route's `@Public()` / `@Authenticated()` metadata, read once per handler. */
  private routeOptions(context: ExecutionContext): AuthenticatedOptions | 'public' {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (byHandler === undefined) {
      byHandler = new Map<object, AuthenticatedOptions | 'public'>();
      this.routes.set(controller, byHandler);
    }
    let options = byHandler.get(handler);
    if (options === undefined) {
      const targets = [handler, controller];
      options = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
        ? 'public'
        : (this.reflector.getAllAndOverride<AuthenticatedOptions>(AUTH_OPTIONS, targets) ?? {});
      byHandler.set(handler, options);
    }
    return options;
  }

  /**
   * Counts the failure and rethrows it. Failed credentials count per client IP (malformed, unknown,
   * revoked; not expiry, which real clients hit routinely); over the limit the IP gets 429 until the
   * window ends.
   */
  private async failed(
    err: unknown,
    req: AuthenticatedRequest,
    method: AuthMethodLabel,
  ): Promise<never> {
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

  /**
   * The settings pages' browser session, for the admin API (never /mcp). Writes need the session's
   * CSRF token in `x-csrf-token` and a same-origin `Origin` (or `Referer`).
   */
  private async sessionPrincipal(req: AuthenticatedRequest): Promise<RequestPrincipal | null> {
    const session = await this.sessions.find(req);
    if (!session?.user) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin ?? req.headers.referer;
      const own = new URL(this.config.publicUrl).origin;
      const sameOrigin =
        typeof origin === 'string' && (origin === own || origin.startsWith(`${own}/`));
      if (!sameOrigin || !this.sessions.verifyCsrf(session, req.headers['x-csrf-token'])) {
        throw new AuthError(
          'forbidden',
          'Cross-site request refused: send the x-csrf-token of your session.',
        );
      }
    }
    const organizations = await this.memberships.listForUser(session.user.id);
    const current =
      organizations.find((m) => m.organization.id === session.organizationId) ?? organizations[0];
    if (!current) throw new AuthError('forbidden', 'You are not a member of any organization.');
    return {
      kind: 'user',
      userId: session.user.id,
      organizationId: current.organization.id,
      organizationRole: current.role,
      scopes: ['mcp'],
      authMethod: 'session',
    };
  }

  /** The request's one credential, checked; throws (or rejects) AuthError when there is none or it is bad. */
  private authenticate(
    req: AuthenticatedRequest,
    options: AuthenticatedOptions,
  ): RequestPrincipal | Promise<RequestPrincipal> {
    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (apiKey !== undefined && authorization !== undefined) {
      throw new AuthError(
        'bad_request',
        'Send exactly one credential: either the x-api-key header or an Authorization header, not both.',
      );
    }
    if (authorization !== undefined) {
      // "Bearer <token>": the scheme, one space, then a token up to the next space (if any).
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
      if (!options.allowBearer) {
        throw new AuthError(
          'invalid',
          'Access tokens are accepted only by the MCP endpoint: use an API key (x-api-key) for the admin API.',
        );
      }
      return runStrategy<RequestPrincipal>(this.jwtStrategy, req, invalidToken);
    }
    if (apiKey === undefined) {
      return isMcpPath(req.url)
        ? Promise.reject(missingCredential())
        : this.sessionPrincipal(req).then(
            (principal) => principal ?? Promise.reject(missingCredential()),
          );
    }
    if (Array.isArray(apiKey)) {
      throw new AuthError('bad_request', 'Send the x-api-key header once.');
    }
    return runStrategy<RequestPrincipal>(this.apiKeyStrategy, req, invalidKey);
  }
}

const missingCredential = (): Error =>
  new AuthError('missing', 'Authentication required: send an x-api-key header or a bearer token.');

const authMethodOf = (req: AuthenticatedRequest): AuthMethodLabel =>
  req.headers['x-api-key'] !== undefined
    ? 'api_key'
    : req.headers.authorization !== undefined
      ? 'oauth'
      : 'none';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isMcpPath = (url: string): boolean => url === '/mcp' || url.startsWith('/mcp?');
