import { EntityManager } from 'typeorm';
import { oneOf } from 'src/catalog/access-rules';
import { requireRef, teamAndDescendants } from 'src/catalog/catalog-lookup';
import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import { DATA_PRODUCT_STATUSES, DataContract, DataProduct, Team } from 'src/catalog/entities';
import { invalidArgument } from 'src/common/errors/domain-error';
import type { CatalogRow } from 'src/catalog/store/catalog-rows';
import type { CatalogListFilters } from 'src/catalog/store/catalog-store.types';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What `q` searches in a row: ids, names, descriptions and tags. */
function searchable(row: CatalogRow): string {
  if (row instanceof Team) {
    const doc = row.document ?? {};
    return [row.externalId, row.name, text(doc.description), ...tagsOf(row)].join(' ');
  }
  if (row instanceof DataProduct) {
    const d = row.description ?? {};
    return [row.externalId, row.name, d.purpose, d.usage, d.limitations, ...(row.tags ?? [])]
      .map(text)
      .join(' ');
  }
  const doc = row.document;
  const d = (doc.description ?? {}) as Record<string, unknown>;
  return [row.externalId, doc.name, d.purpose, d.usage, d.limitations, ...tagsOf(row)]
    .map(text)
    .join(' ');
}

function tagsOf(row: CatalogRow): string[] {
  const tags = row instanceof DataProduct ? row.tags : row.document?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The rows (sorted by id) that pass the filters. */
export async function filterRows(
  m: EntityManager,
  org: string,
  kind: CatalogKind,
  rows: CatalogRow[],
  filters: CatalogListFilters,
): Promise<CatalogRow[]> {
  let out = rows;
  const q = (filters.q ?? '').trim().toLowerCase();
  if (q.length > 200) throw invalidArgument('q must be at most 200 characters');
  if (q && q !== '*') {
    const words = q.split(/\s+/).slice(0, 10);
    out = out.filter((r) => {
      const hay = searchable(r).toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }
  if (filters.status !== undefined && filters.status !== '') {
    if (kind === 'team') throw invalidArgument('Teams have no status: leave out the status filter');
    const status = oneOf(filters.status, DATA_PRODUCT_STATUSES, 'status');
    out = out.filter((r) => (r as DataProduct | DataContract).status === status);
  }
  if (filters.tag !== undefined && filters.tag !== '') {
    const tag = requireRef(filters.tag, 'tag').toLowerCase();
    out = out.filter((r) => tagsOf(r).some((t) => t.toLowerCase() === tag));
  }
  if (filters.teamId !== undefined && filters.teamId !== '') {
    const teams = new Set(await teamAndDescendants(m, org, requireRef(filters.teamId, 'teamId')));
    out = out.filter((r) => teams.has(r instanceof Team ? r.id : r.ownerTeamId));
  }
  return out;
}
