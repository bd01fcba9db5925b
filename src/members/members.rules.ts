import { EntityManager } from 'typeorm';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { conflict, forbidden, notFound } from 'src/common/errors/domain-error';
import { Membership } from 'src/users/membership.entity';
import { Organization } from 'src/users/organization.entity';
import { SLUG_PATTERN } from 'src/users/organizations.service';

export const LAST_OWNER_MESSAGE =
  'This would leave the organization without an owner: make someone else owner first';

/**
 * The organization named in the path, if it is the caller's (another organization's slug is not
 * found, exactly like an unknown one); then owners and admins only, and writes need a key that
 * may write.
 */
export async function resolveOrganization(
  manager: EntityManager,
  principal: Principal,
  slug: string,
  mode: 'read' | 'write',
): Promise<Organization> {
  const wanted = (slug ?? '').trim().toLowerCase();
  const org = SLUG_PATTERN.test(wanted)
    ? await manager.findOneBy(Organization, { slug: wanted })
    : null;
  if (!org || (principal.kind !== 'system' && principal.organizationId !== org.id)) {
    throw notFound('Organization');
  }
  if (!isOrganizationAdmin(principal, org.id)) {
    throw forbidden(
      mode === 'read'
        ? 'Only organization owners and admins can list members'
        : 'Only organization owners and admins can manage members',
    );
  }
  if (mode === 'write' && principal.kind !== 'system' && !hasScope(principal.scopes, Scope.Write)) {
    throw forbidden('A read-only key cannot change members');
  }
  return org;
}

/** Owners (and the operator). Organization-level keys have admin rights, not ownership. */
export function assertOwner(principal: Principal, message: string): void {
  const owner =
    principal.kind === 'system' ||
    (principal.kind === 'user' && principal.organizationRole === 'owner');
  if (!owner) throw forbidden(message);
}

/**
 * Before an owner is demoted or removed: another owner must remain. Locks the owner rows, so two
 * owners cannot demote each other at the same time (same rule as MembershipsService).
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
