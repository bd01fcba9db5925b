import { ApiKeyService } from 'src/api-keys/api-key.service';
import { systemPrincipal } from 'src/auth/principal';
import { MembershipsService } from 'src/users/memberships.service';
import { memberWithKey } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

/** Polls until the key is refused; returns how long that took. */
async function refusedAfter(url: string, key: string, limitMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const res = await mcpPost(url, toolCall('whoami'), { 'x-api-key': key });
    if (res.status === 401 || res.status === 403) return Date.now() - start;
    if (Date.now() - start > limitMs) return Infinity;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('revocation bound with the default credential cache (e2e)', () => {
  let t: TestApp;
  const sys = systemPrincipal('test');

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should use the documented default cache of 4 s', () => {
    expect(t.config.authCacheTtlMs).toBe(4000);
  });

  it('should stop a revoked key within 5 seconds although its state was cached', async () => {
    const m = await memberWithKey(t.app);
    expect((await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key })).status).toBe(200);
    await t.app.get(ApiKeyService).revoke(sys, m.keyId);
    expect(await refusedAfter(t.url, m.key, 6000)).toBeLessThanOrEqual(5000);
  });

  it('should stop the key of a removed member within 5 seconds', async () => {
    const m = await memberWithKey(t.app);
    expect((await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key })).status).toBe(200);
    await t.app
      .get(MembershipsService)
      .remove(sys, { organizationSlug: m.org.slug, email: m.user.email });
    expect(await refusedAfter(t.url, m.key, 6000)).toBeLessThanOrEqual(5000);
  });
});
