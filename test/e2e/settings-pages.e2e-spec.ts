import { systemPrincipal } from 'src/auth/principal';
import { UsersService } from 'src/users/users.service';
import { authorizePath, insertClient } from 'test/factories/oauth-authorize.factory';
import { PAGE_SECURITY_HEADERS, SettingsClient } from 'test/support/settings-client';
import { startTestApp, TestApp } from 'test/support/test-app';

/** The settings area's own 404/405 pages, the pages' icon and where 404s stay JSON. */
describe('settings pages: not found, icon (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer an unknown settings page with an HTML 404 in the settings look', async () => {
    const c = new SettingsClient(t.url);
    const page = await c.get('/settings/nope/deeper?x=1');
    expect(page.status).toBe(404);
    expect(page.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const [k, v] of Object.entries(PAGE_SECURITY_HEADERS))
      expect(page.res.headers.get(k)).toBe(v);
    expect(page.res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.res.headers.get('content-security-policy')).not.toContain('script-src');
    expect(page.html).toContain('<h1>Page not found</h1>');
    expect(page.html).toContain('href="/settings/assets/settings.css"');
    expect(page.html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    expect(page.html).not.toContain('statusCode');
  });

  it('should show the navigation on the 404 page when signed in', async () => {
    const c = new SettingsClient(t.url);
    expect((await c.signIn('alice@acme.example')).status).toBe(303);
    const page = await c.get('/settings/api-keyz');
    expect(page.status).toBe(404);
    expect(page.html).toContain('<nav aria-label="Settings">');
  });

  it('should answer a wrong method on a settings page with 405 and Allow', async () => {
    const c = new SettingsClient(t.url);
    const page = await c.post('/settings/mcp', {});
    expect(page.status).toBe(405);
    expect(page.res.headers.get('allow')).toBe('GET, HEAD');
    expect(page.html).toContain('<h1>Method not allowed</h1>');
  });

  it('should keep the JSON 404 of the API and of paths next to /mcp', async () => {
    for (const path of ['/api/v1/nope', '/mcp/nope', '/nope']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/);
    }
  });

  it('should serve the icon as SVG at /favicon.svg and /favicon.ico', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it('should send the sign-in page opened under another loopback name to PUBLIC_URL', async () => {
    const port = new URL(t.url).port;
    const res = await fetch(`http://localhost:${port}/settings/sign-in?return_to=/settings/mcp`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${t.url}/settings/sign-in?return_to=/settings/mcp`);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('sign-in pages without any user (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should say on both sign-in pages that no user exists and how to create one', async () => {
    const c = new SettingsClient(t.url);
    const settings = await c.get('/settings/sign-in');
    expect(settings.status).toBe(200);
    expect(settings.html).toContain('No user exists yet.');
    expect(settings.html).toContain('npm run admin -- user:create --email you@example.com');
    const failed = await c.signIn('nobody@example.com', 'whatever-password');
    expect(failed.status).toBe(401);
    expect(failed.html).toContain('No user exists yet.');

    const client = await insertClient(t.dataSource);
    const oauth = await fetch(`${t.url}${authorizePath(client, t.config.mcpResource)}`);
    expect(oauth.status).toBe(200);
    expect(await oauth.text()).toContain('No user exists yet.');
  });

  it('should drop the notice once a user exists', async () => {
    await t.app
      .get(UsersService)
      .create(systemPrincipal(), { email: 'first@example.com', password: 'first-password' });
    const c = new SettingsClient(t.url);
    expect((await c.get('/settings/sign-in')).html).not.toContain('No user exists yet.');
    const client = await insertClient(t.dataSource);
    const path = authorizePath(client, t.config.mcpResource);
    await fetch(`${t.url}${path}`); // the OAuth page re-reads after rendering
    expect(await (await fetch(`${t.url}${path}`)).text()).not.toContain('No user exists yet.');
  });
});
