/**
 * The redirect-URI policy (RFC 9700 §4.1.3; RFC 8252 §7.3 for loopback ports), applied at
 * registration and again at authorize:
 * https anywhere; http only on loopback (localhost, 127.0.0.1, [::1]); private-use schemes only from an
 * allow-list; absolute, no fragment (not even an empty one), no userinfo, no wildcards; dangerous
 * schemes refused. At authorize the comparison is exact except that a loopback port may differ.
 */

const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const DEFAULT_PRIVATE_SCHEMES = ['cursor', 'vscode'];

/** Returns null when the URI may be registered, else the reason. */
export function redirectUriProblem(uri: unknown, privateSchemes: readonly string[]): string | null {
  if (typeof uri !== 'string' || uri.length === 0) return 'must be a non-empty string';
  if (uri.length > 2000) return 'is too long';
  if ([...uri].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || /\s/.test(c))) {
    return 'must not contain whitespace or control characters';
  }
  if (uri.includes('#')) return 'must not contain a fragment';
  if (uri.includes('*')) return 'must not contain wildcards';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return 'must be an absolute URI';
  if (FORBIDDEN_SCHEMES.has(scheme)) return `must not use the ${scheme}: scheme`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.username || url.password) return 'must not contain user information';
  if (scheme === 'https') return url.hostname ? null : 'must name a host';
  if (scheme === 'http') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? null
      : 'may use http only for localhost, 127.0.0.1 or [::1]';
  }
  return privateSchemes.includes(scheme)
    ? null
    : `uses the scheme ${scheme}:, which is not allowed (allowed: https, loopback http${privateSchemes.length ? `, ${privateSchemes.map((s) => `${s}:`).join(', ')}` : ''})`;
}

function isLoopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
}

/**
 * True when `requested` equals one of `registered` as a string, or both are loopback http URIs that
 * differ only in the port (RFC 8252 §7.3). No case folding, trailing-slash or encoding tolerance, no
 * localhost↔127.0.0.1 cross-matching.
 */
export function matchesRegisteredRedirectUri(
  requested: string,
  registered: readonly string[],
): boolean {
  if (registered.includes(requested)) return true;
  let req: URL;
  try {
    req = new URL(requested);
  } catch {
    return false;
  }
  if (!isLoopbackHttp(req) || requested.includes('#') || req.username || req.password) return false;
  const hostPart = /^http:\/\/([^/?#]+)/i.exec(requested)?.[1] ?? '';
  return registered.some((r) => {
    let reg: URL;
    try {
      reg = new URL(r);
    } catch {
      return false;
    }
    if (!isLoopbackHttp(reg)) return false;
    const regHostPart = /^http:\/\/([^/?#]+)/i.exec(r)?.[1] ?? '';
    // Compare everything but the port, on the raw strings so encoding and case differences still fail.
    const stripPort = (h: string) => h.replace(/:\d*$/, '');
    return (
      requested.slice(0, 7) === r.slice(0, 7) &&
      stripPort(hostPart) === stripPort(regHostPart) &&
      requested.slice(7 + hostPart.length) === r.slice(7 + regHostPart.length)
    );
  });
}

/** Shown on the consent page: the redirect host, and whether it deserves a warning. */
export function describeRedirect(uri: string): {
  host: string;
  warning: 'loopback' | 'custom_scheme' | null;
} {
  try {
    const u = new URL(uri);
    if (u.protocol === 'https:') return { host: u.host, warning: null };
    if (u.protocol === 'http:') return { host: u.host, warning: 'loopback' };
    return { host: `${u.protocol}//${u.host}`, warning: 'custom_scheme' };
  } catch {
    return { host: uri, warning: 'custom_scheme' };
  }
}
