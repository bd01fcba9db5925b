import { auditEvents } from 'test/factories/admin.factory';
import { createOrganization } from 'test/factories/identity.factory';
import {
  authorizePath,
  BrowserAgent,
  insertClient,
  page,
  submitSignIn,
} from 'test/factories/oauth-authorize.factory';
import {
  alertText,
  formActions,
  PAGE_SECURITY_HEADERS,
  SettingsClient,
  switcherOptions,
} from 'test/support/settings-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

/**
 * The settings pages' door: sign-in (same message, throttle, "return to"), CSRF and same-origin
 * checks on every POST, the organization switcher, sign-out, and the page headers.
 */
describe('settings pages: sign-in, CSRF and organizations (e2e)', () => {
  let t: TestApp;
  const client = () => new SettingsClient(t.url);

  async function signedIn(email: string): Promise<SettingsClient> {
    const c = client();
    const res = await c.signIn(email);
    expect(res.status).toBe(303);
    return c;
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should send a visitor without a session to the sign-in page and back to the page asked for', async () => {
    const c = client();
    const entry = await c.get('/settings');
    expect(entry.status).toBe(303);
    expect(entry.location).toBe('/settings/sign-in');
    for (const path of ['/settings/api-keys', '/settings/connected-apps', '/settings/mcp']) {
      const res = await c.get(path);
      expect(res.status).toBe(303);
      expect(res.location).toBe(`/settings/sign-in?return_to=${encodeURIComponent(path)}`);
    }
    const members = await c.get('/settings/members');
    const page = await c.get(members.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="email">Email</label>');
    expect(page.html).toContain('<label for="password">Password</label>');
    expect(page.html).toContain('>Sign in</button>');
    const login = await c.submit(page.html, '/settings/sign-in', {
      email: 'alice@acme.example',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/settings/members');
    expect((await c.get('/settings')).location).toBe('/settings/api-keys');
    expect((await c.get('/settings/members')).status).toBe(200);
  });

  it('should give one message for a wrong password and an unknown email, then throttle', async () => {
    const wrong = await client().signIn('bob@acme.example', 'not-the-password');
    const unknown = await client().signIn('nobody@acme.example', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(alertText(wrong.html)).toBe('The email address or password is incorrect.');
    expect(alertText(unknown.html)).toBe(alertText(wrong.html));
    expect(wrong.html).toContain('value="bob@acme.example"');
    for (let i = 0; i < 5; i++) await client().signIn('frank@globex.example', 'wrong');
    const blocked = await client().signIn('frank@globex.example', DEMO_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(alertText(blocked.html)).toMatch(/Too many failed sign-in attempts/);

    // The same counters as the OAuth sign-in: the authorization page refuses frank too.
    const agent = new BrowserAgent(t.url);
    const oauthClient = await insertClient(t.dataSource);
    const signInPage = await page(
      await agent.get(authorizePath(oauthClient, t.config.mcpResource)),
    );
    const oauth = await submitSignIn(agent, signInPage.html, 'frank@globex.example', DEMO_PASSWORD);
    expect(oauth.status).toBe(429);

    const failed = await auditEvents(t.app, t.dataSource, null, 'auth.sign_in.failed');
    expect(failed.filter((e) => e.details.via === 'settings').length).toBeGreaterThanOrEqual(6);
    expect((await client().signIn('erin@globex.example')).status).toBe(303);
    const ok = await auditEvents(t.app, t.dataSource, null, 'auth.sign_in.succeeded');
    expect(ok.some((e) => e.details.via === 'settings')).toBe(true);
  });

  it('should return only to a path of the settings pages after sign-in', async () => {
    const evil = [
      'https://evil.example/settings',
      '//evil.example/settings',
      '/settings/../oauth2/authorize',
      '/\\evil.example',
      '/settings/%2F%2Fevil.example',
      '/docs',
    ];
    for (const returnTo of evil) {
      const res = await client().signIn('dave@acme.example', DEMO_PASSWORD, returnTo);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/settings/api-keys');
    }
    const ok = await client().signIn('dave@acme.example', DEMO_PASSWORD, '/settings/mcp');
    expect(ok.location).toBe('/settings/mcp');
  });

  it('should refuse posts without the CSRF token, with a foreign one, or from another origin', async () => {
    const c = await signedIn('carol@acme.example');
    const other = await signedIn('dave@acme.example');
    const html = await c.html('/settings/api-keys');
    const [globex] = switcherOptions(html).filter((o) => o.label === 'Globex Financial');
    const fields = { organization: globex.value, return_to: '/settings/api-keys' };
    const { csrf_token: foreign } = (await other.html('/settings/api-keys')).match(
      /name="csrf_token" value="(?<csrf_token>[^"]+)"/,
    )!.groups!;

    const refused = [
      await c.post('/settings/organization', fields),
      await c.post('/settings/organization', { ...fields, csrf_token: foreign }),
      await c.submit(html, '/settings/organization', fields, { origin: 'https://evil.example' }),
      await c.submit(html, '/settings/organization', fields, { origin: 'null' }),
      await c.submit(html, '/settings/organization', fields, { origin: null }),
      await c.submit(html, '/settings/organization', fields, {
        origin: null,
        headers: { referer: 'https://evil.example/settings' },
      }),
      await c.submit(html, '/settings/sign-out', {}, { origin: 'https://evil.example' }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.html).toContain('This form has expired');
    }
    // Nothing changed: still Acme Retail, still signed in.
    expect(switcherOptions(await c.html('/settings/api-keys')).find((o) => o.selected)?.label).toBe(
      'Acme Retail',
    );
    const viaReferer = await c.submit(html, '/settings/organization', fields, {
      origin: null,
      headers: { referer: `${t.url}/settings/api-keys` },
    });
    expect(viaReferer.status).toBe(303);
  });

  it('should offer only the person’s organizations and refuse a tampered id with 403', async () => {
    const c = await signedIn('carol@acme.example');
    const html = await c.html('/settings/connected-apps');
    const options = switcherOptions(html);
    expect(options.map((o) => o.label)).toEqual(['Acme Retail', 'Globex Financial']);
    expect(options.find((o) => o.selected)?.label).toBe('Acme Retail');
    expect(html).toContain('<label for="switch-organization">Organization</label>');

    const globex = options.find((o) => o.label === 'Globex Financial')!.value;
    const switched = await c.submit(html, '/settings/organization', { organization: globex });
    expect(switched.status).toBe(303);
    expect(switched.location).toBe('/settings/connected-apps');
    const after = await c.html('/settings/connected-apps');
    expect(switcherOptions(after).find((o) => o.selected)?.label).toBe('Globex Financial');

    const foreign = await createOrganization(t.app, 'foreign');
    for (const organization of [foreign.id, 'not-a-uuid', '']) {
      const res = await c.submit(after, '/settings/organization', { organization });
      expect(res.status).toBe(403);
      expect(alertText(res.html)).toBe('You are not a member of that organization.');
    }
    const stillGlobex = await c.html('/settings/api-keys');
    expect(switcherOptions(stillGlobex).find((o) => o.selected)?.label).toBe('Globex Financial');
  });

  it('should sign out with a POST: the old cookie no longer opens a page', async () => {
    const c = await signedIn('bob@acme.example');
    const html = await c.html('/settings/api-keys');
    expect(formActions(html)).toContain('/settings/sign-out');
    const stolen = new SettingsClient(t.url);
    for (const [k, v] of c.cookies) stolen.cookies.set(k, v);
    const out = await c.submit(html, '/settings/sign-out');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/settings/sign-in');
    expect((await stolen.get('/settings/api-keys')).status).toBe(303);
    expect((await c.get('/settings/api-keys')).status).toBe(303);
  });

  it('should send anti-framing, CSP and no-store headers on every page, errors included', async () => {
    const c = await signedIn('alice@acme.example');
    const bob = await signedIn('bob@acme.example');
    const pages = [
      await client().get('/settings/sign-in'),
      await c.get('/settings/api-keys'),
      await c.get('/settings/connected-apps'),
      await c.get('/settings/mcp'),
      await c.get('/settings/members'),
      await bob.get('/settings/members'),
      await c.get('/settings/api-keys/not-a-uuid/revoke?organization=x'),
      await c.post('/settings/api-keys', { name: 'x' }),
      await c.get('/settings'),
    ];
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 403, 403, 403, 303]);
    // The set-up page has copy buttons: it loads the one same-origin settings script, and its CSP
    // allows that script only ('self', no inline code); the others load none.
    const copyScript = '<script src="/settings/assets/copy-key.js" defer></script>';
    for (const page of pages) {
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) {
        expect(page.res.headers.get(name)).toBe(value);
      }
      expect(page.res.headers.get('referrer-policy')).toBe('same-origin');
      if (page.status === 303) continue;
      const csp = page.res.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-');
      const withScript = page === pages[3];
      if (withScript) expect(csp).toContain("script-src 'self'");
      else expect(csp).not.toContain('script-src');
      const html = withScript ? page.html.split(copyScript).join('') : page.html;
      if (withScript) expect(html.length).toBe(page.html.length - copyScript.length);
      expect(html).not.toMatch(/<script|\son[a-z]+=|(src|href)="(https?:)?\/\//i);
    }
  });

  it('should refuse the members page to a member with a 403 page and hide its link', async () => {
    const bob = await signedIn('bob@acme.example');
    const html = await bob.html('/settings/api-keys');
    expect(html).not.toContain('href="/settings/members"');
    const res = await bob.get('/settings/members');
    expect(res.status).toBe(403);
    expect(alertText(res.html)).toBe(
      'Only owners and admins of Acme Retail can see and manage its members.',
    );
    expect(res.html).toContain('Signed in as <strong>bob@acme.example</strong>');
    const post = await bob.submit(html, '/settings/organization', {}, {});
    expect(post.status).toBe(403);
  });

  it('should show the set-up page with this server’s real URLs', async () => {
    const c = await signedIn('dave@acme.example');
    const html = await c.html('/settings/mcp');
    const url = `${t.url}/mcp`;
    expect(html).toContain(`<code class="mcp-url">${url}</code>`);
    expect(html).toContain(
      `claude mcp add --transport http catalog ${url} --header &quot;x-api-key: ed_…your API key…&quot;`,
    );
    expect(html).toContain(`<code>${t.url}/oauth2/authorize</code>`);
    expect(html).toContain(`<code>${t.url}/oauth2/token</code>`);
    expect(html).toContain(`<code>${t.url}/register</code>`);
    expect(html).toContain('required, S256 only');
    expect(html).toContain('<code>mcp:read</code> <code>mcp:write</code> <code>mcp</code>');
    for (const client of [
      'Claude',
      'ChatGPT',
      'Microsoft Copilot',
      'VS Code',
      'Cursor',
      'Claude Code',
    ]) {
      expect(html).toMatch(new RegExp(`<h2 id="[a-z-]+">${client}\\b`));
    }
    expect(html).toContain('claude_desktop_config.json');
    expect(html).toContain('&quot;url&quot;: &quot;' + url + '&quot;');
  });

  it('should answer malformed input with 4xx pages, never a 500', async () => {
    const c = await signedIn('alice@acme.example');
    const html = await c.html('/settings/api-keys');
    const csrf = html.match(/name="csrf_token" value="([^"]+)"/)![1];
    const cases: Array<[Promise<{ status: number }>, number]> = [
      [c.get('/settings/api-keys/00000000-0000-4000-8000-000000000000/revoke'), 403],
      [c.post('/settings/api-keys', { csrf_token: [csrf, csrf], name: 'x' }), 400],
      [c.post('/settings/api-keys', { csrf_token: csrf, name: 'x'.repeat(2000) }), 400],
      [c.post('/settings/api-keys', { csrf_token: csrf, name: '' }), 400],
      [
        c.post('/settings/api-keys', { csrf_token: csrf, name: 'x', expires_on: '2020-02-30' }),
        400,
      ],
      [c.post('/settings/members/not-a-uuid/role', { csrf_token: csrf, role: 'admin' }), 404],
      [
        c.post('/settings/members', { csrf_token: csrf, email: 'x@y.example', role: 'emperor' }),
        400,
      ],
      [c.post('/settings/connected-apps/nope/revoke', { csrf_token: csrf }), 403],
      [
        fetch(`${t.url}/settings/organization`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: c.origin },
          body: '{"csrf_token":{"$ne":null}}',
        }),
        403,
      ],
    ];
    for (const [res, status] of cases) expect((await res).status).toBe(status);
  });
});
