import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';
import {
  createCode,
  createOAuthClient,
  demoIdentity,
  TestClient,
  TestIdentity,
} from 'test/factories/oauth.factory';
import {
  exchangeCode,
  expectNoStore,
  expectOAuthError,
  postForm,
  readResponse,
  refresh,
  revoke,
} from 'test/factories/oauth-http';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('POST /oauth2/revoke and signing keys (e2e)', () => {
  let t: TestApp;
  let alice: TestIdentity;
  let client: TestClient;

  async function tokensFor(c: TestClient = client) {
    const code = await createCode(t.app, c, alice);
    const res = await exchangeCode(t.url, c, code);
    expect(res.status).toBe(200);
    return {
      grantId: code.grantId,
      accessToken: res.body.access_token as string,
      refreshToken: res.body.refresh_token as string,
    };
  }

  const grantRevoked = async (grantId: string): Promise<boolean> => {
    const rows = await t.dataSource.query(`SELECT revoked_at FROM oauth_grants WHERE id = $1`, [
      grantId,
    ]);
    return rows[0].revoked_at !== null;
  };

  function expectEmpty200(res: Awaited<ReturnType<typeof revoke>>): void {
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expectNoStore(res);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  }

  beforeAll(async () => {
    t = await startTestApp();
    alice = await demoIdentity(t.app, 'bob@acme.example', 'acme');
    client = await createOAuthClient(t.app, { method: 'client_secret_basic' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should end the whole grant when a refresh token is revoked', async () => {
    const { grantId, refreshToken } = await tokensFor();
    const next = (await refresh(t.url, client, refreshToken)).body.refresh_token;
    expectEmpty200(await revoke(t.url, client, { token: next, token_type_hint: 'refresh_token' }));
    expect(await grantRevoked(grantId)).toBe(true);
    expectOAuthError(await refresh(t.url, client, next), 400, 'invalid_grant');
  });

  it('should end the whole grant when an access token is revoked', async () => {
    const { grantId, accessToken, refreshToken } = await tokensFor();
    expectEmpty200(
      await revoke(t.url, client, { token: accessToken, token_type_hint: 'access_token' }),
    );
    expect(await grantRevoked(grantId)).toBe(true);
    expectOAuthError(await refresh(t.url, client, refreshToken), 400, 'invalid_grant');
  });

  it('should find the token whatever the hint says, on /revoke too', async () => {
    const a = await tokensFor();
    expectEmpty200(
      await revoke(t.url, client, { token: a.accessToken, token_type_hint: 'refresh_token' }),
    );
    expect(await grantRevoked(a.grantId)).toBe(true);
    const b = await tokensFor();
    expectEmpty200(
      await revoke(t.url, client, { token: b.refreshToken, token_type_hint: 'weird' }, '/revoke'),
    );
    expect(await grantRevoked(b.grantId)).toBe(true);
  });

  it('should answer 200 for unknown, malformed and already revoked tokens', async () => {
    const { refreshToken } = await tokensFor();
    for (const token of ['unknown', 'a.b.c', 'x'.repeat(20_000), refreshToken, refreshToken]) {
      expectEmpty200(await revoke(t.url, client, { token }));
    }
  });

  it('should answer 200 for another client’s tokens and leave them valid', async () => {
    const owner = await createOAuthClient(t.app, { method: 'none' });
    const theirs = await tokensFor(owner);
    expectEmpty200(await revoke(t.url, client, { token: theirs.refreshToken }));
    expectEmpty200(await revoke(t.url, client, { token: theirs.accessToken }));
    expect(await grantRevoked(theirs.grantId)).toBe(false);
    expect(t.app.get(AccessTokenService).verify(theirs.accessToken).grant_id).toBe(theirs.grantId);
    expect((await refresh(t.url, owner, theirs.refreshToken)).status).toBe(200);
  });

  it('should answer invalid_request without a token or with a repeated one', async () => {
    expectOAuthError(await revoke(t.url, client, {}), 400, 'invalid_request');
    expectOAuthError(await revoke(t.url, client, { token: ['a', 'b'] }), 400, 'invalid_request');
    const json = await readResponse(
      await fetch(`${t.url}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'x', client_id: client.clientId }),
      }),
    );
    expectOAuthError(json, 400, 'invalid_request');
  });

  it('should answer 401 invalid_client for bad client authentication, and revoke nothing', async () => {
    const { grantId, refreshToken } = await tokensFor();
    const wrong = await postForm(
      t.url,
      '/oauth2/revoke',
      { token: refreshToken },
      { basic: { id: client.clientId, secret: 'wrong' } },
    );
    expectOAuthError(wrong, 401, 'invalid_client');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    const noAuth = await postForm(t.url, '/oauth2/revoke', {
      token: refreshToken,
      client_id: client.clientId,
    });
    expectOAuthError(noAuth, 401, 'invalid_client');
    expect(await grantRevoked(grantId)).toBe(false);
  });

  describe('signing keys', () => {
    const newService = () => new SigningKeyService(t.dataSource, t.app.get<AppConfig>(APP_CONFIG));

    it('should store one key (plain PKCS#8 without SIGNING_KEY_SECRET) and publish it', async () => {
      const rows = await t.dataSource.query(
        `SELECT kid, private_key, public_jwk FROM oauth_signing_keys WHERE retired_at IS NULL`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].private_key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(rows[0].public_jwk).not.toHaveProperty('d');
      const jwks: any = await (await fetch(`${t.url}/.well-known/jwks.json`)).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([rows[0].kid]);
    });

    it('should reuse the stored key after a restart instead of generating one', async () => {
      const before = await tokensFor();
      const restarted = newService();
      await restarted.ensureLoaded();
      expect(restarted.signingKey().kid).toBe(t.app.get(SigningKeyService).signingKey().kid);
      const count = await t.dataSource.query(`SELECT count(*)::int AS n FROM oauth_signing_keys`);
      expect(count[0].n).toBe(1);
      expect(restarted.verificationKey(restarted.signingKey().kid)).toBeDefined();
      expect(t.app.get(AccessTokenService).verify(before.accessToken)).toBeDefined();
    });

    it('should make instances that start together on an empty table agree on one key', async () => {
      // Retire the app's key beyond the retention window, as if the table were empty.
      await t.dataSource.query(
        `UPDATE oauth_signing_keys SET retired_at = now() - interval '1 day' WHERE retired_at IS NULL`,
      );
      const instances = Array.from({ length: 4 }, newService);
      await Promise.all(instances.map((s) => s.ensureLoaded()));
      const kids = new Set(instances.map((s) => s.signingKey().kid));
      expect(kids.size).toBe(1);
      const live = await t.dataSource.query(
        `SELECT kid FROM oauth_signing_keys WHERE retired_at IS NULL`,
      );
      expect(live).toEqual([{ kid: [...kids][0] }]);
      // The running app picks the new key up on its next reload.
      await t.app.get(SigningKeyService).reload();
      expect(t.app.get(SigningKeyService).signingKey().kid).toBe([...kids][0]);
      expect((await tokensFor()).accessToken).toBeDefined();
    });

    it('should keep serving the JWKS from memory while the database is unreachable', async () => {
      const spy = jest
        .spyOn(t.dataSource, 'query')
        .mockRejectedValue(
          Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        );
      try {
        const res = await fetch(`${t.url}/.well-known/jwks.json`);
        expect(res.status).toBe(200);
        const body: any = await res.json();
        expect(body.keys.length).toBeGreaterThan(0);
        await t.app
          .get(SigningKeyService)
          .reload()
          .catch(() => undefined);
        expect(t.app.get(SigningKeyService).jwks().keys.length).toBeGreaterThan(0);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
