import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { notFound } from 'src/common/errors/domain-error';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { Organization } from 'src/users/organization.entity';
import { User } from 'src/users/user.entity';

/** A user and one of their organizations, as the `whoami` tool shows them. */
export interface UserIdentity {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string; slug: string };
}

/**
 * Who a caller is: the user and the organization of their credential, read from the users
 * module's own tables. Team memberships belong to the catalog, which answers for them itself.
 */
@Injectable()
export class IdentityService {
  /** Users and organizations change rarely: reused for AUTH_CACHE_TTL_MS (≤ 5 s). */
  private readonly cache: TtlCache<UserIdentity>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new TtlCache(config.authCacheTtlMs);
  }

  /**
   * The user and the organization; not found (as "User") when either one is missing. A cached
   * identity comes back as is, without a promise (whoami runs on every connection check).
   */
  describe(userId: string, organizationId: string): UserIdentity | Promise<UserIdentity> {
    const key = `${userId}:${organizationId}`;
    return this.cache.get(key) ?? this.loadAndCache(key, userId, organizationId);
  }

  private async loadAndCache(
    key: string,
    userId: string,
    organizationId: string,
  ): Promise<UserIdentity> {
    const identity = await this.load(userId, organizationId);
    this.cache.set(key, identity);
    return identity;
  }

  private async load(userId: string, organizationId: string): Promise<UserIdentity> {
    const [user, organization] = await Promise.all([
      this.users.findOne({ where: { id: userId }, select: { id: true, email: true, name: true } }),
      this.organizations.findOne({
        where: { id: organizationId },
        select: { id: true, name: true, slug: true },
      }),
    ]);
    if (!user || !organization) throw notFound('User');
    return {
      user: { id: user.id, email: user.email, name: user.name },
      organization: { id: organization.id, name: organization.name, slug: organization.slug },
    };
  }
}
