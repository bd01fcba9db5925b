import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditActor } from 'src/audit/audit-context';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import type { Principal } from 'src/auth/principal';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { conflict, DomainError, ErrorCode, notFound } from 'src/common/errors/domain-error';
import { MemberDto, RemovedMemberDto } from 'src/members/dto/member.dto';
import {
  assertAnotherOwnerRemains,
  assertOwner,
  resolveOrganization,
} from 'src/members/members.rules';
import { GrantService } from 'src/oauth/grants/grant.service';
import type { OrganizationRole } from 'src/auth/principal';
import { Membership } from 'src/users/membership.entity';
import { parseRole } from 'src/users/memberships.service';
import { Organization } from 'src/users/organization.entity';
import { normalizeEmail } from 'src/users/users.service';

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: OrganizationRole;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

const toDto = (r: MemberRow): MemberDto => ({
  userId: r.user_id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled_at !== null,
  joinedAt: new Date(r.created_at).toISOString(),
});

const MEMBER_SELECT = `SELECT m.user_id, u.email, u.name, m.role, u.disabled_at, m.created_at
     FROM memberships m JOIN users u ON u.id = m.user_id`;

/**
 * Members of an organization through the admin API: owners and admins list, add existing users,
 * change roles and remove members; only owners grant, take or remove the owner role; an
 * organization always keeps an owner. Each change is one transaction, audited after it commits.
 * Removing a member also revokes their OAuth grants in the organization (refresh tokens die at
 * once); their keys and access tokens stop through the live membership checks (≤ 5 s).
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantService,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, slug: string): Promise<MemberDto[]> {
    const org = await resolveOrganization(this.dataSource.manager, principal, slug, 'read');
    const rows = await this.dataSource.query<MemberRow[]>(
      `${MEMBER_SELECT}
        WHERE m.organization_id = $1
        ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.email`,
      [org.id],
    );
    return rows.map(toDto);
  }

  async add(
    principal: Principal,
    slug: string,
    input: { email: string; role: string },
  ): Promise<MemberDto> {
    const role = parseRole(input.role);
    const email = normalizeEmail(input.email ?? '');
    const { org, member } = await this.dataSource.transaction(async (tx) => {
      const org = await resolveOrganization(tx, principal, slug, 'write');
      if (role === 'owner') assertOwner(principal, 'Only an owner can make someone an owner');
      const [user] = await tx.query<Array<{ id: string }>>(
        `SELECT id FROM users WHERE lower(email) = $1`,
        [email],
      );
      if (!user) {
        throw new DomainError(
          ErrorCode.NotFound,
          `No account with the email ${email}: only existing users can be added`,
        );
      }
      const existing = await tx.findOneBy(Membership, { organizationId: org.id, userId: user.id });
      if (existing) throw alreadyMember(email, existing.role);
      try {
        await tx.insert(Membership, { organizationId: org.id, userId: user.id, role });
      } catch (err) {
        if (isUniqueViolation(err)) throw alreadyMember(email, role);
        throw err;
      }
      return { org, member: await this.member(tx, org.id, user.id) };
    });
    this.record(principal, org, AuditEventType.MembershipAdded, member.userId, { role });
    return member;
  }

  async changeRole(
    principal: Principal,
    slug: string,
    userId: string,
    newRole: string,
  ): Promise<MemberDto> {
    const role = parseRole(newRole);
    const { org, member, from } = await this.dataSource.transaction(async (tx) => {
      const org = await resolveOrganization(tx, principal, slug, 'write');
      const current = await this.lockMembership(tx, org.id, userId);
      if (current.role !== role) {
        if (role === 'owner' || current.role === 'owner') {
          assertOwner(principal, 'Only an owner can grant or take away the owner role');
        }
        if (current.role === 'owner') await assertAnotherOwnerRemains(tx, org.id);
        await tx.update(Membership, { organizationId: org.id, userId }, { role });
      }
      return { org, member: await this.member(tx, org.id, userId), from: current.role };
    });
    if (from !== role) {
      this.record(principal, org, AuditEventType.MembershipRoleChanged, userId, { from, to: role });
    }
    return member;
  }

  async remove(principal: Principal, slug: string, userId: string): Promise<RemovedMemberDto> {
    const { org, member, grantIds } = await this.dataSource.transaction(async (tx) => {
      const org = await resolveOrganization(tx, principal, slug, 'write');
      const current = await this.lockMembership(tx, org.id, userId);
      if (current.role === 'owner') {
        assertOwner(principal, 'Only an owner can remove an owner');
        await assertAnotherOwnerRemains(tx, org.id);
      }
      const member = await this.member(tx, org.id, userId);
      await tx.delete(Membership, { organizationId: org.id, userId });
      const grants = await tx.query<Array<{ id: string }>>(
        `SELECT id FROM oauth_grants
          WHERE user_id = $1 AND organization_id = $2 AND revoked_at IS NULL
          FOR UPDATE`,
        [userId, org.id],
      );
      for (const g of grants) await this.grants.revoke(g.id, 'membership_removed', tx);
      return { org, member, grantIds: grants.map((g) => g.id) };
    });
    this.record(principal, org, AuditEventType.MembershipRemoved, userId, {
      role: member.role,
      revokedGrants: grantIds.length,
    });
    for (const id of grantIds) {
      this.audit.record({
        type: AuditEventType.GrantRevoked,
        ...auditActor(principal),
        organizationId: org.id,
        targetType: 'oauth_grant',
        targetId: id,
        details: { reason: 'membership_removed', userId },
      });
    }
    return { ...member, revokedGrants: grantIds.length };
  }

  /** The membership, locked for this transaction; another organization's member is not found. */
  private async lockMembership(
    tx: EntityManager,
    organizationId: string,
    userId: string,
  ): Promise<Membership> {
    const m = await tx.findOne(Membership, {
      where: { organizationId, userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!m) throw notFound('Member');
    return m;
  }

  private async member(tx: EntityManager, organizationId: string, userId: string) {
    const [row] = await tx.query<MemberRow[]>(
      `${MEMBER_SELECT} WHERE m.organization_id = $1 AND m.user_id = $2`,
      [organizationId, userId],
    );
    if (!row) throw notFound('Member');
    return toDto(row);
  }

  private record(
    principal: Principal,
    org: Organization,
    type: AuditEventType,
    userId: string,
    details: Record<string, string | number>,
  ): void {
    this.audit.record({
      type,
      ...auditActor(principal),
      organizationId: org.id,
      targetType: 'user',
      targetId: userId,
      details,
    });
  }
}

const alreadyMember = (email: string, role: OrganizationRole) =>
  conflict(
    `${email} is already a member (role ${role}): change the role with PATCH /api/v1/organizations/{slug}/members/{userId}`,
  );
