import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CatalogDocument, CatalogKind } from 'src/catalog/documents/catalog-model';
import { isCatalogFileName } from 'src/catalog/import/catalog-files';
import { conflict } from 'src/common/errors/domain-error';

/** The folder of each kind in an exported catalog (the import reads any layout). */
export const KIND_FOLDERS: Record<CatalogKind, string> = {
  team: 'teams',
  dataproduct: 'dataproducts',
  datacontract: 'datacontracts',
};

/** `teams/<id>.yaml`, `dataproducts/<id>.yaml`, `datacontracts/<id>.yaml`. */
export function exportPath(document: Pick<CatalogDocument, 'kind' | 'id'>): string {
  const id = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(document.id)
    ? document.id
    : encodeURIComponent(document.id).replace(/^\./, '%2E');
  return `${KIND_FOLDERS[document.kind]}/${id}.yaml`;
}

/**
 * Keys written first, in this order, in every object; the others follow alphabetically. The store
 * keeps documents as JSON whose key order is its own; this puts the header of an ODPS or ODCS
 * document (`apiVersion`, `kind`, `id`, `name`, `version`, `status`) and of each element on top.
 */
const LEADING_KEYS = [
  'apiVersion',
  'kind',
  'id',
  'name',
  'emailAddress',
  'role',
  'property',
  'value',
  'server',
  'version',
  'status',
  'type',
  'parent',
  'domain',
  'tenant',
  'description',
  'physicalName',
  'physicalType',
  'logicalType',
];
const LEADING = new Map(LEADING_KEYS.map((key, i) => [key, i]));

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  const rank = (key: string) => LEADING.get(key) ?? LEADING_KEYS.length;
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(keys.map((k) => [k, ordered((value as Record<string, unknown>)[k])]));
}

/** A document as the export writes it: YAML in reading order, no anchors, long strings on one line. */
export const exportYaml = (document: CatalogDocument): string =>
  stringify(ordered(document.body), { aliasDuplicateObjects: false, lineWidth: 0 });

export interface ExportResult {
  /** Files written, relative to the folder. */
  written: string[];
  /** Catalog files removed from the kind folders because the organization no longer has them. */
  removed: string[];
}

/**
 * Writes the documents into `dir` in the layout of {@link exportPath}. A folder that is not empty is
 * refused unless `force`; then the `.yaml`/`.yml`/`.json` files of `teams/`, `dataproducts/` and
 * `datacontracts/` that the export does not write are removed (so the folder matches the
 * organization and an import of it changes nothing), and everything else in `dir` is left alone.
 */
export async function writeCatalogFolder(
  dir: string,
  documents: readonly CatalogDocument[],
  options: { force?: boolean } = {},
): Promise<ExportResult> {
  const existing = await readdir(dir).catch(() => []);
  if (existing.length > 0 && !options.force) {
    throw conflict(
      `${dir} is not empty: export into an empty folder, or pass --force to replace the catalog files of its teams/, dataproducts/ and datacontracts/ folders`,
    );
  }
  const files = new Map(documents.map((d) => [exportPath(d), exportYaml(d)]));
  const removed: string[] = [];
  for (const folder of Object.values(KIND_FOLDERS)) {
    await mkdir(join(dir, folder), { recursive: true });
    for (const entry of await readdir(join(dir, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (!entry.isFile() || !isCatalogFileName(path) || files.has(path)) continue;
      await rm(join(dir, path), { force: true });
      removed.push(path);
    }
  }
  for (const [path, text] of files) await writeFile(join(dir, path), text);
  return { written: [...files.keys()].sort(), removed: removed.sort() };
}
