import { memberWithKey } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { openFixtures, Server, startServer, stopAll } from 'test/faults/support/server';
import { OwnPostgres, startOwnPostgres } from 'test/faults/support/own-postgres';
import {
  Observation,
  observe,
  pollUntil,
  Probe,
  RequestLoop,
  tally,
} from 'test/faults/support/probes';

/**
 * SECURITY §15: with PostgreSQL stopped under a small load, every credential-checking surface answers
 * 503 + Retry-After (never 401, never 500), health and discovery keep answering, and the same process
 * recovers within 10 s once PostgreSQL is back.
 */
describe('PostgreSQL stopped under load (fault)', () => {
  let pg: OwnPostgres;
  /** AUTH_CACHE_TTL_MS=0: every request reads the credential's state from the database. */
  let uncached: Server;
  /** The default credential cache (4 s). */
  let cached: Server;
  let key: string;
  let loop: RequestLoop;
  let stoppedAt = 0;

  const mcp = (t: Server, tool = 'whoami'): Probe => {
    return () => mcpPost(t.url, toolCall(tool), { 'x-api-key': key });
  };
  const adminList = (t: Server): Probe => {
    return () => fetch(`${t.url}/api/v1/api-keys`, { headers: { 'x-api-key': key } });
  };
  const get = (t: Server, path: string): Probe => {
    return () => fetch(`${t.url}${path}`);
  };

  beforeAll(async () => {
    pg = await startOwnPostgres();
    const db = await pg.createDatabase('catalog');
    uncached = await startServer({ DATABASE_URL: db, SEED_DEMO: 'true', AUTH_CACHE_TTL_MS: '0' });
    cached = await startServer({ DATABASE_URL: db });
    const fixtures = await openFixtures(db);
    try {
      key = (await memberWithKey(fixtures, 'admin')).key;
    } finally {
      await fixtures.close();
    }
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
          'mcp (no cache)': mcp(uncached),
          'mcp (cached)': mcp(cached),
          'admin (no cache)': adminList(uncached),
          'admin (cached)': adminList(cached),
          ready: get(uncached, '/health/ready'),
        },
        { maxCount: 2000, maxMs: 90_000, concurrency: 2 },
      );
      // Everything answers 200 first, so what follows is caused by the outage.
      await pollUntil(
        async () => loop.seen().filter((o) => o.status === 200).length,
        (n) => n >= 10,
        { timeoutMs: 15_000, what: 'ten successful requests before the outage' },
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

    it('should answer /mcp with 503 and Retry-After once a cached key state expires', async () => {
      const { value } = await pollUntil(
        () => observe('mcp (cached)', mcp(cached)),
        (o) => o.status !== 200,
        { timeoutMs: 6_000, intervalMs: 200, what: '/mcp (cached key) leaving 200' },
      );
      expect(value.status).toBe(503);
      expect(value.retryAfter).toMatch(/^\d+$/);
    });

    // KNOWN FAILURE (src/mcp/mcp-server.factory.ts): a tool that hits the outage rethrows the
    // database error for the controller to answer 503, but the SDK's McpServer catches every error of
    // a tool callback and answers HTTP 200 with { isError: true, text: error.message }.
    it('should not answer a tool call with a 200 tool result made of a database error (fails: the SDK wraps the rethrown error)', async () => {
      const during = loop.seen('mcp (cached)', stoppedAt).filter((o) => o.status === 200);
      const toolErrors = during.filter((o) => o.body?.result?.isError === true);
      expect(toolErrors.map((o) => o.body.result.content[0].text).slice(0, 3)).toEqual([]);
    });

    it('should answer the admin API with 503 and Retry-After', async () => {
      for (const t of [uncached, cached]) {
        const { value } = await pollUntil(
          () => observe('admin', adminList(t)),
          (o) => o.status !== 200,
          { timeoutMs: 6_000, intervalMs: 200, what: 'admin API leaving 200' },
        );
        expect(value.status).toBe(503);
        expect(value.retryAfter).toMatch(/^\d+$/);
      }
    });

    it('should answer /health/ready with 503 within 2 s', async () => {
      const started = Date.now();
      const o = await observe('ready', get(uncached, '/health/ready'));
      expect(o.status).toBe(503);
      expect(Date.now() - started).toBeLessThanOrEqual(2_000);
    });

    it('should keep /health/live, the discovery documents and the JWKS at 200', async () => {
      for (const path of [
        '/health/live',
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-authorization-server',
      ]) {
        const o = await observe(path, get(uncached, path));
        expect({ path, status: o.status }).toEqual({ path, status: 200 });
      }
    });

    it('should keep answering (503) under the request loop while the outage lasts', async () => {
      await pollUntil(
        async () => loop.seen(undefined, stoppedAt).length,
        (n) => n >= 40,
        { timeoutMs: 20_000, what: 'forty requests during the outage' },
      );
      const during = loop.seen(undefined, stoppedAt + 6_000);
      expect(during.every((o) => o.status === 503)).toBe(true);
    });
  });

  describe('after PostgreSQL comes back', () => {
    let restartedAt = 0;

    beforeAll(async () => {
      await pg.start();
      restartedAt = loop.now();
    });

    it('should answer every surface with 200 again within 10 s, without restarting the app', async () => {
      const probes: Array<[string, Probe]> = [
        ['mcp (no cache)', mcp(uncached)],
        ['mcp (cached)', mcp(cached)],
        ['admin (no cache)', adminList(uncached)],
        ['admin (cached)', adminList(cached)],
        ['ready', get(uncached, '/health/ready')],
        ['ready (cached app)', get(cached, '/health/ready')],
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

    it('should never have answered 401, 500 or dropped a connection during the whole run', async () => {
      await pollUntil(
        async () => loop.seen(undefined, restartedAt).filter((o) => o.status === 200).length,
        (n) => n >= 10,
        { timeoutMs: 10_000, what: 'the loop succeeding again' },
      );
      const all: Observation[] = await loop.stop();
      const summary = tally(all);
      const bad = all.filter((o) => o.status !== 200 && o.status !== 503);
      expect({ bad: bad.slice(0, 5), summary }).toEqual({ bad: [], summary });
      const without = all.filter((o) => o.status === 503 && !/^\d+$/.test(o.retryAfter ?? ''));
      expect(without).toEqual([]);
    });
  });
});
