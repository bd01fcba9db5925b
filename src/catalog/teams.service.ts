import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { invalidArgument } from 'src/common/errors/domain-error';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { findTeam, loadTeamAccess, requireRef } from 'src/catalog/catalog-lookup';
import type {
  ListTeamsInput,
  ListTeamsResult,
  MyTeamDto,
  TeamDto,
} from 'src/catalog/dto/teams.dto';
import { DataProduct, Team, TEAM_TYPES, TeamMember, TeamType } from 'src/catalog/entities';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';
import { User } from 'src/users/user.entity';

@Injectable()
export class TeamsService {
  /** A user's team memberships change rarely: whoami reuses them for AUTH_CACHE_TTL_MS (≤ 5 s). */
  private readonly myTeamsCache: TtlCache<MyTeamDto[]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.myTeamsCache = new TtlCache(config.authCacheTtlMs);
  }

  async list(principal: UserPrincipal, input: ListTeamsInput = {}): Promise<ListTeamsResult> {
    const m = this.dataSource.manager;
    const organizationId = principal.organizationId;
    const type = parseType(input.type);
    let teams = await m.find(Team, { where: { organizationId }, order: { name: 'ASC' } });
    const byId = new Map(teams.map((t) => [t.id, t]));
    if (input.teamId !== undefined) {
      const one = await findTeam(m, organizationId, requireRef(input.teamId, 'teamId'));
      teams = [one];
    }
    if (type) teams = teams.filter((t) => t.type === type);
    const q = input.query?.trim().toLowerCase();
    if (q && q !== '*') {
      teams = teams.filter(
        (t) => t.externalId.toLowerCase().includes(q) || t.name.toLowerCase().includes(q),
      );
    }
    const ids = teams.map((t) => t.id);
    const products = ids.length
      ? await m.find(DataProduct, {
          where: { organizationId, ownerTeamId: In(ids) },
          select: { id: true, externalId: true, ownerTeamId: true },
          order: { externalId: 'ASC' },
        })
      : [];
    const members = input.includeMembers ? await this.members(organizationId, ids) : undefined;
    return {
      teams: teams.map((t): TeamDto => {
        const dto: TeamDto = {
          id: t.externalId,
          name: t.name,
          type: t.type,
          parentId: t.parentTeamId ? (byId.get(t.parentTeamId)?.externalId ?? null) : null,
          ownedDataProducts: products
            .filter((p) => p.ownerTeamId === t.id)
            .map((p) => p.externalId),
        };
        if (members) dto.members = members.get(t.id) ?? [];
        return dto;
      }),
    };
  }

  /**
   * The teams the caller is a direct member of, with their role, by name (whoami; cached: a cached
   * list comes back without a promise).
   */
  myTeams(principal: UserPrincipal): MyTeamDto[] | Promise<MyTeamDto[]> {
    const key = `${principal.userId}:${principal.organizationId}`;
    return this.myTeamsCache.get(key) ?? this.loadAndCacheMyTeams(key, principal);
  }

  private async loadAndCacheMyTeams(key: string, principal: UserPrincipal): Promise<MyTeamDto[]> {
    const teams = await this.loadMyTeams(principal);
    this.myTeamsCache.set(key, teams);
    return teams;
  }

  private async loadMyTeams(principal: UserPrincipal): Promise<MyTeamDto[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(TeamMember, 'tm')
      .innerJoinAndMapOne(
        'tm.team',
        Team,
        't',
        't.id = tm.team_id AND t.organization_id = tm.organization_id',
      )
      .where('tm.organization_id = :org AND tm.user_id = :user', {
        org: principal.organizationId,
        user: principal.userId,
      })
      .orderBy('t.name', 'ASC')
      .getMany();
    return rows.map((tm) => {
      const team = (tm as TeamMember & { team: Team }).team;
      return { id: team.externalId, name: team.name, role: tm.role };
    });
  }

  /** The caller's roles and permissions in every team of the organization. */
  teamAccess(principal: UserPrincipal): Promise<TeamAccess> {
    return loadTeamAccess(this.dataSource.manager, principal);
  }

  /** The caller's effective permissions in one team (external id or UUID), inheritance included. */
  async effectivePermissions(principal: UserPrincipal, teamId: string): Promise<TeamPermission[]> {
    const ref = requireRef(teamId, 'teamId');
    const team = await findTeam(this.dataSource.manager, principal.organizationId, ref);
    const access = await this.teamAccess(principal);
    return [...access.permissionsIn(team.id)].sort();
  }

  private async members(
    organizationId: string,
    teamIds: string[],
  ): Promise<Map<string, NonNullable<TeamDto['members']>>> {
    const out = new Map<string, NonNullable<TeamDto['members']>>();
    if (teamIds.length === 0) return out;
    const rows = await this.dataSource.manager
      .createQueryBuilder(TeamMember, 'tm')
      .innerJoinAndMapOne('tm.user', User, 'u', 'u.id = tm.user_id')
      .where('tm.organization_id = :organizationId AND tm.team_id IN (:...teamIds)', {
        organizationId,
        teamIds,
      })
      .orderBy('u.email', 'ASC')
      .getMany();
    for (const tm of rows) {
      const user = (tm as TeamMember & { user: User }).user;
      const list = out.get(tm.teamId) ?? [];
      list.push({ userId: user.id, email: user.email, name: user.name, role: tm.role });
      out.set(tm.teamId, list);
    }
    return out;
  }
}

function parseType(type: string | undefined): TeamType | undefined {
  if (type === undefined || type === '') return undefined;
  const match = TEAM_TYPES.find((t) => t.toLowerCase() === type.trim().toLowerCase());
  if (!match)
    throw invalidArgument(`Unknown team type "${type}": use one of ${TEAM_TYPES.join(', ')}`);
  return match;
}
