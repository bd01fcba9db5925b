import { sign } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';
import { GrantService } from 'src/oauth/grants/grant.service';
import { AuditService } from 'src/audit/audit.service';
import { MetricsService } from 'src/metrics/metrics.service';
import { removeMember } from 'test/factories/identity.factory';
import { authorizeWithForms } from 'test/support/oauth-browserless';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { TestOAuthProvider } from 'test/support/oauth-provider';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

type Structured = Record<string, any>;

/** Runs the SDK client's whole OAuth flow: 401 → discovery → DCR → authorize (forms) → token. */
async function connectWithOAuth(
  t: TestApp,
  provider: TestOAuthProvider,
  choice: { email: string; organization?: string; write?: boolean },
): Promise<{ client: Client; redirect: URL }> {
  const url = new URL(`${t.url}/mcp`);
  const first = new Client({ name: 'sdk-oauth-e2e', version: '1.0.0' });
  await expect(
    first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })),
  ).rejects.toThrow(UnauthorizedError);
  expect(provider.authorizationUrl).toBeDefined();
  const redirect = await authorizeWithForms(provider.authorizationUrl!, {
    email: choice.email,
    password: DEMO_PASSWORD,
    organization: choice.organization,
    write: choice.write,
  });
  const code = redirect.searchParams.get('code');
  expect(code).toBeTruthy();
  const finishing = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await finishing.finishAuth(code!);
  const client = new Client({ name: 'sdk-oauth-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return { client, redirect };
}

/** An access token signed with the server's own key but expired long ago (beyond the leeway). */
function expiredTokenLike(t: TestApp, valid: string): string {
  const claims = JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString()) as Structured;
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, iat: now - 1200, exp: now - 300 };
  const { kid, privateKey } = t.app.get(SigningKeyService).signingKey();
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'ES256', typ: 'at+jwt', kid })}.${enc(payload)}`;
  const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

describe('the SDK client’s OAuth flow end to end (e2e)', () => {
  let t: TestApp;
  const open: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await t.close();
  });

  it('should register, authorize, exchange the code, call tools and refresh after expiry', async () => {
    const provider = new TestOAuthProvider();
    const { client, redirect } = await connectWithOAuth(t, provider, {
      email: 'carol@acme.example',
      organization: 'Globex Financial',
    });
    open.push(client);
    expect(redirect.origin + redirect.pathname).toBe(provider.redirectUri);
    expect(redirect.searchParams.get('state')).toBe(provider.stateValue);
    expect(redirect.searchParams.get('iss')).toBe(t.url);
    expect(provider.client?.client_id).toBeTruthy();
    expect(provider.savedTokens?.refresh_token).toBeTruthy();

    const who = await client.callTool({ name: 'whoami', arguments: {} });
    const s = who.structuredContent as Structured;
    expect(s.organization.slug).toBe('globex');
    expect(s.authMethod).toBe('oauth');
    expect(s.scopes.sort()).toEqual(['mcp:read', 'mcp:write']);
    const search = await client.callTool({ name: 'search', arguments: { query: '*' } });
    expect((search.structuredContent as Structured).results.map((r: Structured) => r.id)).toContain(
      'payments',
    );

    // The access token expires: the next call gets 401 invalid_token, the SDK refreshes and retries.
    const oldRefresh = provider.savedTokens!.refresh_token;
    provider.savedTokens = {
      ...provider.savedTokens!,
      access_token: expiredTokenLike(t, provider.savedTokens!.access_token),
    };
    const raw = await mcpPost(t.url, toolCall('whoami'), {
      authorization: `Bearer ${provider.savedTokens.access_token}`,
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const reconnected = new Client({ name: 'sdk-oauth-e2e', version: '1.0.0' });
    await reconnected.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { authProvider: provider }),
    );
    open.push(reconnected);
    const again = await reconnected.callTool({ name: 'whoami', arguments: {} });
    expect((again.structuredContent as Structured).organization.slug).toBe('globex');
    expect(provider.savedTokens.refresh_token).not.toBe(oldRefresh);
  });

  it('should audit token issuance, refresh and refresh-token reuse, and count them in metrics', async () => {
    const provider = new TestOAuthProvider();
    const { client } = await connectWithOAuth(t, provider, { email: 'frank@globex.example' });
    await client.close();
    const first = provider.savedTokens!.refresh_token!;
    const form = (refresh: string) =>
      fetch(`${t.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_id: provider.client!.client_id,
        }),
      });
    const r1 = await json(await form(first));
    const r2 = await json(await form(r1.refresh_token));
    expect(r2.refresh_token).toBeTruthy();
    // `first` is now two generations old: reuse revokes the grant.
    const reuse = await form(first);
    expect(reuse.status).toBe(400);
    expect((await json(reuse)).error).toBe('invalid_grant');
    const audit = t.app.get(AuditService);
    await audit.flush();
    const rows: Array<{ type: string; actor_client_id: string }> = await t.dataSource.query(
      `SELECT type, actor_client_id FROM audit_events WHERE actor_client_id = $1 ORDER BY created_at`,
      [provider.client!.client_id],
    );
    const types = rows.map((r) => r.type);
    expect(types).toContain('oauth.token.issued');
    expect(types.filter((x) => x === 'oauth.token.refreshed').length).toBeGreaterThanOrEqual(2);
    expect(types).toContain('oauth.refresh_reuse.detected');
    const text = await t.app.get(MetricsService).registry.metrics();
    expect(text).toMatch(/oauth_refresh_token_reuse_total [1-9]/);
    expect(text).toMatch(/oauth_tokens_issued_total\{grant_type="refresh_token"\} [1-9]/);
    expect(JSON.stringify(rows)).not.toContain(first);
    const frank = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'frank@globex.example'`,
    );
    const flow: Array<{ type: string }> = await t.dataSource.query(
      `SELECT type FROM audit_events WHERE actor_user_id = $1`,
      [frank[0].id],
    );
    expect(flow.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'auth.sign_in.succeeded',
        'oauth.consent.granted',
        'oauth.code.issued',
      ]),
    );
  });

  it('should honour a read-only grant: seven tools, and the write step-up challenge', async () => {
    const provider = new TestOAuthProvider();
    const { client } = await connectWithOAuth(t, provider, {
      email: 'alice@acme.example',
      write: false,
    });
    open.push(client);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(7);
    expect(tools.every((x) => x.annotations?.readOnlyHint)).toBe(true);
    const res = await mcpPost(
      t.url,
      toolCall(
        'request_access',
        { dataProductId: 'orders', outputPortId: 'orders_npii_v1', purpose: 'Testing step-up' },
        9,
      ),
      {
        authorization: `Bearer ${provider.savedTokens!.access_token}`,
      },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="mcp:read mcp:write"');
    expect((await json(res)).id).toBe(9);
  });

  it('should stop a token when its grant is revoked or the member is removed', async () => {
    const provider = new TestOAuthProvider();
    const { client } = await connectWithOAuth(t, provider, { email: 'dave@acme.example' });
    await client.close();
    const token = provider.savedTokens!.access_token;
    const ok = await mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
    ) as Structured;
    await t.app.get(GrantService).revoke(claims.grant_id, 'test');
    const revoked = await mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${token}` });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    const p2 = new TestOAuthProvider();
    const second = await connectWithOAuth(t, p2, { email: 'bob@acme.example' });
    await second.client.close();
    await removeMember(t.app, 'acme', 'bob@acme.example');
    const removed = await mcpPost(t.url, toolCall('whoami'), {
      authorization: `Bearer ${p2.savedTokens!.access_token}`,
    });
    expect(removed.status).toBe(401);
  });

  it('should refuse MCP access tokens at the admin API and API keys as bearer tokens', async () => {
    const provider = new TestOAuthProvider();
    const { client } = await connectWithOAuth(t, provider, { email: 'erin@globex.example' });
    await client.close();
    const res = await fetch(`${t.url}/api/v1/api-keys`, {
      headers: { authorization: `Bearer ${provider.savedTokens!.access_token}` },
    });
    expect(res.status).toBe(401);
    expect((await json(res)).message).toMatch(/only by the MCP endpoint/);
  });
});
