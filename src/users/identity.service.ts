import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthMethod, UserPrincipal } from 'src/auth/principal';
import { notFound } from 'src/common/errors/domain-error';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import type { OrganizationRole } from 'src/users/membership.entity';

export interface Identity {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string; slug: string };
  organizationRole: OrganizationRole;
  teams: Array<{ id: string; name: string; role: string }>;
  scopes: string[];
  authMethod: AuthMethod;
  clientName?: string;
}

/** Who the caller is, in the organization of the credential (the `whoami` tool). */
@Injectable()
export class IdentityService {
  /** User, organization and teams change rarely: reused for AUTH_CACHE_TTL_MS (≤ 5 s). */
  private readonly cache: TtlCache<
    Omit<Identity, 'scopes' | 'authMethod' | 'organizationRole' | 'clientName'>
  >;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new TtlCache(config.authCacheTtlMs);
  }

  async describe(principal: UserPrincipal, clientName?: string): Promise<Identity> {
    const key = `${principal.userId}:${principal.organizationId}`;
    let base = this.cache.get(key);
    if (!base) {
      base = await this.load(principal);
      this.cache.set(key, base);
    }
    return {
      ...base,
      organizationRole: principal.organizationRole,
      scopes: [...principal.scopes],
      authMethod: principal.authMethod,
      ...(clientName ? { clientName } : {}),
    };
  }

  private async load(
    principal: UserPrincipal,
  ): Promise<Omit<Identity, 'scopes' | 'authMethod' | 'organizationRole' | 'clientName'>> {
    const [row] = await this.dataSource.query<Array<Record<string, string>>>(
      `SELECT u.id AS user_id, u.email, u.name AS user_name, o.id AS org_id, o.name AS org_name, o.slug
         FROM users u JOIN organizations o ON o.id = $2
        WHERE u.id = $1`,
      [principal.userId, principal.organizationId],
    );
    if (!row) throw notFound('User');
    const teams = await this.dataSource.query<Array<{ id: string; name: string; role: string }>>(
      `SELECT t.external_id AS id, t.name, tm.role
         FROM team_members tm JOIN teams t ON t.id = tm.team_id
        WHERE tm.user_id = $1 AND tm.organization_id = $2
        ORDER BY t.name`,
      [principal.userId, principal.organizationId],
    );
    return {
      user: { id: row.user_id, email: row.email, name: row.user_name },
      organization: { id: row.org_id, name: row.org_name, slug: row.slug },
      teams,
    };
  }
}
