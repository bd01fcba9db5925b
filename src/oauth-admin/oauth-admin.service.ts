import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { auditActor } from 'src/audit/audit-context';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { notFound } from 'src/common/errors/domain-error';
import {
  ClientRevocationDto,
  ConnectedClientDto,
  GrantDto,
} from 'src/oauth-admin/dto/oauth-admin.dto';
import {
  ClientRow,
  GRANT_SELECT,
  GrantRow,
  toClientDto,
  toGrantDto,
} from 'src/oauth-admin/oauth-admin.rows';
import {
  adminOrganization,
  assertMayWrite,
  callerOrganization,
} from 'src/oauth-admin/oauth-admin.rules';
import { GrantService } from 'src/oauth/grants/grant.service';

/**
 * Connected apps for the admin API: OAuth clients with grants in the caller's organization, and
 * grants (a person's consent for a client). Revocation goes through GrantService, so refresh
 * tokens die at once and access tokens within the live-check bound (≤ 5 s). Clients are global
 * rows: an organization only sees (and disconnects) those its members granted.
 */
@Injectable()
export class OAuthAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantService,
    private readonly audit: AuditService,
  ) {}

  /** Owners and admins: clients with active grants in the organization, most recently used first. */
  async listClients(principal: Principal, organizationId?: string): Promise<ConnectedClientDto[]> {
    const orgId = adminOrganization(principal, organizationId, 'see the organization’s apps');
    const rows = await this.dataSource.query<ClientRow[]>(
      `SELECT c.id, c.client_id, c.client_name, c.kind, c.redirect_uris,
              count(*)::int AS active_grants, count(DISTINCT g.user_id)::int AS users,
              min(g.created_at) AS connected_at, max(g.last_used_at) AS last_used_at
         FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id
        WHERE g.organization_id = $1 AND g.revoked_at IS NULL
        GROUP BY c.id
        ORDER BY max(coalesce(g.last_used_at, g.created_at)) DESC, c.id`,
      [orgId],
    );
    return rows.map(toClientDto);
  }

  /**
   * Owners and admins: revokes every grant of the client in the organization (one transaction).
   * The client row stays; people can connect it again. A client that never had a grant in the
   * organization is not found.
   */
  async revokeClient(
    principal: Principal,
    id: string,
    organizationId?: string,
  ): Promise<ClientRevocationDto> {
    const orgId = adminOrganization(principal, organizationId, 'disconnect apps');
    assertMayWrite(principal);
    const { client, revoked } = await this.dataSource.transaction(async (tx) => {
      const [client] = await tx.query<
        Array<{ id: string; client_id: string; client_name: string }>
      >(
        `SELECT c.id, c.client_id, c.client_name FROM oauth_clients c
          WHERE c.id = $1
            AND EXISTS (SELECT 1 FROM oauth_grants g WHERE g.client_id = c.id AND g.organization_id = $2)`,
        [id, orgId],
      );
      if (!client) throw notFound('OAuth client');
      const revoked = await tx.query<Array<{ id: string; user_id: string }>>(
        `SELECT id, user_id FROM oauth_grants
          WHERE client_id = $1 AND organization_id = $2 AND revoked_at IS NULL
          FOR UPDATE`,
        [id, orgId],
      );
      for (const g of revoked) await this.grants.revoke(g.id, 'client_revoked_by_admin', tx);
      return { client, revoked };
    });
    for (const g of revoked) {
      this.recordRevoked(principal, orgId, g.id, {
        reason: 'client_revoked_by_admin',
        clientId: client.client_id,
        userId: g.user_id,
      });
    }
    return {
      id: client.id,
      clientId: client.client_id,
      clientName: client.client_name,
      revokedGrants: revoked.length,
    };
  }

  /**
   * Active grants in the caller's organization: the caller's own (`mine`, the default for people),
   * or all of them (`organization`: owners, admins and organization keys).
   */
  async listGrants(
    principal: Principal,
    options: { scope?: 'mine' | 'organization'; organizationId?: string } = {},
  ): Promise<GrantDto[]> {
    const wantsAll = options.scope === 'organization' || principal.kind !== 'user';
    const orgId = wantsAll
      ? adminOrganization(principal, options.organizationId, 'list the organization’s grants')
      : callerOrganization(principal, options.organizationId);
    const mine = !wantsAll && principal.kind === 'user';
    const rows = await this.dataSource.query<GrantRow[]>(
      `${GRANT_SELECT}
        WHERE g.organization_id = $1 AND g.revoked_at IS NULL ${mine ? 'AND g.user_id = $2' : ''}
        ORDER BY coalesce(g.last_used_at, g.created_at) DESC, g.id`,
      mine ? [orgId, principal.userId] : [orgId],
    );
    return rows.map(toGrantDto);
  }

  /**
   * Revokes a grant: your own, or (owners, admins, organization keys) any in the organization.
   * Anything else, including another organization's grant, is not found. Idempotent.
   */
  async revokeGrant(principal: Principal, id: string, organizationId?: string): Promise<GrantDto> {
    const orgId = callerOrganization(principal, organizationId);
    assertMayWrite(principal);
    const grant = await this.findGrant(id, orgId);
    const own = principal.kind === 'user' && grant?.user_id === principal.userId;
    if (!grant || !(own || isOrganizationAdmin(principal, grant.organization_id))) {
      throw notFound('Grant');
    }
    if (grant.revoked_at) return toGrantDto(grant);
    const reason = own ? 'revoked_by_user' : 'revoked_by_admin';
    await this.grants.revoke(grant.id, reason);
    this.recordRevoked(principal, orgId, grant.id, {
      reason,
      clientId: grant.client_id,
      userId: grant.user_id,
    });
    return toGrantDto((await this.findGrant(id, orgId)) ?? grant);
  }

  private async findGrant(id: string, organizationId: string): Promise<GrantRow | undefined> {
    const [row] = await this.dataSource.query<GrantRow[]>(
      `${GRANT_SELECT} WHERE g.id = $1 AND g.organization_id = $2`,
      [id, organizationId],
    );
    return row;
  }

  private recordRevoked(
    principal: Principal,
    organizationId: string,
    grantId: string,
    details: { reason: string; clientId: string; userId: string },
  ): void {
    this.audit.record({
      type: AuditEventType.GrantRevoked,
      ...auditActor(principal),
      organizationId,
      targetType: 'oauth_grant',
      targetId: grantId,
      details,
    });
  }
}
