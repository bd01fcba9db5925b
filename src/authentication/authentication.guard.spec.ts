import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { AuthError, AuthFailureKind, INVALID_API_KEY } from 'src/auth/auth.errors';
import type { AuthenticatedRequest } from 'src/auth/authenticated-request';
import {
  Authenticated,
  Public,
  SessionForm,
  SignedIn,
} from 'src/auth/decorators/authenticated.decorator';
import type { OrganizationPrincipal, UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { ApiKeyStrategy } from 'src/authentication/api-key.strategy';
import { AuthenticationGuard, READ_ONLY_REFUSED } from 'src/authentication/authentication.guard';
import type { BearerAuthService } from 'src/authentication/bearer-auth.service';
import type {
  BrowserSessionCredential,
  CheckedSession,
} from 'src/authentication/browser-session.credential';
import { JwtStrategy } from 'src/authentication/jwt.strategy';
import type { MetricsService } from 'src/metrics/metrics.service';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';

const keyUser: UserPrincipal = {
  kind: 'user',
  userId: 'u1',
  organizationId: 'o1',
  organizationRole: 'member',
  scopes: [Scope.All],
  authMethod: 'api_key',
  apiKeyId: 'k1',
};
const readOnlyKeyUser: UserPrincipal = { ...keyUser, apiKeyId: 'k2', scopes: [Scope.Read] };
const organizationKey: OrganizationPrincipal = {
  kind: 'organization',
  organizationId: 'o1',
  apiKeyId: 'k3',
  scopes: [Scope.All],
};
const tokenUser: UserPrincipal = {
  ...keyUser,
  apiKeyId: undefined,
  scopes: [Scope.Read, Scope.Write],
  authMethod: 'oauth',
  grantId: 'g1',
};
const sessionUser: UserPrincipal = { ...keyUser, apiKeyId: undefined, authMethod: 'session' };

const DB_DOWN = new Error('connect ECONNREFUSED');

/** What the fake key service answers per key (anything else is unknown). */
const KEYS: Record<string, () => UserPrincipal | OrganizationPrincipal> = {
  ed_user: () => keyUser,
  ed_read: () => readOnlyKeyUser,
  ed_org: () => organizationKey,
  ed_expired: () => {
    throw new AuthError('invalid', 'The API key has expired.');
  },
  ed_down: () => {
    throw DB_DOWN;
  },
};

/** What the fake token service answers per access token (anything else is invalid). */
const TOKENS: Record<string, () => UserPrincipal> = {
  good: () => tokenUser,
  expired: () => {
    throw new AuthError('invalid', 'The access token has expired');
  },
};

/** Every kind of route the guard knows, on one controller. */
class Routes {
  undecorated(): void {}
  @Public() open(): void {}
  @Authenticated() adminApi(): void {}
  @Authenticated({ credentials: ['api_key'] }) keyOnly(): void {}
  @Authenticated({ credentials: ['bearer'] }) mcp(): void {}
  @Authenticated({ credentials: ['bearer'], scope: Scope.All }) mcpAll(): void {}
  @Authenticated({ userOnly: true }) personal(): void {}
  @Authenticated({ userOnly: 'Use your personal key to manage your own keys.' })
  personalWithReason(): void {}
  @Authenticated({ scope: Scope.Write }) write(): void {}
  @Authenticated({ scope: Scope.Read }) read(): void {}
  @SignedIn() page(): void {}
  @SessionForm() signInForm(): void {}
}
type Route = Exclude<keyof Routes, 'constructor'>;

/** A class-level decorator, and a subclass that inherits the handler but overrides the class. */
@Authenticated()
class ApiBase {
  list(): void {}
}
@Public()
class PublicChild extends ApiBase {}

describe('AuthenticationGuard', () => {
  let limits: {
    mayBeBlocked: jest.Mock;
    assertNotBlocked: jest.Mock;
    recordFailure: jest.Mock;
  };
  let metrics: { authOutcomes: { inc: jest.Mock }; authSucceeded: jest.Mock };
  let browser: { check: jest.Mock; principal: jest.Mock };
  let keys: { authenticate: jest.Mock; recordUse: jest.Mock };
  let tokens: { authenticate: jest.Mock };
  let guard: AuthenticationGuard;

  beforeEach(() => {
    limits = {
      mayBeBlocked: jest.fn(() => false),
      assertNotBlocked: jest.fn(async () => {}),
      recordFailure: jest.fn(async () => {}),
    };
    metrics = { authOutcomes: { inc: jest.fn() }, authSucceeded: jest.fn() };
    browser = { check: jest.fn(async () => null), principal: jest.fn(() => sessionUser) };
    keys = {
      recordUse: jest.fn(),
      authenticate: jest.fn(async (key: string) => {
        const answer = KEYS[key];
        if (!answer) throw new AuthError('invalid', INVALID_API_KEY);
        return answer();
      }),
    };
    tokens = {
      authenticate: jest.fn(async (token: string) => {
        const answer = TOKENS[token];
        if (!answer) throw new AuthError('invalid', 'Invalid access token');
        return answer();
      }),
    };
    // The real strategies register themselves with Passport under 'api-key' and 'jwt'.
    new ApiKeyStrategy(keys as unknown as ApiKeyAuthService);
    new JwtStrategy(tokens as unknown as BearerAuthService);
    guard = new AuthenticationGuard(
      new Reflector(),
      limits as unknown as RateLimitService,
      metrics as unknown as MetricsService,
      browser as unknown as BrowserSessionCredential,
      keys as unknown as ApiKeyAuthService,
    );
  });

  function request(headers: Record<string, string | string[]> = {}): AuthenticatedRequest {
    return { headers, ip: '203.0.113.7', method: 'GET' } as unknown as AuthenticatedRequest;
  }

  function run(
    route: Route | 'list',
    req: AuthenticatedRequest,
    controller: new () => object = Routes,
  ): Promise<boolean> {
    const handler = (controller.prototype as Record<string, () => void>)[route];
    const context = new ExecutionContextHost([req, {}], controller as never, handler);
    return Promise.resolve(guard.canActivate(context));
  }

  async function refusal(
    route: Route,
    req: AuthenticatedRequest,
    kind: AuthFailureKind,
    message: string,
  ): Promise<void> {
    const err: unknown = await run(route, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ kind, message });
  }

  const MISSING = 'Authentication required: send an x-api-key header or a bearer token.';
  const MISSING_KEY =
    'Authentication required: send your API key in the x-api-key header (this API takes no OAuth access tokens).';
  const MCP_ONLY =
    'Access tokens are accepted only by the MCP endpoint: use an API key (x-api-key) for the admin API.';
  const BEARER_SHAPE = 'The Authorization header must be "Bearer <access token>".';
  const KEY_IN_AUTHORIZATION =
    'API keys are not bearer tokens: send the key in the x-api-key header instead.';

  describe('route decorators', () => {
    it('refuses a route without a decorator when no credential is sent', async () => {
      await refusal('undecorated', request(), 'missing', MISSING_KEY);
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({ method: 'none', outcome: 'missing' });
    });

    it('lets a route without a decorator through with a valid API key', async () => {
      const req = request({ 'x-api-key': 'ed_user' });
      await expect(run('undecorated', req)).resolves.toBe(true);
      expect(req.user).toBe(keyUser);
      // The request goes along, so a refusal is audited with its IP and user agent.
      expect(keys.authenticate).toHaveBeenCalledWith('ed_user', req);
    });

    it('lets a @Public() route through synchronously, without a credential or any check', () => {
      const req = request();
      const context = new ExecutionContextHost([req, {}], Routes, Routes.prototype.open);
      expect(guard.canActivate(context)).toBe(true);
      expect(req.user).toBeUndefined();
      expect(browser.check).not.toHaveBeenCalled();
      expect(metrics.authOutcomes.inc).not.toHaveBeenCalled();
      expect(metrics.authSucceeded).not.toHaveBeenCalled();
    });

    it("reads the handler's class, not the class that declared it, for an inherited handler", async () => {
      // Same handler function, two controllers: the answer must not be cached for the handler alone.
      await expect(run('list', request(), PublicChild)).resolves.toBe(true);
      const err: unknown = await run('list', request(), ApiBase).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'missing', message: MISSING_KEY });
    });
  });

  describe('browser routes (@SignedIn, @SessionForm)', () => {
    const state = { session: { id: 's1' }, memberships: [] } as unknown as CheckedSession;

    it('@SignedIn() checks the browser session signed in, CSRF token from the form', async () => {
      browser.check.mockResolvedValue(state);
      const req = request();
      await expect(run('page', req)).resolves.toBe(true);
      expect(browser.check).toHaveBeenCalledTimes(1);
      expect(browser.check).toHaveBeenCalledWith(req, { signedIn: true, csrf: 'form' });
      expect(metrics.authOutcomes.inc).not.toHaveBeenCalled();
      expect(metrics.authSucceeded).not.toHaveBeenCalled();
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it('@SessionForm() accepts an anonymous session (signedIn false), CSRF token from the form', async () => {
      browser.check.mockResolvedValue(state);
      const req = request();
      await expect(run('signInForm', req)).resolves.toBe(true);
      expect(browser.check).toHaveBeenCalledWith(req, { signedIn: false, csrf: 'form' });
    });

    it.each(['page', 'signInForm'] as const)(
      '%s without a (signed-in) session is AuthError missing',
      async (route) => {
        await refusal(route, request(), 'missing', 'Sign in to use the settings pages.');
      },
    );

    it('never reads an API key on a browser route', async () => {
      browser.check.mockResolvedValue(state);
      await expect(run('page', request({ 'x-api-key': 'ed_user' }))).resolves.toBe(true);
      expect(keys.authenticate).not.toHaveBeenCalled();
    });
  });

  describe('choosing the one credential', () => {
    it('refuses both x-api-key and Authorization (400), before checking either', async () => {
      const req = request({ 'x-api-key': 'ed_user', authorization: 'Bearer good' });
      await refusal(
        'mcp',
        req,
        'bad_request',
        'Send exactly one credential: either the x-api-key header or an Authorization header, not both.',
      );
      expect(keys.authenticate).not.toHaveBeenCalled();
      expect(tokens.authenticate).not.toHaveBeenCalled();
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
        method: 'api_key',
        outcome: 'bad_request',
      });
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it('refuses a repeated x-api-key header (400)', async () => {
      const req = request({ 'x-api-key': ['ed_user', 'ed_org'] });
      await refusal('adminApi', req, 'bad_request', 'Send the x-api-key header once.');
      expect(keys.authenticate).not.toHaveBeenCalled();
    });

    it.each([
      'Basic dXNlcjpwdw==',
      'Bearer',
      'Bearer ',
      'Bearer  good',
      'Bearerx good',
      'Token good',
    ])(
      'refuses the malformed Authorization %j as invalid, and counts the failure',
      async (authorization) => {
        await refusal('mcp', request({ authorization }), 'invalid', BEARER_SHAPE);
        expect(tokens.authenticate).not.toHaveBeenCalled();
        expect(limits.recordFailure).toHaveBeenCalledWith('auth_failure', '203.0.113.7');
      },
    );

    it('accepts the scheme in any case ("bearer good")', async () => {
      const req = request({ authorization: 'bearer good' });
      await expect(run('mcp', req)).resolves.toBe(true);
      expect(req.user).toBe(tokenUser);
      expect(tokens.authenticate).toHaveBeenCalledWith('good');
      expect(metrics.authSucceeded).toHaveBeenCalledWith('oauth');
    });

    it.each(['mcp', 'adminApi'] as const)(
      'tells an API key sent as a bearer token on %s to use x-api-key',
      async (route) => {
        await refusal(
          route,
          request({ authorization: 'Bearer ed_user' }),
          'invalid',
          KEY_IN_AUTHORIZATION,
        );
        expect(keys.authenticate).not.toHaveBeenCalled();
        expect(tokens.authenticate).not.toHaveBeenCalled();
      },
    );

    it.each(['adminApi', 'keyOnly', 'undecorated'] as const)(
      'refuses a bearer token on %s, whose credentials lack bearer, pointing to the MCP endpoint',
      async (route) => {
        await refusal(route, request({ authorization: 'Bearer good' }), 'invalid', MCP_ONLY);
        expect(tokens.authenticate).not.toHaveBeenCalled();
        expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
          method: 'oauth',
          outcome: 'invalid',
        });
      },
    );

    it('refuses an unknown API key with the one invalid-key text', async () => {
      await refusal('adminApi', request({ 'x-api-key': 'ed_nope' }), 'invalid', INVALID_API_KEY);
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
        method: 'api_key',
        outcome: 'invalid',
      });
    });

    it('passes a database fault from the key check through unchanged (outcome error, not counted)', async () => {
      const err: unknown = await run('adminApi', request({ 'x-api-key': 'ed_down' })).catch(
        (e: unknown) => e,
      );
      expect(err).toBe(DB_DOWN);
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
        method: 'api_key',
        outcome: 'error',
      });
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });
  });

  describe('the browser session as the fallback credential', () => {
    const state = { session: { id: 's1' }, memberships: [] } as unknown as CheckedSession;

    it('without a header, uses the signed-in session with the CSRF token from the header', async () => {
      browser.check.mockResolvedValue(state);
      const req = request();
      await expect(run('adminApi', req)).resolves.toBe(true);
      expect(browser.check).toHaveBeenCalledWith(req, { signedIn: true, csrf: 'header' });
      expect(browser.principal).toHaveBeenCalledWith(state);
      expect(req.user).toBe(sessionUser);
      expect(metrics.authSucceeded).toHaveBeenCalledWith('none');
    });

    it('without a session either, is AuthError missing', async () => {
      await refusal('adminApi', request(), 'missing', MISSING_KEY);
      expect(browser.check).toHaveBeenCalledTimes(1);
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it.each(['mcp', 'keyOnly'] as const)(
      'is not consulted on %s, which does not accept a session',
      async (route) => {
        browser.check.mockResolvedValue(state);
        await refusal(route, request(), 'missing', route === 'mcp' ? MISSING : MISSING_KEY);
        expect(browser.check).not.toHaveBeenCalled();
      },
    );

    it('is not consulted when a header credential is sent', async () => {
      browser.check.mockResolvedValue(state);
      await refusal('adminApi', request({ 'x-api-key': 'ed_nope' }), 'invalid', INVALID_API_KEY);
      expect(browser.check).not.toHaveBeenCalled();
    });

    it("passes the session's CSRF refusal through (forbidden), not counted as a credential failure", async () => {
      browser.check.mockRejectedValue(new AuthError('forbidden', 'Cross-site request refused'));
      await refusal('adminApi', request(), 'forbidden', 'Cross-site request refused');
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
        method: 'none',
        outcome: 'forbidden',
      });
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });
  });

  describe('route requirements', () => {
    it('userOnly: true refuses an organization key with the default text', async () => {
      await refusal(
        'personal',
        request({ 'x-api-key': 'ed_org' }),
        'forbidden',
        'Organization-level API keys cannot be used here: use a personal API key.',
      );
    });

    it('records the use of a key only once the route has let it in', async () => {
      await refusal(
        'personal',
        request({ 'x-api-key': 'ed_org' }),
        'forbidden',
        'Organization-level API keys cannot be used here: use a personal API key.',
      );
      expect(keys.recordUse).not.toHaveBeenCalled();
      await expect(run('personal', request({ 'x-api-key': 'ed_user' }))).resolves.toBe(true);
      expect(keys.recordUse).toHaveBeenCalledTimes(1);
      expect(keys.recordUse).toHaveBeenCalledWith('k1');
    });

    it("userOnly: '<text>' refuses an organization key with the route's text", async () => {
      await refusal(
        'personalWithReason',
        request({ 'x-api-key': 'ed_org' }),
        'forbidden',
        'Use your personal key to manage your own keys.',
      );
    });

    it('userOnly lets a personal key through, and an organization key passes routes without it', async () => {
      await expect(run('personal', request({ 'x-api-key': 'ed_user' }))).resolves.toBe(true);
      await expect(run('adminApi', request({ 'x-api-key': 'ed_org' }))).resolves.toBe(true);
    });

    it('refuses a read-only key on a Scope.Write route as forbidden, saying it is read-only', async () => {
      await refusal('write', request({ 'x-api-key': 'ed_read' }), 'forbidden', READ_ONLY_REFUSED);
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it('lets a key with the implying scope through (mcp ⊇ mcp:write, mcp:write ⊇ mcp:read)', async () => {
      await expect(run('write', request({ 'x-api-key': 'ed_user' }))).resolves.toBe(true);
      await expect(run('read', request({ 'x-api-key': 'ed_read' }))).resolves.toBe(true);
    });

    it('refuses a missing scope other than write as insufficient_scope', async () => {
      await refusal(
        'mcpAll',
        request({ authorization: 'Bearer good' }),
        'insufficient_scope',
        'This operation requires the mcp scope',
      );
    });
  });

  describe('failure counting and rate limiting', () => {
    it('counts an invalid credential against the client IP', async () => {
      await refusal(
        'mcp',
        request({ authorization: 'Bearer forged' }),
        'invalid',
        'Invalid access token',
      );
      expect(limits.recordFailure).toHaveBeenCalledTimes(1);
      expect(limits.recordFailure).toHaveBeenCalledWith('auth_failure', '203.0.113.7');
    });

    it.each([
      ['mcp', { authorization: 'Bearer expired' }, 'The access token has expired'],
      ['adminApi', { 'x-api-key': 'ed_expired' }, 'The API key has expired.'],
    ] as const)('does not count an expired credential (%s)', async (route, headers, message) => {
      await refusal(route, request(headers), 'invalid', message);
      expect(limits.recordFailure).not.toHaveBeenCalled();
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith(
        expect.objectContaining({ outcome: 'invalid' }),
      );
    });

    it('does not count a missing credential', async () => {
      await refusal('mcp', request(), 'missing', MISSING);
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it('asks the limiter only when an IP may be blocked', async () => {
      await run('adminApi', request({ 'x-api-key': 'ed_user' }));
      expect(limits.mayBeBlocked).toHaveBeenCalledWith('auth_failure');
      expect(limits.assertNotBlocked).not.toHaveBeenCalled();
      limits.mayBeBlocked.mockReturnValue(true);
      await run('adminApi', request({ 'x-api-key': 'ed_user' }));
      expect(limits.assertNotBlocked).toHaveBeenCalledWith('auth_failure', '203.0.113.7');
    });

    it('refuses a blocked IP before checking its credential (outcome rate_limited)', async () => {
      const blocked = new RateLimitedError('auth_failure', 42);
      limits.mayBeBlocked.mockReturnValue(true);
      limits.assertNotBlocked.mockRejectedValue(blocked);
      const err: unknown = await run('adminApi', request({ 'x-api-key': 'ed_user' })).catch(
        (e: unknown) => e,
      );
      expect(err).toBe(blocked);
      expect(keys.authenticate).not.toHaveBeenCalled();
      expect(metrics.authOutcomes.inc).toHaveBeenCalledWith({
        method: 'api_key',
        outcome: 'rate_limited',
      });
      expect(limits.recordFailure).not.toHaveBeenCalled();
    });

    it('counts a success by method only, never as an outcome increment', async () => {
      await run('adminApi', request({ 'x-api-key': 'ed_user' }));
      expect(metrics.authSucceeded).toHaveBeenCalledTimes(1);
      expect(metrics.authSucceeded).toHaveBeenCalledWith('api_key');
      expect(metrics.authOutcomes.inc).not.toHaveBeenCalled();
    });
  });
});
