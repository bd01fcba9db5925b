import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { OAuthGrant } from 'src/oauth/entities';

/**
 * Grants: a person's consent for one client in one organization, and the unit of revocation. Revoking
 * a grant ends its refresh tokens at once and its access tokens within the credential-cache bound.
 */
@Injectable()
export class GrantService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The live grant for (user, client, organization), if any. */
  findActive(
    userId: string,
    clientRowId: string,
    organizationId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OAuthGrant | null> {
    return manager.findOne(OAuthGrant, {
      where: { userId, clientRowId, organizationId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  /** Records consent: reuses the live grant with the new scope, or creates one. */
  async upsert(
    input: { userId: string; clientRowId: string; organizationId: string; scope: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OAuthGrant> {
    const existing = await this.findActive(
      input.userId,
      input.clientRowId,
      input.organizationId,
      manager,
    );
    if (existing) {
      if (existing.scope !== input.scope) {
        await manager.update(OAuthGrant, { id: existing.id }, { scope: input.scope });
        existing.scope = input.scope;
      }
      return existing;
    }
    return manager.save(
      OAuthGrant,
      manager.create(OAuthGrant, {
        ...input,
        lastUsedAt: null,
        revokedAt: null,
        revokedReason: null,
      }),
    );
  }

  /** Idempotent. Also revokes the grant's refresh tokens in the same transaction. */
  async revoke(grantId: string, reason: string, manager?: EntityManager): Promise<void> {
    const run = async (tx: EntityManager) => {
      await tx.query(
        `UPDATE oauth_grants SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
        [grantId, reason],
      );
      await tx.query(
        `UPDATE oauth_refresh_tokens SET revoked_at = now() WHERE grant_id = $1 AND revoked_at IS NULL`,
        [grantId],
      );
    };
    if (manager) await run(manager);
    else await this.dataSource.transaction(run);
  }
}
