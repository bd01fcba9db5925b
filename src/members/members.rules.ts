import { EntityManager } from 'typeorm';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { forbidden, notFound } from 'src/common/errors/domain-error';
import { Organization } from 'src/users/organization.entity';
import { SLUG_PATTERN } from 'src/users/organizations.service';

/** The last-owner rule lives beside the memberships it guards. */
export { assertAnotherOwnerRemains, LAST_OWNER_MESSAGE } from 'src/users/memberships.service';

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
