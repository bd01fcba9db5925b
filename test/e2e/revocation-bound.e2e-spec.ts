import { ApiKeyService } from 'src/api-keys/api-key.service';
import { systemPrincipal } from 'src/auth/principal';
import { memberWithKey, removeMember } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { modernPost, modernToolCall } from 'test/support/mcp-modern';
import { startTestApp, TestApp } from 'test/support/test-app';

type Whoami = (url: string, key: string) => Promise<Response>;

/** whoami as a 2025-era client and as a 2026-07-28 client sends it. */
const ERAS: Array<[string, Whoami]> = [
  ['2025-11-25', (url, key) => mcpPost(url, toolCall('whoami'), { 'x-api-key': key })],
  ['2026-07-28', (url, key) => modernPost(url, modernToolCall('whoami'), { 'x-api-key': key })],
];

/** Polls until the key is refused; returns how long that took. */
async function refusedAfter(
  whoami: Whoami,
  url: string,
  key: string,
  limitMs: number,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    const res = await whoami(url, key);
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

  describe.each(ERAS)('in the %s era', (_era, whoami) => {
    it('should stop a revoked key within 5 seconds although its state was cached', async () => {
      const m = await memberWithKey(t.app);
      expect((await whoami(t.url, m.key)).status).toBe(200);
      await t.app.get(ApiKeyService).revoke(sys, m.keyId);
      expect(await refusedAfter(whoami, t.url, m.key, 6000)).toBeLessThanOrEqual(5000);
    });

    it('should stop the key of a removed member within 5 seconds', async () => {
      const m = await memberWithKey(t.app);
      expect((await whoami(t.url, m.key)).status).toBe(200);
      await removeMember(t.app, m.org.slug, m.user.email);
      expect(await refusedAfter(whoami, t.url, m.key, 6000)).toBeLessThanOrEqual(5000);
    });
  });
});
