import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ArchiveError, readTarGz } from 'src/catalog/import/catalog-archive';
import { readBundle } from 'src/catalog/import/catalog-bundle';
import { parseCatalogFiles } from 'src/catalog/import/catalog-file-parser';
import { IMPORT_LIMITS, ParsedCatalog, SourceFile } from 'src/catalog/import/catalog-files';
import { invalidArgument } from 'src/common/errors/domain-error';

export const CATALOG_IMPORT_PATH = '/api/v1/catalog/import';
/** The largest import body (JSON bundle, archive or upload); beyond it the answer is 413. */
export const MAX_IMPORT_BODY_BYTES = 10 * 1024 * 1024;

const GZIP_TYPES = ['application/gzip', 'application/x-gzip'];
const MULTIPART = 'multipart/form-data';

class UnsupportedBodyError extends Error {
  readonly statusCode = 415;
}

/**
 * Lets the import route take bodies up to {@link MAX_IMPORT_BODY_BYTES} (the server's limit stays
 * for every other route) and read gzip and multipart bodies as bytes; other routes still answer
 * 415 to those media types. Call before the routes are registered (before `app.init()`).
 */
export function registerCatalogImportBody(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === CATALOG_IMPORT_PATH) route.bodyLimit = MAX_IMPORT_BODY_BYTES;
  });
  fastify.addContentTypeParser(
    [...GZIP_TYPES, MULTIPART],
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer, done) => {
      if (req.routeOptions.url === CATALOG_IMPORT_PATH) done(null, body);
      else done(new UnsupportedBodyError(`Unsupported media type ${req.headers['content-type']}`));
    },
  );
}

/**
 * The documents of an import request: a JSON bundle (`application/json`), a tar.gz of the catalog
 * folder (`application/gzip`) or files (`multipart/form-data`, every file part is read).
 */
export async function readImportBody(
  contentType: string | undefined,
  body: unknown,
): Promise<ParsedCatalog> {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type === 'application/json') return readBundle(body);
  if (Buffer.isBuffer(body) && GZIP_TYPES.includes(type)) {
    return parseCatalogFiles(readArchive(body));
  }
  if (Buffer.isBuffer(body) && type === MULTIPART) {
    return parseCatalogFiles(await readMultipart(contentType ?? '', body));
  }
  // RFC 9110 §15.5.16
  throw new UnsupportedMediaTypeException(
    'Send a JSON bundle (application/json), a tar.gz of the catalog folder (application/gzip) or files (multipart/form-data)',
  );
}

/** The archive's catalog files; 413 beyond the bounds, 400 for what is not a tar.gz. */
function readArchive(body: Buffer): SourceFile[] {
  try {
    return readTarGz(body);
  } catch (err) {
    if (!(err instanceof ArchiveError)) throw err;
    if (err.tooLarge) throw new PayloadTooLargeException(`Too large: ${err.message}`);
    throw invalidArgument(`The archive could not be read: ${err.message}`);
  }
}

/** The file parts of a multipart/form-data body (RFC 7578), parsed by the platform's Fetch API. */
async function readMultipart(contentType: string, body: Buffer): Promise<SourceFile[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalidArgument('The multipart/form-data body could not be read');
  }
  const files: SourceFile[] = [];
  for (const [, value] of form) {
    if (typeof value === 'string') continue;
    files.push({ name: value.name, content: Buffer.from(await value.arrayBuffer()) });
    if (files.length > IMPORT_LIMITS.files) {
      throw invalidArgument(`An upload holds at most ${IMPORT_LIMITS.files} files`);
    }
  }
  if (files.length === 0) throw invalidArgument('The multipart/form-data body holds no files');
  return files;
}
