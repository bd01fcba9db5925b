import type { CatalogDocument, DocumentProblem } from 'src/catalog/documents/catalog-model';

/** One file of a catalog folder, archive or upload: its path relative to the root, `/`-separated. */
export interface SourceFile {
  name: string;
  content: Buffer;
}

/** The documents read from files, and every problem found while reading them. */
export interface ParsedCatalog {
  documents: CatalogDocument[];
  problems: DocumentProblem[];
}

/** Bounds on what an import reads (a folder, an archive or an upload). */
export const IMPORT_LIMITS = {
  /** One file. */
  fileBytes: 2 * 1024 * 1024,
  /** Files in one import. */
  files: 5000,
  /** All files of one import together (also the bound on a decompressed archive). */
  totalBytes: 50 * 1024 * 1024,
  /** YAML aliases per document (a "billion laughs" document is refused). */
  aliases: 100,
} as const;

export const CATALOG_EXTENSIONS = /\.(ya?ml|json)$/i;

/** The problem of a file larger than {@link IMPORT_LIMITS.fileBytes} (it is not read). */
export const tooLarge = (source: string): DocumentProblem => ({
  source,
  path: '$',
  message: `the file is larger than ${IMPORT_LIMITS.fileBytes / 1024 / 1024} MB`,
});

/** `.yaml`, `.yml` or `.json`, and no path segment that starts with a dot (`.git`, `.github`). */
export function isCatalogFileName(name: string): boolean {
  return CATALOG_EXTENSIONS.test(name) && !name.split('/').some((part) => part.startsWith('.'));
}
