import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionService } from 'src/oauth/authorize/session.service';
import {
  authorizePath,
  BrowserAgent,
  hiddenFields,
  insertClient,
  openSignedIn,
  page,
  redirectParams,
  submitConsent,
  submitSignIn,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

/**
 * Browser sessions behind an https PUBLIC_URL with a base path (as behind a reverse proxy that strips
 * `/catalog`): `__Host-session` + Secure, form actions and redirects under the base path, the https
 * issuer in `iss`, and SessionService.signOut.
 */
describe('browser sessions behind https://auth.example.com/catalog (e2e)', () => {
  const PUBLIC_URL = 'https://auth.example.com/catalog';
  let t: TestApp;
  let client: TestClient;

  /** What the proxy does: the public path /catalog/… reaches the app as /…. */
  const proxied = (publicPath: string) => publicPath.replace(/^\/catalog/, '');

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
    client = await insertClient(t.dataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should name the cookie __Host-session and mark it Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const res = await fetch(`${t.url}${authorizePath(client, t.config.mcpResource)}`);
    expect(res.status).toBe(200);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split('; ').slice(1).sort();
    expect(attributes).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
  });

  it('should run the whole flow under the base path and answer with the https issuer', async () => {
    expect(t.config.mcpResource).toBe(`${PUBLIC_URL}/mcp`);
    const agent = new BrowserAgent(t.url);
    const signIn = await page(await agent.get(authorizePath(client, t.config.mcpResource)));
    expect(signIn.html).toContain('action="/catalog/oauth2/authorize/login"');
    expect(signIn.html).toContain('href="/catalog/oauth2/assets/style.css"');
    expect(agent.cookies.has('__Host-session')).toBe(true);

    const login = await submitSignIn(agent, signIn.html, 'alice@acme.example', DEMO_PASSWORD);
    expect(login.status).toBe(303);
    const next = login.headers.get('location')!;
    expect(next).toMatch(/^\/catalog\/oauth2\/authorize\/consent\?interaction=/);
    expect(login.headers.getSetCookie()[0]).toMatch(/^__Host-session=.*; Secure/);

    const consent = await page(await agent.get(proxied(next)));
    expect(consent.html).toContain('action="/catalog/oauth2/authorize/consent"');
    const res = await submitConsent(agent, consent.html, 'allow');
    expect(res.status).toBe(303);
    expect(redirectParams(res.headers.get('location')).iss).toBe(PUBLIC_URL);
  });

  it('should accept the resource by its public URL only', async () => {
    const ok = await fetch(`${t.url}${authorizePath(client, t.config.mcpResource)}`);
    expect(ok.status).toBe(200);
    const local = await fetch(
      `${t.url}${authorizePath(client, t.config.mcpResource, { resource: `${t.url}/mcp` })}`,
    );
    expect(local.status).toBe(400);
  });

  it('should end a session with signOut: the row goes, the cookie is cleared, the old value is dead', async () => {
    const agent = new BrowserAgent(t.url);
    const reached = await openSignedIn(
      agent,
      authorizePath(client, t.config.mcpResource, { prompt: 'consent' }),
      'bob@acme.example',
      DEMO_PASSWORD,
      proxied,
    );
    expect(hiddenFields(reached.html).interaction).toBeDefined();
    const sessions = t.app.get(SessionService);
    const req = {
      headers: { cookie: `other=1; __Host-session=${agent.cookies.get('__Host-session')}` },
    } as unknown as FastifyRequest;
    const session = await sessions.find(req);
    expect(session?.user?.email).toBe('bob@acme.example');

    const headers = new Map<string, unknown>();
    const reply = {
      getHeader: (name: string) => headers.get(name),
      removeHeader: (name: string) => headers.delete(name),
      header: (name: string, value: unknown) => headers.set(name, value) && reply,
    } as unknown as FastifyReply;
    await sessions.signOut(session!, reply);
    expect(headers.get('set-cookie')).toBe(
      '__Host-session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax; Secure',
    );
    expect(await sessions.find(req)).toBeNull();
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM oauth_interactions WHERE id = $1`,
      [hiddenFields(reached.html).interaction],
    );
    expect(n).toBe(0);
    // The browser's next consent POST finds no session: 403, nothing issued.
    const res = await submitConsent(agent, reached.html, 'allow');
    expect(res.status).toBe(403);
  });
});
