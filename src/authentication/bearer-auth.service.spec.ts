import type { DataSource } from 'typeorm';
import { AccessTokenClaims, AccessTokenVerifier } from 'src/auth/access-token.claims';
import { AuthError } from 'src/auth/auth.errors';
import { BearerAuthService } from 'src/authentication/bearer-auth.service';
import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';

describe('BearerAuthService', () => {
  const claims = (exp: number): AccessTokenClaims => ({
    iss: 'http://localhost:3000',
    sub: 'u1',
    aud: 'http://localhost:3000/mcp',
    client_id: 'c1',
    scope: 'mcp:read',
    org: 'o1',
    grant_id: 'g1',
    jti: 'j1',
    iat: exp - 900,
    exp,
  });

  function make(grantRows: Array<Record<string, unknown>>, cacheTtlMs = '0') {
    const verifier: AccessTokenVerifier & { calls: number } = {
      calls: 0,
      verify(token: string) {
        this.calls++;
        if (token === 'bad' || token.includes('forged')) throw new AuthError('invalid', 'bad');
        return claims(Math.floor(Date.now() / 1000) + 900);
      },
    };
    const dataSource = { query: jest.fn(async () => grantRows) } as unknown as DataSource;
    const config = buildAppConfig(validateEnv({ AUTH_CACHE_TTL_MS: cacheTtlMs }));
    return { sut: new BearerAuthService(verifier, dataSource, config), verifier, dataSource };
  }

  it('should verify a token’s signature once and reuse the result, but check the grant every time', async () => {
    const { sut, verifier, dataSource } = make([
      { revoked_at: null, disabled_at: null, role: 'member' },
    ]);
    await sut.authenticate('token-a');
    await sut.authenticate('token-a');
    expect(verifier.calls).toBe(1);
    expect((dataSource.query as jest.Mock).mock.calls).toHaveLength(2);
  });

  it('should refuse a cached token as soon as its grant is revoked', async () => {
    const rows = [{ revoked_at: null as Date | null, disabled_at: null, role: 'member' }];
    const { sut } = make(rows);
    await expect(sut.authenticate('token-b')).resolves.toMatchObject({
      grantId: 'g1',
      authMethod: 'oauth',
    });
    rows[0].revoked_at = new Date();
    await expect(sut.authenticate('token-b')).rejects.toBeInstanceOf(AuthError);
  });

  it('should never cache a failed verification', async () => {
    const { sut, verifier } = make([]);
    await expect(sut.authenticate('bad')).rejects.toBeInstanceOf(AuthError);
    await expect(sut.authenticate('bad')).rejects.toBeInstanceOf(AuthError);
    expect(verifier.calls).toBe(2);
  });

  it('should serve only the very token it verified: the same signature with another payload is verified afresh', async () => {
    const { sut, verifier } = make([{ revoked_at: null, disabled_at: null, role: 'member' }]);
    await expect(sut.authenticate('header.payload.signature')).resolves.toMatchObject({
      userId: 'u1',
    });
    await expect(sut.authenticate('header.forged.signature')).rejects.toBeInstanceOf(AuthError);
    await expect(sut.authenticate('header.payload.forged.signature')).rejects.toBeInstanceOf(
      AuthError,
    );
    await expect(sut.authenticate('forged.signature')).rejects.toBeInstanceOf(AuthError);
    expect(verifier.calls).toBe(4);
    await sut.authenticate('header.payload.signature');
    expect(verifier.calls).toBe(4);
  });

  it('should answer without a promise once the token and its grant state are cached', async () => {
    const { sut, dataSource } = make(
      [{ revoked_at: null, disabled_at: null, role: 'member' }],
      '4000',
    );
    const first = sut.authenticate('h.p.s');
    expect(first).toBeInstanceOf(Promise);
    await first;
    const second = sut.authenticate('h.p.s');
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ userId: 'u1', grantId: 'g1', scopes: ['mcp:read'] });
    expect((dataSource.query as jest.Mock).mock.calls).toHaveLength(1);
  });

  it('should reuse one frozen principal while the grant state is cached, and rebuild it from reloaded state', async () => {
    const rows = [{ revoked_at: null, disabled_at: null, role: 'member' }];
    const cached = make(rows, '4000').sut;
    const first = await cached.authenticate('h.p.s');
    const second = await cached.authenticate('h.p.s');
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.scopes)).toBe(true);

    const uncached = make(rows).sut;
    await expect(uncached.authenticate('h.p.s')).resolves.toMatchObject({
      organizationRole: 'member',
    });
    rows[0].role = 'admin';
    await expect(uncached.authenticate('h.p.s')).resolves.toMatchObject({
      organizationRole: 'admin',
    });
  });
});
