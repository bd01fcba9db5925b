import { isScope } from 'src/auth/scopes';
import { OAuthError } from 'src/oauth/oauth.errors';
import { redirectUriProblem } from 'src/oauth/redirect/redirect-uri.policy';

/**
 * Rules shared by dynamic registration (RFC 7591) and Client ID Metadata Documents: what a client's
 * metadata may say. Each rule throws an OAuthError (`invalid_client_metadata` or
 * `invalid_redirect_uri`) naming the offending value.
 */

export const SUPPORTED_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
export const SUPPORTED_RESPONSE_TYPES = ['code'] as const;
export const MAX_REDIRECT_URIS = 20;
export const MAX_CLIENT_NAME_LENGTH = 200;
/** Scopes a client may record: ours plus offline_access (accepted, no effect; no longer advertised). */
const REGISTRABLE_EXTRA_SCOPES = ['offline_access'];

export const invalidMetadata = (description: string): OAuthError =>
  new OAuthError('invalid_client_metadata', description);

/** Short, printable form of a client-supplied value for error descriptions. */
export function quote(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  const text = s === undefined ? String(value) : s;
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string'))
    throw invalidMetadata(`${field} must be an array of strings`);
  return value;
}

/** Required, non-empty, each URI passing redirect-uri.policy.ts; duplicates dropped. */
export function checkRedirectUris(value: unknown, privateSchemes: readonly string[]): string[] {
  if (value === undefined)
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris is required');
  if (!Array.isArray(value) || value.length === 0)
    throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty array');
  if (value.length > MAX_REDIRECT_URIS)
    throw new OAuthError(
      'invalid_redirect_uri',
      `redirect_uris may hold at most ${MAX_REDIRECT_URIS} URIs`,
    );
  for (const uri of value) {
    const problem = redirectUriProblem(uri, privateSchemes);
    if (problem)
      throw new OAuthError('invalid_redirect_uri', `redirect_uri ${quote(uri)} ${problem}`);
  }
  return [...new Set(value as string[])];
}

/**
 * Omitted → both supported grants. Otherwise a subset of them that includes authorization_code
 * (refresh_token alone is inconsistent: there would be no way to obtain one).
 */
export function checkGrantTypes(value: unknown): string[] {
  if (value === undefined) return [...SUPPORTED_GRANT_TYPES];
  const grants = stringArray(value, 'grant_types');
  const unsupported = grants.find((g) => !(SUPPORTED_GRANT_TYPES as readonly string[]).includes(g));
  if (unsupported !== undefined)
    throw invalidMetadata(
      `grant_type ${quote(unsupported)} is not supported (supported: ${SUPPORTED_GRANT_TYPES.join(', ')})`,
    );
  if (!grants.includes('authorization_code'))
    throw invalidMetadata('grant_types must include authorization_code');
  return SUPPORTED_GRANT_TYPES.filter((g) => grants.includes(g));
}

/** Omitted → ["code"]. Otherwise exactly ["code"] (the authorization_code grant needs it). */
export function checkResponseTypes(value: unknown): string[] {
  if (value === undefined) return [...SUPPORTED_RESPONSE_TYPES];
  const types = stringArray(value, 'response_types');
  const unsupported = types.find(
    (t) => !(SUPPORTED_RESPONSE_TYPES as readonly string[]).includes(t),
  );
  if (unsupported !== undefined)
    throw invalidMetadata(`response_type ${quote(unsupported)} is not supported (supported: code)`);
  if (!types.includes('code')) throw invalidMetadata('response_types must include code');
  return [...SUPPORTED_RESPONSE_TYPES];
}

/**
 * Optional. Unknown scopes are dropped, not refused: clients copy lists such as `openid profile`
 * from elsewhere, and the registered scope never caps or widens later requests (the authorize
 * endpoint decides). Null when nothing known remains.
 */
export function checkScope(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidMetadata('scope must be a space-separated string');
  const known = value.split(' ').filter((s) => isScope(s) || REGISTRABLE_EXTRA_SCOPES.includes(s));
  const unique = [...new Set(known)];
  return unique.length ? unique.join(' ') : null;
}

/** Optional string of at most 200 characters, stored as given (pages escape it). */
export function checkClientName(value: unknown, fallback: string | null): string {
  if (value === undefined || value === null || value === '') {
    if (fallback === null) throw invalidMetadata('client_name is required');
    return fallback;
  }
  if (typeof value !== 'string') throw invalidMetadata('client_name must be a string');
  if (value.trim() === '') {
    if (fallback === null) throw invalidMetadata('client_name is required');
    return fallback;
  }
  if (value.length > MAX_CLIENT_NAME_LENGTH)
    throw invalidMetadata(`client_name must be at most ${MAX_CLIENT_NAME_LENGTH} characters`);
  return value;
}
