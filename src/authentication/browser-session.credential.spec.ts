import type { FastifyRequest } from 'fastify';
import { AuthError, AuthFailureKind } from 'src/auth/auth.errors';
import {
  BrowserSessionCredential,
  CheckedSession,
  checkedSessionOf,
  CsrfSource,
  isSameOrigin,
} from 'src/authentication/browser-session.credential';
import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';
import type { MembershipsService } from 'src/users/memberships.service';
import type { Organization } from 'src/users/organization.entity';

const OWN = 'https://catalog.example';

describe('isSameOrigin', () => {
  it.each([
    [{ origin: OWN }, true],
    [{ origin: `${OWN}/` }, false],
    [{ origin: 'https://catalog.example:8443' }, false],
    [{ origin: 'http://catalog.example' }, false],
    [{ origin: 'https://evil.example' }, false],
    // An opaque origin (sandboxed frame, privacy redirect) is never ours, whatever the Referer says.
    [{ origin: 'null', referer: `${OWN}/settings` }, false],
    [{ origin: [OWN, OWN] }, false],
  ])('Origin %j → %s', (headers, expected) => {
    expect(isSameOrigin(headers, OWN)).toBe(expected);
  });

  it.each([
    [{ referer: OWN }, true],
    [{ referer: `${OWN}/` }, true],
    [{ referer: `${OWN}/settings/keys?x=1` }, true],
    [{ referer: 'https://catalog.example.evil.example/settings' }, false],
    [{ referer: 'https://catalog.example:8443/settings' }, false],
    [{ referer: 'https://evil.example/https://catalog.example/' }, false],
    [{ referer: [`${OWN}/a`, `${OWN}/b`] }, false],
    [{}, false],
  ])('without Origin, Referer %j → %s', (headers, expected) => {
    expect(isSameOrigin(headers, OWN)).toBe(expected);
  });

  it('decides by Origin alone when both are sent', () => {
    expect(isSameOrigin({ origin: 'https://evil.example', referer: `${OWN}/` }, OWN)).toBe(false);
  });
});

describe('BrowserSessionCredential', () => {
  const CSRF = 'c'.repeat(43);
  const alice = { id: 'u1', email: 'alice@example.com', name: 'Alice' };
  const acme = { id: 'o1', name: 'acme' } as Organization;
  const beta = { id: 'o2', name: 'beta' } as Organization;

  let found: BrowserSession | null;
  let memberships: Array<{ organization: Organization; role: 'owner' | 'admin' | 'member' }>;
  let sessions: SessionService & { find: jest.Mock };
  let listForUser: jest.Mock;
  let credential: BrowserSessionCredential;

  const session = (over: Partial<BrowserSession> = {}): BrowserSession => ({
    id: 's1',
    csrfToken: CSRF,
    user: alice,
    organizationId: null,
    ...over,
  });

  beforeEach(() => {
    found = session();
    memberships = [{ organization: acme, role: 'admin' }];
    // The real CSRF comparison, with the session lookup faked.
    sessions = Object.assign(Object.create(SessionService.prototype) as SessionService, {
      find: jest.fn(async () => found),
    });
    listForUser = jest.fn(async () => memberships);
    credential = new BrowserSessionCredential(
      buildAppConfig(validateEnv({ PUBLIC_URL: `${OWN}/` })),
      sessions,
      { listForUser } as unknown as MembershipsService,
    );
  });

  function request(
    method: string,
    headers: Record<string, string | string[]> = {},
    body?: unknown,
  ): FastifyRequest {
    return { method, headers, body } as unknown as FastifyRequest;
  }

  const check = (req: FastifyRequest, csrf: CsrfSource = 'header', signedIn = true) =>
    credential.check(req, { signedIn, csrf });

  async function refusal(
    promise: Promise<unknown>,
    kind: AuthFailureKind,
    message: string,
  ): Promise<void> {
    const err: unknown = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ kind, message });
  }

  const CROSS_SITE = 'Cross-site request refused: send the x-csrf-token of your session.';

  describe('check()', () => {
    it.each(['GET', 'HEAD', 'OPTIONS'])(
      '%s needs no CSRF token or origin, and loads the memberships',
      async (method) => {
        const req = request(method, { origin: 'https://evil.example' });
        const result = await check(req);
        expect(result).toEqual({ session: found, memberships });
        expect(listForUser).toHaveBeenCalledWith('u1');
        expect(checkedSessionOf(req)).toBe(result);
      },
    );

    it('passes a same-origin POST with the right token in x-csrf-token (header mode)', async () => {
      const req = request('POST', { origin: OWN, 'x-csrf-token': CSRF });
      await expect(check(req, 'header')).resolves.toEqual({ session: found, memberships });
    });

    it('passes a POST whose Referer is on our origin (no Origin header)', async () => {
      const req = request('POST', { referer: `${OWN}/settings`, 'x-csrf-token': CSRF });
      await expect(check(req, 'header')).resolves.not.toBeNull();
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
      'refuses a cross-origin %s even with the right token',
      async (method) => {
        const req = request(method, { origin: 'https://evil.example', 'x-csrf-token': CSRF });
        await refusal(check(req), 'forbidden', CROSS_SITE);
        expect(listForUser).not.toHaveBeenCalled();
        expect(() => checkedSessionOf(req)).toThrow(
          'checkedSessionOf used on a route without a browser session',
        );
      },
    );

    it('refuses a POST with neither Origin nor Referer', async () => {
      await refusal(check(request('POST', { 'x-csrf-token': CSRF })), 'forbidden', CROSS_SITE);
    });

    it.each([
      ['a wrong token', { 'x-csrf-token': 'd'.repeat(43) }],
      ['an empty token', { 'x-csrf-token': '' }],
      ['no token', {}],
      ['a repeated header', { 'x-csrf-token': [CSRF, CSRF] }],
    ])('refuses a same-origin POST with %s', async (_what, headers) => {
      await refusal(check(request('POST', { origin: OWN, ...headers })), 'forbidden', CROSS_SITE);
    });

    it('form mode reads body.csrf_token, not the header', async () => {
      const ok = request('POST', { origin: OWN }, { csrf_token: CSRF });
      await expect(check(ok, 'form')).resolves.not.toBeNull();
      const headerOnly = request('POST', { origin: OWN, 'x-csrf-token': CSRF }, {});
      await refusal(check(headerOnly, 'form'), 'forbidden', CROSS_SITE);
    });

    it('header mode reads x-csrf-token, not the body', async () => {
      const bodyOnly = request('POST', { origin: OWN }, { csrf_token: CSRF });
      await refusal(check(bodyOnly, 'header'), 'forbidden', CROSS_SITE);
    });

    it.each([[undefined], [null], ['csrf_token=x'], [{ other: CSRF }]])(
      'form mode refuses a body without the field (%j)',
      async (body) => {
        await refusal(
          check(request('POST', { origin: OWN }, body), 'form'),
          'forbidden',
          CROSS_SITE,
        );
      },
    );

    it('form mode refuses a repeated csrf_token field as a bad request', async () => {
      const req = request('POST', { origin: OWN }, { csrf_token: [CSRF, CSRF] });
      await refusal(
        check(req, 'form'),
        'bad_request',
        'The form field "csrf_token" was sent more than once.',
      );
    });

    it('is null without a session, loading nothing', async () => {
      found = null;
      await expect(check(request('GET'))).resolves.toBeNull();
      await expect(check(request('POST', { origin: OWN }), 'form', false)).resolves.toBeNull();
      expect(listForUser).not.toHaveBeenCalled();
    });

    it('is null for an anonymous session when signed in is required, even on a cross-site POST', async () => {
      found = session({ user: null });
      await expect(check(request('GET'))).resolves.toBeNull();
      await expect(check(request('POST', { origin: 'https://evil.example' }))).resolves.toBeNull();
      expect(listForUser).not.toHaveBeenCalled();
    });

    it('accepts an anonymous session when signedIn is false, without loading memberships', async () => {
      found = session({ user: null });
      const req = request('POST', { origin: OWN }, { csrf_token: CSRF });
      await expect(check(req, 'form', false)).resolves.toEqual({ session: found, memberships: [] });
      expect(listForUser).not.toHaveBeenCalled();
    });

    it('still checks origin and token for an anonymous session (sign-in form)', async () => {
      found = session({ user: null });
      const req = request('POST', { origin: OWN }, { csrf_token: 'd'.repeat(43) });
      await refusal(check(req, 'form', false), 'forbidden', CROSS_SITE);
    });
  });

  describe('principal()', () => {
    const state = (over: Partial<BrowserSession>, list = memberships): CheckedSession => ({
      session: session(over),
      memberships: list,
    });
    const principalIn = (organizationId: string, organizationRole: string) => ({
      kind: 'user',
      userId: 'u1',
      organizationId,
      organizationRole,
      scopes: ['mcp'],
      authMethod: 'session',
    });

    it("is the person in the session's selected organization", () => {
      const list = [
        { organization: acme, role: 'admin' as const },
        { organization: beta, role: 'member' as const },
      ];
      expect(credential.principal(state({ organizationId: 'o2' }, list))).toEqual(
        principalIn('o2', 'member'),
      );
    });

    it('falls back to the first organization when none is selected or the selected one is gone', () => {
      const list = [
        { organization: acme, role: 'owner' as const },
        { organization: beta, role: 'member' as const },
      ];
      expect(credential.principal(state({ organizationId: null }, list))).toEqual(
        principalIn('o1', 'owner'),
      );
      expect(credential.principal(state({ organizationId: 'o9' }, list))).toEqual(
        principalIn('o1', 'owner'),
      );
    });

    it('refuses a person who is a member of no organization', () => {
      let err: unknown;
      try {
        credential.principal(state({}, []));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AuthError);
      expect(err).toMatchObject({
        kind: 'forbidden',
        message: 'You are not a member of any organization.',
      });
    });

    it('refuses an anonymous session', () => {
      expect(() => credential.principal(state({ user: null }, []))).toThrow('Not signed in.');
    });
  });
});
