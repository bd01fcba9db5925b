import { toCatalogDocument } from 'src/catalog/import/catalog-file-parser';
import { IMPORT_LIMITS, ParsedCatalog } from 'src/catalog/import/catalog-files';
import { invalidArgument } from 'src/common/errors/domain-error';

/**
 * A JSON bundle, `{"documents": [ … ]}`: teams, ODPS data products and ODCS data contracts as they
 * would be in files. Each document's problems name it `documents[<index>]`.
 */
export function readBundle(body: unknown): ParsedCatalog {
  const documents =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).documents
      : undefined;
  if (!Array.isArray(documents)) {
    throw invalidArgument(
      'A JSON bundle is an object {"documents": [ … ]} of teams, data products and data contracts',
    );
  }
  if (documents.length > IMPORT_LIMITS.files) {
    throw invalidArgument(`A bundle holds at most ${IMPORT_LIMITS.files} documents`);
  }
  const parsed: ParsedCatalog = { documents: [], problems: [] };
  for (const [index, value] of documents.entries()) {
    const one = toCatalogDocument(`documents[${index}]`, value);
    parsed.documents.push(...one.documents);
    parsed.problems.push(...one.problems);
  }
  return parsed;
}
