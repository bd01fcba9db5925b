import { randomInt } from 'node:crypto';
import { generateApiKey } from 'src/api-keys/api-key.format';
import { memberWithKey } from 'test/factories/identity.factory';
import { BrowserAgent } from 'test/factories/oauth-authorize.factory';
import { exchangeCode, OAuthResponse, refresh, revoke } from 'test/factories/oauth-http';
import type { TestClient } from 'test/factories/oauth.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { freePort } from 'test/support/test-app';
import {
  authorizeCode,
  bearer,
  grantIdOf,
  Person,
  registerClient,
  Tokens,
  tokensFor,
} from 'test/faults/support/oauth-flow';
import { pollUntil } from 'test/faults/support/probes';
import { openFixtures, Server, startServer, stopAll } from 'test/faults/support/server';
import { FreshDatabase, freshDatabase } from 'test/faults/support/shared-postgres';

/** What several instances behind one name must agree on: revocation, rate limits, faults. */
const REVOCATION_BOUND_MS = 5_000;

describe('two instances on one PostgreSQL and one Redis (fault)', () => {
  let db: FreshDatabase;
  let a: Server;
  let b: Server;
  /** The deployment's public name: both instances serve it (issuer, MCP resource). */
  let publicUrl: string;
  let resource: string;
  let person: Person;
  let adminKey: string;
  let agent: BrowserAgent;
  let client: TestClient;

  /**
   * Rate-limit counters live in Redis and outlast a run, so every request carries a client address
   * (TRUST_PROXY=127.0.0.1) unique to this run and test: failures here never count against 127.0.0.1
   * or another run.
   */
  const subnet = `10.${randomInt(256)}.${randomInt(256)}`;
  let hosts = 0;
  const nextIp = () => `${subnet}.${++hosts}`;
  const runIp = nextIp();
  let ip: string;
  beforeEach(() => {
    ip = nextIp();
  });

  const mcpStatus = (s: Server, headers: Record<string, string>) =>
    mcpPost(s.url, toolCall('whoami'), { 'x-forwarded-for': ip, ...headers }).then((r) => r.status);

  /** A fresh grant for `client`: authorize on B, token on A. */
  const newTokens = async (): Promise<Tokens> =>
    tokensFor(
      a.url,
      client,
      await authorizeCode(agent, client, person, resource, { 'x-forwarded-for': runIp }),
    );

  beforeAll(async () => {
    db = await freshDatabase('pair');
    const [portA, portB] = [await freePort(), await freePort()];
    publicUrl = `http://127.0.0.1:${portA}`;
    resource = `${publicUrl}/mcp`;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.FAULT_REDIS_URL ?? 'redis://127.0.0.1:6379',
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMITS: 'auth_failure=3/1m',
    };
    // Started together on an empty database: migrations and the first signing key race.
    const started = await Promise.allSettled([
      startServer(env, { port: portA, publicUrl }),
      startServer(env, { port: portB, publicUrl }),
    ]);
    [a, b] = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as Server[];
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    const fixtures = await openFixtures(db.url);
    try {
      const m = await memberWithKey(fixtures, 'admin');
      person = { email: m.user.email, password: m.user.password };
      adminKey = m.key;
    } finally {
      await fixtures.close();
    }
    agent = new BrowserAgent(b.url);
    client = await registerClient(a.url, 'none', { 'x-forwarded-for': runIp });
  });

  afterAll(async () => {
    await stopAll(a, b);
    await db?.drop();
  });

  it('should agree on one signing key when started together', async () => {
    const [ja, jb] = await Promise.all(
      [a, b].map(async (s): Promise<any> => (await fetch(`${s.url}/.well-known/jwks.json`)).json()),
    );
    expect(ja.keys).toHaveLength(1);
    expect(jb).toEqual(ja);
  });

  it('should carry one client across both: DCR on A, authorize on B, token on A, /mcp alternating, refresh on B', async () => {
    const tokens = await newTokens();
    const statuses = [];
    for (const s of [a, b, a, b]) statuses.push(await mcpStatus(s, bearer(tokens.access_token)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refreshed = await refresh(b.url, client, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(await mcpStatus(a, bearer(refreshed.body.access_token))).toBe(200);
    expect(await mcpStatus(b, bearer(refreshed.body.access_token))).toBe(200);
  });

  it('should stop on B, within 5 s, an access token whose grant was revoked on A (RFC 7009)', async () => {
    const tokens = await newTokens();
    expect(await mcpStatus(b, bearer(tokens.access_token))).toBe(200);
    const revoked = await revoke(a.url, client, { token: tokens.refresh_token });
    expect(revoked.status).toBe(200);
    const { value, elapsedMs } = await pollUntil(
      () => mcpStatus(b, bearer(tokens.access_token)),
      (status) => status !== 200,
      { timeoutMs: REVOCATION_BOUND_MS + 1_000, intervalMs: 100, what: 'B refusing the token' },
    );
    expect(value).toBe(401);
    expect(elapsedMs).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    const again = await refresh(b.url, client, tokens.refresh_token);
    expect({ status: again.status, error: again.body.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('should stop on B, within 5 s, an access token whose grant was revoked with the admin API on A', async () => {
    const tokens = await newTokens();
    expect(await mcpStatus(b, bearer(tokens.access_token))).toBe(200);
    const res = await fetch(`${a.url}/api/v1/oauth/grants/${grantIdOf(tokens.access_token)}`, {
      method: 'DELETE',
      headers: { 'x-api-key': adminKey },
    });
    expect(res.status).toBe(200);
    const { value, elapsedMs } = await pollUntil(
      () => mcpStatus(b, bearer(tokens.access_token)),
      (status) => status !== 200,
      { timeoutMs: REVOCATION_BOUND_MS + 1_000, intervalMs: 100, what: 'B refusing the token' },
    );
    expect(value).toBe(401);
    expect(elapsedMs).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
  });

  it('should redeem a code exactly once when ten redemptions race across both instances', async () => {
    const code = await authorizeCode(agent, client, person, resource, {
      'x-forwarded-for': runIp,
    });
    const results: OAuthResponse[] = await Promise.all(
      Array.from({ length: 10 }, (_, i) => exchangeCode(i % 2 ? b.url : a.url, client, code)),
    );
    const outcomes = results.map((r) => (r.status === 200 ? 'ok' : `${r.status} ${r.body?.error}`));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    // Every other one is a replay (invalid_grant), never a 5xx.
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(9).fill('400 invalid_grant'));
    // A replay revokes the grant the code produced (RFC 6749 §4.1.2): the winner's tokens die too.
    const winner = results.find((r) => r.status === 200)!;
    const after = await refresh(b.url, client, winner.body.refresh_token);
    expect({ status: after.status, error: after.body.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('should follow the grace rule when ten refreshes of one token race across both instances', async () => {
    const tokens = await newTokens();
    const results: OAuthResponse[] = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        refresh(i % 2 ? b.url : a.url, client, tokens.refresh_token),
      ),
    );
    // Within the rotation grace, before any successor is used, each use yields a fresh pair.
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const successors = results.map((r) => r.body.refresh_token as string);
    expect(new Set(successors).size).toBe(10);

    // Once one successor is used, the presented token and the other siblings are old.
    const next = await refresh(b.url, client, successors[0]);
    expect(next.status).toBe(200);
    const old = await refresh(a.url, client, tokens.refresh_token);
    expect({ status: old.status, error: old.body.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    // Presenting an old token revoked the whole grant: nothing of this family passes any more.
    for (const [s, token] of [
      [b, successors[1]],
      [a, next.body.refresh_token],
    ] as const) {
      const res = await refresh(s.url, client, token);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
    }
  });

  it('should count failed credentials from one address on both instances together (Redis)', async () => {
    const bad = { 'x-api-key': generateApiKey(), 'x-forwarded-for': ip };
    // auth_failure=3/1m: two failures on A and one on B use up the limit together.
    expect(await mcpStatus(a, bad)).toBe(401);
    expect(await mcpStatus(a, bad)).toBe(401);
    expect(await mcpStatus(b, bad)).toBe(401);
    expect(await mcpStatus(b, bad)).toBe(429);
    // Blocked on A as well, even with a valid key.
    expect(await mcpStatus(a, { 'x-api-key': adminKey, 'x-forwarded-for': ip })).toBe(429);
    // Other addresses are unaffected.
    const other = nextIp();
    expect(await mcpStatus(b, { 'x-api-key': adminKey, 'x-forwarded-for': other })).toBe(200);
  });
});
