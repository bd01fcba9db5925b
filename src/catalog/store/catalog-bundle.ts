import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type {
  CatalogDocument,
  CatalogKind,
  DocumentProblem,
} from 'src/catalog/documents/catalog-model';
import { CATALOG_KINDS } from 'src/catalog/documents/catalog-model';
import { DataContract, DataProduct } from 'src/catalog/entities';
import type { CatalogAuditEntry } from 'src/catalog/store/catalog-audit';
import {
  applyChanges,
  assertMayWrite,
  Change,
  ownerOf,
  droppedPortsInUse,
  planChange,
  readEntry,
} from 'src/catalog/store/catalog-changes';
import { checkRules, ModelEntry, overlay } from 'src/catalog/store/catalog-index';
import type { CatalogWriteGuard } from 'src/catalog/store/catalog-permissions';
import { bodyOf, CatalogRow, findRows, loadIndex } from 'src/catalog/store/catalog-rows';
import type {
  ImportAction,
  ImportOptions,
  ImportReport,
} from 'src/catalog/store/catalog-store.types';
import {
  contractInUse,
  DeletedTogether,
  productInUse,
  teamInUse,
} from 'src/catalog/store/catalog-usage';
import { etagOf } from 'src/catalog/store/etag';

const NAMES: Readonly<Record<CatalogKind, string>> = {
  team: 'team',
  dataproduct: 'data product',
  datacontract: 'data contract',
};

interface Deletion {
  kind: CatalogKind;
  row: CatalogRow;
  before: string;
}

/** What an import does: the report, and the audit entries of what it wrote. */
export interface BundleOutcome {
  report: ImportReport;
  audit: CatalogAuditEntry[];
}

/** The same (kind, id) twice in a bundle: a problem for each copy after the first. */
function duplicates(docs: readonly CatalogDocument[]): DocumentProblem[] {
  const first = new Map<string, CatalogDocument>();
  const problems: DocumentProblem[] = [];
  for (const doc of docs) {
    const key = `${doc.kind}/${doc.id}`;
    const earlier = first.get(key);
    if (earlier) {
      problems.push({
        path: '$.id',
        message: `${NAMES[doc.kind]} "${doc.id}" appears more than once${earlier.source ? ` (also in ${earlier.source})` : ''}`,
        ...(doc.source ? { source: doc.source } : {}),
      });
    } else first.set(key, doc);
  }
  return problems;
}

/** The rows the organization holds and the bundle does not (deleted by prune). */
async function pruned(
  m: EntityManager,
  org: string,
  entries: readonly ModelEntry[],
): Promise<Deletion[]> {
  const kept = new Set(entries.map((e) => `${e.kind}/${e.id}`));
  const out: Deletion[] = [];
  for (const kind of CATALOG_KINDS) {
    for (const row of await findRows(m, org, kind)) {
      if (!kept.has(`${kind}/${row.externalId}`)) {
        out.push({ kind, row, before: etagOf(await bodyOf(m, kind, row)) });
      }
    }
  }
  return out;
}

/** Why a pruned row cannot go (active agreements, a provider team of agreements). */
async function pruneRefusals(
  m: EntityManager,
  org: string,
  deletions: Deletion[],
): Promise<DocumentProblem[]> {
  const together: DeletedTogether = { products: new Set(), contracts: new Set(), teams: new Set() };
  for (const d of deletions) {
    if (d.row instanceof DataProduct) together.products.add(d.row.id);
    else if (d.row instanceof DataContract) together.contracts.add(d.row.id);
    else together.teams.add(d.row.id);
  }
  const problems: DocumentProblem[] = [];
  for (const d of deletions) {
    const reasons =
      d.row instanceof DataProduct
        ? await productInUse(m, org, d.row)
        : d.row instanceof DataContract
          ? await contractInUse(m, org, d.row, together, false)
          : await teamInUse(m, org, d.row, together, false);
    if (reasons.length) {
      problems.push({
        path: '$',
        message: `prune cannot delete ${NAMES[d.kind]} "${d.row.externalId}": ${reasons.join('; ')}`,
      });
    }
  }
  return problems;
}

/** Problems of one change: ports it drops that active agreements use, and permissions. */
async function changeProblems(
  m: EntityManager,
  org: string,
  guard: CatalogWriteGuard,
  change: Change,
): Promise<DocumentProblem[]> {
  if (change.action === 'unchanged') return [];
  const at = (path: string, message: string): DocumentProblem => ({
    path,
    message,
    ...(change.entry.source ? { source: change.entry.source } : {}),
  });
  const problems = (await droppedPortsInUse(m, org, change)).map((r) =>
    at('$.outputPorts', `an output port this drops is still used: ${r}`),
  );
  try {
    await assertMayWrite(m, org, guard, change);
  } catch (err) {
    if (!(err instanceof DomainError && err.code === ErrorCode.Forbidden)) throw err;
    problems.push(at('$', err.message));
  }
  return problems;
}

/**
 * Validates a whole bundle (readers, rules between documents against the bundle and the database,
 * duplicates, prune refusals, permissions), then, when nothing is wrong and it is no dry run,
 * applies every change in the caller's transaction `m`.
 */
export async function runBundle(
  m: EntityManager,
  org: string,
  guard: CatalogWriteGuard,
  docs: readonly CatalogDocument[],
  opts: ImportOptions,
  actorUserId: string | null,
): Promise<BundleOutcome> {
  const problems = duplicates(docs);
  const seen = new Set<string>();
  const entries: Array<{ entry: ModelEntry; body: Record<string, unknown> }> = [];
  for (const doc of docs) {
    const read = readEntry(doc);
    if (Array.isArray(read)) problems.push(...read);
    else if (!seen.has(`${doc.kind}/${doc.id}`)) entries.push({ entry: read, body: doc.body });
    seen.add(`${doc.kind}/${doc.id}`);
  }
  const models = entries.map((e) => e.entry);
  problems.push(...checkRules(overlay(await loadIndex(m, org), models, !!opts.prune), models));
  const changes: Change[] = [];
  for (const { entry, body } of entries) {
    const change = await planChange(m, org, entry, body, true);
    changes.push(change);
    problems.push(...(await changeProblems(m, org, guard, change)));
  }
  const deletions = opts.prune ? await pruned(m, org, models) : [];
  problems.push(...(await pruneRefusals(m, org, deletions)));
  for (const d of deletions) {
    try {
      guard.assertDelete(d.kind, await ownerOf(m, org, d.row));
    } catch (err) {
      if (!(err instanceof DomainError && err.code === ErrorCode.Forbidden)) throw err;
      problems.push({
        path: '$',
        message: `${NAMES[d.kind]} "${d.row.externalId}": ${err.message}`,
      });
    }
  }
  const report = buildReport(opts, problems, changes, deletions);
  if (!report.ok || report.dryRun) return { report, audit: [] };
  await applyChanges(m, org, changes, actorUserId);
  await deleteRows(m, deletions);
  return { report, audit: auditEntries(changes, deletions) };
}

/** Products first (their ports go with them), then contracts, then teams. */
export async function deleteRows(m: EntityManager, deletions: readonly Deletion[]): Promise<void> {
  const order: CatalogKind[] = ['dataproduct', 'datacontract', 'team'];
  for (const kind of order) {
    for (const d of deletions.filter((x) => x.kind === kind)) await m.remove(d.row);
  }
}

function buildReport(
  opts: ImportOptions,
  problems: DocumentProblem[],
  changes: Change[],
  deletions: Deletion[],
): ImportReport {
  const actions: ImportAction[] = [
    ...changes.map((c) => ({
      kind: c.entry.kind,
      id: c.entry.id,
      action: c.action,
      ...(c.entry.source ? { source: c.entry.source } : {}),
    })),
    ...deletions.map((d) => ({ kind: d.kind, id: d.row.externalId, action: 'delete' as const })),
  ];
  const count = (a: ImportAction['action']) => actions.filter((x) => x.action === a).length;
  return {
    dryRun: !!opts.dryRun,
    prune: !!opts.prune,
    ok: problems.length === 0,
    problems,
    actions,
    summary: {
      created: count('create'),
      updated: count('update'),
      unchanged: count('unchanged'),
      deleted: count('delete'),
    },
  };
}

function auditEntries(changes: Change[], deletions: Deletion[]): CatalogAuditEntry[] {
  return [
    ...changes
      .filter((c) => c.action !== 'unchanged' && c.row)
      .map((c) => ({
        kind: c.entry.kind,
        action: c.action === 'create' ? ('created' as const) : ('updated' as const),
        targetId: c.row?.id ?? '',
        id: c.entry.id,
        before: c.before,
        after: c.after,
        ...(c.entry.kind === 'datacontract' ? { version: c.entry.model.version } : {}),
      })),
    ...deletions.map((d) => ({
      kind: d.kind,
      action: 'deleted' as const,
      targetId: d.row.id,
      id: d.row.externalId,
      before: d.before,
      after: null,
      ...(d.row instanceof DataContract ? { version: d.row.version } : {}),
    })),
  ];
}
