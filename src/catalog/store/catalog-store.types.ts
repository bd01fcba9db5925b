import type { CatalogKind, DocumentProblem } from 'src/catalog/documents/catalog-model';

/** A stored document with its entity tag (a strong ETag: the hash of its canonical JSON). */
export interface StoredDocument {
  kind: CatalogKind;
  id: string;
  body: Record<string, unknown>;
  etag: string;
}

/** What a PUT did. */
export interface PutResult extends StoredDocument {
  /** True when the id did not exist before. */
  created: boolean;
  /** False when the document was identical to the stored one (nothing written). */
  changed: boolean;
}

/** One line of an import report. */
export interface ImportAction {
  kind: CatalogKind;
  id: string;
  action: 'create' | 'update' | 'unchanged' | 'delete';
  source?: string;
}

/** The report of `catalog:import` and `POST /api/v1/catalog/import` (same shape for both). */
export interface ImportReport {
  dryRun: boolean;
  prune: boolean;
  /** True when nothing was applied because of problems (then `problems` is not empty). */
  ok: boolean;
  problems: DocumentProblem[];
  actions: ImportAction[];
  summary: { created: number; updated: number; unchanged: number; deleted: number };
}

export interface ImportOptions {
  dryRun?: boolean;
  prune?: boolean;
}

/** Filters of the list endpoints (as the MCP tools have them) and cursor pagination. */
export interface CatalogListFilters {
  /** Words to look for in ids, names and descriptions; `*` or empty for all. */
  q?: string;
  /** A team: what it and its sub-teams own (for teams: the team and its sub-teams). */
  teamId?: string;
  /** Products and contracts: proposed, draft, active, deprecated or retired. */
  status?: string;
  tag?: string;
  /** 1 to 100, default 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of a list. */
export interface CatalogListPage {
  items: StoredDocument[];
  nextCursor?: string;
}
