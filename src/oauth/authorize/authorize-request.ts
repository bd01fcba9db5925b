import { hasScope, isScope, parseScopeString, Scope } from 'src/auth/scopes';
import {
  matchesRegisteredRedirectUri,
  redirectUriProblem,
} from 'src/oauth/redirect/redirect-uri.policy';

/**
 * The authorization request (OAuth 2.1 §4.1.1; RFC 9700 §4.11.2) as pure functions: query →
 * validated request or the problem to show on a 400 page. Nothing here redirects or touches the
 * database.
 */

/** A parsed query string: a repeated parameter arrives as an array. */
export type RawQuery = Record<string, string | string[] | undefined>;

export interface AuthorizationRequest {
  clientId: string;
  /** As sent; null when absent (allowed only when the client registered exactly one). */
  redirectUri: string | null;
  codeChallenge: string;
  /** Canonical scope string, e.g. `mcp:read mcp:write` (offline_access dropped). */
  scope: string;
  /** The canonical MCP resource (absent → the MCP URL). */
  resource: string;
  state: string | null;
  prompt: string | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export const DEFAULT_SCOPE = `${Scope.Read} ${Scope.Write}`;
export const OFFLINE_ACCESS = 'offline_access';
const SCOPE_ORDER: readonly Scope[] = [Scope.Read, Scope.Write, Scope.All];
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
type Parameter =
  | 'response_type'
  | 'client_id'
  | 'redirect_uri'
  | 'code_challenge'
  | 'code_challenge_method'
  | 'scope'
  | 'resource'
  | 'state'
  | 'prompt';

/** Splits the query of a request URL (`/path?a=1&a=2`) without losing repeated parameters. */
export function parseQueryString(url: string): RawQuery {
  const query: RawQuery = Object.create(null) as RawQuery;
  const at = url.indexOf('?');
  if (at < 0) return query;
  for (const [key, value] of new URLSearchParams(url.slice(at + 1))) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** Shown in messages: control characters removed, long values cut. */
export function quote(value: string, max = 120): string {
  const clean = [...value].map((c) => (c.charCodeAt(0) < 0x20 || c === '\x7f' ? '?' : c)).join('');
  return `"${clean.length > max ? `${clean.slice(0, max)}…` : clean}"`;
}

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

/**
 * Validates everything that does not need the client: no repeated parameter (unknown ones included),
 * no NUL character, `response_type=code`, a `client_id`, PKCE with S256, known scopes, the MCP `resource`. Empty values
 * count as absent; unknown parameters are ignored.
 */
export function validateAuthorizationRequest(
  query: RawQuery,
  options: { mcpResource: string },
): Checked<AuthorizationRequest> {
  const repeated = Object.keys(query).find((k) => Array.isArray(query[k]));
  if (repeated !== undefined) {
    return fail(`The parameter ${quote(repeated)} was sent more than once.`);
  }
  // PostgreSQL text cannot hold NUL: refuse it here rather than fail on insert (or lookup).
  const withNul = Object.keys(query).find((k) => String(query[k]).includes('\u0000'));
  if (withNul !== undefined)
    return fail(`The parameter ${quote(withNul)} contains a NUL character.`);
  const get = (name: Parameter): string | null => {
    const v = query[name];
    return typeof v === 'string' && v.length > 0 ? v : null;
  };
  const clientId = get('client_id');
  if (!clientId) return fail('The client_id parameter is missing.');
  const responseType = get('response_type');
  if (responseType !== 'code') {
    return fail(
      responseType === null
        ? 'The response_type parameter is missing: it must be "code".'
        : `The response_type ${quote(responseType)} is not supported: it must be "code".`,
    );
  }
  const codeChallenge = get('code_challenge');
  if (!codeChallenge) {
    return fail('The code_challenge parameter is missing: PKCE with S256 is required.');
  }
  if (!CODE_CHALLENGE.test(codeChallenge)) {
    return fail(
      'The code_challenge must be 43 to 128 characters from A–Z, a–z, 0–9, "-", ".", "_" and "~".',
    );
  }
  const method = get('code_challenge_method');
  if (method !== 'S256') {
    return fail(
      method === null
        ? 'The code_challenge_method parameter is missing, which means "plain": only S256 is accepted.'
        : `The code_challenge_method ${quote(method)} is not accepted: only S256 is.`,
    );
  }
  const scope = parseRequestedScope(get('scope'));
  if (!scope.ok) return scope;
  const resource = get('resource');
  if (resource !== null && !isMcpResource(resource, options.mcpResource)) {
    return fail(
      `The resource ${quote(resource)} is not served here: the only resource is ${options.mcpResource}.`,
    );
  }
  return {
    ok: true,
    value: {
      clientId,
      redirectUri: get('redirect_uri'),
      codeChallenge,
      scope: scope.value,
      resource: options.mcpResource,
      state: get('state'),
      prompt: get('prompt'),
    },
  };
}

/** Absent → `mcp:read mcp:write`; unknown → problem; `offline_access` accepted and dropped. */
export function parseRequestedScope(value: string | null): Checked<string> {
  const requested = new Set<Scope>();
  const unknown: string[] = [];
  for (const s of (value ?? '').split(' ').filter(Boolean)) {
    if (isScope(s)) requested.add(s);
    else if (s !== OFFLINE_ACCESS) unknown.push(s);
  }
  if (unknown.length > 0) {
    return fail(
      `Unknown scope ${unknown.map((s) => quote(s, 60)).join(', ')}. Supported: ${[...SCOPE_ORDER, OFFLINE_ACCESS].join(', ')}.`,
    );
  }
  if (requested.size === 0) return { ok: true, value: DEFAULT_SCOPE };
  return { ok: true, value: SCOPE_ORDER.filter((s) => requested.has(s)).join(' ') };
}

/**
 * The request's `resource` names our MCP endpoint: scheme and host compared case-insensitively
 * (URL parsing lower-cases them and drops a default port), the path exactly, one trailing slash
 * tolerated; no query, fragment or user information.
 */
export function isMcpResource(value: string, canonical: string): boolean {
  if (/[?#\s]/.test(value)) return false;
  let url: URL;
  let expected: URL;
  try {
    url = new URL(value);
    expected = new URL(canonical);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol !== expected.protocol || url.host !== expected.host) return false;
  // The raw path, not URL's normalized one: "/x/../mcp" and percent-encoding must not match.
  const rawPath = value.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, '') || '/';
  return rawPath === expected.pathname || rawPath === `${expected.pathname}/`;
}

/**
 * The redirect URI to use: the requested one when it matches a registered one (loopback port may
 * differ) and still passes the policy; when absent, the only registered one.
 */
export function resolveRedirectUri(
  requested: string | null,
  registered: readonly string[],
  privateSchemes: readonly string[],
): Checked<string> {
  if (requested === null) {
    if (registered.length !== 1) {
      return fail(
        'The redirect_uri parameter is missing, and this client registered several redirect URIs.',
      );
    }
    const [only] = registered;
    return redirectUriProblem(only, privateSchemes) === null
      ? { ok: true, value: only }
      : fail('The client’s registered redirect URI is no longer allowed by this server.');
  }
  if (!matchesRegisteredRedirectUri(requested, registered)) {
    return fail(`The redirect_uri ${quote(requested)} is not registered for this client.`);
  }
  const problem = redirectUriProblem(requested, privateSchemes);
  return problem === null
    ? { ok: true, value: requested }
    : fail(`The redirect_uri ${quote(requested)} ${problem}.`);
}

/** `prompt=consent` (alone or in a space-separated list) forces the consent page. */
export const forcesConsent = (prompt: string | null): boolean =>
  (prompt ?? '').split(' ').includes('consent');

/**
 * The URI the browser is sent to: `redirect_uri` plus the response parameters, appended with `&` when
 * it already has a query. Absent values are left out; everything else is percent-encoded.
 */
export function authorizationResponseUri(
  redirectUri: string,
  params: Record<string, string | null | undefined>,
): string {
  const pairs = Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (pairs.length === 0) return redirectUri;
  const separator = !redirectUri.includes('?')
    ? '?'
    : redirectUri.endsWith('?') || redirectUri.endsWith('&')
      ? ''
      : '&';
  return `${redirectUri}${separator}${pairs.join('&')}`;
}

/** The request asks for more than reading (`mcp:write` or `mcp`): the consent page offers writing. */
export const offersWrite = (requestedScope: string): boolean =>
  hasScope(requestedScope.split(' '), Scope.Write);

/**
 * The scope the person grants: everything requested when they keep the write permission, else
 * `mcp:read` (reading is always granted; the person may grant less, never more).
 */
export const grantedScope = (requestedScope: string, keepWrite: boolean): string =>
  keepWrite && offersWrite(requestedScope) ? requestedScope : Scope.Read;

/** True when every requested scope is implied by the granted ones (`mcp` ⊇ `mcp:write` ⊇ `mcp:read`). */
export const scopeCovers = (granted: string, requested: string): boolean => {
  const have = granted.split(' ');
  return parseScopeString(requested).scopes.every((s) => hasScope(have, s));
};
