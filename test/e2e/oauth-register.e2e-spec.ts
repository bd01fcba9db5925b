import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  discoverAuthorizationServerMetadata,
  registerClient,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthClientInformationFullSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { ClientService } from 'src/oauth/clients/client.service';
import { createOrganization, createUser } from 'test/factories/identity.factory';
import { json } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

/** What an SDK 1.x client sends to `/register`. */
const SDK_BODY = {
  client_name: 'MCP CLI',
  redirect_uris: ['http://127.0.0.1:53682/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  scope: 'mcp:read mcp:write',
};

/** Claude.ai's confidential registration (`client_secret_post`). */
const CLAUDE_BODY = {
  client_name: 'Claude',
  redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
};

const CURSOR_URIS = [
  'cursor://anysphere.cursor-mcp/oauth/callback',
  'https://www.cursor.com/agents/mcp/oauth/callback',
  'http://localhost:8787/callback',
];

describe('POST /register (e2e)', () => {
  let t: TestApp;

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** The stored row, secret hash included (the entity hides it). */
  const row = async (clientId: string) =>
    (
      await t.dataSource.query<Record<string, any>[]>(
        `SELECT * FROM oauth_clients WHERE client_id = $1`,
        [clientId],
      )
    )[0];

  const expectRefusal = async (res: Response, status: number, error: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await json(res);
    expect(body.error).toBe(error);
    expect(typeof body.error_description).toBe('string');
    return body as { error: string; error_description: string };
  };

  beforeAll(async () => {
    // This suite registers far more than the per-IP limit allows; the limit has its own test below.
    t = await startTestApp({ SEED_DEMO: 'false', RATE_LIMITS: 'register=100000/1m' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('accepted registrations', () => {
    it('should register the typical SDK body as a public client the SDK schema accepts', async () => {
      const res = await post(SDK_BODY);
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const info = OAuthClientInformationFullSchema.parse(await json(res));
      expect(info.client_id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(info.client_secret).toBeUndefined();
      expect(info.client_secret_expires_at).toBeUndefined();
      expect(Math.abs(info.client_id_issued_at! - Date.now() / 1000)).toBeLessThan(60);
      expect(info).toMatchObject(SDK_BODY);
      const stored = await row(info.client_id);
      expect(stored.kind).toBe('dynamic');
      expect(stored.client_secret_hash).toBeNull();
      expect(stored.registered_ip).toBe('127.0.0.1');
    });

    it('should register through the SDK client’s own registerClient', async () => {
      const metadata = await discoverAuthorizationServerMetadata(t.config.oauth.issuer);
      const info = await registerClient(t.url, {
        metadata,
        clientMetadata: { ...SDK_BODY, redirect_uris: ['http://localhost:6274/oauth/callback'] },
      });
      expect(info.redirect_uris).toEqual(['http://localhost:6274/oauth/callback']);
      expect(await t.app.get(ClientService).findByClientId(info.client_id)).not.toBeNull();
    });

    it('should give Claude’s client_secret_post client a secret once, stored only as its SHA-256', async () => {
      const res = await post(CLAUDE_BODY);
      expect(res.status).toBe(201);
      const info = OAuthClientInformationFullSchema.parse(await json(res));
      expect(info.token_endpoint_auth_method).toBe('client_secret_post');
      expect(info.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(info.client_secret_expires_at).toBe(0);
      const stored = await row(info.client_id);
      expect(stored.client_secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.client_secret_hash).not.toBe(info.client_secret);
      expect(stored.client_secret_hash).toBe(
        createHash('sha256').update(info.client_secret!).digest('hex'),
      );
      expect(JSON.stringify(stored)).not.toContain(info.client_secret);
      const clients = t.app.get(ClientService);
      const client = (await clients.findByClientId(info.client_id))!;
      expect(client.clientSecretHash).toBeUndefined();
      expect(await clients.verifySecret(client, info.client_secret!)).toBe(true);
      expect(await clients.verifySecret(client, `${info.client_secret!}x`)).toBe(false);
    });

    it('should make a client without token_endpoint_auth_method a client_secret_basic one', async () => {
      const { token_endpoint_auth_method: _omitted, ...body } = CLAUDE_BODY;
      const info = await json(await post(body));
      expect(info.token_endpoint_auth_method).toBe('client_secret_basic');
      expect(typeof info.client_secret).toBe('string');
      expect(info.client_secret_expires_at).toBe(0);
    });

    it('should accept Cursor’s three redirect URIs in one request', async () => {
      const res = await post({
        client_name: 'Cursor',
        redirect_uris: CURSOR_URIS,
        token_endpoint_auth_method: 'none',
      });
      expect(res.status).toBe(201);
      const info = await json(res);
      expect(info.redirect_uris).toEqual(CURSOR_URIS);
      expect((await row(info.client_id)).redirect_uris).toEqual(CURSOR_URIS);
    });

    it('should fill in defaults: both grants, code, and a placeholder name', async () => {
      const info = await json(
        await post({
          redirect_uris: ['https://vscode.dev/redirect'],
          token_endpoint_auth_method: 'none',
        }),
      );
      expect(info.grant_types).toEqual(['authorization_code', 'refresh_token']);
      expect(info.response_types).toEqual(['code']);
      expect(info.client_name).toBe('Unnamed client');
      expect(info.scope).toBeUndefined();
    });

    it('should store client_name as given, markup included', async () => {
      const name = '<script>alert(1)</script> & "Claude"';
      const info = await json(await post({ ...SDK_BODY, client_name: name }));
      expect(info.client_name).toBe(name);
      expect((await row(info.client_id)).client_name).toBe(name);
    });

    it('should ignore a client-supplied client_id, client_secret and issue time', async () => {
      const res = await post({
        ...CLAUDE_BODY,
        client_id: 'chosen-by-client',
        client_secret: 'chosen-secret',
        client_id_issued_at: 1,
        client_secret_expires_at: 12345,
      });
      expect(res.status).toBe(201);
      const info = await json(res);
      expect(info.client_id).not.toBe('chosen-by-client');
      expect(info.client_secret).not.toBe('chosen-secret');
      expect(info.client_id_issued_at).toBeGreaterThan(1);
      expect(info.client_secret_expires_at).toBe(0);
      expect(await row('chosen-by-client')).toBeUndefined();
      expect((await row(info.client_id)).client_secret_hash).not.toBe(
        createHash('sha256').update('chosen-secret').digest('hex'),
      );
    });

    it('should ignore unknown metadata, URL fields included, and never echo or store it', async () => {
      const info = await json(
        await post({
          ...SDK_BODY,
          application_type: 'native',
          logo_uri: 'http://169.254.169.254/latest/meta-data/',
          jwks_uri: 'http://10.0.0.1/jwks',
          client_uri: 'https://evil.example',
          software_statement: 'eyJ.x.y',
        }),
      );
      for (const key of [
        'application_type',
        'logo_uri',
        'jwks_uri',
        'client_uri',
        'software_statement',
      ])
        expect(info).not.toHaveProperty(key);
      expect(JSON.stringify(await row(info.client_id))).not.toContain('169.254.169.254');
    });

    it('should drop unknown scopes and keep the known ones', async () => {
      const mixed = await json(
        await post({ ...SDK_BODY, scope: 'openid mcp:read profile offline_access' }),
      );
      expect(mixed.scope).toBe('mcp:read offline_access');
      const unknownOnly = await json(await post({ ...SDK_BODY, scope: 'openid email' }));
      expect(unknownOnly.scope).toBeUndefined();
      expect((await row(unknownOnly.client_id)).scope).toBeNull();
    });

    it('should accept a body just under 64 KiB', async () => {
      const body = JSON.stringify({ ...SDK_BODY, padding: 'x'.repeat(60 * 1024) });
      expect((await post(body)).status).toBe(201);
    });
  });

  describe('refused redirect URIs → 400 invalid_redirect_uri naming the URI', () => {
    it.each([
      ['http on a non-loopback host', 'http://example.com/callback'],
      ['a fragment', 'https://example.com/cb#frag'],
      ['an empty fragment', 'https://example.com/cb#'],
      ['userinfo', 'https://user:pass@example.com/cb'],
      ['a wildcard', 'https://*.example.com/cb'],
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['file:', 'file:///etc/passwd'],
      ['a custom scheme not allowed', 'claude://claude.ai/mcp-auth-callback/sdk'],
      ['a relative URI', '/callback'],
      ['a lookalike loopback host', 'http://127.0.0.1.evil.example/cb'],
    ])('should refuse %s', async (_label, uri) => {
      const body = await expectRefusal(
        await post({ ...SDK_BODY, redirect_uris: ['https://ok.example/cb', uri] }),
        400,
        'invalid_redirect_uri',
      );
      expect(body.error_description).toContain(JSON.stringify(uri));
    });

    it.each([
      ['missing', undefined],
      ['a string', 'https://example.com/cb'],
      ['empty', []],
      ['an object', { uri: 'https://example.com/cb' }],
      ['holding a number', [42]],
    ])('should refuse redirect_uris that is %s', async (_label, value) => {
      await expectRefusal(
        await post({ ...SDK_BODY, redirect_uris: value }),
        400,
        'invalid_redirect_uri',
      );
    });
  });

  describe('refused metadata → 400 invalid_client_metadata', () => {
    it.each([
      ['grant implicit', { grant_types: ['implicit'] }],
      ['grant password', { grant_types: ['authorization_code', 'password'] }],
      ['grant client_credentials', { grant_types: ['client_credentials'] }],
      ['refresh_token without authorization_code', { grant_types: ['refresh_token'] }],
      ['no grant at all', { grant_types: [] }],
      ['grant_types as a string', { grant_types: 'authorization_code' }],
      ['response type token', { response_types: ['token'] }],
      ['response types code and token', { response_types: ['code', 'token'] }],
      ['auth method private_key_jwt', { token_endpoint_auth_method: 'private_key_jwt' }],
      ['auth method client_secret_jwt', { token_endpoint_auth_method: 'client_secret_jwt' }],
      ['a non-string client_name', { client_name: ['Claude'] }],
      ['a client_name over 200 characters', { client_name: 'x'.repeat(201) }],
      ['a non-string scope', { scope: ['mcp:read'] }],
    ])('should refuse %s', async (_label, patch) => {
      await expectRefusal(await post({ ...SDK_BODY, ...patch }), 400, 'invalid_client_metadata');
    });

    it('should store nothing for a refused registration', async () => {
      const [{ n: before }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oauth_clients`,
      );
      await post({ ...SDK_BODY, grant_types: ['implicit'] });
      await post({ ...SDK_BODY, redirect_uris: ['http://example.com/cb'] });
      const [{ n: after }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oauth_clients`,
      );
      expect(after).toBe(before);
    });
  });

  describe('malformed requests → 400 invalid_request, oversized → 413', () => {
    it.each([
      ['text/plain', JSON.stringify(SDK_BODY)],
      [
        'application/x-www-form-urlencoded',
        'client_name=x&redirect_uris=https%3A%2F%2Fa.example%2Fcb',
      ],
      ['application/jsonp', JSON.stringify(SDK_BODY)],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('should refuse Content-Type %s', async (contentType, body) => {
      const res = await fetch(`${t.url}/register`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      const err = await expectRefusal(res, 400, 'invalid_request');
      expect(err.error_description).toMatch(/Content-Type must be application\/json/);
    });

    it('should refuse a request without a Content-Type', async () => {
      const res = await fetch(`${t.url}/register`, {
        method: 'POST',
        body: new Uint8Array(Buffer.from(JSON.stringify(SDK_BODY))),
      });
      await expectRefusal(res, 400, 'invalid_request');
    });

    it('should accept application/json with a charset', async () => {
      const res = await post(SDK_BODY, { 'content-type': 'application/json; charset=utf-8' });
      expect(res.status).toBe(201);
    });

    it.each([
      ['malformed JSON', '{"redirect_uris": ['],
      ['an empty body', ''],
      ['null', 'null'],
      ['an array', JSON.stringify([SDK_BODY])],
      ['a number', '42'],
      ['a string', '"hello"'],
      [
        'a __proto__ key',
        '{"__proto__":{"polluted":true},"redirect_uris":["https://a.example/cb"]}',
      ],
      [
        'JSON nested 5000 levels deep',
        `{"redirect_uris":["https://a.example/cb"],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ],
    ])('should refuse %s', async (_label, body) => {
      await expectRefusal(await post(body), 400, 'invalid_request');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should refuse a 65 KiB body with 413', async () => {
      const body = JSON.stringify({ ...SDK_BODY, padding: 'x'.repeat(65 * 1024) });
      await expectRefusal(await post(body), 413, 'invalid_request');
    });

    it('should refuse a 65 KiB body sent without Content-Length (chunked) with 413', async () => {
      const chunk = Buffer.from(`{"padding":"${'x'.repeat(65 * 1024)}"}`);
      const res = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const req = httpRequest(
          `${t.url}/register`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          },
          (r) => {
            let text = '';
            r.on('data', (c: Buffer) => (text += c.toString()));
            r.on('end', () =>
              resolve({ status: r.statusCode ?? 0, headers: r.headers, body: text }),
            );
          },
        );
        req.on('error', reject);
        req.write(chunk.subarray(0, 1024));
        req.end(chunk.subarray(1024));
      });
      expect(res.status).toBe(413);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(res.body).error).toBe('invalid_request');
    });
  });

  describe('ClientService.deleteStale', () => {
    const DAY = 86_400_000;
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);

    const insertClient = async (
      label: string,
      opts: { createdAt: Date; lastUsedAt?: Date; kind?: 'dynamic' | 'metadata_document' },
    ): Promise<string> => {
      const clientId =
        opts.kind === 'metadata_document'
          ? `https://cimd.example/${label}-${Date.now()}`
          : `stale-test-${label}-${Date.now()}`;
      const [{ id }] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris,
           token_endpoint_auth_method, grant_types, response_types, created_at, last_used_at)
         VALUES ($1, $2, $3, '["https://a.example/cb"]', 'none', '["authorization_code"]',
           '["code"]', $4, $5) RETURNING id`,
        [clientId, opts.kind ?? 'dynamic', label, opts.createdAt, opts.lastUsedAt ?? null],
      );
      return id;
    };

    it('should delete only dynamic clients unused for 30 days that have no live grant', async () => {
      const user = await createUser(t.app, 'stale');
      const org = await createOrganization(t.app, 'stale');
      const grant = (clientRowId: string, revokedAt: Date | null) =>
        t.dataSource.query(
          `INSERT INTO oauth_grants (user_id, organization_id, client_id, scope, revoked_at)
           VALUES ($1, $2, $3, 'mcp:read', $4)`,
          [user.id, org.id, clientRowId, revokedAt],
        );
      const ids = {
        oldUnused: await insertClient('old-unused', { createdAt: ago(31) }),
        oldLiveGrant: await insertClient('old-live-grant', { createdAt: ago(31) }),
        oldRevokedGrant: await insertClient('old-revoked-grant', { createdAt: ago(31) }),
        recent: await insertClient('recent', { createdAt: ago(29) }),
        oldRecentlyUsed: await insertClient('old-recently-used', {
          createdAt: ago(60),
          lastUsedAt: ago(1),
        }),
        oldLongUnused: await insertClient('old-long-unused', {
          createdAt: ago(60),
          lastUsedAt: ago(31),
        }),
        oldMetadataDocument: await insertClient('old-cimd', {
          createdAt: ago(60),
          kind: 'metadata_document',
        }),
        oldInFlight: await insertClient('old-in-flight', { createdAt: ago(31) }),
      };
      await grant(ids.oldLiveGrant, null);
      await grant(ids.oldLiveGrant, ago(40));
      await grant(ids.oldRevokedGrant, ago(40));
      const [{ id: sessionId }] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO auth_sessions (session_hash, csrf_token, expires_at)
         VALUES ($1, 'csrf', now() + interval '1 hour') RETURNING id`,
        [`stale-test-${Date.now()}`],
      );
      await t.dataSource.query(
        `INSERT INTO oauth_interactions (session_id, client_id, redirect_uri, code_challenge, scope,
           resource, expires_at)
         VALUES ($1, $2, 'https://a.example/cb', 'x', 'mcp:read', 'r', now() + interval '10 minutes')`,
        [sessionId, ids.oldInFlight],
      );

      const deleted = await t.app.get(ClientService).deleteStale(now);

      const remaining = new Set(
        (
          await t.dataSource.query<{ id: string }[]>(
            `SELECT id FROM oauth_clients WHERE id = ANY($1::uuid[])`,
            [Object.values(ids)],
          )
        ).map((r) => r.id),
      );
      expect(deleted).toBe(3);
      expect(remaining.has(ids.oldUnused)).toBe(false);
      expect(remaining.has(ids.oldRevokedGrant)).toBe(false);
      expect(remaining.has(ids.oldLongUnused)).toBe(false);
      expect(remaining.has(ids.oldLiveGrant)).toBe(true);
      expect(remaining.has(ids.recent)).toBe(true);
      expect(remaining.has(ids.oldRecentlyUsed)).toBe(true);
      expect(remaining.has(ids.oldMetadataDocument)).toBe(true);
      expect(remaining.has(ids.oldInFlight)).toBe(true);
      const [{ n: orphanGrants }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oauth_grants WHERE client_id = $1`,
        [ids.oldRevokedGrant],
      );
      expect(orphanGrants).toBe(0);
    });

    it('should keep clients just registered', async () => {
      const info = await json(await post(SDK_BODY));
      await t.app.get(ClientService).deleteStale(new Date());
      expect(await row(info.client_id)).toBeDefined();
      await t.app.get(ClientService).deleteStale(new Date(Date.now() + 31 * DAY));
      expect(await row(info.client_id)).toBeUndefined();
    });
  });

  describe('a client that disconnects mid-body', () => {
    it('should let the request go and keep answering others', async () => {
      const arrived = new Promise<import('node:http').IncomingMessage>((resolve) =>
        t.app.getHttpServer().once('request', resolve),
      );
      const req = httpRequest(`${t.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('error', () => undefined);
      req.write('{"redirect_uris": [');
      const serverSide = await arrived;
      const closed = new Promise((resolve) => serverSide.once('close', resolve));
      req.destroy();
      await closed;
      expect((await post(SDK_BODY)).status).toBe(201);
    });
  });

  describe('CORS', () => {
    it('should answer a preflight OPTIONS /register with 204', async () => {
      const res = await fetch(`${t.url}/register`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:6274',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'Content-Type, Authorization, MCP-Protocol-Version',
      );
    });
  });
});

describe('POST /register rate limit (e2e)', () => {
  it('should answer 429 with Retry-After and no-store once an IP is over the limit', async () => {
    const t = await startTestApp({ SEED_DEMO: 'false', RATE_LIMITS: 'register=2/1m' });
    try {
      const register = () =>
        fetch(`${t.url}/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(SDK_BODY),
        });
      expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(201);
      const limited = await register();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited.headers.get('cache-control')).toBe('no-store');
      expect(typeof (await json(limited)).error).toBe('string');
    } finally {
      await t.close();
    }
  });
});

describe('POST /register without a database (e2e)', () => {
  it('should answer 503 temporarily_unavailable with Retry-After, never 5xx otherwise', async () => {
    const t = await startTestApp({ SEED_DEMO: 'false' });
    try {
      await t.dataSource.destroy();
      const res = await fetch(`${t.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(SDK_BODY),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await json(res)).error).toBe('temporarily_unavailable');
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
