import type { IncomingHttpHeaders } from 'node:http';

/**
 * The one cookie this server uses, read and written by the code that needs it, so no request pays
 * for cookie parsing (no global hook: /mcp, the API and the token endpoint never read a cookie).
 * Its value is base64url (see SessionService), which needs no encoding (RFC 6265 §4.1.1 cookie-octet).
 */

/** The value of cookie `name` in the request's `Cookie` header (RFC 6265 §5.4), or undefined. */
export function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    return value;
  }
  return undefined;
}

export interface SessionCookieOptions {
  secure: boolean;
}

/**
 * `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age (a session
 * cookie: it ends with the browser), Secure on https (required by the `__Host-` prefix).
 */
export function sessionSetCookie(
  name: string,
  value: string,
  options: SessionCookieOptions,
): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` that makes the browser drop the session cookie at once (RFC 6265 §3.1). */
export function clearedSessionCookie(name: string, options: SessionCookieOptions): string {
  return `${name}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}
