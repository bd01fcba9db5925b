import { memberWithKey } from 'test/factories/identity.factory';
import { BrowserAgent } from 'test/factories/oauth-authorize.factory';
import { exchangeCode, refresh, revoke } from 'test/factories/oauth-http';
import type { TestClient, TestCode } from 'test/factories/oauth.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { modernPost, modernToolCall } from 'test/support/mcp-modern';
import {
  authorizeCode,
  bearer,
  expectTemporarilyUnavailable,
  FLOW_REDIRECT_URI,
  registerClient,
  Tokens,
  tokensFor,
} from 'test/faults/support/oauth-flow';
import { OwnPostgres, startOwnPostgres } from 'test/faults/support/own-postgres';
import {
  Observation,
  observe,
  pollUntil,
  Probe,
  RequestLoop,
  tally,
} from 'test/faults/support/probes';
import { openFixtures, Server, startServer, stopAll } from 'test/faults/support/server';

/** Documents served from memory: they must not notice the outage. */
const STATIC_PATHS = [
  '/health/live',
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
];

/**
 * Fail closed: with PostgreSQL stopped under a small load, every surface that must read the
 * database answers 503 + Retry-After (never 401, 500, invalid_grant or invalid_client, which make
 * clients throw credentials away), health and discovery keep answering, and the same processes
 * recover within 10 s once PostgreSQL is back, with every credential presented meanwhile intact.
 */
describe('PostgreSQL stopped under load (fault)', () => {
  let pg: OwnPostgres;
  /** AUTH_CACHE_TTL_MS=0: every request reads the credential's state from the database. */
  let uncached: Server;
  /** The default credential cache (4 s). */
  let cached: Server;
  let key: string;
  let client: TestClient;
  /** Issued by `uncached` before the outage. */
  let tokens: Tokens;
  /** Issued by `uncached` before the outage, presented during it, redeemed after it. */
  let pendingCode: TestCode;
  let loop: RequestLoop;
  let stoppedAt = 0;

  const mcp = (s: Server, headers: () => Record<string, string> = () => ({ 'x-api-key': key })) => {
    // teams_list reads the database on every call (whoami may answer from its cache).
    return () => mcpPost(s.url, toolCall('teams_list'), headers());
  };
  /** The same call as a 2026-07-28 client sends it. */
  const mcp2026 = (s: Server): Probe => {
    return () => modernPost(s.url, modernToolCall('teams_list'), { 'x-api-key': key });
  };
  const adminList = (s: Server): Probe => {
    return () => fetch(`${s.url}/api/v1/api-keys`, { headers: { 'x-api-key': key } });
  };
  const get = (s: Server, path: string): Probe => {
    return () => fetch(`${s.url}${path}`);
  };

  beforeAll(async () => {
    pg = await startOwnPostgres();
    const db = await pg.createDatabase('catalog');
    uncached = await startServer({ DATABASE_URL: db, SEED_DEMO: 'true', AUTH_CACHE_TTL_MS: '0' });
    cached = await startServer({ DATABASE_URL: db });
    const fixtures = await openFixtures(db);
    let person: { email: string; password: string };
    try {
      const m = await memberWithKey(fixtures, 'admin');
      key = m.key;
      person = { email: m.user.email, password: m.user.password };
    } finally {
      await fixtures.close();
    }
    const agent = new BrowserAgent(uncached.url);
    const resource = `${uncached.url}/mcp`;
    client = await registerClient(uncached.url);
    tokens = await tokensFor(
      uncached.url,
      client,
      await authorizeCode(agent, client, person, resource),
    );
    pendingCode = await authorizeCode(agent, client, person, resource);
  });

  afterAll(async () => {
    await loop?.stop();
    await stopAll(uncached, cached);
    await pg?.destroy();
  });

  describe('while PostgreSQL is down', () => {
    beforeAll(async () => {
      loop = new RequestLoop(
        {
          'mcp key (no cache)': mcp(uncached),
          'mcp key (cached)': mcp(cached),
          'mcp bearer (no cache)': mcp(uncached, () => bearer(tokens.access_token)),
          'mcp 2026 key (cached)': mcp2026(cached),
          'admin (no cache)': adminList(uncached),
          'admin (cached)': adminList(cached),
          ready: get(uncached, '/health/ready'),
          jwks: get(uncached, '/.well-known/jwks.json'),
          'as metadata': get(cached, '/.well-known/oauth-authorization-server'),
        },
        { maxCount: 2_000, maxMs: 90_000, concurrency: 2 },
      );
      // Everything answers 200 first, so what follows is caused by the outage.
      await pollUntil(
        async () => loop.seen().filter((o) => o.status === 200).length,
        (n) => n >= 16,
        { timeoutMs: 15_000, what: 'sixteen successful requests before the outage' },
      );
      expect(loop.seen().filter((o) => o.status !== 200)).toEqual([]);
      stoppedAt = loop.now();
      await pg.stop('fast');
    });

    it('should answer /mcp with 503, Retry-After and a JSON-RPC error when the key cannot be checked', async () => {
      const o = await observe('mcp', mcp(uncached));
      expect(o.status).toBe(503);
      expect(o.retryAfter).toMatch(/^\d+$/);
      expect(o.body).toEqual({
        jsonrpc: '2.0',
        error: expect.objectContaining({ code: expect.any(Number), message: expect.any(String) }),
        id: o.body?.id,
      });
      // The guard fails before the body is read, so the id is unknown (null) or the request's.
      expect([null, 1]).toContain(o.body.id);
      expect(o.body.result).toBeUndefined();
    });

    it('should answer /mcp with 503 and Retry-After when the grant behind an access token cannot be checked', async () => {
      const o = await observe(
        'mcp bearer',
        mcp(uncached, () => bearer(tokens.access_token)),
      );
      expect({ status: o.status, retryAfter: o.retryAfter }).toEqual({
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      expect(o.body.error).toEqual(expect.objectContaining({ code: expect.any(Number) }));
    });

    it('should answer /mcp with 503 and Retry-After once a cached key state expires', async () => {
      const { value } = await pollUntil(
        () => observe('mcp (cached)', mcp(cached)),
        (o) => o.status !== 200,
        { timeoutMs: 6_000, intervalMs: 200, what: '/mcp (cached key) leaving 200' },
      );
      expect(value.status).toBe(503);
      expect(value.retryAfter).toMatch(/^\d+$/);
    });

    // Before a45ddf2 the SDK's McpServer caught the database error a tool rethrew and answered
    // HTTP 200 { isError: true, text: "connect ECONNREFUSED …" } while the key state was cached.
    it('should never answer a tool call with a 200 tool result made of a database error', async () => {
      const during = loop.seen('mcp key (cached)', stoppedAt).filter((o) => o.status === 200);
      const toolErrors = during.filter((o) => o.body?.result?.isError === true);
      expect(toolErrors.map((o) => o.body.result.content[0].text).slice(0, 3)).toEqual([]);
    });

    it('should answer a 2026-07-28 tool call with 503 too, never with a tool result made of a database error', async () => {
      const { value } = await pollUntil(
        () => observe('mcp 2026 (cached)', mcp2026(cached)),
        (o) => o.status !== 200,
        { timeoutMs: 6_000, intervalMs: 200, what: '/mcp 2026-07-28 (cached key) leaving 200' },
      );
      expect(value.status).toBe(503);
      expect(value.retryAfter).toMatch(/^\d+$/);
      const during = loop.seen('mcp 2026 key (cached)', stoppedAt).filter((o) => o.status === 200);
      expect(during.filter((o) => o.body?.result?.isError === true)).toEqual([]);
    });

    it('should answer the admin API with 503 and Retry-After', async () => {
      for (const s of [uncached, cached]) {
        const { value } = await pollUntil(
          () => observe('admin', adminList(s)),
          (o) => o.status !== 200,
          { timeoutMs: 6_000, intervalMs: 200, what: 'admin API leaving 200' },
        );
        expect(value.status).toBe(503);
        expect(value.retryAfter).toMatch(/^\d+$/);
      }
    });

    it('should answer a refresh and a code exchange with 503 temporarily_unavailable, never invalid_grant or invalid_client', async () => {
      expectTemporarilyUnavailable(await refresh(uncached.url, client, tokens.refresh_token));
      expectTemporarilyUnavailable(await exchangeCode(uncached.url, client, pendingCode));
    });

    it('should answer /register and /oauth2/revoke with 503 temporarily_unavailable', async () => {
      const registered = await fetch(`${uncached.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'During the outage',
          redirect_uris: [FLOW_REDIRECT_URI],
          token_endpoint_auth_method: 'none',
        }),
      });
      expectTemporarilyUnavailable({
        status: registered.status,
        headers: registered.headers,
        body: await registered.json(),
      });
      expectTemporarilyUnavailable(await revoke(uncached.url, client, { token: 'unknown-token' }));
    });

    it('should answer /oauth2/authorize with a 503 page and no redirect', async () => {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: FLOW_REDIRECT_URI,
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
        state: 'outage',
        resource: `${uncached.url}/mcp`,
      });
      const res = await fetch(`${uncached.url}/oauth2/authorize?${q.toString()}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('should answer /health/ready with 503 within 2 s', async () => {
      const started = Date.now();
      const o = await observe('ready', get(uncached, '/health/ready'));
      expect(o.status).toBe(503);
      expect(Date.now() - started).toBeLessThanOrEqual(2_000);
    });

    it('should keep /health/live, the discovery documents and the JWKS at 200', async () => {
      for (const s of [uncached, cached]) {
        for (const path of STATIC_PATHS) {
          const o = await observe(path, get(s, path));
          expect({ path, status: o.status }).toEqual({ path, status: 200 });
        }
      }
    });

    it('should keep answering the request loop with 503 while the outage lasts', async () => {
      await pollUntil(
        async () => loop.seen(undefined, stoppedAt).length,
        (n) => n >= 40,
        { timeoutMs: 20_000, what: 'forty requests during the outage' },
      );
      // After the longest cache (4 s) every database-backed probe is refused with 503.
      const late = loop
        .seen(undefined, stoppedAt + 6_000)
        .filter((o) => o.probe !== 'jwks' && o.probe !== 'as metadata');
      expect(tally(late.filter((o) => o.status !== 503))).toEqual({});
    });
  });

  describe('after PostgreSQL comes back', () => {
    let restartedAt = 0;

    beforeAll(async () => {
      await pg.start();
      restartedAt = loop.now();
    });

    it('should answer every surface with 200 again within 10 s, without restarting the servers', async () => {
      const probes: Array<[string, Probe]> = [
        ['mcp key (no cache)', mcp(uncached)],
        ['mcp key (cached)', mcp(cached)],
        ['mcp bearer (no cache)', mcp(uncached, () => bearer(tokens.access_token))],
        ['mcp 2026 key (cached)', mcp2026(cached)],
        ['admin (no cache)', adminList(uncached)],
        ['admin (cached)', adminList(cached)],
        ['ready', get(uncached, '/health/ready')],
        ['ready (cached server)', get(cached, '/health/ready')],
      ];
      const started = Date.now();
      for (const [name, probe] of probes) {
        await pollUntil(
          () => observe(name, probe),
          (o) => o.status === 200,
          { timeoutMs: 10_000, intervalMs: 200, what: `${name} back to 200` },
        );
      }
      expect(Date.now() - started).toBeLessThanOrEqual(10_000);
    });

    it('should accept the refresh token and the code that failed with 503 during the outage', async () => {
      const refreshed = await refresh(uncached.url, client, tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      const exchanged = await exchangeCode(uncached.url, client, pendingCode);
      expect(exchanged.status).toBe(200);
      for (const t of [refreshed.body.access_token, exchanged.body.access_token]) {
        expect(
          (
            await observe(
              'mcp',
              mcp(uncached, () => bearer(t)),
            )
          ).status,
        ).toBe(200);
      }
    });

    it('should never have answered 401, 500 or dropped a connection during the whole run', async () => {
      await pollUntil(
        async () => loop.seen(undefined, restartedAt).filter((o) => o.status === 200).length,
        (n) => n >= 16,
        { timeoutMs: 10_000, what: 'the loop succeeding again' },
      );
      const all: Observation[] = await loop.stop();
      const bad = all.filter((o) => o.status !== 200 && o.status !== 503);
      expect({ bad: bad.slice(0, 5), summary: tally(all) }).toEqual({
        bad: [],
        summary: tally(all),
      });
      expect(all.filter((o) => o.status === 503 && !/^\d+$/.test(o.retryAfter ?? ''))).toEqual([]);
      // Documents served from memory never noticed the outage.
      const fromMemory = all.filter((o) => o.probe === 'jwks' || o.probe === 'as metadata');
      expect(fromMemory.filter((o) => o.status !== 200)).toEqual([]);
    });
  });
});
