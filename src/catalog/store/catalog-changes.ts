import { EntityManager, In, Not } from 'typeorm';
import type {
  CatalogDocument,
  DocumentProblem,
  ReadResult,
} from 'src/catalog/documents/catalog-model';
import { readDataContract } from 'src/catalog/documents/data-contract.document';
import { readDataProduct } from 'src/catalog/documents/data-product.document';
import { readTeam } from 'src/catalog/documents/team.document';
import { DataContract, DataProduct, OutputPort, Team } from 'src/catalog/entities';
import type { ModelEntry } from 'src/catalog/store/catalog-index';
import type { CatalogWriteGuard, TeamRef } from 'src/catalog/store/catalog-permissions';
import { bodyOf, CatalogRow, findRow } from 'src/catalog/store/catalog-rows';
import { portsInUse } from 'src/catalog/store/catalog-usage';
import {
  relinkInputs,
  writeContract,
  writeProduct,
  writeTeam,
} from 'src/catalog/store/catalog-writers';
import { etagOf, sameDocument } from 'src/catalog/store/etag';

export type Body = Record<string, unknown>;

/** One document to write: what it says, what is stored today and what writing it does. */
export interface Change {
  entry: ModelEntry;
  body: Body;
  row: CatalogRow | null;
  /** ETag of the stored document (null when new). */
  before: string | null;
  after: string;
  action: 'create' | 'update' | 'unchanged';
}

/** Reads a document of any kind: the model, or every problem (with the document's source). */
export function readEntry(doc: CatalogDocument): ModelEntry | DocumentProblem[] {
  const withSource = (r: ReadResult<unknown>): DocumentProblem[] =>
    r.ok ? [] : r.problems.map((p) => (doc.source ? { ...p, source: doc.source } : p));
  const base = { id: doc.id, ...(doc.source ? { source: doc.source } : {}) };
  switch (doc.kind) {
    case 'team': {
      const r = readTeam(doc.body, doc.id);
      return r.ok ? { ...base, kind: 'team', model: r.model } : withSource(r);
    }
    case 'dataproduct': {
      const r = readDataProduct(doc.body, doc.id);
      return r.ok ? { ...base, kind: 'dataproduct', model: r.model } : withSource(r);
    }
    case 'datacontract': {
      const r = readDataContract(doc.body, doc.id);
      return r.ok ? { ...base, kind: 'datacontract', model: r.model } : withSource(r);
    }
  }
}

/** What writing the entry would do, against the stored row (locked when `lock`). */
export async function planChange(
  m: EntityManager,
  org: string,
  entry: ModelEntry,
  body: Body,
  lock: boolean,
): Promise<Change> {
  const row = await findRow(m, org, entry.kind, entry.id, lock);
  const current = row ? await bodyOf(m, entry.kind, row) : null;
  const before = current ? etagOf(current) : null;
  const action = !current ? 'create' : sameDocument(current, body) ? 'unchanged' : 'update';
  return { entry, body, row, before, after: etagOf(body), action };
}

async function teamRef(m: EntityManager, org: string, where: object): Promise<TeamRef | null> {
  const team = await m.findOne(Team, { where: { organizationId: org, ...where } });
  return team ? { id: team.id, externalId: team.externalId } : null;
}

/** The owner team of a product or contract row (null for teams). */
export function ownerOf(m: EntityManager, org: string, row: CatalogRow): Promise<TeamRef | null> {
  return row instanceof DataProduct || row instanceof DataContract
    ? teamRef(m, org, { id: row.ownerTeamId })
    : Promise.resolve(null);
}

/** Throws 403 unless the guard allows the change (teams, or the old and new owner team). */
export async function assertMayWrite(
  m: EntityManager,
  org: string,
  guard: CatalogWriteGuard,
  change: Change,
): Promise<void> {
  const { entry, row } = change;
  if (entry.kind === 'team') return guard.assertPut('team', null, null);
  const current = row ? await ownerOf(m, org, row) : null;
  const next = await teamRef(m, org, { externalId: entry.model.ownerTeamId });
  guard.assertPut(entry.kind, current, next);
}

/** The output ports a product change drops that active agreements use (one line each). */
export async function droppedPortsInUse(
  m: EntityManager,
  org: string,
  change: Change,
): Promise<string[]> {
  if (change.entry.kind !== 'dataproduct' || !(change.row instanceof DataProduct)) return [];
  const keep = change.entry.model.outputPorts.map((p) => p.id);
  const dropped = await m.find(OutputPort, {
    where: {
      organizationId: org,
      dataProductId: change.row.id,
      ...(keep.length ? { externalId: Not(In(keep)) } : {}),
    },
  });
  return dropped.length ? portsInUse(m, org, dropped) : [];
}

/** Parents before their children, so a team's parent row exists when it is written. */
function parentsFirst(changes: Change[]): Change[] {
  const teams = changes.filter((c) => c.entry.kind === 'team');
  const parentOf = new Map(
    teams.map((c) => [c.entry.id, c.entry.kind === 'team' ? c.entry.model.parentId : null]),
  );
  const depth = (id: string, seen: string[] = []): number => {
    const parent = parentOf.get(id);
    return parent && parentOf.has(parent) && !seen.includes(parent)
      ? 1 + depth(parent, [...seen, id])
      : 0;
  };
  return [...teams].sort((a, b) => depth(a.entry.id) - depth(b.entry.id));
}

/**
 * Writes the changes that change something: teams, then contracts, then products and lineage.
 * Each change's `row` is the written row afterwards.
 */
export async function applyChanges(
  m: EntityManager,
  org: string,
  changes: Change[],
  actorUserId: string | null,
): Promise<void> {
  const todo = changes.filter((c) => c.action !== 'unchanged');
  for (const c of parentsFirst(todo)) {
    if (c.entry.kind === 'team') {
      c.row = await writeTeam(m, org, c.entry.model, c.body, c.row instanceof Team ? c.row : null);
    }
  }
  for (const c of todo) {
    if (c.entry.kind === 'datacontract') {
      const row = c.row instanceof DataContract ? c.row : null;
      c.row = await writeContract(m, org, c.entry.model, c.body, row, actorUserId);
    }
  }
  let products = false;
  for (const c of todo) {
    if (c.entry.kind === 'dataproduct') {
      const row = c.row instanceof DataProduct ? c.row : null;
      c.row = await writeProduct(m, org, c.entry.model, c.body, row);
      products = true;
    }
  }
  if (products || todo.some((c) => c.entry.kind === 'datacontract')) await relinkInputs(m, org);
}
