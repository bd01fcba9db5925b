import { systemPrincipal } from 'src/auth/principal';
import { sha256Hex } from 'src/common/crypto';
import { GrantService } from 'src/oauth/grants/grant.service';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { UsersService } from 'src/users/users.service';
import {
  addMember,
  createOrganization,
  createUser,
  removeMember,
} from 'test/factories/identity.factory';
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
  intercept,
  QueryStep,
  refresh,
} from 'test/factories/oauth-http';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('POST /oauth2/token: refresh_token rotation (e2e)', () => {
  let t: TestApp;
  let alice: TestIdentity;
  let client: TestClient;
  const verify = (token: string) => t.app.get(AccessTokenService).verify(token);

  /** A fresh grant: its id and first refresh token. */
  async function start(
    who: TestIdentity = alice,
    c: TestClient = client,
    scope = 'mcp:read mcp:write',
  ): Promise<{ grantId: string; refreshToken: string }> {
    const code = await createCode(t.app, c, who, { scope });
    const res = await exchangeCode(t.url, c, code);
    expect(res.status).toBe(200);
    return { grantId: code.grantId, refreshToken: res.body.refresh_token };
  }

  async function rotate(token: string, c: TestClient = client): Promise<string> {
    const res = await refresh(t.url, c, token);
    expect(res.status).toBe(200);
    return res.body.refresh_token;
  }

  const grantRevoked = async (grantId: string): Promise<boolean> => {
    const rows = await t.dataSource.query(`SELECT revoked_at FROM oauth_grants WHERE id = $1`, [
      grantId,
    ]);
    return rows[0].revoked_at !== null;
  };

  /** Moves the first use of a refresh token into the past. */
  const ageFirstUse = (token: string, seconds: number) =>
    t.dataSource.query(
      `UPDATE oauth_refresh_tokens SET used_at = used_at - make_interval(secs => $2)
        WHERE token_hash = $1`,
      [sha256Hex(token), seconds],
    );

  beforeAll(async () => {
    t = await startTestApp();
    alice = await demoIdentity(t.app, 'alice@acme.example', 'acme');
    client = await createOAuthClient(t.app, { method: 'client_secret_post' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should return a new pair on every use, each access token valid', async () => {
    const { grantId, refreshToken } = await start();
    const seen = new Set([refreshToken]);
    let current = refreshToken;
    for (let i = 0; i < 3; i++) {
      const res = await refresh(t.url, client, current, { resource: `${t.url}/mcp` });
      expect(res.status).toBe(200);
      expectNoStore(res);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(verify(res.body.access_token)).toMatchObject({
        grant_id: grantId,
        sub: alice.userId,
        scope: 'mcp:read mcp:write',
      });
      expect(seen.has(res.body.refresh_token)).toBe(false);
      seen.add(res.body.refresh_token);
      current = res.body.refresh_token;
    }
    const chain = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM oauth_refresh_tokens WHERE grant_id = $1`,
      [grantId],
    );
    expect(chain[0].n).toBe(4);
  });

  it('should give a fresh pair for the previous token within the grace period', async () => {
    const { grantId, refreshToken: r0 } = await start();
    const r1 = await rotate(r0);
    const again = await refresh(t.url, client, r0);
    expect(again.status).toBe(200);
    const r1b = again.body.refresh_token;
    expect(r1b).not.toBe(r1);
    expect(verify(again.body.access_token).grant_id).toBe(grantId);
    // Both successors are usable until one of them is used.
    expect(await rotate(r1b)).toBeDefined();
    expect(await grantRevoked(grantId)).toBe(false);
  });

  it('should treat a sibling as old once another successor was used, and revoke the grant', async () => {
    const { grantId, refreshToken: r0 } = await start();
    const r1 = await rotate(r0);
    const r1b = await rotate(r0); // lost response: the client retries within the grace
    const r2 = await rotate(r1b);

    expectOAuthError(await refresh(t.url, client, r1), 400, 'invalid_grant');
    expect(await grantRevoked(grantId)).toBe(true);
    expectOAuthError(await refresh(t.url, client, r2), 400, 'invalid_grant');
  });

  it('should revoke the whole grant when an older generation is presented', async () => {
    const { grantId, refreshToken: r0 } = await start();
    const r1 = await rotate(r0);
    const r2 = await rotate(r1);

    const old = await refresh(t.url, client, r0);
    expectOAuthError(old, 400, 'invalid_grant');
    expect(await grantRevoked(grantId)).toBe(true);
    for (const token of [r1, r2]) {
      expectOAuthError(await refresh(t.url, client, token), 400, 'invalid_grant');
    }
    const live = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM oauth_refresh_tokens WHERE grant_id = $1 AND revoked_at IS NULL`,
      [grantId],
    );
    expect(live[0].n).toBe(0);
  });

  it('should treat the previous token as old once the grace period is over', async () => {
    const { grantId, refreshToken: r0 } = await start();
    await rotate(r0);
    await ageFirstUse(r0, t.config.oauth.refreshGraceSeconds + 1);
    expectOAuthError(await refresh(t.url, client, r0), 400, 'invalid_grant');
    expect(await grantRevoked(grantId)).toBe(true);
  });

  it('should answer a burst of parallel refreshes with the same token without any 5xx', async () => {
    const { grantId, refreshToken } = await start();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => refresh(t.url, client, refreshToken)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const tokens = new Set(results.map((r) => r.body.refresh_token));
    expect(tokens.size).toBe(5);
    await rotate(results[0].body.refresh_token);
    expectOAuthError(
      await refresh(t.url, client, results[1].body.refresh_token),
      400,
      'invalid_grant',
    );
    expect(await grantRevoked(grantId)).toBe(true);
  });

  it('should narrow the access token’s scope on request but never widen it', async () => {
    const { refreshToken } = await start();
    const narrow = await refresh(t.url, client, refreshToken, { scope: 'mcp:read' });
    expect(narrow.status).toBe(200);
    expect(narrow.body.scope).toBe('mcp:read');
    expect(verify(narrow.body.access_token).scope).toBe('mcp:read');

    // The new refresh token keeps the grant's scope.
    const next = await refresh(t.url, client, narrow.body.refresh_token);
    expect(next.body.scope).toBe('mcp:read mcp:write');

    for (const scope of ['mcp', 'mcp:read admin', 'admin']) {
      expectOAuthError(
        await refresh(t.url, client, next.body.refresh_token, { scope }),
        400,
        'invalid_scope',
      );
    }
    // A refused request does not rotate: the token still works.
    expect(await rotate(next.body.refresh_token)).toBeDefined();
  });

  it('should accept scopes the granted umbrella scope implies', async () => {
    const { refreshToken } = await start(alice, client, 'mcp');
    const res = await refresh(t.url, client, refreshToken, { scope: 'mcp:write offline_access' });
    expect(res.status).toBe(200);
    expect(verify(res.body.access_token).scope).toBe('mcp:write');
  });

  it('should validate resource before rotating', async () => {
    const { refreshToken } = await start();
    expectOAuthError(
      await refresh(t.url, client, refreshToken, { resource: 'https://evil.example/mcp' }),
      400,
      'invalid_target',
    );
    const res = await refresh(t.url, client, refreshToken, {
      resource: `${t.url.replace('http', 'HTTP')}/mcp/`,
    });
    expect(res.status).toBe(200);
  });

  it('should refuse another client’s refresh token without revoking it', async () => {
    const { grantId, refreshToken } = await start();
    const thief = await createOAuthClient(t.app, { method: 'none' });
    expectOAuthError(await refresh(t.url, thief, refreshToken), 400, 'invalid_grant');
    expect(await grantRevoked(grantId)).toBe(false);
    expect(await rotate(refreshToken)).toBeDefined();
  });

  it('should refuse an access token or a code presented as refresh token', async () => {
    const code = await createCode(t.app, client, alice);
    const issued = await exchangeCode(t.url, client, code);
    expectOAuthError(await refresh(t.url, client, issued.body.access_token), 400, 'invalid_grant');
    expectOAuthError(await refresh(t.url, client, code.code), 400, 'invalid_grant');
    expectOAuthError(await refresh(t.url, client, 'garbage'), 400, 'invalid_grant');
    expect(await grantRevoked(code.grantId)).toBe(false);
  });

  it('should refuse a refresh token once its grant is revoked', async () => {
    const { grantId, refreshToken } = await start();
    await t.app.get(GrantService).revoke(grantId, 'test');
    expectOAuthError(await refresh(t.url, client, refreshToken), 400, 'invalid_grant');
  });

  it('should refuse a refresh token whose idle or absolute lifetime is over', async () => {
    for (const column of ['expires_at', 'absolute_expires_at']) {
      const { refreshToken } = await start();
      await t.dataSource.query(
        `UPDATE oauth_refresh_tokens SET ${column} = now() - interval '1 second' WHERE token_hash = $1`,
        [sha256Hex(refreshToken)],
      );
      expectOAuthError(await refresh(t.url, client, refreshToken), 400, 'invalid_grant');
    }
  });

  it('should carry the family’s absolute expiry to every successor', async () => {
    const { refreshToken: r0 } = await start();
    const r1 = await rotate(r0);
    const rows = await t.dataSource.query(
      `SELECT token_hash, absolute_expires_at, expires_at FROM oauth_refresh_tokens
        WHERE token_hash IN ($1, $2)`,
      [sha256Hex(r0), sha256Hex(r1)],
    );
    expect(rows).toHaveLength(2);
    expect(new Date(rows[0].absolute_expires_at).getTime()).toBe(
      new Date(rows[1].absolute_expires_at).getTime(),
    );
  });

  it('should refuse refreshes for a disabled user or a removed member', async () => {
    const org = await createOrganization(t.app);
    const user = await createUser(t.app);
    await addMember(t.app, org.slug, user.email);
    const other = await createUser(t.app);
    await addMember(t.app, org.slug, other.email);
    const disabled = await start({ userId: user.id, organizationId: org.id });
    const removed = await start({ userId: other.id, organizationId: org.id });

    await t.app.get(UsersService).disable(systemPrincipal('test'), user.email);
    expectOAuthError(await refresh(t.url, client, disabled.refreshToken), 400, 'invalid_grant');

    await removeMember(t.app, org.slug, other.email);
    expectOAuthError(await refresh(t.url, client, removed.refreshToken), 400, 'invalid_grant');
  });

  /** The presented token's `used_at` and how many successors it has. */
  const tokenRow = async (token: string) => {
    const [row] = await t.dataSource.query(
      `SELECT t.used_at, (SELECT count(*)::int FROM oauth_refresh_tokens c WHERE c.parent_id = t.id)
              AS successors
         FROM oauth_refresh_tokens t WHERE t.token_hash = $1`,
      [sha256Hex(token)],
    );
    return row as { used_at: Date | null; successors: number };
  };

  async function refreshIntercepted(
    token: string,
    steps: Record<string, QueryStep>,
  ): Promise<Awaited<ReturnType<typeof refresh>>> {
    const spy = intercept(steps);
    try {
      return await refresh(t.url, client, token);
    } finally {
      spy.mockRestore();
    }
  }

  /** PostgreSQL runs (global-setup): a second connection can hold a lock while a request waits. */
  const onPostgres = Boolean(process.env.DATABASE_URL);

  async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A user of their own organization, so that disabling them touches no other test. */
  async function newMember(): Promise<{ userId: string; organizationId: string; email: string }> {
    const org = await createOrganization(t.app);
    const user = await createUser(t.app);
    await addMember(t.app, org.slug, user.email);
    return { userId: user.id, organizationId: org.id, email: user.email };
  }

  const setDisabled = (userId: string, disabled: boolean) =>
    t.dataSource.query(
      `UPDATE users SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1`,
      [userId],
    );

  it('should write nothing when the rotation call fails: 503, then the same token works', async () => {
    const { grantId, refreshToken } = await start();
    const res = await refreshIntercepted(refreshToken, { oauth_rotate_refresh_token: 'fail' });
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await tokenRow(refreshToken)).toEqual({ used_at: null, successors: 0 });

    expect((await refresh(t.url, client, refreshToken)).status).toBe(200);
    expect(await grantRevoked(grantId)).toBe(false);
  });

  it('should rotate on the full path when the token became usable after the rotation call', async () => {
    const who = await newMember();
    const { refreshToken } = await start(who);
    await setDisabled(who.userId, true);
    // The rotation call refuses the disabled user and leaves it to the full path, which locks the
    // grant and reads again: by then the user is enabled again.
    const res = await refreshIntercepted(refreshToken, {
      oauth_rotate_refresh_token: { after: () => setDisabled(who.userId, false) },
    });
    expect(res.status).toBe(200);
    expect(verify(res.body.access_token).sub).toBe(who.userId);
    expect(await tokenRow(refreshToken)).toMatchObject({ successors: 1 });
    expect(await tokenRow(res.body.refresh_token)).toEqual({ used_at: null, successors: 0 });
  });

  it('should roll back the full path’s rotation hit by a database fault: 503, then the same token works', async () => {
    const who = await newMember();
    const { grantId, refreshToken } = await start(who);
    await setDisabled(who.userId, true);
    const res = await refreshIntercepted(refreshToken, {
      oauth_rotate_refresh_token: { after: () => setDisabled(who.userId, false) },
      'INSERT INTO oauth_refresh_tokens': 'fail',
    });
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(await tokenRow(refreshToken)).toEqual({ used_at: null, successors: 0 });

    expect((await refresh(t.url, client, refreshToken)).status).toBe(200);
    expect(await grantRevoked(grantId)).toBe(false);
  });

  it('should write nothing when the signing key cannot be loaded, and the same token still works', async () => {
    const { refreshToken } = await start();
    const spy = jest
      .spyOn(AccessTokenService.prototype, 'ready')
      .mockRejectedValueOnce(
        Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }),
      );
    let res;
    try {
      res = await refresh(t.url, client, refreshToken);
    } finally {
      spy.mockRestore();
    }
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(await tokenRow(refreshToken)).toEqual({ used_at: null, successors: 0 });
    expect((await refresh(t.url, client, refreshToken)).status).toBe(200);
  });

  (onPostgres ? it : it.skip)(
    'should see a successor used while it waited for the grant lock, and revoke the grant (PostgreSQL)',
    async () => {
      const { grantId, refreshToken: r0 } = await start();
      const r1 = await rotate(r0); // r0 is in its grace period: usable until r1 is used
      const other = t.dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        await other.query(`SELECT 1 FROM oauth_grants WHERE id = $1 FOR UPDATE`, [grantId]);
        await other.query(`UPDATE oauth_refresh_tokens SET used_at = now() WHERE token_hash = $1`, [
          sha256Hex(r1),
        ]);
        const pending = refresh(t.url, client, r0);
        // Commit only once the refresh waits for the grant lock: its check of r0 must then see r1
        // used, which a check in the statement that waited (an older snapshot) would not.
        await waitFor(async () => {
          const [row] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return row.n > 0;
        });
        await other.commitTransaction();
        const res = await pending;
        expectOAuthError(res, 400, 'invalid_grant');
        expect(res.body.error_description).toMatch(/replaced by a newer one/);
        expect(await grantRevoked(grantId)).toBe(true);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
      }
    },
  );
});
