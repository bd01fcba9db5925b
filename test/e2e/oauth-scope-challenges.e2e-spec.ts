import {
  authorizePath,
  BrowserAgent,
  insertClient,
  openSignedIn,
  pkcePair,
  redirectParams,
  submitConsent,
} from 'test/factories/oauth-authorize.factory';
import { exchangeCode, refresh } from 'test/factories/oauth-http';
import {
  createCode,
  createOAuthClient,
  demoIdentity,
  TestClient,
} from 'test/factories/oauth.factory';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const READ_TOOLS = [
  'access_list',
  'datacontract_get',
  'execute_query',
  'fetch',
  'search',
  'teams_list',
  'whoami',
];
const WRITE_TOOLS = [
  'access_approve',
  'access_cancel',
  'access_reject',
  'datacontract_save',
  'request_access',
];
const PRM_PATHS = [
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-protected-resource',
];
const AS_PATH = '/.well-known/oauth-authorization-server';

/** The scopes a `WWW-Authenticate` challenge names (RFC 6750 §3). */
const challengedScopes = (header: string | null): string[] =>
  (/(?:^|[ ,])scope="([^"]*)"/.exec(header ?? '')?.[1] ?? '').split(' ').filter(Boolean);

/**
 * MCP 2026-07-28 authorization, seen from a client: scope challenges (one challenge naming every
 * scope the operation needs), the scope hierarchy `mcp` ⊇ `mcp:write` ⊇ `mcp:read` honoured at
 * `/mcp`, and `offline_access` advertised nowhere but still accepted.
 */
describe('MCP 2026-07-28: scope challenges, scope hierarchy and offline_access (e2e)', () => {
  let t: TestApp;

  /** An access token for a grant of exactly `scope`, from the real token endpoint. */
  async function accessToken(email: string, scope: string): Promise<string> {
    const client = await createOAuthClient(t.app);
    const code = await createCode(t.app, client, await demoIdentity(t.app, email), { scope });
    const res = await exchangeCode(t.url, client, code);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe(scope);
    return res.body.access_token as string;
  }

  /** The whole browser flow: authorize, sign in, Allow, code → tokens. */
  async function authorizeInBrowser(
    email: string,
    scope: string,
  ): Promise<{ client: TestClient; tokens: Record<string, any>; consentHtml: string }> {
    const inserted = await insertClient(t.dataSource);
    const client: TestClient = { ...inserted, method: 'none' };
    const { verifier, challenge } = pkcePair();
    const agent = new BrowserAgent(t.url);
    const consent = await openSignedIn(
      agent,
      authorizePath(inserted, t.config.mcpResource, {
        scope,
        code_challenge: challenge,
        prompt: 'consent',
      }),
      email,
      DEMO_PASSWORD,
    );
    expect(consent.res.status).toBe(200);
    const answer = await submitConsent(agent, consent.html, 'allow');
    expect(answer.status).toBe(303);
    const params = redirectParams(answer.headers.get('location'));
    expect(params.iss).toBe(t.config.oauth.issuer);
    const res = await exchangeCode(t.url, client, {
      code: params.code,
      verifier,
      grantId: '',
      redirectUri: inserted.redirectUris[0],
      resource: t.config.mcpResource,
      scope,
    });
    expect(res.status).toBe(200);
    return { client, tokens: res.body as Record<string, any>, consentHtml: consent.html };
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function listTools(token: string): Promise<string[]> {
    const res = await mcpPost(
      t.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      bearer(token),
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    return (body.result.tools as Array<{ name: string }>).map((x) => x.name).sort();
  }

  const agreements = async (): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM access_agreements`))[0].n as number;

  const requestStock = (token: string, id: number) =>
    mcpPost(
      t.url,
      toolCall(
        'request_access',
        {
          dataProductId: 'stock-levels',
          outputPortId: 'stock_levels_v1',
          purpose: 'Compare stock levels with campaign demand',
        },
        id,
      ),
      bearer(token),
    );

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('offline_access (MCP 2026-07-28 › Refresh Tokens)', () => {
    it.each([...PRM_PATHS, AS_PATH])('should not be listed in %s', async (path) => {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain('offline_access');
      expect((JSON.parse(text) as { scopes_supported: string[] }).scopes_supported).toEqual([
        'mcp:read',
        'mcp:write',
        'mcp',
      ]);
    });

    it('should not be named by any challenge: none, invalid or insufficient credential', async () => {
      const readOnly = await accessToken('carol@acme.example', 'mcp:read');
      const answers = [
        await mcpPost(t.url, toolCall('whoami')),
        await mcpPost(t.url, toolCall('whoami'), bearer('not.a.token')),
        await requestStock(readOnly, 3),
      ];
      expect(answers.map((r) => r.status)).toEqual([401, 401, 403]);
      for (const res of answers) {
        const header = res.headers.get('www-authenticate');
        expect(header).toMatch(/^Bearer /);
        expect(header).not.toContain('offline_access');
        expect(challengedScopes(header)).toEqual(['mcp:read', 'mcp:write']);
      }
    });

    it('should still be accepted, and ignored, at the authorization and token endpoints', async () => {
      const { client, tokens, consentHtml } = await authorizeInBrowser(
        'bob@acme.example',
        'mcp:read offline_access',
      );
      expect(consentHtml).not.toContain('id="permission-write"');
      expect(tokens.scope).toBe('mcp:read');
      expect(typeof tokens.refresh_token).toBe('string');
      const refreshed = await refresh(t.url, client, tokens.refresh_token as string, {
        scope: 'mcp:read offline_access',
        resource: t.config.mcpResource,
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.scope).toBe('mcp:read');
    });
  });

  describe('the scope hierarchy at /mcp (MCP 2026-07-28 › Step-Up Authorization Flow)', () => {
    it('should list the read tools only for mcp:read, and every tool for mcp:write and for mcp', async () => {
      expect(await listTools(await accessToken('carol@acme.example', 'mcp:read'))).toEqual(
        READ_TOOLS,
      );
      const all = [...READ_TOOLS, ...WRITE_TOOLS].sort();
      expect(await listTools(await accessToken('carol@acme.example', 'mcp:write'))).toEqual(all);
      expect(await listTools(await accessToken('carol@acme.example', 'mcp'))).toEqual(all);
    });

    it.each(['mcp:read', 'mcp:write', 'mcp'])(
      'should let a %s token call read tools',
      async (scope) => {
        const token = await accessToken('carol@acme.example', scope);
        for (const [name, args] of [
          ['whoami', {}],
          ['search', { query: 'orders' }],
        ] as const) {
          const res = await mcpPost(t.url, toolCall(name, args, 5), bearer(token));
          expect(res.status).toBe(200);
          const body = await json(res);
          expect(body.id).toBe(5);
          expect(body.error).toBeUndefined();
          expect(body.result.isError).toBeFalsy();
        }
      },
    );

    it.each([
      ['mcp:write', 'carol@acme.example'],
      ['mcp', 'bob@acme.example'],
    ])('should let a %s token call a write tool', async (scope, email) => {
      const token = await accessToken(email, scope);
      const before = await agreements();
      const res = await requestStock(token, 6);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.error).toBeUndefined();
      expect(body.result.isError).toBeFalsy();
      expect(body.result.structuredContent.created).toBe(true);
      expect(await agreements()).toBe(before + 1);
    });

    it('should refuse a write tool to an mcp:read token with one 403 insufficient_scope challenge, before any side effect', async () => {
      const token = await accessToken('carol@acme.example', 'mcp:read');
      const before = await agreements();
      const res = await requestStock(token, 42);
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer error="insufficient_scope", scope="mcp:read mcp:write", resource_metadata="${t.url}/.well-known/oauth-protected-resource/mcp", error_description="request_access requires mcp:write: this connection is read-only. Reconnect the app and allow it to make changes."`,
      );
      const body = await json(res);
      expect(body.id).toBe(42);
      expect(body.error.message).toMatch(/requires mcp:write/);
      expect(await agreements()).toBe(before);
    });

    it('should succeed after one step-up: the union of the granted and the challenged scopes', async () => {
      const first = await authorizeInBrowser('dave@acme.example', 'mcp:read');
      expect(first.tokens.scope).toBe('mcp:read');
      const refused = await requestStock(first.tokens.access_token as string, 7);
      expect(refused.status).toBe(403);

      // The client's part (MCP 2026-07-28 › Step-Up Authorization Flow, step 2).
      const union = [
        ...new Set([
          ...'mcp:read'.split(' '),
          ...challengedScopes(refused.headers.get('www-authenticate')),
        ]),
      ].join(' ');
      const second = await authorizeInBrowser('dave@acme.example', union);
      expect(second.tokens.scope).toBe('mcp:read mcp:write');
      const before = await agreements();
      const retried = await requestStock(second.tokens.access_token as string, 8);
      expect(retried.status).toBe(200);
      expect((await json(retried)).result.isError).toBeFalsy();
      expect(await agreements()).toBe(before + 1);
    });
  });
});
