import { sha256Hex } from 'src/common/crypto';
import { OrganizationsService } from 'src/users/organizations.service';
import {
  authorizePath,
  BrowserAgent,
  insertClient,
  openSignedIn,
  page,
  pkcePair,
  QueryOverrides,
  redirectParams,
  submitConsent,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const REDIRECT = 'http://127.0.0.1:9999/callback';

/**
 * Remembered consent: a live grant for the same (user, client, organization) that covers the request
 * skips the consent page, unless prompt=consent or the organization is ambiguous. Every code still
 * completes the request's own interaction.
 */
describe('/oauth2/authorize: remembered consent (e2e)', () => {
  let t: TestApp;
  let client: TestClient;
  let orgs: { acme: string };

  const path = (overrides: QueryOverrides = {}, c: TestClient = client) =>
    authorizePath(c, t.config.mcpResource, overrides);

  async function consentFor(
    email: string,
    overrides: QueryOverrides = {},
    c: TestClient = client,
  ): Promise<{ agent: BrowserAgent; html: string; res: Response }> {
    const agent = new BrowserAgent(t.url);
    const reached = await openSignedIn(agent, path(overrides, c), email, DEMO_PASSWORD);
    return { agent, ...reached };
  }

  beforeAll(async () => {
    t = await startTestApp();
    client = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    orgs = { acme: (await t.app.get(OrganizationsService).getBySlug('acme')).id };
  });
  afterAll(async () => {
    await t.close();
  });

  it('should skip the consent page when a live grant covers the request, through a new interaction', async () => {
    const own = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const first = await consentFor('alice@acme.example', {}, own);
    expect(first.html).toContain('<h1>Allow access?</h1>');
    expect((await submitConsent(first.agent, first.html, 'allow')).status).toBe(303);

    // Same browser, new request: straight back to the client with a fresh code.
    const { challenge } = pkcePair();
    const res = await first.agent.get(
      path({ state: 'again', code_challenge: challenge, scope: 'mcp:read' }, own),
    );
    expect(res.status).toBe(303);
    const params = redirectParams(res.headers.get('location'));
    expect(params.state).toBe('again');
    expect(params.iss).toBe(t.config.oauth.issuer);
    const [row] = await t.dataSource.query(
      `SELECT c.scope, c.code_challenge, i.completed_at IS NOT NULL AS completed
         FROM oauth_authorization_codes c
         JOIN oauth_interactions i ON i.client_id = c.client_id AND i.code_challenge = c.code_challenge
        WHERE c.code_hash = $1`,
      [sha256Hex(params.code)],
    );
    expect(row).toEqual({ scope: 'mcp:read', code_challenge: challenge, completed: true });

    // A new browser signing in also skips it, right after the sign-in.
    const other = await consentFor('alice@acme.example', {}, own);
    expect(other.res.status).toBe(303);
    const afterSignIn = redirectParams(other.res.headers.get('location'));
    expect(afterSignIn.code).toBeDefined();
    expect(afterSignIn.iss).toBe(t.config.oauth.issuer);
  });

  it('should show the consent page again with prompt=consent', async () => {
    const own = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const first = await consentFor('alice@acme.example', {}, own);
    await submitConsent(first.agent, first.html, 'allow');
    const res = await first.agent.get(path({ prompt: 'consent' }, own));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Allow access?</h1>');
    const listed = await first.agent.get(path({ prompt: 'login consent' }, own));
    expect(listed.status).toBe(200);
    const other = await first.agent.get(path({ prompt: 'none' }, own));
    expect(other.status).toBe(303);
  });

  it('should ask again when the request is wider than the grant', async () => {
    const own = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const first = await consentFor('alice@acme.example', {}, own);
    await submitConsent(first.agent, first.html, 'allow', { permission: undefined });
    const res = await first.agent.get(path({ scope: 'mcp:read mcp:write' }, own));
    expect(res.status).toBe(200);
    const umbrella = await first.agent.get(path({ scope: 'mcp' }, own));
    expect(umbrella.status).toBe(200);
  });

  it('should ask again for another client with the same name', async () => {
    const a = await insertClient(t.dataSource, { clientName: 'Twin', redirectUris: [REDIRECT] });
    const b = await insertClient(t.dataSource, { clientName: 'Twin', redirectUris: [REDIRECT] });
    const first = await consentFor('alice@acme.example', {}, a);
    await submitConsent(first.agent, first.html, 'allow');
    const res = await first.agent.get(path({}, b));
    expect(res.status).toBe(200);
  });

  it('should not skip consent for carol, whose organization is ambiguous', async () => {
    const own = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const first = await consentFor('carol@acme.example', {}, own);
    await submitConsent(first.agent, first.html, 'allow', { organization: orgs.acme });
    const res = await first.agent.get(path({}, own));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<select id="organization"');
  });

  it('should ask again once the grant is revoked', async () => {
    const own = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const first = await consentFor('alice@acme.example', {}, own);
    await submitConsent(first.agent, first.html, 'allow');
    await t.dataSource.query(`UPDATE oauth_grants SET revoked_at = now() WHERE client_id = $1`, [
      own.id,
    ]);
    const res = await first.agent.get(path({}, own));
    expect(res.status).toBe(200);
    const { html } = await page(res);
    expect(html).toContain('<h1>Allow access?</h1>');
  });
});
