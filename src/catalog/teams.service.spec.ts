import type { DataSource } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { TeamsService } from 'src/catalog/teams.service';
import { buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';

describe('TeamsService.myTeams', () => {
  /** Only the user and the organization matter to the query and the cache. */
  const carol = { kind: 'user', userId: 'u1', organizationId: 'o1' } as UserPrincipal;

  /** A data source whose team-member query answers `rows` and records its parameters. */
  function make(cacheTtlMs: string) {
    const rows = [{ role: 'editor', team: { externalId: 'marketing', name: 'Marketing' } }];
    const where = jest.fn();
    const query = {
      innerJoinAndMapOne: () => query,
      where: (sql: string, params: unknown) => (where(sql, params), query),
      orderBy: () => query,
      getMany: jest.fn(async () => rows),
    };
    const dataSource = { manager: { createQueryBuilder: () => query } } as unknown as DataSource;
    const config = buildAppConfig(validateEnv({ AUTH_CACHE_TTL_MS: cacheTtlMs }));
    return { sut: new TeamsService(dataSource, config), query, where };
  }

  it('should answer the caller’s teams in this organization with their role', async () => {
    const { sut, where } = make('0');

    await expect(sut.myTeams(carol)).resolves.toEqual([
      { id: 'marketing', name: 'Marketing', role: 'editor' },
    ]);
    expect(where).toHaveBeenCalledWith(expect.any(String), { org: 'o1', user: 'u1' });
  });

  it('should reuse the answer within AUTH_CACHE_TTL_MS, per user and organization', async () => {
    const { sut, query } = make('4000');

    await sut.myTeams(carol);
    await sut.myTeams({ ...carol, scopes: ['mcp'], organizationRole: 'admin' });
    await sut.myTeams({ ...carol, organizationId: 'o2' });

    expect(query.getMany).toHaveBeenCalledTimes(2);
  });

  it('should read again when caching is off', async () => {
    const { sut, query } = make('0');

    await sut.myTeams(carol);
    await sut.myTeams(carol);

    expect(query.getMany).toHaveBeenCalledTimes(2);
  });
});
