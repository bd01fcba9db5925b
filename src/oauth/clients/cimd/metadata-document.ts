import {
  checkClientName,
  checkGrantTypes,
  checkRedirectUris,
  checkScope,
  isPlainObject,
  SUPPORTED_GRANT_TYPES,
  SUPPORTED_RESPONSE_TYPES,
} from 'src/oauth/clients/client-metadata.rules';
import {
  CIMD_DEFAULT_TTL_SECONDS,
  CIMD_MAX_TTL_SECONDS,
  MetadataDocumentError,
} from 'src/oauth/clients/cimd/cimd.types';
import { OAuthError } from 'src/oauth/oauth.errors';

/**
 * True when a client_id names a Client ID Metadata Document: an https URL with a path, in canonical
 * form (what `new URL()` prints), without userinfo, fragment or dot segments.
 */
export function isMetadataDocumentUrl(clientId: string): boolean {
  if (!clientId.startsWith('https://') || clientId.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return false;
  }
  return (
    url.href === clientId &&
    url.pathname.length > 1 &&
    !url.username &&
    !url.password &&
    !url.pathname.split('/').some((seg) => seg === '.' || seg === '..')
  );
}

/** What a valid document says, normalized to what the server supports. */
export interface MetadataDocumentClient {
  clientName: string;
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  scope: string | null;
}

/**
 * Only public clients: `token_endpoint_auth_method` absent or `none`, or a document that prefers
 * another method but lists `none` among `token_endpoint_auth_methods_supported` (ChatGPT's, which
 * prefers private_key_jwt). Anything else is refused.
 */
function checkPublicClient(doc: Record<string, unknown>): void {
  const method = doc.token_endpoint_auth_method;
  if (method === undefined || method === 'none') return;
  const choices = doc.token_endpoint_auth_methods_supported;
  if (Array.isArray(choices) && choices.includes('none')) return;
  throw new MetadataDocumentError(
    `token_endpoint_auth_method ${JSON.stringify(method)} is not supported: only "none"`,
  );
}

/**
 * Grants the document lists beyond ours are ignored (the document is written for many servers);
 * authorization_code must be among them.
 */
function checkDocumentGrants(value: unknown): string[] {
  if (!Array.isArray(value)) return checkGrantTypes(value);
  return checkGrantTypes(
    value.filter((g) => (SUPPORTED_GRANT_TYPES as readonly unknown[]).includes(g)),
  );
}

function checkDocumentResponseTypes(value: unknown): string[] {
  if (value === undefined) return [...SUPPORTED_RESPONSE_TYPES];
  if (!Array.isArray(value) || !value.includes('code'))
    throw new MetadataDocumentError('response_types must include code');
  return [...SUPPORTED_RESPONSE_TYPES];
}

/**
 * Validates a fetched Client ID Metadata Document (MCP 2025-11-25 authorization): JSON object,
 * `client_id` equal to the URL it was
 * fetched from (exactly), a non-empty `client_name`, `redirect_uris` passing the redirect policy,
 * a public client, no `client_secret`. Throws MetadataDocumentError.
 */
export function parseMetadataDocument(
  url: string,
  body: string,
  privateSchemes: readonly string[],
): MetadataDocumentClient {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new MetadataDocumentError('the document is not valid JSON');
  }
  if (!isPlainObject(doc)) throw new MetadataDocumentError('the document is not a JSON object');
  if (doc.client_id !== url)
    throw new MetadataDocumentError('client_id does not equal the document URL');
  if (doc.client_secret !== undefined)
    throw new MetadataDocumentError('a metadata document must not contain client_secret');
  checkPublicClient(doc);
  try {
    return {
      clientName: checkClientName(doc.client_name, null),
      redirectUris: checkRedirectUris(doc.redirect_uris, privateSchemes),
      grantTypes: checkDocumentGrants(doc.grant_types),
      responseTypes: checkDocumentResponseTypes(doc.response_types),
      scope: checkScope(doc.scope),
    };
  } catch (err) {
    if (err instanceof OAuthError) throw new MetadataDocumentError(err.description);
    throw err;
  }
}

/**
 * How long a fetched document may be reused, from its Cache-Control: `no-store`/`no-cache` → 0
 * (fetched again on next use), `max-age` → that, capped at a day; otherwise an hour.
 */
export function cacheLifetimeSeconds(cacheControl: string | undefined): number {
  if (!cacheControl) return CIMD_DEFAULT_TTL_SECONDS;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)).find(Boolean);
  if (!maxAge) return CIMD_DEFAULT_TTL_SECONDS;
  return Math.min(Number(maxAge[1]), CIMD_MAX_TTL_SECONDS);
}
