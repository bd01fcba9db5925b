import type { DataSource } from 'typeorm';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { generateApiKey } from 'src/api-keys/api-key.format';
import { AuthError } from 'src/auth/auth.errors';
import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';

describe('ApiKeyAuthService', () => {
  const NOW = Date.parse('2026-11-27T12:00:00Z');

  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  function make(row: Record<string, unknown> | null, cacheTtlMs = '4000') {
    const rows = row ? [row] : [];
    const query = jest.fn(async (sql: string) => (sql.startsWith('SELECT') ? rows : []));
    const dataSource = { query } as unknown as DataSource;
    const config = buildAppConfig(validateEnv({ AUTH_CACHE_TTL_MS: cacheTtlMs }));
    return { sut: new ApiKeyAuthService(dataSource, config), query };
  }

  const userKey = (overrides: Record<string, unknown> = {}) => ({
    id: 'k1',
    organization_id: 'o1',
    user_id: 'u1',
    kind: 'user',
    read_only: true,
    expires_at: null,
    revoked_at: null,
    disabled_at: null,
    role: 'member',
    ...overrides,
  });

  const selects = (query: jest.Mock) =>
    query.mock.calls.filter(([sql]) => (sql as string).startsWith('SELECT')).length;

  it('should look a key up once, then answer from the cache with one frozen principal', async () => {
    const { sut, query } = make(userKey());
    const key = generateApiKey();
    const first = await sut.authenticate(key);
    const second = sut.authenticate(key);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(first).toMatchObject({ kind: 'user', userId: 'u1', scopes: ['mcp:read'] });
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.scopes)).toBe(true);
    expect(selects(query)).toBe(1);
  });

  it('should refuse a key whose expiry passes while its principal is cached', async () => {
    const { sut } = make(userKey({ expires_at: new Date(NOW + 1_000) }));
    const key = generateApiKey();
    await expect(sut.authenticate(key)).resolves.toMatchObject({ apiKeyId: 'k1' });
    jest.setSystemTime(NOW + 1_000);
    await expect(Promise.resolve(sut.authenticate(key))).rejects.toThrow(/expired/);
  });

  it('should never cache a principal for a refused key', async () => {
    const { sut } = make(userKey({ role: null }));
    const key = generateApiKey();
    await expect(sut.authenticate(key)).rejects.toBeInstanceOf(AuthError);
    await expect(Promise.resolve(sut.authenticate(key))).rejects.toThrow(/no longer a member/);
  });

  it('should rebuild the principal from state loaded afresh once the cache entry expires', async () => {
    const row = userKey();
    const { sut, query } = make(row);
    const key = generateApiKey();
    const first = await sut.authenticate(key);
    row.role = 'admin';
    jest.setSystemTime(NOW + 4_000);
    const later = await sut.authenticate(key);
    expect(later).not.toBe(first);
    expect(later).toMatchObject({ organizationRole: 'admin' });
    expect(selects(query)).toBe(2);
  });
});
