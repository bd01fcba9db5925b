/**
 * RFC 8707 resource indicators. Our only resource is the MCP URL; a client's value is accepted when it
 * equals it with scheme and host compared case-insensitively and one trailing slash tolerated.
 * Nothing else is normalised (no default ports, dot segments or percent-decoding).
 */
export function canonicalResource(value: string): string | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)$/.exec(value);
  if (!m) return null;
  const [, scheme, authority, rest] = m;
  if (authority.length === 0 || authority.includes('@')) return null;
  const path = rest.endsWith('/') && !rest.endsWith('//') ? rest.slice(0, -1) : rest;
  return `${scheme.toLowerCase()}://${authority.toLowerCase()}${path}`;
}

/** True when both name the same resource (see {@link canonicalResource}). */
export function sameResource(a: string, b: string): boolean {
  const ca = canonicalResource(a);
  return ca !== null && ca === canonicalResource(b);
}
