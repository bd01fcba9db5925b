import { generateApiKey } from 'src/api-keys/api-key.format';
import { memberWithKey } from 'test/factories/identity.factory';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('rate limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', RATE_LIMITS: 'auth_failure=5/1m' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should answer 429 with Retry-After after too many failed keys from one IP, even for a good key', async () => {
    const good = await memberWithKey(t.app);
    for (let i = 0; i < 5; i++) {
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': generateApiKey() });
      expect(res.status).toBe(401);
    }
    const blocked = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': generateApiKey() });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.headers.get('cache-control')).toBe('no-store');
    expect((await json(blocked)).error.message).toMatch(/Too many requests/);
    const alsoBlocked = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': good.key });
    expect(alsoBlocked.status).toBe(429);
  });
});

// An address list, and a hop count (the nearest hop is the proxy: Fastify 5.12 takes counts only
// as the equivalent function, see trustProxyOption).
describe.each(['127.0.0.1', '1'])('rate limits honour TRUST_PROXY=%s (e2e)', (trustProxy) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      SEED_DEMO: 'false',
      RATE_LIMITS: 'auth_failure=2/1m',
      TRUST_PROXY: trustProxy,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should count failures per forwarded client IP behind a trusted proxy', async () => {
    const from = (ip: string) =>
      mcpPost(t.url, toolCall('whoami'), { 'x-api-key': generateApiKey(), 'x-forwarded-for': ip });
    expect((await from('203.0.113.1')).status).toBe(401);
    expect((await from('203.0.113.1')).status).toBe(401);
    expect((await from('203.0.113.1')).status).toBe(429);
    // Another client behind the same proxy is not affected.
    expect((await from('203.0.113.2')).status).toBe(401);
  });
});

describe('rate limits on the OAuth endpoints (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      SEED_DEMO: 'false',
      RATE_LIMITS: 'register=2/1m,authorize=2/1m,token=2/1m',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should limit registrations per IP with an RFC-shaped 429', async () => {
    const register = () =>
      fetch(`${t.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1:9/cb'],
          token_endpoint_auth_method: 'none',
        }),
      });
    expect((await register()).status).toBe(201);
    expect((await register()).status).toBe(201);
    const limited = await register();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited)).error).toBe('temporarily_unavailable');
  });

  it('should limit the authorization endpoint per IP with an HTML 429 page', async () => {
    for (let i = 0; i < 2; i++) expect((await fetch(`${t.url}/oauth2/authorize`)).status).toBe(400);
    const limited = await fetch(`${t.url}/oauth2/authorize`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/text\/html/);
    expect(limited.headers.get('location')).toBeNull();
  });

  it('should limit the token endpoint per client and IP', async () => {
    const token = (clientId: string) =>
      fetch(`${t.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: 'x',
          client_id: clientId,
        }).toString(),
      });
    await token('client-a');
    await token('client-a');
    const limited = await token('client-a');
    expect(limited.status).toBe(429);
    expect((await json(limited)).error).toBe('temporarily_unavailable');
    expect((await token('client-b')).status).not.toBe(429);
  });
});
