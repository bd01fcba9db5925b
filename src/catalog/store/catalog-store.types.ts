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
