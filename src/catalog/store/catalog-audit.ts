import { AuditEventType, AuditTargetType } from 'src/audit/audit-event.types';
import type { AuditService } from 'src/audit/audit.service';
import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import type { StorePrincipal } from 'src/catalog/store/catalog-permissions';

export type AuditedAction = 'created' | 'updated' | 'deleted';

const TYPES: Readonly<Record<CatalogKind, Record<AuditedAction, AuditEventType>>> = {
  team: {
    created: AuditEventType.CatalogTeamCreated,
    updated: AuditEventType.CatalogTeamUpdated,
    deleted: AuditEventType.CatalogTeamDeleted,
  },
  dataproduct: {
    created: AuditEventType.CatalogDataProductCreated,
    updated: AuditEventType.CatalogDataProductUpdated,
    deleted: AuditEventType.CatalogDataProductDeleted,
  },
  datacontract: {
    created: AuditEventType.CatalogDataContractCreated,
    updated: AuditEventType.CatalogDataContractUpdated,
    deleted: AuditEventType.CatalogDataContractDeleted,
  },
};

const TARGETS: Readonly<Record<CatalogKind, AuditTargetType>> = {
  team: 'team',
  dataproduct: 'data_product',
  datacontract: 'data_contract',
};

/** One change of the catalog: the human id and the ETags before and after (never the document). */
export interface CatalogAuditEntry {
  kind: CatalogKind;
  action: AuditedAction;
  /** Row id. */
  targetId: string;
  id: string;
  before: string | null;
  after: string | null;
  /** Contracts: the version after the change (or before a delete). */
  version?: string;
}

/** Records the changes once they are committed. */
export function recordCatalogChanges(
  audit: AuditService,
  principal: StorePrincipal,
  org: string,
  entries: CatalogAuditEntry[],
): void {
  for (const e of entries) {
    audit.record({
      type: TYPES[e.kind][e.action],
      organizationId: org,
      actorUserId: principal.kind === 'user' ? principal.userId : null,
      actorApiKeyId: principal.kind === 'system' ? null : (principal.apiKeyId ?? null),
      actorClientId: principal.kind === 'user' ? (principal.clientId ?? null) : null,
      targetType: TARGETS[e.kind],
      targetId: e.targetId,
      details: {
        id: e.id,
        before: e.before,
        after: e.after,
        ...(e.version !== undefined ? { version: e.version } : {}),
        ...(principal.kind === 'system' ? { actor: principal.actor } : {}),
      },
    });
  }
}
