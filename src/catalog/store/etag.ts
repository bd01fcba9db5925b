import { createHash } from 'node:crypto';
import { preconditionFailed } from 'src/common/errors/domain-error';
import { canonicalJson } from 'src/catalog/data-contract-validation';

/**
 * A strong entity tag (RFC 9110 §8.8.3): the SHA-256 of the document's canonical JSON (sorted keys),
 * so equal documents have equal tags whatever their key order or format (JSON or YAML).
 */
export function etagOf(body: unknown): string {
  const hash = createHash('sha256').update(canonicalJson(body)).digest('base64url');
  return `"${hash.slice(0, 32)}"`;
}

/** True when two documents are equal up to key order. */
export const sameDocument = (a: unknown, b: unknown): boolean =>
  canonicalJson(a) === canonicalJson(b);

/**
 * If-Match (RFC 9110 §13.1.1): `*` holds when the resource exists, a list of tags when one of them
 * is the current tag (strong comparison: weak tags `W/"…"` never match). Throws 412 otherwise.
 */
export function assertIfMatch(ifMatch: string | undefined, current: string | null): void {
  if (ifMatch === undefined || ifMatch.trim() === '') return;
  const value = ifMatch.trim();
  if (value === '*') {
    if (current !== null) return;
    throw preconditionFailed('If-Match: * needs an existing document, and there is none');
  }
  const tags = value.split(',').map((t) => t.trim());
  if (current !== null && tags.includes(current)) return;
  throw preconditionFailed(
    current === null
      ? 'If-Match names a version, but the document does not exist (any more)'
      : `The document changed meanwhile (current ETag ${current}): GET it again and apply your change to it`,
  );
}
