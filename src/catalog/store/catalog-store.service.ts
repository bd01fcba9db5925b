import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { conflict, invalidArgument } from 'src/common/errors/domain-error';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { notFoundError } from 'src/catalog/catalog-lookup';
import { CATALOG_KINDS, CatalogDocument, CatalogKind } from 'src/catalog/documents/catalog-model';
import { DataContract, DataProduct } from 'src/catalog/entities';
import { nextCursor, parsePage } from 'src/catalog/pagination';
import { CatalogAuditEntry, recordCatalogChanges } from 'src/catalog/store/catalog-audit';
import { runBundle } from 'src/catalog/store/catalog-bundle';
import {
  applyChanges,
  assertMayWrite,
  droppedPortsInUse,
  ownerOf,
  planChange,
  readEntry,
} from 'src/catalog/store/catalog-changes';
import { checkRules, overlay } from 'src/catalog/store/catalog-index';
import { filterRows } from 'src/catalog/store/catalog-list';
import { CatalogWriteGuard, StorePrincipal } from 'src/catalog/store/catalog-permissions';
import { bodyOf, CatalogRow, findRow, findRows, loadIndex } from 'src/catalog/store/catalog-rows';
import type {
  CatalogListFilters,
  CatalogListPage,
  ImportOptions,
  ImportReport,
  PutResult,
  StoredDocument,
} from 'src/catalog/store/catalog-store.types';
import {
  contractInUse,
  nothingElseDeleted,
  productInUse,
  teamInUse,
} from 'src/catalog/store/catalog-usage';
import { assertIfMatch, etagOf } from 'src/catalog/store/etag';

const NAMES: Readonly<Record<CatalogKind, string>> = {
  team: 'Team',
  dataproduct: 'Data product',
  datacontract: 'Data contract',
};

/**
 * The catalog's documents (teams, ODPS data products, ODCS data contracts) for the REST API, the
 * import and the export. Writes derive the structured rows the MCP tools read from the document in
 * the same transaction, so every instance sees a change as soon as it is committed.
 */
@Injectable()
export class CatalogStoreService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    principal: StorePrincipal,
    org: string,
    kind: CatalogKind,
    filters: CatalogListFilters = {},
  ): Promise<CatalogListPage> {
    assertReader(principal, org);
    const m = this.dataSource.manager;
    const page = parsePage(filters.limit, filters.cursor);
    const rows = await filterRows(m, org, kind, await findRows(m, org, kind), filters);
    const slice = rows.slice(page.offset, page.offset + page.limit);
    const items: StoredDocument[] = [];
    for (const row of slice) items.push(await stored(m, kind, row));
    const cursor = nextCursor(page, Math.max(0, rows.length - page.offset));
    return cursor ? { items, nextCursor: cursor } : { items };
  }

  async get(
    principal: StorePrincipal,
    org: string,
    kind: CatalogKind,
    id: string,
  ): Promise<StoredDocument> {
    assertReader(principal, org);
    const m = this.dataSource.manager;
    return stored(m, kind, await existing(m, org, kind, id, false));
  }

  /** Creates or replaces a document (idempotent: an identical document writes nothing). */
  async put(
    principal: StorePrincipal,
    org: string,
    kind: CatalogKind,
    id: string,
    body: unknown,
    ifMatch?: string,
  ): Promise<PutResult> {
    assertReader(principal, org);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidArgument('The body must be a JSON or YAML object (the document)', {
        problems: [{ path: '$', message: 'must be an object' }],
      });
    }
    const doc: CatalogDocument = { kind, id, body: body as Record<string, unknown> };
    const { result, audit } = await this.write(async (m) => {
      const guard = await CatalogWriteGuard.load(m, principal, org);
      const entry = readEntry(doc);
      const locked = await findRow(m, org, kind, id, true);
      assertIfMatch(ifMatch, locked ? etagOf(await bodyOf(m, kind, locked)) : null);
      if (Array.isArray(entry)) throw invalidDocument(entry);
      const problems = checkRules(overlay(await loadIndex(m, org), [entry]), [entry]);
      if (problems.length) throw invalidDocument(problems);
      const change = await planChange(m, org, entry, doc.body, true);
      await assertMayWrite(m, org, guard, change);
      const inUse = await droppedPortsInUse(m, org, change);
      if (inUse.length) {
        throw conflict(`The document drops output ports that are still used: ${inUse.join('; ')}`, {
          usedBy: inUse,
        });
      }
      await applyChanges(m, org, [change], principalUserId(principal));
      const changed = change.action !== 'unchanged';
      const entries: CatalogAuditEntry[] = changed
        ? [
            {
              kind,
              action: change.action === 'create' ? 'created' : 'updated',
              targetId: change.row?.id ?? '',
              id,
              before: change.before,
              after: change.after,
              ...(entry.kind === 'datacontract' ? { version: entry.model.version } : {}),
            },
          ]
        : [];
      const stored = { kind, id, body: doc.body, etag: change.after };
      return {
        result: { ...stored, created: change.action === 'create', changed },
        audit: entries,
      };
    });
    recordCatalogChanges(this.audit, principal, org, audit);
    return result;
  }

  /** Deletes a document; refused (409) while something still uses it. */
  async delete(
    principal: StorePrincipal,
    org: string,
    kind: CatalogKind,
    id: string,
    ifMatch?: string,
  ): Promise<void> {
    assertReader(principal, org);
    const { audit } = await this.write(async (m) => {
      const guard = await CatalogWriteGuard.load(m, principal, org);
      const row = await existing(m, org, kind, id, true);
      const before = etagOf(await bodyOf(m, kind, row));
      assertIfMatch(ifMatch, before);
      guard.assertDelete(kind, await ownerOf(m, org, row));
      const reasons = await usage(m, org, row);
      if (reasons.length) {
        throw conflict(`${NAMES[kind]} "${id}" is still used: ${reasons.join('; ')}`, {
          usedBy: reasons,
        });
      }
      await m.remove(row);
      const version = row instanceof DataContract ? { version: row.version } : {};
      const entry = { kind, action: 'deleted' as const, targetId: row.id, id, before, after: null };
      return { result: undefined, audit: [{ ...entry, ...version }] };
    });
    recordCatalogChanges(this.audit, principal, org, audit);
  }

  /** Validates every document, then applies them all in one transaction (see ImportReport). */
  async applyBundle(
    principal: StorePrincipal,
    org: string,
    docs: CatalogDocument[],
    opts: ImportOptions = {},
  ): Promise<ImportReport> {
    assertReader(principal, org);
    const { result, audit } = await this.write(async (m) => {
      const guard = await CatalogWriteGuard.load(m, principal, org);
      const outcome = await runBundle(m, org, guard, docs, opts, principalUserId(principal));
      return { result: outcome.report, audit: outcome.audit };
    });
    recordCatalogChanges(this.audit, principal, org, audit);
    return result;
  }

  /** Every document of the organization exactly as GET returns it (teams, contracts, products). */
  async exportAll(principal: StorePrincipal, org: string): Promise<CatalogDocument[]> {
    assertReader(principal, org);
    const m = this.dataSource.manager;
    const out: CatalogDocument[] = [];
    for (const kind of CATALOG_KINDS) {
      for (const row of await findRows(m, org, kind)) {
        out.push({ kind, id: row.externalId, body: await bodyOf(m, kind, row) });
      }
    }
    return out;
  }

  /** Runs a write in one transaction; a concurrent create of the same id is a 409. */
  private async write<T>(
    work: (m: EntityManager) => Promise<{ result: T; audit: CatalogAuditEntry[] }>,
  ): Promise<{ result: T; audit: CatalogAuditEntry[] }> {
    try {
      return await this.dataSource.transaction(work);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('The catalog was changed concurrently: read it again and retry');
      }
      throw err;
    }
  }
}

/** Every member reads the whole organization; other organizations do not exist. */
function assertReader(principal: StorePrincipal, org: string): void {
  if (principal.kind !== 'system' && principal.organizationId !== org) {
    throw notFoundError('Organization not found');
  }
}

const principalUserId = (p: StorePrincipal): string | null => (p.kind === 'user' ? p.userId : null);

async function stored(
  m: EntityManager,
  kind: CatalogKind,
  row: CatalogRow,
): Promise<StoredDocument> {
  const body = await bodyOf(m, kind, row);
  return { kind, id: row.externalId, body, etag: etagOf(body) };
}

async function existing(
  m: EntityManager,
  org: string,
  kind: CatalogKind,
  id: string,
  lock: boolean,
): Promise<CatalogRow> {
  const row = await findRow(m, org, kind, id, lock);
  if (!row) throw notFoundError(`${NAMES[kind]} "${id}" not found`);
  return row;
}

function usage(m: EntityManager, org: string, row: CatalogRow): Promise<string[]> {
  if (row instanceof DataProduct) return productInUse(m, org, row);
  if (row instanceof DataContract) return contractInUse(m, org, row, nothingElseDeleted());
  return teamInUse(m, org, row, nothingElseDeleted());
}

function invalidDocument(problems: Array<{ path: string; message: string }>) {
  const list = problems.map(({ path, message }) => ({ path, message }));
  return invalidArgument(
    `The document is invalid: ${list.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    { problems: list },
  );
}
