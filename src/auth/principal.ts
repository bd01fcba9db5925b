/** A member's role in an organization, from most to least powerful. */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'member'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

export type AuthMethod = 'api_key' | 'oauth' | 'session';

/** The operator at the command line (admin CLI, demo seed): may do anything. */
export interface SystemPrincipal {
  kind: 'system';
  actor: string;
}

/** A person acting in one organization, through a key, an OAuth grant or a browser session. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  organizationId: string;
  organizationRole: OrganizationRole;
  scopes: readonly string[];
  authMethod: AuthMethod;
  apiKeyId?: string;
  clientId?: string;
  grantId?: string;
  /** When the credential itself expires (keys with an expiry, access tokens). */
  credentialExpiresAt?: Date | null;
}

/** An organization-level API key: organization-admin rights in its organization, no user. */
export interface OrganizationPrincipal {
  kind: 'organization';
  organizationId: string;
  apiKeyId: string;
  scopes: readonly string[];
  credentialExpiresAt?: Date | null;
}

export type Principal = SystemPrincipal | UserPrincipal | OrganizationPrincipal;

export const systemPrincipal = (actor = 'cli'): SystemPrincipal => ({ kind: 'system', actor });

/** Owner or admin of the organization (or the system). */
export function isOrganizationAdmin(p: Principal, organizationId: string): boolean {
  switch (p.kind) {
    case 'system':
      return true;
    case 'organization':
      return p.organizationId === organizationId;
    case 'user':
      return (
        p.organizationId === organizationId &&
        (p.organizationRole === 'owner' || p.organizationRole === 'admin')
      );
  }
}

/** What a request can authenticate as (never the system). */
export type RequestPrincipal = UserPrincipal | OrganizationPrincipal;
