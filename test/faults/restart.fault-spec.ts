import { BrowserAgent, page } from 'test/factories/oauth-authorize.factory';
import { refresh, tokenRequest } from 'test/factories/oauth-http';
import type { TestClient, TestCode } from 'test/factories/oauth.factory';
import { memberWithKey } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { freePort } from 'test/support/test-app';
import {
  authorizeCode,
  bearer,
  Person,
  registerClient,
  Tokens,
  tokensFor,
} from 'test/faults/support/oauth-flow';
import { openFixtures, Server, startServer, stopAll } from 'test/faults/support/server';
import { FreshDatabase, freshDatabase } from 'test/faults/support/shared-postgres';

/**
 * Restart (SIGTERM, start): nothing is lost. Everything is issued by one server process
 * through the real endpoints, then the process is stopped with SIGTERM and a new one started on the
 * same port and database: keys, clients, grants, consents, sessions, codes and tokens keep working,
 * and access tokens still verify (the signing key is stored, not regenerated at boot).
 */
describe('restart: SIGTERM, then a new process on the same database (fault)', () => {
  let db: FreshDatabase;
  let port: number;
  let url: string;
  let first: Server | undefined;
  let second: Server | undefined;
  const env = () => ({ DATABASE_URL: db.url, AUTH_CACHE_TTL_MS: '0' });

  // Issued before the restart.
  let key: string;
  let person: Person;
  let agent: BrowserAgent;
  let publicClient: TestClient;
  let confidentialClient: TestClient;
  let tokens: Tokens;
  let confidentialTokens: Tokens;
  let pendingCode: TestCode;
  let jwksBefore: unknown;

  const mcpWith = (headers: Record<string, string>) =>
    mcpPost(url, toolCall('whoami'), headers).then((r) => r.status);

  beforeAll(async () => {
    db = await freshDatabase('restart');
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    first = await startServer(env(), { port });
    const fixtures = await openFixtures(db.url);
    try {
      const m = await memberWithKey(fixtures);
      key = m.key;
      person = { email: m.user.email, password: m.user.password };
    } finally {
      await fixtures.close();
    }
    agent = new BrowserAgent(url);
    const resource = `${url}/mcp`;
    publicClient = await registerClient(url, 'none');
    confidentialClient = await registerClient(url, 'client_secret_basic');
    tokens = await tokensFor(
      url,
      publicClient,
      await authorizeCode(agent, publicClient, person, resource),
    );
    confidentialTokens = await tokensFor(
      url,
      confidentialClient,
      await authorizeCode(agent, confidentialClient, person, resource),
    );
    // A code issued just before the restart and redeemed after it (codes live 60 s).
    pendingCode = await authorizeCode(agent, publicClient, person, resource);
    jwksBefore = await (await fetch(`${url}/.well-known/jwks.json`)).json();
    expect(await mcpWith({ 'x-api-key': key })).toBe(200);
    expect(await mcpWith(bearer(tokens.access_token))).toBe(200);

    const exit = await first.stop('SIGTERM');
    expect(exit.code).toBe(0);
    second = await startServer(env(), { port });
  });

  afterAll(async () => {
    await stopAll(first, second);
    await db?.drop();
  });

  it('should publish the same signing key after the restart', async () => {
    expect(await (await fetch(`${url}/.well-known/jwks.json`)).json()).toEqual(jwksBefore);
  });

  it('should accept an access token issued before the restart', async () => {
    expect(await mcpWith(bearer(tokens.access_token))).toBe(200);
  });

  it('should accept an API key created before the restart', async () => {
    expect(await mcpWith({ 'x-api-key': key })).toBe(200);
  });

  it('should rotate a refresh token issued before the restart, for a public client', async () => {
    const res = await refresh(url, publicClient, tokens.refresh_token);
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(await mcpWith(bearer(res.body.access_token))).toBe(200);
  });

  it('should still authenticate a confidential client by the secret it registered before', async () => {
    const res = await refresh(url, confidentialClient, confidentialTokens.refresh_token);
    expect(res.status).toBe(200);
    const wrong = await refresh(
      url,
      { ...confidentialClient, secret: 'not-the-secret' },
      res.body.refresh_token,
    );
    expect({ status: wrong.status, error: wrong.body.error }).toEqual({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('should redeem a code issued by the previous process', async () => {
    const res = await tokenRequest(url, publicClient, {
      grant_type: 'authorization_code',
      code: pendingCode.code,
      code_verifier: pendingCode.verifier,
      redirect_uri: pendingCode.redirectUri,
      resource: pendingCode.resource,
    });
    expect(res.status).toBe(200);
    expect(await mcpWith(bearer(res.body.access_token))).toBe(200);
  });

  it('should keep the browser session and the consent: a new authorization needs no sign-in and no consent page', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: publicClient.clientId,
      redirect_uri: publicClient.redirectUris[0],
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
      state: 'after-restart',
      scope: 'mcp:read mcp:write',
      resource: `${url}/mcp`,
    });
    const res = (await page(await agent.get(`/oauth2/authorize?${q.toString()}`))).res;
    // Signed in and consented before: straight back to the client with a code.
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(publicClient.redirectUris[0]);
    expect(location.searchParams.get('code')).toBeTruthy();
  });
});
