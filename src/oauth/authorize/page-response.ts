import type { FastifyReply } from 'fastify';

/**
 * Headers of every page of the flow, error pages included (RFC 9700 §4.16): anti-framing twice
 * (CSP `frame-ancestors` and X-Frame-Options), no referrer, no caching, no sniffing, and a CSP that
 * allows nothing but our own stylesheet and form posts.
 */
const PAGE_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
};

/**
 * The CSP `form-action` source that lets a form submission end at `redirectUri`: Chromium checks
 * `form-action` on every redirect a form submission follows, so the 303 to the client needs it.
 * An origin for http(s), the scheme for private-use schemes; IPv6 literals cannot be written as a
 * CSP host, so they fall back to the scheme.
 */
export function formActionSource(redirectUri: string): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol)) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol;
  if (!/^[a-z0-9.-]+$/.test(url.hostname)) return url.protocol;
  return url.origin;
}

export function contentSecurityPolicy(redirectUri?: string): string {
  const redirectSource = redirectUri ? formActionSource(redirectUri) : null;
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self'${redirectSource ? ` ${redirectSource}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function sendHtml(
  reply: FastifyReply,
  status: number,
  body: string,
  options: { redirectUri?: string; retryAfterSeconds?: number } = {},
): void {
  for (const [k, v] of Object.entries(PAGE_HEADERS)) void reply.header(k, v);
  void reply.header('content-security-policy', contentSecurityPolicy(options.redirectUri));
  if (options.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(options.retryAfterSeconds));
  }
  void reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** 303 See Other: after a POST the browser follows with GET (never 307, RFC 9700 §4.12). */
export function sendSeeOther(reply: FastifyReply, location: string): void {
  void reply
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('referrer-policy', 'no-referrer')
    .redirect(location, 303);
}
