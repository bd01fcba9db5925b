/** Every kind of audit event. Stored in `audit_events.type`; the REST filter accepts exactly these. */
export const AuditEventType = {
  SignInSucceeded: 'auth.sign_in.succeeded',
  SignInFailed: 'auth.sign_in.failed',
  ConsentGranted: 'oauth.consent.granted',
  ConsentDenied: 'oauth.consent.denied',
  CodeIssued: 'oauth.code.issued',
  TokenIssued: 'oauth.token.issued',
  TokenRefreshed: 'oauth.token.refreshed',
  RefreshReuseDetected: 'oauth.refresh_reuse.detected',
  GrantRevoked: 'oauth.grant.revoked',
  ApiKeyCreated: 'api_key.created',
  ApiKeyRevoked: 'api_key.revoked',
  ApiKeyRefused: 'api_key.refused',
  MembershipAdded: 'membership.added',
  MembershipRoleChanged: 'membership.role_changed',
  MembershipRemoved: 'membership.removed',
  McpToolCalled: 'mcp.tool.called',
  CatalogTeamCreated: 'catalog.team.created',
  CatalogTeamUpdated: 'catalog.team.updated',
  CatalogTeamDeleted: 'catalog.team.deleted',
  CatalogDataProductCreated: 'catalog.data_product.created',
  CatalogDataProductUpdated: 'catalog.data_product.updated',
  CatalogDataProductDeleted: 'catalog.data_product.deleted',
  CatalogDataContractCreated: 'catalog.data_contract.created',
  CatalogDataContractUpdated: 'catalog.data_contract.updated',
  CatalogDataContractDeleted: 'catalog.data_contract.deleted',
} as const;

export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = Object.values(AuditEventType);

/** Why an `x-api-key` was refused (`details.reason` of `api_key.refused`). */
export type ApiKeyRefusalReason = 'invalid' | 'revoked' | 'expired' | 'disabled' | 'not_member';

/** What an event is about (`target_type`). */
export type AuditTargetType =
  | 'api_key'
  | 'user'
  | 'oauth_grant'
  | 'oauth_client'
  | 'tool'
  | 'team'
  | 'data_product'
  | 'data_contract';

/**
 * Extra facts about an event: ids, names, roles, reasons, counts. Never a secret: no keys, tokens,
 * codes, passwords or hashes (values under secret-looking names are replaced before storing).
 */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

/** One event as services record it. Everything but `type` is optional. */
export interface AuditEventInput {
  type: AuditEventType;
  /** Null for events outside an organization (e.g. a failed sign-in of an unknown email). */
  organizationId?: string | null;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  /** The OAuth `client_id` (public identifier) the actor used. */
  actorClientId?: string | null;
  targetType?: AuditTargetType | null;
  targetId?: string | null;
  /** Taken from the current request when omitted (see audit-context.ts). */
  ip?: string | null;
  userAgent?: string | null;
  details?: AuditDetails;
}
