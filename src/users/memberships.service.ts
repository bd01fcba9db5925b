import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { conflict, forbidden, invalidArgument, notFound } from 'src/common/errors/domain-error';
import { MembershipDto } from 'src/users/dto/user.dto';
import { Membership, ORGANIZATION_ROLES, OrganizationRole } from 'src/users/membership.entity';
import { Organization } from 'src/users/organization.entity';
import { normalizeEmail } from 'src/users/users.service';
import { User } from 'src/users/user.entity';

export const LAST_OWNER_MESSAGE =
  'This would leave the organization without an owner: make someone else owner first';

export interface MemberRef {
  organizationSlug: string;
  email: string;
}

@Injectable()
export class MembershipsService {
  constructor(
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Adds a user to an organization, or changes the role of an existing member. */
  async add(principal: Principal, ref: MemberRef & { role: string }): Promise<MembershipDto> {
    const role = parseRole(ref.role);
    return this.dataSource.transaction(async (tx) => {
      const { org, user } = await this.resolve(tx, principal, ref);
      if (role === 'owner' && principal.kind === 'user' && principal.organizationRole !== 'owner') {
        throw forbidden('Only an owner can make someone an owner');
      }
      const existing = await tx.findOne(Membership, {
        where: { organizationId: org.id, userId: user.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (existing && existing.role !== role) {
        await this.assertNotLastOwner(tx, org.id, existing, role);
        await tx.update(Membership, { organizationId: org.id, userId: user.id }, { role });
      } else if (!existing) {
        await tx.insert(Membership, { organizationId: org.id, userId: user.id, role });
      }
      return {
        organizationId: org.id,
        organizationSlug: org.slug,
        userId: user.id,
        email: user.email,
        role,
      };
    });
  }

  async remove(principal: Principal, ref: MemberRef): Promise<MembershipDto> {
    return this.dataSource.transaction(async (tx) => {
      const { org, user } = await this.resolve(tx, principal, ref);
      const existing = await tx.findOne(Membership, {
        where: { organizationId: org.id, userId: user.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) throw notFound(`Membership of ${user.email} in ${org.slug}`);
      await this.assertNotLastOwner(tx, org.id, existing, null);
      await tx.delete(Membership, { organizationId: org.id, userId: user.id });
      return {
        organizationId: org.id,
        organizationSlug: org.slug,
        userId: user.id,
        email: user.email,
        role: existing.role,
      };
    });
  }

  /** The memberships of one user (internal: sign-in and organization selection). */
  async listForUser(
    userId: string,
  ): Promise<Array<{ organization: Organization; role: OrganizationRole }>> {
    const rows = await this.memberships
      .createQueryBuilder('m')
      .innerJoinAndMapOne('m.organization', Organization, 'o', 'o.id = m.organization_id')
      .where('m.user_id = :userId', { userId })
      .orderBy('o.name', 'ASC')
      .getMany();
    return rows.map((m) => ({
      organization: (m as Membership & { organization: Organization }).organization,
      role: m.role,
    }));
  }

  async findRole(userId: string, organizationId: string): Promise<OrganizationRole | null> {
    const m = await this.memberships.findOneBy({ userId, organizationId });
    return m?.role ?? null;
  }

  private async resolve(
    tx: EntityManager,
    principal: Principal,
    ref: MemberRef,
  ): Promise<{ org: Organization; user: User }> {
    const org = await tx.findOneBy(Organization, {
      slug: (ref.organizationSlug ?? '').trim().toLowerCase(),
    });
    if (!org || !isOrganizationAdmin(principal, org.id)) {
      if (org && principal.kind === 'user' && principal.organizationId === org.id) {
        throw forbidden('Only organization owners and admins can manage members');
      }
      throw notFound(`Organization ${ref.organizationSlug}`);
    }
    const user = await tx
      .createQueryBuilder(User, 'u')
      .where('lower(u.email) = :email', { email: normalizeEmail(ref.email ?? '') })
      .getOne();
    if (!user) throw notFound(`User ${normalizeEmail(ref.email ?? '')}`);
    return { org, user };
  }

  private async assertNotLastOwner(
    tx: EntityManager,
    organizationId: string,
    current: Membership,
    newRole: OrganizationRole | null,
  ): Promise<void> {
    if (current.role !== 'owner' || newRole === 'owner') return;
    await assertAnotherOwnerRemains(tx, organizationId);
  }
}

/**
 * Before an owner is demoted or removed: another owner must remain (409 otherwise). Locks the owner
 * rows, so two owners cannot demote each other at the same time. Also the members API's rule.
 */
export async function assertAnotherOwnerRemains(
  tx: EntityManager,
  organizationId: string,
): Promise<void> {
  const owners = await tx
    .createQueryBuilder(Membership, 'm')
    .setLock('pessimistic_write')
    .where('m.organization_id = :organizationId AND m.role = :role', {
      organizationId,
      role: 'owner',
    })
    .getMany();
  if (owners.length <= 1) throw conflict(LAST_OWNER_MESSAGE);
}

export function parseRole(role: string): OrganizationRole {
  const r = (role ?? '').trim().toLowerCase();
  if (!(ORGANIZATION_ROLES as readonly string[]).includes(r)) {
    throw invalidArgument(`Unknown role "${role}": use one of ${ORGANIZATION_ROLES.join(', ')}`);
  }
  return r as OrganizationRole;
}
