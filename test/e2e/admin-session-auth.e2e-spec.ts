import { randomToken, sha256Hex } from 'src/common/crypto';
import { UsersService } from 'src/users/users.service';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('admin API with the settings session (e2e)', () => {
  let t: TestApp;
  let cookie: string;
  const csrf = 'csrf-token-for-the-session-test';

  beforeAll(async () => {
    t = await startTestApp();
    const alice = await t.app.get(UsersService).findByEmail('alice@acme.example');
    const token = randomToken();
    await t.dataSource.query(
      `INSERT INTO auth_sessions (session_hash, csrf_token, user_id, expires_at) VALUES ($1, $2, $3, now() + interval '1 hour')`,
      [sha256Hex(token), csrf, alice!.id],
    );
    cookie = `session=${token}`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('should read with the session cookie alone', async () => {
    const res = await fetch(`${t.url}/api/v1/api-keys?scope=organization`, { headers: { cookie } });
    expect(res.status).toBe(200);
  });

  it('should refuse a write without the CSRF token or from another origin', async () => {
    const body = JSON.stringify({ name: 'from the browser' });
    const base = { 'content-type': 'application/json', cookie };
    const noCsrf = await fetch(`${t.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...base, origin: t.url },
      body,
    });
    expect(noCsrf.status).toBe(403);
    const foreign = await fetch(`${t.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...base, origin: 'https://evil.example', 'x-csrf-token': csrf },
      body,
    });
    expect(foreign.status).toBe(403);
    const ok = await fetch(`${t.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...base, origin: t.url, 'x-csrf-token': csrf },
      body,
    });
    expect(ok.status).toBe(201);
    expect((await json(ok)).userEmail).toBe('alice@acme.example');
  });

  it('should never accept the session at /mcp', async () => {
    const res = await mcpPost(t.url, toolCall('whoami'), { cookie });
    expect(res.status).toBe(401);
  });

  it('should ignore an unknown session cookie', async () => {
    const res = await fetch(`${t.url}/api/v1/api-keys`, {
      headers: { cookie: `session=${randomToken()}` },
    });
    expect(res.status).toBe(401);
  });
});
