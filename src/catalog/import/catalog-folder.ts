import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { DocumentProblem } from 'src/catalog/documents/catalog-model';
import { parseCatalogFiles } from 'src/catalog/import/catalog-file-parser';
import {
  IMPORT_LIMITS,
  isCatalogFileName,
  ParsedCatalog,
  SourceFile,
  tooLarge,
} from 'src/catalog/import/catalog-files';
import { invalidArgument } from 'src/common/errors/domain-error';

/**
 * Reads a catalog from disk: one file, or every `.yaml`, `.yml` and `.json` file under a folder
 * (recursively, in name order). Dotfiles and dot-folders (`.git`, `.github`) are skipped, and so are
 * symbolic links below the path, sockets and the like: only regular files and folders are read.
 * Problems name the file by its path relative to the folder.
 */
export async function readCatalogPath(path: string): Promise<ParsedCatalog> {
  const info = await stat(path).catch(() => null); // the path itself may be a link
  if (!info) throw invalidArgument(`No such file or folder: ${path}`);
  if (!info.isFile() && !info.isDirectory()) throw invalidArgument(`Not a file or folder: ${path}`);
  const root = info.isFile() ? join(path, '..') : path;
  const names = info.isFile() ? [basename(path)] : await catalogFilesUnder(path);
  const files: SourceFile[] = [];
  const problems: DocumentProblem[] = [];
  let total = 0;
  for (const name of names) {
    const source = name.split(sep).join('/');
    const full = join(root, name);
    const { size } = await stat(full);
    total += size;
    if (total > IMPORT_LIMITS.totalBytes) {
      throw invalidArgument(
        `${path} holds more than ${mb(IMPORT_LIMITS.totalBytes)} of catalog files`,
      );
    }
    if (size > IMPORT_LIMITS.fileBytes) problems.push(tooLarge(source));
    else files.push({ name: source, content: await readFile(full) });
  }
  const parsed = parseCatalogFiles(files);
  return { documents: parsed.documents, problems: [...problems, ...parsed.problems] };
}

const mb = (bytes: number): string => `${bytes / 1024 / 1024} MB`;

/** Relative paths of the catalog files under `root`, sorted. */
async function catalogFilesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  const folders = [root];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(full);
      else if (entry.isFile() && isCatalogFileName(entry.name)) found.push(relative(root, full));
    }
    if (found.length > IMPORT_LIMITS.files) {
      throw invalidArgument(`${root} holds more than ${IMPORT_LIMITS.files} catalog files`);
    }
  }
  return found.sort();
}
