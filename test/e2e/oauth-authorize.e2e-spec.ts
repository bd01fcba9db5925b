import { systemPrincipal } from 'src/auth/principal';
import { sha256Hex } from 'src/common/crypto';
import { UsersService } from 'src/users/users.service';
import {
  alertText,
  authorizePath,
  BrowserAgent,
  hiddenFields,
  insertClient,
  openSignedIn,
  page,
  QueryOverrides,
  submitSignIn,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

/** The headers every page of the flow carries, error pages included (SECURITY.md §5). */
function expectPageHeaders(res: Response): void {
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toMatch(/script-src|unsafe-inline/);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
}

function expectErrorPage(res: Response, html: string, status: number, problem: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expectPageHeaders(res);
  expect(html).toMatch(/<h1>[^<]+<\/h1>/);
  expect(alertText(html)).toMatch(problem);
}

describe('GET /oauth2/authorize: validation, sign-in and page headers (e2e)', () => {
  let t: TestApp;
  let client: TestClient;
  let twoUris: TestClient;

  const path = (overrides: QueryOverrides = {}, c: TestClient = client) =>
    authorizePath(c, t.config.mcpResource, overrides);

  beforeAll(async () => {
    t = await startTestApp();
    client = await insertClient(t.dataSource, {
      redirectUris: ['http://127.0.0.1:9999/callback'],
    });
    twoUris = await insertClient(t.dataSource, {
      redirectUris: ['https://client.example/cb', 'http://localhost:8787/callback'],
    });
    const users = t.app.get(UsersService);
    const sys = systemPrincipal('test');
    await users.create(sys, { email: 'disabled@acme.example', password: DEMO_PASSWORD });
    await users.disable(sys, 'disabled@acme.example');
  });
  afterAll(async () => {
    await t.close();
  });

  describe('request errors are 400 HTML pages, never redirects', () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['client_id missing', () => path({ client_id: null }), /client_id parameter is missing/],
      ['client_id empty', () => path({ client_id: '' }), /client_id parameter is missing/],
      ['client_id unknown', () => path({ client_id: 'no-such-client' }), /client_id is not known/],
      [
        'redirect_uri not registered',
        () => path({ redirect_uri: 'https://attacker.example/callback' }),
        /redirect_uri "https:\/\/attacker\.example\/callback" is not registered/,
      ],
      [
        'redirect_uri with a trailing slash',
        () => path({ redirect_uri: 'http://127.0.0.1:9999/callback/' }),
        /is not registered/,
      ],
      [
        'redirect_uri with another path case',
        () => path({ redirect_uri: 'http://127.0.0.1:9999/Callback' }),
        /is not registered/,
      ],
      [
        'redirect_uri with an added query',
        () => path({ redirect_uri: 'http://127.0.0.1:9999/callback?x=1' }),
        /is not registered/,
      ],
      [
        'redirect_uri with userinfo',
        () => path({ redirect_uri: 'http://evil@127.0.0.1:9999/callback' }),
        /is not registered/,
      ],
      [
        'redirect_uri with a fragment',
        () => path({ redirect_uri: 'http://127.0.0.1:9999/callback#' }),
        /is not registered/,
      ],
      [
        'redirect_uri with localhost for 127.0.0.1',
        () => path({ redirect_uri: 'http://localhost:9999/callback' }),
        /is not registered/,
      ],
      [
        'redirect_uri percent-encoded',
        () => path({ redirect_uri: 'http://127.0.0.1:9999/%63allback' }),
        /is not registered/,
      ],
      [
        'redirect_uri missing while two are registered',
        () => path({ redirect_uri: null }, twoUris),
        /redirect_uri parameter is missing/,
      ],
      [
        'response_type missing',
        () => path({ response_type: null }),
        /response_type parameter is missing/,
      ],
      ['response_type token', () => path({ response_type: 'token' }), /response_type "token"/],
      [
        'code_challenge missing',
        () => path({ code_challenge: null }),
        /code_challenge parameter is missing/,
      ],
      ['code_challenge too short', () => path({ code_challenge: 'a'.repeat(42) }), /43 to 128/],
      ['code_challenge too long', () => path({ code_challenge: 'a'.repeat(129) }), /43 to 128/],
      [
        'code_challenge with "+"',
        () => path({ code_challenge: `${'a'.repeat(42)}+` }),
        /43 to 128/,
      ],
      [
        'code_challenge_method missing (plain)',
        () => path({ code_challenge_method: null }),
        /code_challenge_method parameter is missing/,
      ],
      ['code_challenge_method plain', () => path({ code_challenge_method: 'plain' }), /only S256/],
      ['code_challenge_method s256', () => path({ code_challenge_method: 's256' }), /only S256/],
      ['an unknown scope', () => path({ scope: 'mcp:read admin' }), /Unknown scope "admin"/],
      [
        'another resource',
        () => path({ resource: 'https://other.example/mcp' }),
        /resource "https:\/\/other\.example\/mcp" is not served here/,
      ],
      [
        'a repeated client_id',
        () => path({ client_id: [client.clientId, client.clientId] }),
        /"client_id" was sent more than once/,
      ],
      ['a repeated state', () => path({ state: ['a', 'b'] }), /"state" was sent more than once/],
      [
        'a repeated scope',
        () => path({ scope: ['mcp:read', 'mcp:write'] }),
        /"scope" was sent more than once/,
      ],
      [
        'a repeated empty redirect_uri',
        () => path({ redirect_uri: ['', ''] }),
        /"redirect_uri" was sent more than once/,
      ],
    ];

    it.each(cases)('should answer 400 for %s', async (_name, build, problem) => {
      const res = await fetch(`${t.url}${build()}`, { redirect: 'manual' });
      expectErrorPage(res, await res.text(), 400, problem);
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('should validate the legacy /authorize alias the same way', async () => {
      const res = await fetch(
        `${t.url}${path({ code_challenge_method: null }).replace('/oauth2', '')}`,
        {
          redirect: 'manual',
        },
      );
      expectErrorPage(res, await res.text(), 400, /code_challenge_method parameter is missing/);
    });

    it('should escape the values it names in the message', async () => {
      const res = await fetch(`${t.url}${path({ scope: '<script>alert(1)</script>' })}`);
      const html = await res.text();
      expect(res.status).toBe(400);
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  describe('accepted requests show the sign-in page', () => {
    const accepted: Array<[string, () => string]> = [
      ['every parameter', () => path()],
      ['the legacy /authorize path', () => path().replace('/oauth2', '')],
      ['redirect_uri omitted with one registered', () => path({ redirect_uri: null })],
      ['another loopback port', () => path({ redirect_uri: 'http://127.0.0.1:53682/callback' })],
      ['scope omitted', () => path({ scope: null })],
      ['offline_access in scope', () => path({ scope: 'mcp:read mcp:write offline_access' })],
      ['the umbrella scope', () => path({ scope: 'mcp' })],
      ['resource omitted', () => path({ resource: null })],
      ['resource with a trailing slash', () => path({ resource: `${t.config.mcpResource}/` })],
      [
        'resource with an upper-case scheme',
        () => path({ resource: t.config.mcpResource.replace('http:', 'HTTP:') }),
      ],
      ['empty state and prompt', () => path({ state: '', prompt: '' })],
      ['unknown parameters', () => path({ nonce: 'n', foo: 'bar' })],
    ];

    it.each(accepted)('should accept %s', async (_name, build) => {
      const { res, html } = await page(await fetch(`${t.url}${build()}`, { redirect: 'manual' }));
      expect(res.status).toBe(200);
      expect(html).toContain('<h1>Sign in</h1>');
    });

    it('should still refuse a trailing slash twice on the resource', async () => {
      const res = await fetch(`${t.url}${path({ resource: `${t.config.mcpResource}//` })}`);
      expect(res.status).toBe(400);
    });

    it('should render an accessible sign-in form with the page headers', async () => {
      const { res, html } = await page(await fetch(`${t.url}${path()}`));
      expectPageHeaders(res);
      expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email"/);
      expect(html).toMatch(
        /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/,
      );
      expect(html).toContain('<button type="submit" class="primary">Sign in</button>');
      expect(html).toContain('action="/oauth2/authorize/login"');
      const hidden = hiddenFields(html);
      expect(hidden.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(hidden.interaction).toMatch(/^[0-9a-f-]{36}$/);
      expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[^"]*\.(css|js)/);
      // The form post and the final redirect to the client are both allowed by the CSP.
      expect(res.headers.get('content-security-policy')).toContain(
        "form-action 'self' http://127.0.0.1:9999",
      );
    });

    it('should store the validated request server-side, bound to the new session', async () => {
      const agent = new BrowserAgent(t.url);
      const { html } = await page(
        await agent.get(path({ state: 'keep-me', scope: 'mcp:write mcp:read' })),
      );
      const [row] = await t.dataSource.query(
        `SELECT i.*, s.session_hash FROM oauth_interactions i JOIN auth_sessions s ON s.id = i.session_id
          WHERE i.id = $1`,
        [hiddenFields(html).interaction],
      );
      expect(row).toMatchObject({
        client_id: client.id,
        redirect_uri: 'http://127.0.0.1:9999/callback',
        state: 'keep-me',
        scope: 'mcp:read mcp:write',
        resource: t.config.mcpResource,
        completed_at: null,
      });
      expect(row.session_hash).toBe(sha256Hex(agent.cookies.get('session')!));
      const ttl = (new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()) / 1000;
      expect(Math.round(ttl)).toBe(600);
    });

    it('should set the session cookie HttpOnly, SameSite=Lax, Path=/ and not Secure on http', async () => {
      const res = await fetch(`${t.url}${path()}`);
      const [cookie] = res.headers.getSetCookie();
      expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Secure|Domain|Max-Age|Expires/i);
    });

    it('should never send CORS headers, even to a foreign Origin', async () => {
      const res = await fetch(`${t.url}${path()}`, { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });
  });

  describe('sign-in', () => {
    async function signInPage(agent: BrowserAgent): Promise<string> {
      return (await page(await agent.get(path()))).html;
    }

    it('should give a wrong password, an unknown email and a disabled account the same answer', async () => {
      const answers: Array<{ status: number; alert: string | null }> = [];
      for (const [email, password] of [
        ['bob@acme.example', 'wrong-password'],
        ['nobody@acme.example', DEMO_PASSWORD],
        ['disabled@acme.example', DEMO_PASSWORD],
      ]) {
        const agent = new BrowserAgent(t.url);
        const { res, html } = await page(
          await submitSignIn(agent, await signInPage(agent), email, password),
        );
        expectPageHeaders(res);
        expect(res.headers.get('location')).toBeNull();
        expect(html).toContain('<h1>Sign in</h1>');
        answers.push({ status: res.status, alert: alertText(html) });
      }
      expect(answers[0]).toEqual({
        status: 401,
        alert: 'The email address or password is incorrect.',
      });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    });

    it('should escape the email it shows again', async () => {
      const agent = new BrowserAgent(t.url);
      const { html } = await page(
        await submitSignIn(agent, await signInPage(agent), '"><img src=x>@x.example', 'nope'),
      );
      expect(html).not.toContain('<img src=x>');
      expect(html).toContain('value="&quot;&gt;&lt;img src=x&gt;@x.example"');
    });

    it.each([
      ['missing', undefined],
      ['wrong', 'A'.repeat(43)],
      ['sent twice', ['x', 'y']],
    ])('should answer 403 when the CSRF token is %s, and not sign in', async (_name, token) => {
      const agent = new BrowserAgent(t.url);
      const fields = hiddenFields(await signInPage(agent));
      const before = agent.cookies.get('session');
      const res = await agent.post('/oauth2/authorize/login', {
        ...fields,
        csrf_token: token,
        email: 'alice@acme.example',
        password: DEMO_PASSWORD,
      });
      const html = await res.text();
      if (Array.isArray(token)) expectErrorPage(res, html, 400, /more than once/);
      else expectErrorPage(res, html, 403, /no longer valid/);
      expect(agent.cookies.get('session')).toBe(before);
      const [row] = await t.dataSource.query(
        `SELECT user_id FROM auth_sessions WHERE session_hash = $1`,
        [sha256Hex(before!)],
      );
      expect(row.user_id).toBeNull();
    });

    it('should answer 403 to a sign-in without any session cookie', async () => {
      const agent = new BrowserAgent(t.url);
      const fields = hiddenFields(await signInPage(agent));
      agent.cookies.clear();
      const res = await agent.post('/oauth2/authorize/login', {
        ...fields,
        email: 'alice@acme.example',
        password: DEMO_PASSWORD,
      });
      expectErrorPage(res, await res.text(), 403, /no longer valid/);
    });

    it('should rotate the session cookie and CSRF token on sign-in, killing the old cookie', async () => {
      const agent = new BrowserAgent(t.url);
      const signIn = await signInPage(agent);
      const before = agent.cookies.get('session')!;
      const res = await submitSignIn(agent, signIn, 'alice@acme.example', DEMO_PASSWORD);
      expect(res.status).toBe(303);
      const interaction = hiddenFields(signIn).interaction;
      expect(res.headers.get('location')).toBe(
        `/oauth2/authorize/consent?interaction=${interaction}`,
      );
      const after = agent.cookies.get('session')!;
      expect(after).not.toBe(before);
      expect(res.headers.getSetCookie()[0]).toMatch(
        /; HttpOnly; SameSite=Lax$|; HttpOnly.*SameSite=Lax/,
      );

      const consent = await page(await agent.get(res.headers.get('location')!));
      expect(consent.res.status).toBe(200);
      expect(hiddenFields(consent.html).csrf_token).not.toBe(hiddenFields(signIn).csrf_token);

      // Someone holding the pre-sign-in cookie (session fixation) is not signed in.
      const fixated = new BrowserAgent(t.url);
      fixated.cookies.set('session', before);
      const stale = await fixated.get(res.headers.get('location')!);
      expectErrorPage(stale, await stale.text(), 400, /expired or was already completed/);
    });

    it('should ask for both fields with a 400 when one is empty', async () => {
      const agent = new BrowserAgent(t.url);
      const { res, html } = await page(
        await submitSignIn(agent, await signInPage(agent), 'alice@acme.example', ''),
      );
      expect(res.status).toBe(400);
      expect(alertText(html)).toMatch(/Enter your email address and password/);
    });

    it('should answer 400 to a sign-in for an unknown or foreign interaction', async () => {
      const agent = new BrowserAgent(t.url);
      const fields = hiddenFields(await signInPage(agent));
      const other = new BrowserAgent(t.url);
      const otherInteraction = hiddenFields(await signInPage(other)).interaction;
      for (const interaction of [
        otherInteraction,
        'not-a-uuid',
        '00000000-0000-0000-0000-000000000000',
      ]) {
        const res = await agent.post('/oauth2/authorize/login', {
          ...fields,
          interaction,
          email: 'alice@acme.example',
          password: DEMO_PASSWORD,
        });
        expectErrorPage(res, await res.text(), 400, /expired or was already completed/);
      }
    });

    it('should go straight to the consent step when the session is already signed in', async () => {
      const agent = new BrowserAgent(t.url);
      await openSignedIn(agent, path(), 'carol@acme.example', DEMO_PASSWORD);
      const { res, html } = await page(await agent.get(path()));
      expect(res.status).toBe(200);
      expect(html).toContain('<h1>Allow access?</h1>');
    });

    it('should throttle after five failures for one account and IP with 429 and Retry-After', async () => {
      const agent = new BrowserAgent(t.url);
      const html = await signInPage(agent);
      for (let i = 0; i < 5; i++) {
        const res = await submitSignIn(agent, html, 'dave@acme.example', `wrong-${i}`);
        expect(res.status).toBe(401);
      }
      const { res, html: locked } = await page(
        await submitSignIn(agent, html, 'dave@acme.example', DEMO_PASSWORD),
      );
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(alertText(locked)).toMatch(/Too many failed sign-in attempts/);
      expectPageHeaders(res);
      // Another account from the same IP is not locked out.
      const ok = await submitSignIn(agent, html, 'bob@acme.example', DEMO_PASSWORD);
      expect(ok.status).toBe(303);
    });
  });

  describe('pages and assets', () => {
    it('should serve the stylesheet same-origin as text/css', async () => {
      const res = await fetch(`${t.url}/oauth2/assets/style.css`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('.card');
    });

    it('should answer an expired consent link with a 400 page, not a 500', async () => {
      const res = await fetch(`${t.url}/oauth2/authorize/consent?interaction=%27;drop`);
      expectErrorPage(res, await res.text(), 400, /expired or was already completed/);
    });

    it('should answer a consent POST without a session with 403', async () => {
      const res = await fetch(`${t.url}/oauth2/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=allow&csrf_token=x&interaction=y',
        redirect: 'manual',
      });
      expectErrorPage(res, await res.text(), 403, /no longer valid/);
    });
  });
});

describe('GET /oauth2/authorize with the database down (e2e)', () => {
  it('should answer a 503 HTML page with Retry-After, never "unknown client" or a redirect', async () => {
    const t = await startTestApp({ SEED_DEMO: 'false' });
    try {
      const client = await insertClient(t.dataSource);
      await t.dataSource.destroy();
      const res = await fetch(`${t.url}${authorizePath(client, t.config.mcpResource)}`, {
        redirect: 'manual',
      });
      const html = await res.text();
      expectErrorPage(res, html, 503, /temporarily unavailable/);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(html).not.toMatch(/not known/);
    } finally {
      await t.app.close().catch(() => undefined);
    }
  });
});
