import { sha256Hex } from 'src/common/crypto';
import {
  authorizePath,
  BrowserAgent,
  hiddenFields,
  insertClient,
  page,
  QueryOverrides,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import { expectErrorPage, expectPageHeaders } from 'test/factories/oauth-authorize-assertions';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('GET /oauth2/authorize: validation and page headers (e2e)', () => {
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
      ['a NUL in state', () => path({ state: 'a\u0000b' }), /"state" contains a NUL character/],
      [
        'a NUL in client_id',
        () => path({ client_id: 'x\u0000' }),
        /"client_id" contains a NUL character/,
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
