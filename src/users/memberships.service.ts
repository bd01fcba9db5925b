import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { conflict, invalidArgument } from 'src/common/errors/domain-error';
import { Membership, ORGANIZATION_ROLES, OrganizationRole } from 'src/users/membership.entity';
import { Organization } from 'src/users/organization.entity';

export const LAST_OWNER_MESSAGE =
  'This would leave the organization without an owner: make someone else owner first';

/**
 * Reading memberships (sign-in, organization selection, the credential checks). Changing them is
 * the members module's (MembersService: permissions, grant revocation, audit).
 */
@Injectable()
export class MembershipsService {
  constructor(@InjectRepository(Membership) private readonly memberships: Repository<Membership>) {}

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
