import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { forbidden, invalidArgument } from 'src/common/errors/domain-error';

/** The organization of the credential (the operator names one). */
export function callerOrganization(principal: Principal, organizationId?: string): string {
  const orgId = principal.kind === 'system' ? organizationId : principal.organizationId;
  if (!orgId) throw invalidArgument('An organization is required');
  return orgId;
}

/** The caller's organization, for owners, admins and organization keys only. */
export function adminOrganization(
  principal: Principal,
  organizationId: string | undefined,
  action: string,
): string {
  const orgId = callerOrganization(principal, organizationId);
  if (!isOrganizationAdmin(principal, orgId)) {
    throw forbidden(`Only organization owners and admins can ${action}`);
  }
  return orgId;
}

/** A read-only key changes nothing. */
export function assertMayWrite(principal: Principal): void {
  if (principal.kind !== 'system' && !hasScope(principal.scopes, Scope.Write)) {
    throw forbidden('A read-only key cannot revoke grants or disconnect apps');
  }
}
