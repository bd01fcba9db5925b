import { sha256Hex } from 'src/common/crypto';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { addMember, createOrganization, createUser } from 'test/factories/identity.factory';
import {
  createCode,
  createOAuthClient,
  demoIdentity,
  REDIRECT_URI,
  TestClient,
  TestIdentity,
} from 'test/factories/oauth.factory';
import {
  failOnce,
  exchangeCode,
  expectNoStore,
  expectOAuthError,
  refresh,
  tokenRequest,
} from 'test/factories/oauth-http';
import { startTestApp, TestApp } from 'test/support/test-app';
import { UsersService } from 'src/users/users.service';
import { systemPrincipal } from 'src/auth/principal';

describe('POST /oauth2/token: authorization_code (e2e)', () => {
  let t: TestApp;
  let alice: TestIdentity;
  let publicClient: TestClient;
  const codeUsed = async (code: string): Promise<boolean> => {
    const rows = await t.dataSource.query(
      `SELECT used_at FROM oauth_authorization_codes WHERE code_hash = $1`,
      [sha256Hex(code)],
    );
    return rows[0].used_at !== null;
  };
  const grantRevoked = async (grantId: string): Promise<boolean> => {
    const rows = await t.dataSource.query(`SELECT revoked_at FROM oauth_grants WHERE id = $1`, [
      grantId,
    ]);
    return rows[0].revoked_at !== null;
  };

  beforeAll(async () => {
    t = await startTestApp();
    alice = await demoIdentity(t.app, 'alice@acme.example', 'acme');
    publicClient = await createOAuthClient(t.app, { method: 'none' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should exchange a code for an ES256 access token and a refresh token', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const res = await exchangeCode(t.url, publicClient, code);

    expect(res.status).toBe(200);
    expectNoStore(res);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: 'mcp:read mcp:write',
    });
    const claims = t.app.get(AccessTokenService).verify(res.body.access_token);
    expect(claims).toMatchObject({
      iss: t.url,
      sub: alice.userId,
      aud: `${t.url}/mcp`,
      client_id: publicClient.clientId,
      scope: 'mcp:read mcp:write',
      org: alice.organizationId,
      grant_id: code.grantId,
    });
    expect(claims.exp - claims.iat).toBe(900);
    const header = JSON.parse(
      Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString(),
    );
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(await codeUsed(code.code)).toBe(true);
    const stored = await t.dataSource.query(
      `SELECT token_hash, parent_id, grant_id FROM oauth_refresh_tokens WHERE grant_id = $1`,
      [code.grantId],
    );
    expect(stored).toEqual([
      { token_hash: sha256Hex(res.body.refresh_token), parent_id: null, grant_id: code.grantId },
    ]);
  });

  it('should give every access token its own jti', async () => {
    const a = await exchangeCode(t.url, publicClient, await createCode(t.app, publicClient, alice));
    const b = await exchangeCode(t.url, publicClient, await createCode(t.app, publicClient, alice));
    const verify = (tok: string) => t.app.get(AccessTokenService).verify(tok);
    expect(verify(a.body.access_token).jti).not.toBe(verify(b.body.access_token).jti);
  });

  it('should serve the legacy root-relative alias POST /token', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const res = await tokenRequest(
      t.url,
      publicClient,
      {
        grant_type: 'authorization_code',
        code: code.code,
        code_verifier: code.verifier,
        redirect_uri: code.redirectUri,
      },
      '/token',
    );
    expect(res.status).toBe(200);
    expectNoStore(res);
  });

  it('should refuse a code presented again, revoke its grant and kill the first refresh token', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const first = await exchangeCode(t.url, publicClient, code);
    expect(first.status).toBe(200);

    const second = await exchangeCode(t.url, publicClient, code);
    expectOAuthError(second, 400, 'invalid_grant');
    expect(await grantRevoked(code.grantId)).toBe(true);
    expectOAuthError(
      await refresh(t.url, publicClient, first.body.refresh_token),
      400,
      'invalid_grant',
    );
  });

  it('should let exactly one of 10 parallel redemptions succeed, without any 5xx', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => exchangeCode(t.url, publicClient, code)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(400)]);
    for (const r of results.filter((x) => x.status !== 200)) {
      expectOAuthError(r, 400, 'invalid_grant');
    }
    const refreshTokens = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM oauth_refresh_tokens WHERE grant_id = $1`,
      [code.grantId],
    );
    expect(refreshTokens[0].n).toBe(1);
  });

  it('should refuse a wrong PKCE verifier without consuming the code', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const wrong = await exchangeCode(t.url, publicClient, code, { code_verifier: 'x'.repeat(43) });
    expectOAuthError(wrong, 400, 'invalid_grant');
    const tooShort = await exchangeCode(t.url, publicClient, code, {
      code_verifier: code.verifier.slice(0, 42),
    });
    expectOAuthError(tooShort, 400, 'invalid_grant');
    const plain = await exchangeCode(t.url, publicClient, code, {
      code_verifier: code.verifier + '!',
    });
    expectOAuthError(plain, 400, 'invalid_grant');
    expect(await codeUsed(code.code)).toBe(false);

    expect((await exchangeCode(t.url, publicClient, code)).status).toBe(200);
  });

  it('should refuse a redirect_uri that differs from the authorized one', async () => {
    const code = await createCode(t.app, publicClient, alice);
    for (const redirect_uri of [
      `${REDIRECT_URI}/`,
      REDIRECT_URI.replace('53682', '53683'),
      REDIRECT_URI.replace('127.0.0.1', 'localhost'),
      REDIRECT_URI.toUpperCase(),
    ]) {
      expectOAuthError(
        await exchangeCode(t.url, publicClient, code, { redirect_uri }),
        400,
        'invalid_grant',
      );
    }
    expect((await exchangeCode(t.url, publicClient, code)).status).toBe(200);
  });

  it('should answer invalid_target for a resource other than the MCP URL or the code’s', async () => {
    const code = await createCode(t.app, publicClient, alice);
    for (const resource of [
      'https://evil.example/mcp',
      `${t.url}/mcp/other`,
      `${t.url}/`,
      `${t.url}/mcp//`,
      `${t.url}/mcp#x`,
      'not a url',
    ]) {
      expectOAuthError(
        await exchangeCode(t.url, publicClient, code, { resource }),
        400,
        'invalid_target',
      );
    }
    const foreign = await createCode(t.app, publicClient, alice, {
      resource: 'https://elsewhere.example/mcp',
    });
    expectOAuthError(
      await exchangeCode(t.url, publicClient, foreign, { resource: `${t.url}/mcp` }),
      400,
      'invalid_target',
    );
    expect(await codeUsed(code.code)).toBe(false);
    const ok = await exchangeCode(t.url, publicClient, code, {
      resource: `${t.url.toUpperCase()}/mcp/`,
    });
    expect(ok.status).toBe(200);
  });

  it('should accept an exchange without resource (clients that never read the PRM)', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const res = await exchangeCode(t.url, publicClient, code, { resource: undefined });
    expect(res.status).toBe(200);
    expect(t.app.get(AccessTokenService).verify(res.body.access_token).aud).toBe(`${t.url}/mcp`);
  });

  it('should refuse an expired code', async () => {
    const code = await createCode(t.app, publicClient, alice, { expiresInSeconds: -1 });
    expectOAuthError(await exchangeCode(t.url, publicClient, code), 400, 'invalid_grant');
  });

  it('should refuse an unknown code and a refresh token presented as a code', async () => {
    const code = await createCode(t.app, publicClient, alice);
    expectOAuthError(
      await exchangeCode(t.url, publicClient, code, { code: 'unknown-code' }),
      400,
      'invalid_grant',
    );
    const issued = await exchangeCode(t.url, publicClient, code);
    expectOAuthError(
      await exchangeCode(t.url, publicClient, code, { code: issued.body.refresh_token }),
      400,
      'invalid_grant',
    );
  });

  it('should refuse another client’s code and leave it usable for its own client', async () => {
    const other = await createOAuthClient(t.app, { method: 'none' });
    const code = await createCode(t.app, publicClient, alice);
    expectOAuthError(await exchangeCode(t.url, other, code), 400, 'invalid_grant');
    expect(await grantRevoked(code.grantId)).toBe(false);
    expect((await exchangeCode(t.url, publicClient, code)).status).toBe(200);
  });

  it('should refuse a code whose grant was revoked, user disabled or membership removed', async () => {
    const org = await createOrganization(t.app);
    const user = await createUser(t.app);
    await addMember(t.app, org.slug, user.email);
    const who = { userId: user.id, organizationId: org.id };

    const revoked = await createCode(t.app, publicClient, who);
    await t.dataSource.query(`UPDATE oauth_grants SET revoked_at = now() WHERE id = $1`, [
      revoked.grantId,
    ]);
    expectOAuthError(await exchangeCode(t.url, publicClient, revoked), 400, 'invalid_grant');

    const outsider = await createOrganization(t.app);
    const notMember = await createCode(t.app, publicClient, {
      userId: user.id,
      organizationId: outsider.id,
    });
    expectOAuthError(await exchangeCode(t.url, publicClient, notMember), 400, 'invalid_grant');
    expect(await codeUsed(notMember.code)).toBe(false);

    const disabled = await createCode(t.app, publicClient, who);
    await t.app.get(UsersService).disable(systemPrincipal('test'), user.email);
    expectOAuthError(await exchangeCode(t.url, publicClient, disabled), 400, 'invalid_grant');
    expect(await codeUsed(disabled.code)).toBe(false);
  });

  it('should update last_used_at of the grant and the client', async () => {
    const client = await createOAuthClient(t.app, { method: 'none' });
    const code = await createCode(t.app, client, alice);
    expect((await exchangeCode(t.url, client, code)).status).toBe(200);
    const [grant] = await t.dataSource.query(
      `SELECT last_used_at FROM oauth_grants WHERE id = $1`,
      [code.grantId],
    );
    const [row] = await t.dataSource.query(`SELECT last_used_at FROM oauth_clients WHERE id = $1`, [
      client.id,
    ]);
    expect(grant.last_used_at).not.toBeNull();
    expect(row.last_used_at).not.toBeNull();
  });

  it('should answer a database fault with 503 temporarily_unavailable and keep the code usable', async () => {
    const code = await createCode(t.app, publicClient, alice);
    const spy = failOnce('INSERT INTO oauth_refresh_tokens');
    try {
      const res = await exchangeCode(t.url, publicClient, code);
      expectOAuthError(res, 503, 'temporarily_unavailable');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      spy.mockRestore();
    }
    expect(await codeUsed(code.code)).toBe(false);
    expect((await exchangeCode(t.url, publicClient, code)).status).toBe(200);
  });
});
